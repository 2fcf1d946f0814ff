/**
 * compat `send` once the peer has gone, over a raw Node.js peer: LuaSocket's
 * `nil, 'closed', last` after a reset, and sends that keep working after the
 * peer's half-close.
 */
import type { Socket } from 'node:net';
import { describe, expect, test } from 'vitest';
import socket, { type TcpObject } from '../../compat/index.js';
import { collect, pause, rawServer } from '../helpers/loopback.js';

async function connected(): Promise<{ c: TcpObject; peer: Socket } & AsyncDisposable> {
  const raw = await rawServer();
  const [[c], peer] = await Promise.all([socket.connect('127.0.0.1', raw.port), raw.accepted()]);
  if (c === null) throw new Error('connect failed');
  return {
    c,
    peer,
    [Symbol.asyncDispose]: async () => {
      c.close();
      await raw.close();
    },
  };
}

describe('TcpObject.send after the peer went away', () => {
  test("send() after a reset answers [null, 'closed', i - 1], again and again", async () => {
    await using t = await connected();
    expect(await t.c.send('unread\n')).toEqual([7, null, null]);
    t.peer.resetAndDestroy();
    expect(await t.c.receive()).toEqual([null, 'closed', '']);
    expect(await t.c.send('ab')).toEqual([null, 'closed', 0]);
    expect(await t.c.send('ab')).toEqual([null, 'closed', 0]);
    expect(await t.c.send('abcdef', 3, 5)).toEqual([null, 'closed', 2]);
  });

  test("send() after the peer closed: the first goes out, the next answers [null, 'closed', 0]", async () => {
    await using t = await connected();
    t.peer.destroy();
    expect(await t.c.receive()).toEqual([null, 'closed', '']);
    expect(await t.c.send('ab')).toEqual([2, null, null]);
    await pause(50); // pacing the peer: its RST is on the wire
    expect(await t.c.send('cd')).toEqual([null, 'closed', 0]);
    expect(await t.c.send('ef')).toEqual([null, 'closed', 0]);
  });

  test("send() after the peer's shutdown (a FIN, no reset) keeps working", async () => {
    await using t = await connected();
    const received = collect(t.peer);
    t.peer.end();
    expect(await t.c.receive()).toEqual([null, 'closed', '']);
    expect(await t.c.send('ab\n')).toEqual([3, null, null]);
    await pause(50);
    expect(await t.c.send('cd\n')).toEqual([3, null, null]);
    t.c.shutdown('send');
    expect((await received).toString()).toBe('ab\ncd\n');
  });
});
