import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { existsSync, lstatSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { bindUnix, connectUnix, CONNECT_CHANNEL, select, SocketError } from '../../../src/index.js';
import { connectWith, SERVER_KEYS } from '../../../src/unix/connect.js';
import { ALL_BYTES, rejection, socketError, until } from '../../helpers/loopback.js';
import { socketDir, staleSocket, unixPair, type Pair } from '../../helpers/unix-paths.js';

const { fresh } = socketDir();
const pair = (): Promise<Pair<string>> => unixPair(fresh());

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

describe('connectUnix() and bindUnix() options', () => {
  test('SERVER_KEYS are the stream options, backlog, queueLimit and unlink', () => {
    expect([...SERVER_KEYS].sort()).toEqual(
      ['backlog', 'encoding', 'highWaterMark', 'maxLineLength', 'queueLimit', 'unlink'].sort(),
    );
  });

  test('connectUnix() hands the stream options to its client; bindUnix() to what it accepts', async () => {
    const path = fresh();
    await using server = await bindUnix(path, { encoding: 'latin1', maxLineLength: 4 });
    await using client = await connectUnix(path, { encoding: 'buffer', maxLineLength: 3 });
    await using conn = await server.accept({ timeout: 5 });
    await conn.send('\xe9\xff\n');
    expect(await client.receive('*l')).toEqual(Buffer.from([0xe9, 0xff]));
    await conn.send('abcd\n');
    const long = await socketError(client.receive('*l'));
    expect([long.code, long.partial]).toEqual(['linetoolong', Buffer.from('abc')]);
    await client.send(Buffer.from([0xe9, 0x0a, 0x31, 0x32, 0x33, 0x34, 0x35, 0x0a]));
    expect(await conn.receive('*l')).toBe('\xe9');
    expect((await socketError(conn.receive('*l'))).code).toBe('linetoolong');
  });

  test('bindUnix({ queueLimit }) closes the connections past it and counts them in `dropped`', async () => {
    const path = fresh();
    await using server = await bindUnix(path, { queueLimit: 1, backlog: 4 });
    await using first = await connectUnix(path);
    await using second = await connectUnix(path);
    await until(() => server.dropped === 1, 10_000, 'the second connection to be dropped');
    await using conn = await server.accept({ timeout: 5 });
    await first.send('kept\n');
    expect(await conn.receive()).toBe('kept');
    expect((await socketError(second.receive())).code).toBe('closed');
  });

  test("connectUnix() with an already aborted signal rejects with the signal's reason", async () => {
    const path = fresh();
    await using server = await bindUnix(path);
    const reason = new Error('not now');
    expect(await rejection(connectUnix(path, { signal: AbortSignal.abort(reason) }))).toBe(reason);
    expect(await rejection(server.accept({ timeout: 0 }))).toMatchObject({ code: 'timeout' });
  });

  test('connectUnix() throws a TypeError at once for bad wait options, before any connect', () => {
    expect(() => connectUnix(fresh(), { timeout: 'soon' as unknown as number })).toThrow(
      /^Expected `options.timeout` to be a number, null or undefined/,
    );
    expect(() => connectUnix(fresh(), { signal: {} as AbortSignal })).toThrow(TypeError);
  });

  test('connectWith() connects under the settings it is given and reports the connection', async () => {
    const path = fresh();
    await using server = await bindUnix(path);
    const seen: unknown[] = [];
    const listener = (message: unknown): void => void seen.push(message);
    subscribe(CONNECT_CHANNEL, listener);
    try {
      await using client = await connectWith(path, {}, { block: 5, total: undefined });
      await using conn = await server.accept({ timeout: 5 });
      expect(seen).toEqual([
        {
          socket: client,
          local: { address: '', port: 0, family: 'unix' },
          remote: { address: path, port: 0, family: 'unix' },
        },
      ]);
      await conn.send('hi\n');
      expect(await client.receive()).toBe('hi');
    } finally {
      unsubscribe(CONNECT_CHANNEL, listener);
    }
  });

  test("connectWith() with an aborted signal rejects with its reason; a failure carries the caller's stack", async () => {
    const reason = new Error('stop');
    expect(
      await rejection(
        connectWith(
          fresh(),
          { signal: AbortSignal.abort(reason) },
          { block: undefined, total: undefined },
        ),
      ),
    ).toBe(reason);
    const missing = fresh();
    async function missingPathCaller(): Promise<unknown> {
      const err = await rejection(connectWith(missing, {}, { block: undefined, total: undefined }));
      return err;
    }
    const err = (await missingPathCaller()) as SocketError;
    expect(err).toBeInstanceOf(SocketError);
    expect([err.code, err.message, err.address]).toEqual([
      'system',
      'No such file or directory',
      missing,
    ]);
    expect(err.stack).toContain('missingPathCaller');
  });
});
