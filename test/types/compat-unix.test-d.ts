import { describe, expectTypeOf, it } from 'vitest';
import socket, {
  unix,
  type ReceiveResult,
  type Result,
  type SendResult,
  type StatsResult,
  type UnixModule,
  type UnixObject,
} from 'luasocket-async/compat';

declare const c: UnixObject;

describe('compat socket.unix types', () => {
  it('socket.unix is callable and carries stream, dgram, tcp and udp', () => {
    expectTypeOf(socket.unix).toEqualTypeOf<UnixModule>();
    expectTypeOf(unix).toEqualTypeOf<UnixModule>();
    expectTypeOf(socket.unix()).toEqualTypeOf<Result<UnixObject>>();
    expectTypeOf(socket.unix.stream()).toEqualTypeOf<Result<UnixObject>>();
    expectTypeOf(socket.unix.tcp({ encoding: 'utf8' })).toEqualTypeOf<Result<UnixObject>>();
    expectTypeOf(socket.unix.dgram()).toEqualTypeOf<[value: null, err: string]>();
    expectTypeOf(socket.unix.udp).toEqualTypeOf(socket.unix.dgram);
  });

  it('bind, listen, connect resolve to [1, null] | [null, err]; accept to a UnixObject', async () => {
    expectTypeOf(c.bind('/tmp/a.sock')).resolves.toEqualTypeOf<Result<1>>();
    expectTypeOf(c.listen()).resolves.toEqualTypeOf<Result<1>>();
    expectTypeOf(c.connect('/tmp/a.sock')).resolves.toEqualTypeOf<Result<1>>();
    const [client, err] = await c.accept();
    if (err === null) expectTypeOf(client).toEqualTypeOf<UnixObject>();
    else expectTypeOf(client).toEqualTypeOf<null>();
  });

  it('receive and send have the TCP shapes', () => {
    expectTypeOf(c.receive('*l', 'p')).resolves.toEqualTypeOf<ReceiveResult>();
    expectTypeOf(c.receive(10)).resolves.toEqualTypeOf<ReceiveResult>();
    expectTypeOf(c.send('x', 1, -1)).resolves.toEqualTypeOf<SendResult>();
    expectTypeOf(c.getstats()).toEqualTypeOf<StatsResult>();
  });

  it('names are one path (or nil, err); the one-value calls return the value', () => {
    const [path, err] = c.getsockname();
    if (err === null) expectTypeOf(path).toEqualTypeOf<string>();
    expectTypeOf(c.getpeername()).toEqualTypeOf<Result<string>>();
    expectTypeOf(c.settimeout(1, 't')).toEqualTypeOf<1>();
    expectTypeOf(c.close()).toEqualTypeOf<1>();
    expectTypeOf(c.shutdown('send')).toEqualTypeOf<1>();
    expectTypeOf(c.dirty()).toEqualTypeOf<boolean>();
    expectTypeOf(c.getfd()).toEqualTypeOf<number>();
    expectTypeOf(c.setoption('keepalive', true)).toEqualTypeOf<Result<1>>();
  });

  it('refuses what LuaSocket refuses at the type level', () => {
    // @ts-expect-error shutdown takes 'both', 'send' or 'receive'
    c.shutdown('sideways');
    // @ts-expect-error setoption values are typed by name
    c.setoption('keepalive', 3);
    expectTypeOf(c).not.toHaveProperty('getfamily');
  });
});
