/**
 * The methods TCP and Unix domain stream objects share (compat/stream-object.ts),
 * tested once through each kind on real sockets: loopback TCP, and a Unix
 * socket file in a temporary directory.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import socket, { TcpObject, UnixObject } from '../../compat/index.js';

type StreamObject = TcpObject | UnixObject;

const dir = mkdtempSync(join(tmpdir(), 'lsa-stream-object-'));
let counter = 0;
const made: StreamObject[] = [];

afterEach(() => {
  for (const o of made.splice(0)) o.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keep<T extends StreamObject>([o, err]: [T, null] | [null, string]): T {
  if (o === null) throw new Error(err ?? 'no object');
  made.push(o);
  return o;
}

/** A listening server, a client connected to it, and the accepted end. */
interface Trio {
  server: StreamObject;
  client: StreamObject;
  conn: StreamObject;
}

/** What differs between the two kinds, for these tests: how a trio and a master are made. */
interface Kind {
  name: 'tcp' | 'unixstream';
  master: () => StreamObject;
  trio: () => Promise<Trio>;
}

const tcp: Kind = {
  name: 'tcp',
  master: () => keep(socket.tcp()),
  trio: async () => {
    const server = keep(await socket.bind('127.0.0.1', 0));
    const [, port] = server.getsockname();
    const client = keep(await socket.connect('127.0.0.1', port ?? 0));
    const conn = keep(await server.accept());
    return { server, client, conn };
  },
};

const unix: Kind = {
  name: 'unixstream',
  master: () => keep(socket.unix()),
  trio: async () => {
    const path = join(dir, `s${++counter}.sock`);
    const server = keep(socket.unix());
    expect(await server.bind(path)).toEqual([1, null]);
    expect(await server.listen()).toEqual([1, null]);
    const client = keep(socket.unix());
    expect(await client.connect(path)).toEqual([1, null]);
    const conn = keep(await server.accept());
    return { server, client, conn };
  },
};

describe('the shared base', () => {
  it('TcpObject and UnixObject inherit the same receive, send, close and settimeout', () => {
    const base: unknown = Object.getPrototypeOf(TcpObject.prototype);
    expect(Object.getPrototypeOf(UnixObject.prototype)).toBe(base);
    for (const name of ['receive', 'send', 'getstats', 'close', 'settimeout']) {
      expect(Reflect.get(TcpObject.prototype, name)).toBe(Reflect.get(UnixObject.prototype, name));
      expect(Object.hasOwn(TcpObject.prototype, name)).toBe(false);
    }
  });
});

describe.each([tcp, unix])('StreamObject through $name objects', (kind) => {
  it('receive() reads lines (every CR dropped), counts with a prefix, and *a', async () => {
    const { client, conn } = await kind.trio();
    expect(await client.send('one\r\ntwo\nthree')).toEqual([14, null, null]);
    expect(client.shutdown('send')).toBe(1);
    expect(await conn.receive()).toEqual(['one', null, null]);
    expect(await conn.receive(3, '>')).toEqual(['>tw', null, null]);
    expect(await conn.receive('*l', 'x')).toEqual(['xo', null, null]);
    expect(await conn.receive('*a')).toEqual(['three', null, null]);
  });

  it('a receive that times out returns its partial, and the next receive starts after it', async () => {
    const { client, conn } = await kind.trio();
    await client.send('abc');
    expect(conn.settimeout(5)).toBe(1);
    expect((await socket.select([conn], null, 5))[2]).toBeNull();
    conn.settimeout(0);
    expect(await conn.receive(5)).toEqual([null, 'timeout', 'abc']);
    await client.send('de');
    conn.settimeout(5);
    expect(await conn.receive(2)).toEqual(['de', null, null]);
  });

  it('send(data, i, j) sends data:sub(i, j); getstats() counts it and setstats() resets it', async () => {
    const { client, conn } = await kind.trio();
    expect(await client.send('hello world', 7)).toEqual([11, null, null]);
    expect(await conn.receive(5)).toEqual(['world', null, null]);
    expect(client.getstats().slice(0, 2)).toEqual([0, 5]);
    expect(conn.getstats().slice(0, 2)).toEqual([5, 0]);
    expect(conn.setstats(10, 20)).toBe(1);
    expect(conn.getstats().slice(0, 2)).toEqual([10, 20]);
  });

  it('dirty() and select see bytes waiting; receive takes them', async () => {
    const { client, conn } = await kind.trio();
    expect(await socket.select([conn], null, 0)).toEqual([[], [], 'timeout']);
    expect(conn.dirty()).toBe(false);
    await client.send('x\n');
    const [readable, , err] = await socket.select([conn], null, 5);
    expect([[...readable], err]).toEqual([[conn], null]);
    expect(conn.dirty()).toBe(true);
    expect(await conn.receive()).toEqual(['x', null, null]);
    expect(conn.dirty()).toBe(false);
  });

  it('shutdown("send") lets the peer read to the end while this side goes on reading', async () => {
    const { client, conn } = await kind.trio();
    await client.send('bye');
    expect(client.shutdown('send')).toBe(1);
    expect(await conn.receive('*a')).toEqual(['bye', null, null]);
    await conn.send('still here\n');
    expect(await client.receive()).toEqual(['still here', null, null]);
  });

  it('close() is idempotent; a closed object answers "closed", has no descriptor and is ignored by select', async () => {
    const { client, conn } = await kind.trio();
    expect(client.getfd()).toBeGreaterThan(2);
    expect(client.close()).toBe(1);
    expect(client.close()).toBe(1);
    expect(String(client)).toBe(`${kind.name}{closed}`);
    expect(client.getfd()).toBe(-1);
    expect(client.dirty()).toBe(false);
    expect(await client.receive()).toEqual([null, 'closed', '']);
    expect(await client.send('x')).toEqual([null, 'closed', 0]);
    expect(await socket.select([client], [client], 0)).toEqual([[], [], 'timeout']);
    // The peer sees the end.
    expect(await conn.receive()).toEqual([null, 'closed', '']);
  });

  it('settimeout() bounds what the object does in its present state: accept on a server', async () => {
    const { server } = await kind.trio();
    expect(server.settimeout(0.05)).toBe(1);
    expect(await server.accept()).toEqual([null, 'timeout']);
    server.settimeout(0);
    expect(await server.accept()).toEqual([null, 'timeout']);
  });

  it("client methods on a master throw, naming the kind's client class; setfd() is refused", () => {
    const m = kind.master();
    const expected = `(${kind.name}{client} expected)`;
    expect(() => m.receive()).toThrow(`calling 'receive' on bad self ${expected}`);
    expect(() => m.send('x')).toThrow(`calling 'send' on bad self ${expected}`);
    expect(() => m.getstats()).toThrow(`calling 'getstats' on bad self ${expected}`);
    expect(() => m.setstats(1)).toThrow(`calling 'setstats' on bad self ${expected}`);
    expect(() => m.shutdown()).toThrow(`calling 'shutdown' on bad self ${expected}`);
    expect([m.dirty(), m.getfd()]).toEqual([false, -1]);
    expect(() => m.setfd(3)).toThrow(/not supported/);
    expect(m.close()).toBe(1);
  });
});
