import { describe, expectTypeOf, it } from 'vitest';
import socket, {
  type HostInfo,
  type PeerNameResult,
  type ReceiveResult,
  type Result,
  type SendResult,
  type SockNameResult,
  type TcpObject,
} from 'luasocket-async/compat';

declare const c: TcpObject;

describe('compat tuple types', () => {
  it('receive() resolves to a union discriminated by err', async () => {
    expectTypeOf(c.receive('*l')).resolves.toEqualTypeOf<ReceiveResult>();
    const [data, err, partial] = await c.receive();
    if (err === null) {
      expectTypeOf(data).toEqualTypeOf<string>();
      expectTypeOf(partial).toEqualTypeOf<null>();
    } else {
      expectTypeOf(data).toEqualTypeOf<null>();
      expectTypeOf(err).toEqualTypeOf<string>();
      expectTypeOf(partial).toEqualTypeOf<string>();
    }
  });

  it('send() resolves to [last, null, null] | [null, err, last]', async () => {
    const [last, err, sent] = await c.send('data', 1, -1);
    if (err === null) expectTypeOf(last).toEqualTypeOf<number>();
    else expectTypeOf(sent).toEqualTypeOf<number>();
    expectTypeOf(c.send('x')).resolves.toEqualTypeOf<SendResult>();
    expectTypeOf<Parameters<TcpObject['send']>[0]>().toEqualTypeOf<string | number | Uint8Array>();
  });

  it('socket.tcp(), connect(), bind() and accept() give Result<TcpObject>', async () => {
    expectTypeOf(socket.tcp()).toEqualTypeOf<Result<TcpObject>>();
    expectTypeOf(socket.connect('h', 1)).resolves.toEqualTypeOf<Result<TcpObject>>();
    expectTypeOf(socket.bind('h', 1)).resolves.toEqualTypeOf<Result<TcpObject>>();
    expectTypeOf(c.accept()).resolves.toEqualTypeOf<Result<TcpObject>>();
    const [server, err] = await socket.bind('*', 0);
    if (err === null) expectTypeOf(server).toEqualTypeOf<TcpObject>();
    else expectTypeOf(server).toBeNull();
  });

  it('bind(), listen() and connect() resolve to Result<1>; settimeout(), close(), shutdown() return 1', () => {
    expectTypeOf(c.bind('h', 0)).resolves.toEqualTypeOf<Result<1>>();
    expectTypeOf(c.listen()).resolves.toEqualTypeOf<Result<1>>();
    expectTypeOf(c.connect('h', '80')).resolves.toEqualTypeOf<Result<1>>();
    expectTypeOf(c.settimeout(1, 't')).toEqualTypeOf<1>();
    expectTypeOf(c.close()).toEqualTypeOf<1>();
    expectTypeOf(c.shutdown('send')).toEqualTypeOf<1>();
    expectTypeOf(c.setstats(1, 2, 3)).toEqualTypeOf<1>();
  });

  it('getsockname() and getpeername() have a number port', () => {
    expectTypeOf(c.getsockname()).toEqualTypeOf<SockNameResult>();
    expectTypeOf(c.getpeername()).toEqualTypeOf<PeerNameResult>();
    const [ip, port, family] = c.getsockname();
    if (ip !== null) {
      expectTypeOf(port).toEqualTypeOf<number>();
      expectTypeOf(family).toEqualTypeOf<'inet' | 'inet6'>();
    } else {
      expectTypeOf(port).toEqualTypeOf<string>();
    }
    const [peerIp, peerPort] = c.getpeername();
    if (peerIp !== null) expectTypeOf(peerPort).toEqualTypeOf<number>();
    expectTypeOf(peerPort).toEqualTypeOf<number | string>();
  });

  it('getoption() is typed by the option name', () => {
    expectTypeOf(c.getoption('linger')).toEqualTypeOf<Result<{ on: boolean; timeout: number }>>();
    expectTypeOf(c.getoption('keepalive')).toEqualTypeOf<Result<boolean>>();
    expectTypeOf(c.setoption('tcp-nodelay', true)).toEqualTypeOf<Result<1>>();
    // @ts-expect-error: a boolean option takes a boolean
    c.setoption('tcp-nodelay', 1);
  });

  it('getstats(), gettimeout(), dirty(), getfd(), getfamily() return plain values', () => {
    expectTypeOf(c.getstats()).toEqualTypeOf<[received: number, sent: number, age: number]>();
    expectTypeOf(c.gettimeout()).toEqualTypeOf<[block: number, total: number]>();
    expectTypeOf(c.dirty()).toEqualTypeOf<boolean>();
    expectTypeOf(c.getfd()).toEqualTypeOf<number>();
    expectTypeOf(c.getfamily()).toEqualTypeOf<'inet4' | 'inet6'>();
    expectTypeOf(socket.gettime()).toEqualTypeOf<number>();
    expectTypeOf(socket.sleep(1)).toEqualTypeOf<Promise<void>>();
    expectTypeOf(socket._VERSION).toEqualTypeOf<'LuaSocket 3.0.0'>();
  });

  it('dns.toip(), getaddrinfo() and getnameinfo() narrow on their first value', async () => {
    const [ip, resolved] = await socket.dns.toip('localhost');
    if (ip !== null) expectTypeOf(resolved).toEqualTypeOf<HostInfo>();
    else expectTypeOf(resolved).toEqualTypeOf<string>();
    const [addrs, err] = await socket.dns.getaddrinfo('localhost');
    if (err === null)
      expectTypeOf(addrs).toEqualTypeOf<{ family: 'inet' | 'inet6'; addr: string }[]>();
    const [names, service] = await socket.dns.getnameinfo('localhost', 80);
    if (names !== null) expectTypeOf(service).toEqualTypeOf<string | null>();
    expectTypeOf(socket.dns.gethostname()).toEqualTypeOf<string>();
  });

  it('try returns the tuple’s value without null; protect adds [null, err]', async () => {
    expectTypeOf(socket.try(await socket.connect('h', 1))).toEqualTypeOf<TcpObject>();
    expectTypeOf(socket.try(await c.receive())).toEqualTypeOf<string>();
    const attempt = socket.newtry(() => c.close());
    expectTypeOf(attempt(await c.send('x'))).toEqualTypeOf<number>();
    const f = socket.protect((n: number) => [n, null] as const);
    expectTypeOf(f).parameters.toEqualTypeOf<[number]>();
    expectTypeOf(f(1)).resolves.toEqualTypeOf<readonly [number, null] | [null, unknown]>();
  });

  it('skip drops the first d values of a tuple', async () => {
    expectTypeOf(socket.skip(1, 'a', 2, true)).toEqualTypeOf<[number, boolean]>();
    expectTypeOf(socket.skip(0, 'a')).toEqualTypeOf<[string]>();
    const [, err] = socket.skip(1, ...(await c.receive()));
    expectTypeOf(err).toEqualTypeOf<string | null>();
  });
});
