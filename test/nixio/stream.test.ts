/**
 * nixio stream sockets over loopback: recv's chunking rule, send's offset
 * and length, the end of a stream, shutdown, non-blocking answers, rcvtimeo
 * and Unix and IPv6 sockets. Raw `node:net` peers send and read exact bytes.
 */

import type { Socket } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import nixio, { type NixioSocket, type PollEntry } from '../../nixio/index.js';
import { ALL_BYTES, collect, rawServer, write, type RawServer } from '../helpers/loopback.js';
import { socketDir } from '../helpers/unix-paths.js';

const sockets: NixioSocket[] = [];
const raws: RawServer[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const r of raws.splice(0)) await r.close();
});

/** A nixio client connected to a raw peer. */
async function pair(host = '127.0.0.1'): Promise<{ sock: NixioSocket; peer: Socket }> {
  const raw = await rawServer(host);
  raws.push(raw);
  const [sock, errno, errmsg] = await nixio.connect(host, raw.port);
  expect([errno, errmsg]).toEqual([null, null]);
  sockets.push(sock!);
  return { sock: sock!, peer: await raw.accepted() };
}

/** The socket of a successful accept. */
function accepted(r: readonly [NixioSocket | null | false, unknown, unknown]): NixioSocket {
  expect(r[0]).toBeTruthy();
  sockets.push(r[0] as NixioSocket);
  return r[0] as NixioSocket;
}

/** Every chunk recv(n) gives until the end of the stream. */
async function drain(sock: NixioSocket, n: number): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for (;;) {
    const [data, errno] = await sock.recv(n);
    expect(errno).toBeNull();
    if (data === '') return chunks;
    chunks.push(Buffer.from(data as string, 'latin1'));
  }
}

describe('recv', () => {
  it('returns at most min(length, 8192) bytes per call, every byte once, then "" for good', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 30_000 }), { maxLength: 6 }),
        fc.constantFrom(1, 7, 100, 8192, 8193, 100_000),
        async (parts, n) => {
          const { sock, peer } = await pair();
          for (const part of parts) await write(peer, part);
          peer.end();
          const chunks = await drain(sock, n);
          for (const c of chunks) expect(c.length).toBeLessThanOrEqual(Math.min(n, 8192));
          expect(Buffer.concat(chunks)).toEqual(Buffer.concat(parts));
          expect(await sock.recv(n)).toEqual(['', null, null]);
          sockets.splice(sockets.indexOf(sock), 1);
          sock.close();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('keeps every byte value: strings are Lua byte strings', async () => {
    const { sock, peer } = await pair();
    peer.end(ALL_BYTES);
    expect(Buffer.concat(await drain(sock, 8192))).toEqual(ALL_BYTES);
  });

  it('recv(0) answers "" without waiting; a negative length is refused', async () => {
    const { sock } = await pair();
    expect(await sock.recv(0)).toEqual(['', null, null]);
    expect(() => sock.recv(-1)).toThrow(RangeError);
    expect(() => sock.read(1.5)).toThrow(/length/);
  });

  it('recvfrom on a stream has no address', async () => {
    const { sock, peer } = await pair();
    peer.write('abc');
    expect(await sock.recvfrom(10)).toEqual(['abc', null, null]);
  });
});

describe('send', () => {
  it('writes from a 0-based offset, at most length bytes, and counts them', async () => {
    const { sock, peer } = await pair();
    const got = collect(peer);
    expect(await sock.send('hello world', 6, 3)).toEqual([3, null, null]);
    expect(await sock.write('hello', 1)).toEqual([4, null, null]);
    expect(await sock.send('abc', 3)).toEqual([0, null, null]);
    expect(await sock.send('abc', 99, 5)).toEqual([0, null, null]);
    expect(await sock.send(new Uint8Array([0, 255, 10]), 0, 99)).toEqual([3, null, null]);
    expect(await sock.sendto('xy', '10.0.0.1', 9)).toEqual([2, null, null]); // address ignored
    sock.shutdown('wr');
    expect(await got).toEqual(
      Buffer.concat([
        Buffer.from('worello', 'latin1'),
        Buffer.from([0, 255, 10]),
        Buffer.from('xy'),
      ]),
    );
    expect(() => sock.send('x', -1)).toThrow(RangeError);
  });

  it('a blocking send of 8 MB returns the whole count once the peer has read it all', async () => {
    const { sock, peer } = await pair();
    const big = Buffer.alloc(8 << 20, 7);
    const got = collect(peer);
    expect(await sock.send(big)).toEqual([big.length, null, null]);
    sock.shutdown('wr');
    expect((await got).equals(big)).toBe(true);
  });

  it('after the peer reset, answers an errno, never throws', async () => {
    const { sock, peer } = await pair();
    peer.resetAndDestroy();
    const [data, errno] = await sock.recv(10);
    expect(data).toBeNull();
    expect(errno).toBe(nixio.const.ECONNRESET);
    const [n, e] = await sock.send('x');
    expect(n).toBeNull();
    expect([nixio.const.EPIPE, nixio.const.ECONNRESET, nixio.const.ENOTCONN]).toContain(e);
  });
});

describe('non-blocking mode and timeouts', () => {
  it('recv and accept answer EAGAIN at once with false', async () => {
    const { sock } = await pair();
    expect(sock.setblocking(false)).toEqual([true, null, null]);
    expect(await sock.recv(10)).toEqual([false, 11, 'Resource temporarily unavailable']);
    const [server] = await nixio.bind('127.0.0.1', 0);
    sockets.push(server!);
    await server!.listen(4);
    server!.setblocking(false);
    expect(await server!.accept()).toEqual([false, 11, 'Resource temporarily unavailable']);
  });

  it('rcvtimeo bounds a blocking recv and reads back as [sec, usec]', async () => {
    const { sock } = await pair();
    expect(sock.setopt('socket', 'rcvtimeo', 0, 200_000)).toEqual([true, null, null]);
    expect(sock.getopt('socket', 'rcvtimeo')).toEqual([0, 200_000, null]);
    const started = Date.now();
    expect(await sock.recv(10)).toEqual([false, 11, 'Resource temporarily unavailable']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('a non-blocking connect ends through poll and SO_ERROR', async () => {
    const raw = await rawServer();
    raws.push(raw);
    const [sock] = nixio.socket('inet', 'stream');
    sockets.push(sock!);
    sock!.setblocking(false);
    const [ok, errno] = await sock!.connect('127.0.0.1', raw.port);
    expect(ok === true || errno === nixio.const.EINPROGRESS).toBe(true);
    const fds: PollEntry[] = [{ fd: sock!, events: nixio.poll_flags('out') }];
    const [count] = await nixio.poll(fds, 5000);
    expect(count).toBe(1);
    expect((fds[0]!.revents ?? 0) & nixio.poll_flags('out')).not.toBe(0);
    expect(sock!.getopt('socket', 'error')).toEqual([0, null, null]);
    expect(await sock!.connect('127.0.0.1', raw.port)).toEqual([null, 106, nixio.strerror(106)]);
  });
});

describe('shutdown and close', () => {
  it('shutdown("wr") ends the peer\u2019s read, the other way still works', async () => {
    const { sock, peer } = await pair();
    const got = collect(peer);
    await sock.send('last');
    expect(sock.shutdown('wr')).toEqual([true, null, null]);
    expect((await got).toString()).toBe('last');
    peer.end('reply');
    expect(Buffer.concat(await drain(sock, 100)).toString()).toBe('reply');
    expect(() => sock.shutdown('both' as 'rd')).toThrow(/how/);
  });

  it('a closed socket is an invalid socket object', async () => {
    const { sock } = await pair();
    sockets.splice(sockets.indexOf(sock), 1);
    expect(sock.close()).toEqual([true, null, null]);
    expect(() => sock.close()).toThrow(/invalid socket object/);
    expect(() => sock.fileno()).toThrow(TypeError);
    expect(() => sock.recv(1)).toThrow(TypeError);
  });
});

describe('names, descriptors, families', () => {
  it('accept answers the peer\u2019s address; names agree on both sides', async () => {
    const [server] = await nixio.bind('127.0.0.1', 0);
    sockets.push(server!);
    expect(server!.fileno()).toBeGreaterThan(2);
    await server!.listen(4);
    const [ip, port] = server!.getsockname();
    const [client] = await nixio.connect(ip, port);
    sockets.push(client!);
    const r = await server!.accept();
    const conn = accepted(r);
    const [, cip, cport] = r;
    expect([cip, cport, null]).toEqual(client!.getsockname());
    expect(conn.getpeername()).toEqual(client!.getsockname());
    expect(client!.getpeername()).toEqual(['127.0.0.1', port, null]);
  });

  it('IPv6 on ::1', async () => {
    const [server] = await nixio.bind('::1', 0, 'inet6');
    sockets.push(server!);
    await server!.listen(4);
    const [, port] = server!.getsockname();
    const [client] = await nixio.connect('::1', port, 'inet6');
    sockets.push(client!);
    const r = await server!.accept();
    const conn = accepted(r);
    const ip = r[1];
    expect(ip).toBe('::1');
    await client!.send(ALL_BYTES);
    client!.shutdown('wr');
    expect(Buffer.concat(await drain(conn, 8192))).toEqual(ALL_BYTES);
  });

  it('Unix stream sockets take the path as host', async () => {
    const path = dir.fresh();
    const [server] = nixio.socket('unix', 'stream');
    sockets.push(server!);
    expect(await server!.bind(path)).toEqual([true, null, null]);
    expect(await server!.listen(4)).toEqual([true, null, null]);
    const [client] = nixio.socket('unix', 'stream');
    sockets.push(client!);
    const pendingAccept = server!.accept();
    expect(await client!.connect(path)).toEqual([true, null, null]);
    const conn = accepted(await pendingAccept);
    await client!.send('over unix');
    expect(await conn.recv(100)).toEqual(['over unix', null, null]);
    expect(client!.getsockname()).toEqual([null, 97, 'Address family not supported by protocol']);
  });
});

const dir = socketDir('lsa-nixio-');

it('poll with nothing ready times out with false; with no set it sleeps', async () => {
  const [server] = await nixio.bind('127.0.0.1', 0);
  sockets.push(server!);
  await server!.listen(4);
  const fds: PollEntry[] = [{ fd: server!, events: nixio.poll_flags('in') }];
  expect(await nixio.poll(fds, 30)).toEqual([false, null, null]);
  expect(fds[0]!.revents).toBe(0);
  expect(await nixio.poll([], 10)).toEqual([0, null, null]);
  const [, port] = server!.getsockname();
  const [client] = await nixio.connect('127.0.0.1', port);
  sockets.push(client!);
  const [count, ready] = await nixio.poll(fds, -1);
  expect(count).toBe(1);
  expect(ready).toBe(fds);
  expect(nixio.poll_flags(fds[0]!.revents!)).toEqual({ in: true });
});
