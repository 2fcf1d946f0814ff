import { describe, expect, it } from 'vitest';
import socket, { type TcpObject } from '../../compat/index.js';

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
