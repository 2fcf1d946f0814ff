/**
 * The tuple shapes of `compat/tuples.ts` hold at run time: every call that
 * answers one gives an array of its fixed length, `nil` as `null`, with the
 * error slot deciding which side of the union it is. The declarations are
 * also used below, so that tsc checks the narrowing each one documents.
 */

import { describe, expect, it } from 'vitest';
import socket, {
  type PeerNameResult,
  type ReceiveFromResult,
  type ReceiveResult,
  type Result,
  type SendResult,
  type SockNameResult,
  type StatsResult,
  type TcpObject,
  type TimeoutsResult,
} from '../../compat/index.js';
import { closedAfterEach } from '../helpers/kept.js';

const IP = '127.0.0.1';
const keep = closedAfterEach();

/** A compat client and the server's end of its connection. */
async function pair(): Promise<{ server: TcpObject; c: TcpObject; sv: TcpObject; port: number }> {
  const server = keep((await socket.bind(IP, 0))[0]);
  const port = Number(server.getsockname()[1]);
  const c = keep((await socket.connect(IP, port))[0]);
  const sv = keep((await server.accept())[0]);
  return { server, c, sv, port };
}

/** The runtime shape of each union: which side it is on, and that side's slot types. */
type Kind = 'string' | 'number' | 'null' | 'object' | 'family';
function kinds(tuple: readonly unknown[]): Kind[] {
  return tuple.map((v) =>
    v === null
      ? 'null'
      : v === 'inet' || v === 'inet6'
        ? 'family'
        : typeof v === 'string'
          ? 'string'
          : typeof v === 'number'
            ? 'number'
            : 'object',
  );
}

function result<T>(r: Result<T>): 'ok' | 'failed' {
  expect(r).toHaveLength(2);
  const [value, err] = r;
  if (err === null) {
    expect(value).not.toBeNull();
    return 'ok';
  }
  expect(value).toBeNull();
  expect(typeof err).toBe('string');
  return 'failed';
}

function receive(r: ReceiveResult): 'ok' | 'failed' {
  expect(r).toHaveLength(3);
  const [data, err, partial] = r;
  if (err === null) {
    const text: string = data;
    expect([typeof text, partial]).toEqual(['string', null]);
    return 'ok';
  }
  const part: string = partial;
  expect(kinds([data, err, part])).toEqual(['null', 'string', 'string']);
  return 'failed';
}

function send(r: SendResult): 'ok' | 'failed' {
  expect(r).toHaveLength(3);
  const [last, err, sent] = r;
  if (err === null) {
    const index: number = last;
    expect(kinds([index, sent])).toEqual(['number', 'null']);
    return 'ok';
  }
  const index: number = sent;
  expect(kinds([last, err, index])).toEqual(['null', 'string', 'number']);
  return 'failed';
}

function name(r: SockNameResult | PeerNameResult): 'ok' | 'failed' {
  expect(r).toHaveLength(3);
  const [address, second, family] = r;
  if (address !== null) {
    const port: number = second;
    expect(kinds([address, port, family])).toEqual(['string', 'number', 'family']);
    return 'ok';
  }
  expect(kinds([address, second, family])).toEqual(['null', 'string', 'null']);
  return 'failed';
}

function receivefrom(r: ReceiveFromResult): 'ok' | 'failed' {
  expect(r).toHaveLength(3);
  const [datagram, second, port] = r;
  if (datagram !== null) {
    const ip: string = second;
    expect(kinds([datagram, ip, port])).toEqual(['string', 'string', 'number']);
    return 'ok';
  }
  expect(kinds([datagram, second, port])).toEqual(['null', 'string', 'null']);
  return 'failed';
}

describe('Result', () => {
  it('Result is [value, null] or [null, err] for the constructors, connect, bind, accept and the master methods', async () => {
    const { server, port } = await pair();
    const made4 = socket.tcp4();
    expect(result(made4)).toBe('ok');
    keep(made4[0]);
    expect(result(await socket.bind(IP, port))).toBe('failed');
    const m = keep(socket.tcp()[0]);
    expect(result(await m.bind(IP, 0))).toBe('ok');
    expect(result(await m.listen())).toBe('ok');
    server.settimeout(0);
    expect(result(await server.accept())).toBe('failed');
    expect(result(server.setoption('keepalive', true))).toBe('ok');
    expect(result(server.getoption('linger'))).toBe('ok');
    server.close();
    expect(result(await socket.connect(IP, port))).toBe('failed');
  });
});

describe('ReceiveResult', () => {
  it("ReceiveResult is [data, null, null], or [null, err, partial] with partial '' when nothing came", async () => {
    const { c, sv } = await pair();
    await sv.send('line\nhalf');
    expect(receive(await c.receive())).toBe('ok');
    c.settimeout(0.02);
    const partial = await c.receive('*l');
    expect(receive(partial)).toBe('failed');
    expect(partial).toEqual([null, 'timeout', 'half']);
    const empty = await c.receive(3);
    expect(empty).toEqual([null, 'timeout', '']);
    sv.close();
    expect(receive(await c.receive('*a'))).toBe('failed');
    expect(receive(await c.receiveany(4))).toBe('failed');
  });
});

describe('SendResult', () => {
  it('SendResult is [last, null, null], or [null, err, last] with the index of the last byte sent', async () => {
    const { c } = await pair();
    const ok = await c.send('hello', 2, 4);
    expect(send(ok)).toBe('ok');
    expect(ok).toEqual([4, null, null]);
    c.close();
    const closed = await c.send('again');
    expect(send(closed)).toBe('failed');
    expect(closed).toEqual([null, 'closed', 0]);
  });
});

describe('SockNameResult and PeerNameResult', () => {
  it('both are [address, port, family] with a number port, or [null, err, null]', async () => {
    const { server, c, sv } = await pair();
    for (const o of [server, c, sv]) expect(name(o.getsockname())).toBe('ok');
    expect(name(c.getpeername())).toBe('ok');
    expect(name(sv.getpeername())).toBe('ok');
    expect(name(server.getpeername())).toBe('failed');
    c.close();
    expect(name(c.getsockname())).toBe('failed');
    expect(name(c.getpeername())).toBe('failed');
  });
});

describe('StatsResult and TimeoutsResult', () => {
  it('StatsResult is [received, sent, age] and TimeoutsResult [block, total], numbers always', async () => {
    const { c, sv } = await pair();
    await sv.send('abc\n');
    await c.receive();
    const stats: StatsResult = c.getstats();
    expect(kinds(stats)).toEqual(['number', 'number', 'number']);
    expect(stats.slice(0, 2)).toEqual([4, 0]);
    const never: TimeoutsResult = c.gettimeout();
    expect(never).toEqual([-1, -1]);
    c.settimeout(2.5, 't');
    expect(c.gettimeout()).toEqual([-1, 2.5]);
  });
});

describe('ReceiveFromResult', () => {
  it('ReceiveFromResult is [datagram, ip, port] with a number port, or [null, err, null]', async () => {
    const a = keep(socket.udp()[0]);
    const b = keep(socket.udp()[0]);
    expect(result(await a.setsockname(IP, 0))).toBe('ok');
    const [, port] = a.getsockname();
    const sent = await b.sendto('ping', IP, Number(port));
    expect(result(sent)).toBe('ok');
    expect(sent).toEqual([4, null]);
    a.settimeout(1);
    const got = await a.receivefrom();
    expect(receivefrom(got)).toBe('ok');
    expect(got[0]).toBe('ping');
    a.settimeout(0);
    expect(receivefrom(await a.receivefrom())).toBe('failed');
    expect(await a.receivefrom()).toEqual([null, 'timeout', null]);
  });
});
