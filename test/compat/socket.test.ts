import { describe, expect, it } from 'vitest';
import socket from '../../compat/index.js';
import { closedAfterEach } from '../helpers/kept.js';
import { closedPort } from '../helpers/loopback.js';

const IP = '127.0.0.1';
const keep = closedAfterEach();

describe('socket module', () => {
  it('_VERSION, _SETSIZE and _SOCKETINVALID are what real LuaSocket 3.1.0 reports', () => {
    expect(socket._VERSION).toBe('LuaSocket 3.0.0');
    expect(socket._SETSIZE).toBe(1024);
    expect(socket._SOCKETINVALID).toBe(-1);
  });

  it('tcp(), tcp4() and tcp6() return [master, null]', () => {
    for (const make of [socket.tcp, socket.tcp4, socket.tcp6]) {
      const [m, err] = make();
      expect(err).toBeNull();
      expect(String(keep(m))).toBe('tcp{master}');
    }
  });

  it('bind() returns a listening server; "*" means every IPv4 interface; the port may be a numeric string', async () => {
    const [s, err] = await socket.bind('*', '0', 7);
    expect(err).toBeNull();
    expect(String(keep(s))).toBe('tcp{server}');
    expect(s?.getsockname()).toEqual(['0.0.0.0', expect.any(Number), 'inet']);
    expect(s?.getoption('reuseaddr')).toEqual([true, null]);
  });

  it('bind() on a busy address answers "address already in use"', async () => {
    const s = keep((await socket.bind(IP, 0))[0]);
    expect(await socket.bind(IP, s.getsockname()[1])).toEqual([null, 'address already in use']);
  });

  it('connect() answers LuaSocket’s strings for a refused port and an unknown host', async () => {
    const port = await closedPort();
    expect(await socket.connect(IP, port)).toEqual([null, 'connection refused']);
    expect(await socket.connect('nonexistent.invalid', 80)).toEqual([
      null,
      'host or service not provided, or not known',
    ]);
    expect(await socket.connect4(IP, port)).toEqual([null, 'connection refused']);
  });

  it('connect() binds locaddr:locport first, and ignores locport alone as LuaSocket does', async () => {
    const s = keep((await socket.bind(IP, 0))[0]);
    const port = Number(s.getsockname()[1]);
    const local = await closedPort();
    const c = keep((await socket.connect(IP, port, IP, local))[0]);
    expect(c.getsockname()[1]).toBe(local);
    const c2 = keep((await socket.connect(IP, port, null, 1))[0]);
    expect(c2.getsockname()[1]).not.toBe(1);
  });

  it('connect6() and connect(…, "inet6") use IPv6 only', async () => {
    const s = keep((await socket.bind('::1', 0))[0]);
    const port = Number(s.getsockname()[1]);
    const c = keep((await socket.connect6('::1', port))[0]);
    expect(c.getpeername()).toEqual(['::1', port, 'inet6']);
    expect(c.getfamily()).toBe('inet6');
    const [none, err] = await socket.connect(IP, port, null, null, 'inet6');
    expect(none).toBeNull();
    expect(typeof err).toBe('string');
  });

  it('connect() and bind() throw for what LuaSocket raises on: missing or mistyped arguments', () => {
    expect(() => socket.connect(IP, undefined as unknown as number)).toThrow(
      "bad argument #2 to 'connect' (string expected, got no value)",
    );
    expect(() => socket.connect(null as unknown as string, 80)).toThrow(
      "bad argument #1 to 'connect' (string expected, got nil)",
    );
    expect(() => socket.connect(IP, 80, null, null, 'bogus' as 'inet')).toThrow(
      "bad argument #5 to 'connect' (invalid option 'bogus')",
    );
    expect(() => socket.connect(IP, 'http')).toThrow(TypeError);
    expect(() => socket.connect(IP, 70000)).toThrow(RangeError);
    expect(() => socket.bind(IP, undefined as unknown as number)).toThrow(TypeError);
  });

  it('gettime() is seconds since the epoch, with fractions', () => {
    const t = socket.gettime();
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(5);
  });

  it('sleep() waits; zero and negative values return after a turn of the event loop', async () => {
    const t0 = socket.gettime();
    await expect(socket.sleep(0.05)).resolves.toBeUndefined();
    expect(socket.gettime() - t0).toBeGreaterThan(0.04);
    await socket.sleep(0);
    await socket.sleep(-1);
    await socket.sleep('0.01');
    expect(() => socket.sleep(undefined as unknown as number)).toThrow(
      "bad argument #1 to 'sleep' (number expected, got no value)",
    );
    expect(() => socket.sleep('x')).toThrow(
      "bad argument #1 to 'sleep' (number expected, got string)",
    );
  });
});
