import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { connectUnix, SocketError, unix } from '../../../src/index.js';
import { socketError, until } from '../../helpers/loopback.js';
import { socketDir, staleSocket, unixPair, type Pair } from '../../helpers/unix-paths.js';

const { fresh } = socketDir();
const pair = (): Promise<Pair<string>> => unixPair(fresh());

describe('unix() master', () => {
  test('bind() binds at once, listen() gives the server, connect() a client', async () => {
    const path = fresh();
    const master = unix();
    await master.bind(path);
    expect(master.getsockname()).toEqual({ address: path, port: 0, family: 'unix' });
    expect(master.fd).toBeGreaterThan(0);
    await using server = await master.listen();
    await using client = await unix().connect(path, { timeout: 5 });
    await using conn = await server.accept({ timeout: 5 });
    await conn.send('hi\n');
    expect(await client.receive()).toBe('hi');
    expect(() => master.getoption('keepalive')).toThrow(TypeError);
  });

  test('bind() on a busy path fails at bind; { unlink: true } there removes a stale file', async () => {
    const path = fresh();
    staleSocket(path);
    const master = unix();
    try {
      expect((await socketError(master.bind(path))).code).toBe('addrinuse');
      await master.bind(path, { unlink: true });
      expect(master.getsockname().address).toBe(path);
    } finally {
      master.close();
    }
    await until(() => !existsSync(path), 10_000, 'close() to remove the file');
  });

  test('misuse throws at once: listen() unbound, bind() twice, bad paths, an unknown type', async () => {
    const master = unix();
    try {
      expect(() => master.listen()).toThrow(TypeError);
      expect(() => master.bind('')).toThrow(TypeError);
      expect(() => master.bind('x'.repeat(200))).toThrow(RangeError);
      expect(() => connectUnix(42 as unknown as string)).toThrow(TypeError);
      expect(() => unix({ type: 'seqpacket' as 'stream' })).toThrow(TypeError);
      await master.bind(fresh());
      expect(() => master.bind(fresh())).toThrow(TypeError);
    } finally {
      master.close();
    }
    expect((await socketError(master.connect(fresh()))).code).toBe('closed');
  });

  test('connect() after bind() answers unsupported: Node.js cannot connect from a bound path', async () => {
    const master = unix();
    try {
      await master.bind(fresh());
      const err = await socketError(master.connect(fresh()));
      expect(err.code).toBe('unsupported');
      expect(err.message.startsWith('connect:')).toBe(true);
    } finally {
      master.close();
    }
  });

  test("unix({ type: 'dgram' }) throws SocketError 'unsupported': Node.js has no Unix datagram sockets", () => {
    let caught: unknown;
    try {
      unix({ type: 'dgram' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SocketError);
    expect((caught as SocketError).code).toBe('unsupported');
    expect((caught as SocketError).message).toMatch(/^dgram: .*not supported/);
  });

  test('options answer unsupported on every Unix object, the name first', async () => {
    await using p = await pair();
    const master = unix();
    for (const target of [master, p.server, p.client, p.conn]) {
      const err = (() => {
        try {
          target.getoption('keepalive');
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(SocketError);
      expect((err as SocketError).message).toMatch(/^keepalive: not supported/);
    }
    master.close();
  });
});
