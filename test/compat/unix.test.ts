import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SocketError } from '../../src/errors/socket-error.js';
import socket, { UnixObject } from '../../compat/index.js';
import { closedAfterEach } from '../helpers/kept.js';

const dir = mkdtempSync(join(tmpdir(), 'lsa-compat-unix-'));
let counter = 0;
/** A fresh socket path in the test's temporary directory. */
const fresh = (): string => join(dir, `u${++counter}.sock`);
const keep = closedAfterEach();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A compat server on a fresh path, a compat client connected to it, and the accepted end. */
async function pair(): Promise<{ srv: UnixObject; c: UnixObject; sv: UnixObject; path: string }> {
  const path = fresh();
  const srv = keep(socket.unix()[0]);
  expect(await srv.bind(path)).toEqual([1, null]);
  expect(await srv.listen()).toEqual([1, null]);
  const c = keep(socket.unix.stream()[0]);
  expect(await c.connect(path)).toEqual([1, null]);
  const sv = keep((await srv.accept())[0]);
  return { srv, c, sv, path };
}

describe('UnixObject states', () => {
  it('goes master → server, master → client, and unixstream{closed}', async () => {
    const { srv, c, sv } = await pair();
    expect([String(srv), String(c), String(sv)]).toEqual([
      'unixstream{server}',
      'unixstream{client}',
      'unixstream{client}',
    ]);
    expect(c.close()).toBe(1);
    expect(String(c)).toBe('unixstream{closed}');
    expect(c.close()).toBe(1);
  });

  it.each([
    ['receive', 'client'],
    ['send', 'client'],
    ['getstats', 'client'],
    ['setstats', 'client'],
    ['shutdown', 'client'],
    ['receiveany', 'client'],
    ['accept', 'server'],
  ] as const)('%s on a master is a usage error naming unixstream{%s}', (method, state) => {
    const m = keep(socket.unix()[0]);
    const call = (): unknown => (m[method] as (...a: unknown[]) => unknown).call(m, 'x');
    expect(call).toThrow(
      new TypeError(`calling '${method}' on bad self (unixstream{${state}} expected)`),
    );
  });

  it('bind, listen and connect need a master; a bad path argument raises', async () => {
    const { srv, c } = await pair();
    expect(() => c.bind(fresh())).toThrow(
      "calling 'bind' on bad self (unixstream{master} expected)",
    );
    expect(() => srv.connect(fresh())).toThrow(
      "calling 'connect' on bad self (unixstream{master} expected)",
    );
    expect(() => srv.listen()).toThrow(
      "calling 'listen' on bad self (unixstream{master} expected)",
    );
    const m = keep(socket.unix()[0]);
    expect(() => m.bind(null as unknown as string)).toThrow(
      "bad argument #1 to 'bind' (string expected, got nil)",
    );
    expect(() => c.shutdown('sideways' as 'both')).toThrow(/invalid option 'sideways'/);
    expect(() => c.setfd(3)).toThrow(SocketError);
  });

  it('answers LuaSocket’s strings for a busy path, a missing one, a stale one and a long one', async () => {
    const path = fresh();
    writeFileSync(path, '');
    expect(await keep(socket.unix()[0]).bind(path)).toEqual([null, 'address already in use']);
    const m = keep(socket.unix()[0]);
    expect(await m.connect(fresh())).toEqual([null, 'No such file or directory']);
    expect(String(m)).toBe('unixstream{master}');
    expect(await m.connect(path)).toEqual([null, 'connection refused']);
    expect(await m.connect('/tmp/' + 'x'.repeat(110))).toEqual([null, 'path too long']);
  });
});

describe('names', () => {
  it('getsockname: the bound path, the path on accepted ends, "" on a connecting client', async () => {
    const m = keep(socket.unix()[0]);
    expect(m.getsockname()).toEqual(['', null]);
    const { srv, c, sv, path } = await pair();
    expect(srv.getsockname()).toEqual([path, null]);
    expect(sv.getsockname()).toEqual([path, null]);
    expect(c.getsockname()).toEqual(['', null]);
    c.close();
    expect(c.getsockname()).toEqual([null, 'closed']);
  });

  it('getpeername: the path a client connected to, "" on an accepted end, ENOTCONN on a server', async () => {
    const { srv, c, sv, path } = await pair();
    expect(c.getpeername()).toEqual([path, null]);
    expect(sv.getpeername()).toEqual(['', null]);
    const [value, err] = srv.getpeername();
    expect(value).toBeNull();
    expect(err).toMatch(/not connected/i);
    sv.close();
    expect(sv.getpeername()).toEqual([null, 'closed']);
  });

  it('closing the server removes its socket file', async () => {
    const { srv, path } = await pair();
    expect(existsSync(path)).toBe(true);
    srv.close();
    await socket.sleep(0.05);
    expect(existsSync(path)).toBe(false);
  });
});

describe('receive and send', () => {
  it('reads every pattern, with prefixes, bytes exact', async () => {
    const { c, sv } = await pair();
    const bytes = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    expect(await c.send(`a\rb\r\nline2\n12345${bytes}`)).toEqual([16 + 256, null, null]);
    expect(await sv.receive()).toEqual(['ab', null, null]);
    expect(await sv.receive('*l', '>')).toEqual(['>line2', null, null]);
    expect(await sv.receive(3)).toEqual(['123', null, null]);
    expect(await sv.receive(4, 'xy')).toEqual(['xy45', null, null]);
    expect(await sv.receive(256)).toEqual([bytes, null, null]);
    expect(await sv.receive(0)).toEqual(['', null, null]);
    expect(await c.send('tail', 2, 3)).toEqual([3, null, null]);
    c.shutdown('send');
    expect(await sv.receive('*a')).toEqual(['ai', null, null]);
    expect(await sv.receive('*a')).toEqual([null, 'closed', '']);
    expect(await sv.receive()).toEqual([null, 'closed', '']);
  });

  it('gives the partial result on timeout and on close, then goes on after it', async () => {
    const { c, sv } = await pair();
    sv.settimeout(0.05);
    await c.send('abc');
    expect(await sv.receive('*l')).toEqual([null, 'timeout', 'abc']);
    await c.send('def\nrest');
    expect(await sv.receive('*l')).toEqual(['def', null, null]);
    expect(await sv.receiveany(10)).toEqual(['rest', null, null]);
    expect(() => sv.receive('*x')).toThrow();
    c.close();
    expect(await sv.receive(5, 'p')).toEqual([null, 'closed', 'p']);
  });

  it('counts bytes with getstats and setstats; dirty() tells buffered bytes', async () => {
    const { c, sv } = await pair();
    await c.send('hello\nworld\n');
    expect(await sv.receive()).toEqual(['hello', null, null]);
    expect(sv.dirty()).toBe(true);
    const [received, sent] = c.getstats();
    expect([received, sent]).toEqual([0, 12]);
    expect(sv.getstats()[0]).toBe(6); // what receive delivered, as LuaSocket counts
    expect(sv.setstats(1, 2, 3)).toBe(1);
    expect(sv.getstats().slice(0, 2)).toEqual([1, 2]);
    expect(await sv.receive()).toEqual(['world', null, null]);
    expect(sv.dirty()).toBe(false);
  });

  it('closed clients answer closed', async () => {
    const { c } = await pair();
    c.close();
    expect(await c.receive()).toEqual([null, 'closed', '']);
    expect(await c.send('x')).toEqual([null, 'closed', 0]);
    expect(c.getfd()).toBe(-1);
    expect(c.dirty()).toBe(false);
  });

  it('a closed client keeps its counters, and shutdown and setstats still answer 1, as in lua5.4', async () => {
    const { c, sv } = await pair();
    await c.send('hello\n');
    expect(await sv.receive()).toEqual(['hello', null, null]);
    c.close();
    expect(c.getstats().slice(0, 2)).toEqual([0, 6]);
    expect(c.shutdown()).toBe(1);
    expect(c.setstats(1, 2, 3)).toBe(1);
    expect(c.getstats().slice(0, 2)).toEqual([1, 2]);
  });
});

describe('timeouts, options, select', () => {
  it('accept times out under the server’s timeout', async () => {
    const { srv } = await pair();
    srv.settimeout(0.05);
    expect(await srv.accept()).toEqual([null, 'timeout']);
    expect(srv.getfd()).toBeGreaterThan(-1);
  });

  it('setoption answers not supported, in every state', async () => {
    const m = keep(socket.unix()[0]);
    const [ok, err] = m.setoption('keepalive', true);
    expect(ok).toBeNull();
    expect(err).toMatch(/^keepalive: not supported/);
    const { srv, c } = await pair();
    expect(srv.setoption('reuseaddr', true)[1]).toMatch(/^reuseaddr: not supported/);
    expect(c.setoption('linger', { on: true, timeout: 1 })[1]).toMatch(/^linger: not supported/);
    c.close();
    expect(c.setoption('keepalive', true)).toEqual([null, 'closed']);
  });

  it('select reports a client readable when bytes arrive, a server when a connection waits', async () => {
    const { srv, c, sv, path } = await pair();
    expect(await socket.select([sv, srv], null, 0)).toEqual([[], [], 'timeout']);
    await c.send('ping\n');
    const [readable, , err] = await socket.select([sv, srv], null, 1);
    expect(err).toBeNull();
    expect(readable.has(sv)).toBe(true);
    expect(readable.has(srv)).toBe(false);
    const [, writable] = await socket.select(null, [c], 1);
    expect(writable.has(c)).toBe(true);
    expect(await sv.receive()).toEqual(['ping', null, null]);
    const c2 = keep(socket.unix()[0]);
    expect(await c2.connect(path)).toEqual([1, null]);
    const [ready] = await socket.select([srv], null, 1);
    expect(ready.has(srv)).toBe(true);
    const m = keep(socket.unix()[0]);
    c.close();
    const [r2] = await socket.select([m, c, sv], null, 1);
    expect(r2.has(sv)).toBe(true); // the peer closed
    expect(r2.has(c) || r2.has(m)).toBe(false);
  });
});
