import { describe, expectTypeOf, it } from 'vitest';
import socket, { type TcpObject, type TryFunction, type UdpObject } from 'luasocket-async/compat';

declare const c: TcpObject;
declare const u: UdpObject;
declare const maybe: number | null;
declare const flag: string | false;

describe('compat try types', () => {
  it('a result tuple alone gives its first value, without null', async () => {
    expectTypeOf(socket.try(await socket.bind('h', 1))).toEqualTypeOf<TcpObject>();
    expectTypeOf(socket.try(await c.receive())).toEqualTypeOf<string>();
    expectTypeOf(socket.try(await u.receivefrom())).toEqualTypeOf<string>();
    expectTypeOf(socket.try(c.getsockname())).toEqualTypeOf<string>();
    expectTypeOf(socket.try([maybe, 'why'])).toEqualTypeOf<number>();
    expectTypeOf(socket.try([flag, 'why'] as const)).toEqualTypeOf<string>();
  });

  it('one value that is not an array gives that value, without null, undefined or false', () => {
    expectTypeOf(socket.try(u.settimeout(5))).toEqualTypeOf<1>();
    expectTypeOf(socket.try(c.close())).toEqualTypeOf<1>();
    expectTypeOf(socket.try(1)).toEqualTypeOf<number>();
    expectTypeOf(socket.try(c.dirty())).toEqualTypeOf<true>();
    expectTypeOf(socket.try('' as string | null | undefined)).toEqualTypeOf<string>();
  });

  it('several values give them all, the first without its failure values', async () => {
    expectTypeOf(socket.try(1, null, 'x')).toEqualTypeOf<[number, null, string]>();
    const [data, ip, port] = socket.try(...(await u.receivefrom()));
    expectTypeOf(data).toEqualTypeOf<string>();
    expectTypeOf(ip).toEqualTypeOf<string>();
    expectTypeOf(port).toEqualTypeOf<number>();
    expectTypeOf(socket.try(...(await c.receive()))).toEqualTypeOf<[string, null, null]>();
  });

  it('newtry gives the same function; protect keeps fn’s parameters', () => {
    expectTypeOf(socket.newtry(() => c.close())).toEqualTypeOf<TryFunction>();
    expectTypeOf(socket.newtry()).toEqualTypeOf<TryFunction>();
    expectTypeOf(socket.try).toEqualTypeOf<TryFunction>();
    const f = socket.protect(async (host: string) => {
      const s = socket.try(await socket.connect(host, 80));
      return [socket.try(await s.receive()), null] as const;
    });
    expectTypeOf(f).parameters.toEqualTypeOf<[string]>();
    expectTypeOf(f('h')).resolves.toEqualTypeOf<readonly [string, null] | [null, unknown]>();
  });
});
