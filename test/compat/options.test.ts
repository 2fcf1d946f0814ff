import { describe, expect, it } from 'vitest';
import socket, { type TcpObject } from '../../compat/index.js';
import { BUFFER_MAX, mismatch } from '../helpers/buffer-sizes.js';

function must<T>(result: [T, null] | [null, string]): T {
  if (result[0] === null) throw new Error(String(result[1]));
  return result[0];
}

async function pair(): Promise<{ s: TcpObject; c: TcpObject; a: TcpObject; close: () => void }> {
  const s = must(await socket.bind('127.0.0.1', 0));
  const c = must(await socket.connect('127.0.0.1', Number(s.getsockname()[1])));
  const a = must(await s.accept());
  return { s, c, a, close: () => [a, c, s].forEach((o) => o.close()) };
}

describe('setoption()/getoption() names per object kind', () => {
  it("a name the kind lacks raises LuaSocket's error", async () => {
    const { c, close } = await pair();
    const [u] = socket.udp4();
    try {
      expect(() => c.setoption('broadcast', true)).toThrow(
        new TypeError("bad argument #1 to 'setoption' (unsupported option `broadcast')"),
      );
      expect(() => c.getoption('ipv6-v6only')).toThrow(
        "bad argument #1 to 'getoption' (unsupported option `ipv6-v6only')",
      );
      expect(() => u!.setoption('tcp-nodelay', true)).toThrow(
        "bad argument #1 to 'setoption' (unsupported option `tcp-nodelay')",
      );
      expect(() => u!.getoption('ip-multicast-ttl')).toThrow(
        "bad argument #1 to 'getoption' (unsupported option `ip-multicast-ttl')",
      );
    } finally {
      u!.close();
      close();
    }
  });

  it('tcp-keepcnt and tcp-keepintvl answer that Node.js cannot set them', async () => {
    const { c, close } = await pair();
    try {
      expect(c.setoption('tcp-keepcnt', 3)).toEqual([
        null,
        'tcp-keepcnt: not supported by Node.js (it has no way to set TCP_KEEPCNT)',
      ]);
      expect(c.getoption('tcp-keepintvl')).toEqual([
        null,
        'tcp-keepintvl: not supported by Node.js (it has no way to set TCP_KEEPINTVL)',
      ]);
    } finally {
      close();
    }
  });

  it('tcp-keepidle takes seconds (numeric strings too, truncated) and reads them back', async () => {
    const { s, c, close } = await pair();
    try {
      expect(c.getoption('tcp-keepidle')).toEqual([7200, null]);
      expect(c.setoption('tcp-keepidle', '30' as unknown as number)).toEqual([1, null]);
      expect(c.setoption('keepalive', true)).toEqual([1, null]);
      expect(c.setoption('tcp-keepidle', 12.9)).toEqual([1, null]);
      expect(c.getoption('tcp-keepidle')).toEqual([12, null]);
      // What the kernel refuses, LuaSocket answers as a failed setsockopt.
      expect(c.setoption('tcp-keepidle', 0)).toEqual([null, 'setsockopt failed']);
      expect(c.setoption('tcp-keepidle', true as unknown as number)).toEqual([
        null,
        'setsockopt failed',
      ]);
      // A server passes it on to what it accepts, with keepalive.
      expect(s.setoption('tcp-keepidle', 45)).toEqual([1, null]);
      expect(s.setoption('keepalive', true)).toEqual([1, null]);
      const c2 = must(await socket.connect('127.0.0.1', Number(s.getsockname()[1])));
      const a2 = must(await s.accept());
      expect(a2.getoption('tcp-keepidle')).toEqual([45, null]);
      expect(a2.getoption('keepalive')).toEqual([true, null]);
      a2.close();
      c2.close();
    } finally {
      close();
    }
  });

  it("reuseaddr reads back as LuaSocket's: off on masters and clients, on for bind() and what it accepts", async () => {
    const { s, c, a, close } = await pair();
    const [m] = socket.tcp4();
    const [mb] = socket.tcp();
    try {
      expect(m!.getoption('reuseaddr')).toEqual([false, null]);
      await mb!.bind('127.0.0.1', 0);
      await mb!.listen();
      expect(mb!.getoption('reuseaddr')).toEqual([false, null]);
      expect(s.getoption('reuseaddr')).toEqual([true, null]);
      expect(a.getoption('reuseaddr')).toEqual([true, null]);
      expect(c.getoption('reuseaddr')).toEqual([false, null]);
      // A master's accepted connections inherit its setting, as the kernel passes it on.
      const c2 = must(await socket.connect('127.0.0.1', Number(mb!.getsockname()[1])));
      const a2 = must(await mb!.accept());
      expect(a2.getoption('reuseaddr')).toEqual([false, null]);
      expect(m!.setoption('reuseaddr', true)).toEqual([1, null]);
      expect(m!.getoption('reuseaddr')).toEqual([true, null]);
      a2.close();
      c2.close();
    } finally {
      m!.close();
      mb!.close();
      close();
    }
  });
});

describe('setoption()/getoption() of the buffer sizes', () => {
  it('TCP objects answer that Node.js cannot set them, where LuaSocket sets SO_RCVBUF/SO_SNDBUF', async () => {
    const { s, c, a, close } = await pair();
    const [m] = socket.tcp4();
    try {
      for (const o of [m!, s, c, a]) {
        for (const [name, constant] of [
          ['recv-buffer-size', 'SO_RCVBUF'],
          ['send-buffer-size', 'SO_SNDBUF'],
        ] as const) {
          const answer = [
            null,
            `${name}: not supported by Node.js (it has no way to set ${constant})`,
          ];
          expect(o.setoption(name, 65536)).toEqual(answer);
          expect(o.getoption(name)).toEqual(answer);
        }
      }
    } finally {
      m!.close();
      close();
    }
  });

  it("UDP takes what Lua's (int) lua_tonumber makes of the value, as the kernel takes it", async () => {
    const [u] = socket.udp4();
    try {
      expect(await u!.setsockname('127.0.0.1', 0)).toEqual([1, null]);
      const set = (v: unknown): unknown => u!.setoption('recv-buffer-size', v as number);
      const get = (): unknown => u!.getoption('recv-buffer-size')[0];
      // Numeric strings count, fractions are truncated.
      expect(set('65536')).toEqual([1, null]);
      expect(mismatch('recv-buffer-size', 65536, get())).toBe('');
      expect(set(98304.9)).toEqual([1, null]);
      expect(mismatch('recv-buffer-size', 98304, get())).toBe('');
      // 0, and what Lua makes 0 (no value, a non-number), is the kernel's minimum.
      expect(set(1)).toEqual([1, null]);
      const minimum = get();
      for (const v of [0, undefined, null, true, 'abc', {}]) {
        expect(set(65536)).toEqual([1, null]);
        expect(set(v)).toEqual([1, null]);
        expect(get()).toBe(minimum);
      }
      // A negative int, or a number past one, is the kernel's cap.
      for (const v of [-1, 2 ** 31, 1e12, Number.NaN, Infinity]) {
        expect(set(65536)).toEqual([1, null]);
        expect(set(v)).toEqual([1, null]);
        if (BUFFER_MAX['recv-buffer-size'] !== undefined)
          expect(get()).toBe(2 * BUFFER_MAX['recv-buffer-size']);
      }
    } finally {
      u!.close();
    }
  });
});
