import { describe, expectTypeOf, it } from 'vitest';
import socket, {
  type PeerNameResult,
  type ReceiveFromResult,
  type Result,
  type SelectList,
  type SelectResult,
  type SockNameResult,
  type TcpObject,
  type UdpObject,
} from 'luasocket-async/compat';

declare const u: UdpObject;
declare const c: TcpObject;

describe('compat UDP tuple types', () => {
  it('socket.udp(), udp4() and udp6() return Result<UdpObject>', () => {
    expectTypeOf(socket.udp()).toEqualTypeOf<Result<UdpObject>>();
    expectTypeOf(socket.udp4()).toEqualTypeOf<Result<UdpObject>>();
    expectTypeOf(socket.udp6()).toEqualTypeOf<Result<UdpObject>>();
  });

  it('send and sendto resolve to [bytes, null] | [null, err]', async () => {
    expectTypeOf(u.send('x')).resolves.toEqualTypeOf<Result<number>>();
    const [n, err] = await u.sendto('x', '127.0.0.1', 8080);
    if (err === null) expectTypeOf(n).toEqualTypeOf<number>();
    else expectTypeOf(n).toEqualTypeOf<null>();
  });

  it('receive resolves to [datagram, null] | [null, err]', async () => {
    const [d, err] = await u.receive(512);
    if (err === null) expectTypeOf(d).toEqualTypeOf<string>();
    else expectTypeOf(err).toEqualTypeOf<string>();
  });

  it('receivefrom resolves to [datagram, ip, port] | [null, err, null]', async () => {
    expectTypeOf(u.receivefrom()).resolves.toEqualTypeOf<ReceiveFromResult>();
    const [d, ip, port] = await u.receivefrom();
    if (d !== null) {
      expectTypeOf(ip).toEqualTypeOf<string>();
      expectTypeOf(port).toEqualTypeOf<number>();
    } else {
      expectTypeOf(ip).toEqualTypeOf<string>();
      expectTypeOf(port).toEqualTypeOf<null>();
    }
  });

  it('setsockname/setpeername resolve to Result<1>; the names are the TCP shapes', () => {
    expectTypeOf(u.setsockname('*', 0)).resolves.toEqualTypeOf<Result<1>>();
    expectTypeOf(u.setpeername('*')).resolves.toEqualTypeOf<Result<1>>();
    expectTypeOf(u.getsockname()).toEqualTypeOf<SockNameResult>();
    expectTypeOf(u.getpeername()).toEqualTypeOf<PeerNameResult>();
    expectTypeOf(u.dirty()).toEqualTypeOf<boolean>();
    expectTypeOf(u.close()).toEqualTypeOf<1>();
    expectTypeOf(u.getfamily()).toEqualTypeOf<'inet4' | 'inet6'>();
  });
});

describe('compat select types', () => {
  it('select resolves to [readable, writable, null | timeout] typed by the lists', async () => {
    const result = await socket.select([c], [u], 1);
    expectTypeOf(result).toEqualTypeOf<SelectResult<TcpObject, UdpObject>>();
    const [r, w, err] = result;
    expectTypeOf(r).toEqualTypeOf<SelectList<TcpObject>>();
    expectTypeOf(r[0]).toEqualTypeOf<TcpObject | undefined>();
    expectTypeOf(w).toExtend<UdpObject[]>();
    expectTypeOf(r.has(c)).toEqualTypeOf<boolean>();
    expectTypeOf(err).toEqualTypeOf<null | 'timeout'>();
  });

  it('select takes null lists and an optional timeout', () => {
    expectTypeOf(socket.select(null, null)).resolves.toEqualTypeOf<
      SelectResult<unknown, unknown>
    >();
    expectTypeOf(socket.select([c, u], null, 0)).resolves.toEqualTypeOf<
      SelectResult<TcpObject | UdpObject, unknown>
    >();
    expectTypeOf(socket._SETSIZE).toEqualTypeOf<1024>();
  });
});
