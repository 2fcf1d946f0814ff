/**
 * The nixio adapter's UDP sockets against real LuaSocket 3 UDP objects.
 *
 * The Lua peer (test/lua/peer-udp.lua) runs one command per stdin line and
 * prints LuaSocket's results as JSON, byte strings in hex. Datagrams go both
 * ways and are compared byte for byte, with nixio's cap of 8192 bytes per
 * read (`NIXIO_BUFFERSIZE`) on the receiving side.
 */

import { describe, expect, test } from 'vitest';
import nixio, { type NixioSocket, type PollEntry } from '../../nixio/index.js';
import { ALL_BYTES } from '../helpers/loopback.js';
import { deferrals } from '../helpers/deferred.js';
import { owner, value } from '../helpers/nixio-calls.js';
import { LuaUdp } from '../helpers/lua-udp.js';
import { hasLua } from '../helpers/lua.js';
import { genBytes, hex } from '../helpers/lua-peer.js';

const defer = deferrals();
const own = owner(defer);

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** The sizes the brief names, plus every byte value once. */
const DATAGRAMS: readonly Buffer[] = [
  ALL_BYTES,
  Buffer.alloc(0),
  Buffer.from([0xff]),
  genBytes(8192, 2),
  genBytes(9000, 3),
];

const lua = (): Promise<LuaUdp> => new LuaUdp(defer).ready();

/** A nixio UDP socket bound to 127.0.0.1, port 0; returns it and its port. */
async function udp(): Promise<[NixioSocket, number]> {
  const sock = own(value(nixio.socket('inet', 'dgram')));
  expect(await sock.bind('127.0.0.1', 0)).toEqual([true, null, null]);
  const [ip, port] = sock.getsockname();
  expect(ip).toBe('127.0.0.1');
  return [sock, Number(port)];
}

describe.skipIf(!hasLua)('nixio UDP ⇄ LuaSocket 3 UDP', () => {
  test('LuaSocket sendto → nixio recvfrom(65535): [data, "127.0.0.1", Lua\'s port], data cut at 8192 bytes', async () => {
    const peer = await lua();
    const [sock, port] = await udp();
    for (const d of DATAGRAMS) {
      await peer.sendto(d, port);
      const [data, ip, from] = await sock.recvfrom(65_535);
      expect([ip, from]).toEqual(['127.0.0.1', peer.port]);
      expect(typeof data).toBe('string');
      const got = Buffer.from(data as string, 'latin1');
      expect(got.length, `${d.length} bytes sent`).toBe(Math.min(d.length, 8192));
      expect(got.equals(d.subarray(0, 8192)), `${d.length} bytes sent`).toBe(true);
    }
  });

  test('recv(n) keeps the first n bytes of a datagram and drops the rest', async () => {
    const peer = await lua();
    const [sock, port] = await udp();
    const big = genBytes(9000, 4);
    await peer.sendto(big, port);
    await peer.sendto(ALL_BYTES, port);
    await peer.sendto(big, port);
    await peer.sendto(Buffer.from('hello world'), port);
    await peer.sendto(ALL_BYTES, port);
    expect(await sock.recv(100)).toEqual([latin1(big.subarray(0, 100)), null, null]);
    // The next read is the next datagram, not the rest of the first.
    expect(await sock.recv(300)).toEqual([latin1(ALL_BYTES), null, null]);
    expect(await sock.recv(8193)).toEqual([latin1(big.subarray(0, 8192)), null, null]);
    expect(await sock.recvfrom(5)).toEqual(['hello', '127.0.0.1', peer.port]);
    expect(await sock.read(1)).toEqual(['\x00', null, null]);
  });

  test("nixio sendto → LuaSocket receivefrom: exact bytes, from nixio's address and port", async () => {
    const peer = await lua();
    const [sock, port] = await udp();
    for (const d of [...DATAGRAMS, genBytes(65_507, 5)]) {
      expect(await sock.sendto(latin1(d), '127.0.0.1', peer.port)).toEqual([d.length, null, null]);
      const got = await peer.receive(65_535);
      expect(got.err).toBeNull();
      expect([got.ip, got.port]).toEqual(['127.0.0.1', port]);
      expect((got.data ?? Buffer.alloc(0)).equals(d), `${d.length} bytes`).toBe(true);
    }
    // 0-based offset and length, as in send; Buffers as well as strings.
    expect(await sock.sendto(ALL_BYTES, '127.0.0.1', peer.port, 10, 20)).toEqual([20, null, null]);
    expect((await peer.receive(65_535)).data?.equals(ALL_BYTES.subarray(10, 30))).toBe(true);
    expect(await sock.sendto(latin1(ALL_BYTES), '127.0.0.1', peer.port, 300)).toEqual([
      0,
      null,
      null,
    ]);
    // An offset past the end is an empty datagram, as sendto(2) with length 0.
    const empty = await peer.receive(65_535);
    expect([empty.data?.length, empty.port]).toEqual([0, port]);
  });

  test('a connected nixio UDP socket: send reaches LuaSocket, recv gets its answer, strangers are filtered', async () => {
    const peer = await lua();
    const [sock, port] = await udp();
    expect(await sock.connect('127.0.0.1', peer.port)).toEqual([true, null, null]);
    expect(sock.getpeername()).toEqual(['127.0.0.1', peer.port, null]);
    expect(sock.getsockname()).toEqual(['127.0.0.1', port, null]);
    for (const d of [ALL_BYTES, Buffer.alloc(0), genBytes(9000, 6)]) {
      expect(await sock.send(d)).toEqual([d.length, null, null]);
      const got = await peer.receive(65_535);
      expect([got.ip, got.port]).toEqual(['127.0.0.1', port]);
      expect((got.data ?? Buffer.alloc(0)).equals(d)).toBe(true);
    }
    expect(await sock.send(latin1(ALL_BYTES), 128, 64)).toEqual([64, null, null]);
    expect((await peer.receive(65_535)).data?.equals(ALL_BYTES.subarray(128, 192))).toBe(true);

    // Only the peer's datagrams reach a connected socket.
    const [stranger] = await udp();
    expect(await stranger.sendto('stranger', '127.0.0.1', port)).toEqual([8, null, null]);
    expect(await peer.command('connect', port)).toEqual({ ok: 1, err: null });
    expect(await peer.command('send', hex(ALL_BYTES))).toEqual({ sent: 256, err: null });
    expect(await sock.recvfrom(65_535)).toEqual([latin1(ALL_BYTES), '127.0.0.1', peer.port]);
  });

  test("send on an unconnected UDP socket answers [null, 89, 'Destination address required']", async () => {
    const peer = await lua();
    const [sock] = await udp();
    expect(await sock.send(ALL_BYTES)).toEqual([null, 89, 'Destination address required']);
    expect(await sock.write('x')).toEqual([null, 89, 'Destination address required']);
    // Nothing went out: the next datagram Lua sees is the one sent to it.
    expect(await sock.sendto('after', '127.0.0.1', peer.port)).toEqual([5, null, null]);
    expect((await peer.receive(65_535)).data?.toString('latin1')).toBe('after');
  });

  test('nixio.bind(…, "inet", "dgram") and non-blocking recvfrom: EAGAIN, then poll "in", then the datagram', async () => {
    const peer = await lua();
    const sock = own(value(await nixio.bind('127.0.0.1', 0, 'inet', 'dgram')));
    expect(sock.type).toBe('dgram');
    const [, port] = sock.getsockname();
    expect(sock.setblocking(false)).toEqual([true, null, null]);
    expect(await sock.recvfrom(100)).toEqual([false, 11, 'Resource temporarily unavailable']);
    const fds: PollEntry[] = [{ fd: sock, events: nixio.poll_flags('in') }];
    expect(await nixio.poll(fds, 0)).toEqual([false, null, null]);
    await peer.sendto(ALL_BYTES, Number(port));
    const [count] = await nixio.poll(fds, 2000);
    expect(count).toBe(1);
    expect((fds[0]?.revents ?? 0) & nixio.poll_flags('in')).not.toBe(0);
    expect(await sock.recvfrom(65_535)).toEqual([latin1(ALL_BYTES), '127.0.0.1', peer.port]);
    expect(await sock.recvfrom(100)).toEqual([false, 11, 'Resource temporarily unavailable']);
  });
});
