/**
 * The nixio adapter's TCP sockets against real LuaSocket 3.
 *
 * The Lua end runs test/lua/peer-session.lua's command loop (through
 * peer-server.lua, peer-client.lua or peer-tcp6.lua), byte strings in hex
 * both ways, so every byte value survives; large blocks are compared by
 * length and FNV-1a. Every check is on exact bytes: what one side sent is
 * what the other received, nothing more, nothing less.
 */

import { describe, expect, test } from 'vitest';
import nixio, { type NixioSocket, type PollEntry } from '../../nixio/index.js';
import { ALL_BYTES, hasIPv6 } from '../helpers/loopback.js';
import { deferrals } from '../helpers/deferred.js';
import { owner, value } from '../helpers/nixio-calls.js';
import { hasLua } from '../helpers/lua.js';
import { fnvBytes, genBytes, hex, SessionPeer, unhex } from '../helpers/lua-peer.js';

const defer = deferrals();
const own = owner(defer);

/** A Lua session peer, told to exit at the end of the test. */
function peer(script: string, args: readonly string[] = []): SessionPeer {
  const lua = new SessionPeer(script, args);
  defer(() => lua.stop());
  return lua;
}

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const POLLIN = nixio.poll_flags('in');

/** A nixio server on 127.0.0.1 and the connection it accepted from a LuaSocket client. */
async function luaClient(): Promise<{
  server: NixioSocket;
  conn: NixioSocket;
  lua: SessionPeer;
  accepted: readonly [string, number];
}> {
  const server = own(value(await nixio.bind('127.0.0.1', 0)));
  expect(await server.listen(8)).toEqual([true, null, null]);
  const [, port] = server.getsockname();
  const lua = peer('peer-client.lua', ['127.0.0.1', String(port)]);
  const [sock, ip, peerPort] = await server.accept();
  if (sock === null || sock === false) throw new Error(`accept: ${ip} ${peerPort}`);
  own(sock);
  await lua.expectLine(/^CONNECTED \d+$/);
  return { server, conn: sock, lua, accepted: [ip, peerPort] };
}

/** A LuaSocket server on 127.0.0.1 and a nixio socket connected to it. */
async function luaServer(): Promise<{ sock: NixioSocket; lua: SessionPeer; port: number }> {
  const lua = peer('peer-server.lua');
  const [, port] = await lua.expectLine(/^READY (\d+)$/);
  const sock = own(value(await nixio.connect('127.0.0.1', Number(port))));
  await lua.expectLine(/^ACCEPTED \d+$/);
  return { sock, lua, port: Number(port) };
}

/** Reads with recv(n) until `size` bytes came, checking every chunk's length. */
async function recvExactly(sock: NixioSocket, n: number, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < size) {
    const chunk = value(await sock.recv(n));
    expect(chunk.length, 'a chunk').toBeGreaterThan(0);
    expect(chunk.length, 'a chunk').toBeLessThanOrEqual(Math.min(n, 8192));
    chunks.push(Buffer.from(chunk, 'latin1'));
    total += chunk.length;
  }
  return Buffer.concat(chunks);
}

/** Checks a failure tuple: null, an errno, its glibc text. Returns the errno. */
function expectFailure(r: readonly [unknown, unknown, unknown]): number {
  expect(r[0]).toBeNull();
  expect(typeof r[1]).toBe('number');
  expect(r[2]).toBe(nixio.strerror(r[1] as number));
  return r[1] as number;
}

/** LuaSocket server closes (FIN); nixio reads the end, then sends until a send fails. */
async function sendAfterClose(): Promise<readonly [unknown, unknown, unknown]> {
  const { sock, lua } = await luaServer();
  expect(await lua.command('close')).toEqual({ ok: 1 });
  expect(await sock.recv(10)).toEqual(['', null, null]);
  // The first write may still be taken by the kernel; the peer's reset ends the next.
  for (let i = 0; i < 50; i++) {
    const r = await sock.send(ALL_BYTES);
    if (r[0] === null || r[0] === false) return r;
    expect(r).toEqual([256, null, null]);
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error('every send succeeded after the peer closed');
}

describe.skipIf(!hasLua)('nixio TCP ⇄ LuaSocket 3', () => {
  test.for([1, 100, 8192, 100_000])(
    'recv(%i) from a LuaSocket client: chunks of at most min(n, 8192) bytes, exactly what Lua sent, then "" twice',
    async (n) => {
      const { conn, lua } = await luaClient();
      const size = n === 1 ? 50_000 : 200_000;
      const expected = Buffer.concat([ALL_BYTES, genBytes(size, n)]);
      expect(await lua.command('send', hex(ALL_BYTES))).toEqual({
        sent: 256,
        err: null,
        last: null,
      });
      // Lua blocks in send until nixio has read enough: read while it sends.
      const sending = lua.command('gen', size, n);
      const got = await recvExactly(conn, n, expected.length);
      expect(await sending).toEqual({ sent: size, err: null, last: null });
      expect(got.equals(expected)).toBe(true);
      expect(await lua.command('close')).toEqual({ ok: 1 });
      expect(await conn.recv(n)).toEqual(['', null, null]);
      expect(await conn.recv(n)).toEqual(['', null, null]);
    },
  );

  test('send(buf, offset, length) to a LuaSocket server: 0-based slices, an offset past the end sends nothing', async () => {
    const { sock, lua } = await luaServer();
    const all = latin1(ALL_BYTES);
    const steps: [Parameters<NixioSocket['send']>, Buffer][] = [
      [[all, 10, 20], ALL_BYTES.subarray(10, 30)],
      [[ALL_BYTES, 250], ALL_BYTES.subarray(250)],
      [[all, 200, 1000], ALL_BYTES.subarray(200)],
      [[all, 0, 1], ALL_BYTES.subarray(0, 1)],
      [[ALL_BYTES, 0, 0], Buffer.alloc(0)],
      [[all, 256], Buffer.alloc(0)],
      [[all, 1000, 5], Buffer.alloc(0)],
      [[ALL_BYTES, 255, 7], ALL_BYTES.subarray(255)],
      [[all], ALL_BYTES],
    ];
    for (const [args, slice] of steps) {
      expect(await sock.send(...args), `send(…, ${args.slice(1).join(', ')})`).toEqual([
        slice.length,
        null,
        null,
      ]);
      if (slice.length === 0) continue;
      expect(unhex((await lua.command('recv', slice.length)).data)?.equals(slice)).toBe(true);
    }
    // Nothing more than the slices went out: a marker is the next thing Lua reads.
    expect(await sock.write('END')).toEqual([3, null, null]);
    expect(await lua.command('recv', 3)).toEqual({ data: hex('END'), err: null, partial: null });
  });

  test('a send of 4 MiB to a LuaSocket server arrives complete, and send answers its length', async () => {
    const { sock, lua } = await luaServer();
    const big = Buffer.concat([ALL_BYTES, genBytes(4 * 1024 * 1024 - 256, 9)]);
    const receiving = lua.command('recv', big.length, '-', 'sum', 20);
    expect(await sock.send(big)).toEqual([big.length, null, null]);
    expect(await receiving).toEqual({ len: big.length, fnv: fnvBytes(big), err: null });
    // The same as a Lua string.
    const text = latin1(genBytes(3 * 1024 * 1024 + 17, 10));
    const again = lua.command('recv', text.length, '-', 'sum', 20);
    expect(await sock.send(text)).toEqual([text.length, null, null]);
    expect(await again).toEqual({
      len: text.length,
      fnv: fnvBytes(Buffer.from(text, 'latin1')),
      err: null,
    });
  });

  test("shutdown('wr') ends LuaSocket's receive('*a') with exactly the bytes sent; nixio still reads", async () => {
    const { sock, lua } = await luaServer();
    const data = Buffer.concat([ALL_BYTES, genBytes(50_000, 11), ALL_BYTES]);
    expect(await sock.send(data)).toEqual([data.length, null, null]);
    expect(sock.shutdown('wr')).toEqual([true, null, null]);
    const all = await lua.command('recv', '*a');
    expect(all.err).toBeNull();
    expect(unhex(all.data)?.equals(data)).toBe(true);
    // Half closed: the other direction still works.
    expect(await lua.command('send', hex(ALL_BYTES))).toMatchObject({ sent: 256 });
    expect((await recvExactly(sock, 8192, 256)).equals(ALL_BYTES)).toBe(true);
    expect(await lua.command('close')).toEqual({ ok: 1 });
    expect(await sock.recv(10)).toEqual(['', null, null]);
  });

  test('non-blocking: recv with nothing arrived answers EAGAIN; poll reports "in" once Lua sent; recv reads it', async () => {
    const { conn, lua } = await luaClient();
    expect(conn.setblocking(false)).toEqual([true, null, null]);
    expect(await conn.recv(100)).toEqual([false, 11, 'Resource temporarily unavailable']);
    const fds: PollEntry[] = [{ fd: conn, events: POLLIN }];
    expect(await nixio.poll(fds, 0)).toEqual([false, null, null]);

    expect(await lua.command('send', hex(ALL_BYTES))).toMatchObject({ sent: 256 });
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < 256) {
      const [count] = await nixio.poll(fds, 2000);
      expect(count).toBe(1);
      expect((fds[0]?.revents ?? 0) & POLLIN).toBe(POLLIN);
      const [chunk, errno] = await conn.recv(1000);
      if (chunk === false && errno === 11) continue; // poll said in, another reader could not have taken it
      const got = Buffer.from(value([chunk, errno, null]), 'latin1');
      expect(got.length).toBeGreaterThan(0);
      chunks.push(got);
      total += got.length;
    }
    expect(Buffer.concat(chunks).equals(ALL_BYTES)).toBe(true);
    expect(await conn.recv(100)).toEqual([false, 11, 'Resource temporarily unavailable']);

    // The end of the stream is readable too, and recv answers ''.
    expect(await lua.command('close')).toEqual({ ok: 1 });
    const [count] = await nixio.poll(fds, 2000);
    expect(count).toBe(1);
    expect((fds[0]?.revents ?? 0) & POLLIN).toBe(POLLIN);
    expect(await conn.recv(100)).toEqual(['', null, null]);
  });

  test('getsockname/getpeername agree with what LuaSocket reports on its side, in both roles', async () => {
    // nixio accepts, LuaSocket connects.
    const { server, conn, lua, accepted } = await luaClient();
    const theirs = await lua.command('names');
    expect(server.getsockname()).toEqual(['127.0.0.1', theirs.peerport, null]);
    expect(conn.getsockname()).toEqual([theirs.peerip, theirs.peerport, null]);
    expect(conn.getpeername()).toEqual([theirs.ip, theirs.port, null]);
    expect(accepted).toEqual([theirs.ip, theirs.port]);
    expect(theirs.peerip).toBe('127.0.0.1');

    // LuaSocket accepts, nixio connects.
    const { sock, lua: server2, port } = await luaServer();
    const names = await server2.command('names');
    expect(names.port).toBe(port);
    expect(sock.getpeername()).toEqual([names.ip, names.port, null]);
    expect(sock.getsockname()).toEqual([names.peerip, names.peerport, null]);
  });

  test('a peer reset after the data was read: recv answers ECONNRESET; send a failure tuple, never throws', async () => {
    const { conn, lua } = await luaClient();
    expect(await lua.command('send', hex(ALL_BYTES))).toMatchObject({ sent: 256 });
    expect((await recvExactly(conn, 8192, 256)).equals(ALL_BYTES)).toBe(true);
    expect(await lua.command('linger', 0)).toEqual({ ok: 1, err: null });
    expect(await lua.command('close')).toEqual({ ok: 1 });
    expect(await conn.recv(100)).toEqual([null, 104, 'Connection reset by peer']);
    expectFailure(await conn.send(ALL_BYTES));
  });

  test('a peer reset with data unread: recv yields a prefix of what Lua sent, then ECONNRESET', async () => {
    const { conn, lua } = await luaClient();
    const data = Buffer.concat([ALL_BYTES, genBytes(1000, 12)]);
    expect(await lua.command('send', hex(data))).toMatchObject({ sent: data.length });
    expect(await lua.command('linger', 0)).toEqual({ ok: 1, err: null });
    expect(await lua.command('close')).toEqual({ ok: 1 });
    const chunks: Buffer[] = [];
    for (;;) {
      const r = await conn.recv(8192);
      if (typeof r[0] !== 'string') {
        expect(r).toEqual([null, 104, 'Connection reset by peer']);
        break;
      }
      expect(r[0].length, 'no end of stream before the reset').toBeGreaterThan(0);
      chunks.push(Buffer.from(r[0], 'latin1'));
    }
    const got = Buffer.concat(chunks);
    expect(got.equals(data.subarray(0, got.length))).toBe(true);
  });

  test('send after the peer closed: the kernel may take a first write, then a failure tuple, never a throw', async () => {
    expectFailure(await sendAfterClose());
  });

  // Linux's write(2) on a connection the peer closed or reset fails with
  // EPIPE (ECONNRESET while the reset is still pending).
  test('send after a peer reset answers EPIPE or ECONNRESET, as on Linux', async () => {
    const { sock, lua } = await luaServer();
    expect(await lua.command('linger', 0)).toEqual({ ok: 1, err: null });
    expect(await lua.command('close')).toEqual({ ok: 1 });
    expect(await sock.recv(100)).toEqual([null, 104, 'Connection reset by peer']);
    expect([32, 104]).toContain(expectFailure(await sock.send(ALL_BYTES)));
  });

  test('send after the peer closed answers EPIPE or ECONNRESET, as on Linux', async () => {
    expect([32, 104]).toContain(expectFailure(await sendAfterClose()));
  });
});

describe.skipIf(!hasLua || !hasIPv6)('nixio TCP over ::1 ⇄ LuaSocket tcp6', () => {
  test('nixio.connect to a LuaSocket tcp6 server on ::1: exact bytes both ways, inet6 names', async () => {
    const lua = peer('peer-tcp6.lua', ['server']);
    const [, port, family] = await lua.expectLine(/^READY (\d+) (\S+)$/);
    expect(family).toBe('inet6');
    const sock = own(value(await nixio.connect('::1', Number(port))));
    expect(sock.family).toBe('inet6');
    const [, address] = await lua.expectLine(/^ACCEPTED (\S+) inet6$/);
    expect(address).toBe('::1');
    const names = await lua.command('names');
    expect(sock.getpeername()).toEqual(['::1', Number(port), null]);
    expect(sock.getsockname()).toEqual([names.peerip, names.peerport, null]);

    const data = Buffer.concat([ALL_BYTES, genBytes(100_000, 13)]);
    const receiving = lua.command('recv', data.length, '-', 'sum');
    expect(await sock.send(data)).toEqual([data.length, null, null]);
    expect(await receiving).toEqual({ len: data.length, fnv: fnvBytes(data), err: null });
    const sending = lua.command('send', hex(data));
    expect((await recvExactly(sock, 8192, data.length)).equals(data)).toBe(true);
    expect(await sending).toMatchObject({ sent: data.length, err: null });
    expect(await lua.command('close')).toEqual({ ok: 1 });
    expect(await sock.recv(8192)).toEqual(['', null, null]);
  });

  test('a nixio server on ::1 and a LuaSocket tcp6 client: exact bytes, inet6 names', async () => {
    const server = own(value(await nixio.bind('::1', 0)));
    expect(server.family).toBe('inet6');
    expect(await server.listen(4)).toEqual([true, null, null]);
    const [, port] = server.getsockname();
    const lua = peer('peer-tcp6.lua', ['client', String(port)]);
    const [conn, ip, peerPort] = await server.accept();
    if (conn === null || conn === false) throw new Error(`accept: ${ip} ${peerPort}`);
    own(conn);
    const [, address] = await lua.expectLine(/^CONNECTED (\S+) inet6$/);
    const names = await lua.command('names');
    expect([ip, peerPort]).toEqual([address, names.port]);
    expect(conn.getpeername()).toEqual(['::1', names.port, null]);
    expect(conn.getsockname()).toEqual(['::1', port, null]);
    expect(await lua.command('send', hex(ALL_BYTES))).toMatchObject({ sent: 256 });
    expect((await recvExactly(conn, 100, 256)).equals(ALL_BYTES)).toBe(true);
    expect(await conn.send(ALL_BYTES, 128)).toEqual([128, null, null]);
    expect(unhex((await lua.command('recv', 128)).data)?.equals(ALL_BYTES.subarray(128))).toBe(
      true,
    );
  });
});
