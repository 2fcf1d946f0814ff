import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  bindUnix,
  connectUnix,
  select,
  SocketError,
  unix,
  type UnixClient,
  type UnixServer,
} from '../../../src/index.js';
import { ALL_BYTES, rejection, socketError, until } from '../../helpers/loopback.js';

const dir = mkdtempSync(join(tmpdir(), 'lsa-unix-'));
let counter = 0;
/** A fresh socket path in the test's temporary directory. */
const fresh = (): string => join(dir, `s${++counter}.sock`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Leaves a socket file nobody listens on: a process that exits without closing its server. */
function staleSocket(path: string): void {
  const script = `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.exit(0))`;
  const r = spawnSync(process.execPath, ['-e', script], { stdio: 'ignore' });
  expect(r.status).toBe(0);
  expect(lstatSync(path).isSocket()).toBe(true);
}

interface Pair<T extends string | Buffer> extends AsyncDisposable {
  server: UnixServer<T>;
  client: UnixClient<T>;
  conn: UnixClient<T>;
  path: string;
}

async function pair(): Promise<Pair<string>> {
  const path = fresh();
  const server = await bindUnix(path);
  const [client, conn] = await Promise.all([connectUnix(path), server.accept({ timeout: 5 })]);
  return {
    server,
    client,
    conn,
    path,
    [Symbol.asyncDispose]: () => {
      client.close();
      conn.close();
      server.close();
      return Promise.resolve();
    },
  };
}

describe('connectUnix() / bindUnix(): every receive pattern', () => {
  test("receive('*l') drops every CR; receive(n) counts the prefix; receive('*a') reads to EOF", async () => {
    await using p = await pair();
    await p.client.send('a\rb\r\nline two\nhello world');
    expect(await p.conn.receive('*l')).toBe('ab');
    expect(await p.conn.receive()).toBe('line two');
    expect(await p.conn.receive(6, { prefix: '>' })).toBe('>hello');
    p.client.shutdown('send');
    expect(await p.conn.receive('*a')).toBe(' world');
    expect((await socketError(p.conn.receive('*a'))).code).toBe('closed');
  });

  test('receiveany() and lines() read what arrived, and bytes survive exactly', async () => {
    const path = fresh();
    await using server = await bindUnix(path, { encoding: 'buffer' });
    await using client = await connectUnix(path, { encoding: 'buffer' });
    await using conn = await server.accept({ timeout: 5 });
    await client.send(Buffer.concat([ALL_BYTES, Buffer.from('\nx\n')]));
    await until(() => conn.buffered === 259, 10_000, 'all bytes');
    expect(await conn.receiveany(16)).toEqual(ALL_BYTES.subarray(0, 16));
    client.close();
    const lines: Buffer[] = [];
    for await (const line of conn.lines()) lines.push(line);
    // LF (10) and CR (13) were among the first 16 bytes: the rest is one line.
    expect(lines).toEqual([ALL_BYTES.subarray(16), Buffer.from('x')]);
  });

  test('receive() with a timeout fails with timeout and its partial; the socket stays usable', async () => {
    await using p = await pair();
    await p.client.send('half');
    await until(() => p.conn.buffered === 4, 10_000, 'half a line');
    const err = await socketError(p.conn.receive('*l', { timeout: 0 }));
    expect([err.code, err.partial]).toEqual(['timeout', 'half']);
    await p.client.send(' done\n');
    expect(await p.conn.receive('*l')).toBe(' done');
  });

  test('receive() ends with the signal’s reason on abort', async () => {
    await using p = await pair();
    const reason = new Error('stop');
    const controller = new AbortController();
    const pending = p.conn.receive('*l', { signal: controller.signal });
    controller.abort(reason);
    const err = await rejection(pending);
    expect(err === reason || (err instanceof SocketError && err.cause === reason)).toBe(true);
  });

  test('select() reports a Unix connection readable when bytes wait', async () => {
    await using p = await pair();
    await p.client.send('x\n');
    const { readable } = await select([p.conn], null, { timeout: 5 });
    expect(readable).toEqual([p.conn]);
    expect(await p.conn.receive()).toBe('x');
  });
});

describe('Unix addresses', () => {
  test("getsockname()/getpeername() give the path, port 0, family 'unix'; the client end is unnamed", async () => {
    await using p = await pair();
    const named = { address: p.path, port: 0, family: 'unix' };
    const unnamed = { address: '', port: 0, family: 'unix' };
    expect(p.server.getsockname()).toEqual(named);
    expect(p.client.getpeername()).toEqual(named);
    expect(p.client.getsockname()).toEqual(unnamed);
    expect(p.conn.getsockname()).toEqual(named);
    expect(p.conn.getpeername()).toEqual(unnamed);
    expect(p.client.fd).toBeGreaterThan(0);
  });

  test('closing the server removes its socket file', async () => {
    const path = fresh();
    const server = await bindUnix(path);
    expect(lstatSync(path).isSocket()).toBe(true);
    server.close();
    await until(() => !existsSync(path), 10_000, 'the socket file to go');
  });
});

describe('stale socket files', () => {
  test('bindUnix() on a stale socket file fails with addrinuse without unlink, and binds with { unlink: true }', async () => {
    const path = fresh();
    staleSocket(path);
    const err = await socketError(bindUnix(path));
    expect([err.code, err.message]).toEqual(['addrinuse', 'address already in use']);
    await using server = await bindUnix(path, { unlink: true });
    await using client = await connectUnix(path);
    await using conn = await server.accept({ timeout: 5 });
    expect(conn.getsockname().address).toBe(path);
    expect(client.getpeername().address).toBe(path);
  });

  test('{ unlink: true } leaves a live socket and a regular file alone: the bind fails', async () => {
    const path = fresh();
    await using live = await bindUnix(path);
    expect((await socketError(bindUnix(path, { unlink: true }))).code).toBe('addrinuse');
    await using client = await connectUnix(path);
    await using conn = await live.accept({ timeout: 5 });
    expect(conn.closed).toBe(false);
    const file = fresh();
    writeFileSync(file, 'data');
    expect((await socketError(bindUnix(file, { unlink: true }))).code).toBe('addrinuse');
    expect(lstatSync(file).isFile()).toBe(true);
    expect(client.closed).toBe(false);
  });

  test("connectUnix() to a stale file fails with refused, to a missing one with the system's message", async () => {
    const path = fresh();
    staleSocket(path);
    const refused = await socketError(connectUnix(path));
    expect([refused.code, refused.message]).toEqual(['refused', 'connection refused']);
    const missing = await socketError(connectUnix(fresh()));
    expect([missing.code, missing.message]).toEqual(['system', 'No such file or directory']);
  });
});

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
