/**
 * The core's UDP sockets against real LuaSocket 3 UDP objects.
 *
 * The Lua peer (test/lua/peer-udp.lua) runs one command per stdin line and
 * prints LuaSocket's results as JSON, byte strings in hex. Datagrams go both
 * ways and are compared byte for byte; where both sides read the same
 * datagram with the same call, their results must be the same.
 */

import { describe, expect, test } from 'vitest';
import { DATAGRAM_SIZE, udp, type DataOf, type UdpSocket } from '../../src/index.js';
import { ALL_BYTES } from '../helpers/loopback.js';
import { deferrals } from '../helpers/deferred.js';
import { LuaUdp } from '../helpers/lua-udp.js';
import { hasLua } from '../helpers/lua.js';
import { genBytes, hex } from '../helpers/lua-peer.js';

const defer = deferrals();

/** The datagrams every round trip carries: binary, empty, around 8192 and the largest. */
const DATAGRAMS: readonly Buffer[] = [
  ALL_BYTES,
  Buffer.alloc(0),
  Buffer.from('nul\x00cr\rlf\n\xff', 'latin1'),
  genBytes(8191, 2),
  genBytes(8192, 3),
  genBytes(8193, 4),
  genBytes(9000, 5),
  genBytes(65_507, 6),
];

async function lua(): Promise<LuaUdp> {
  return new LuaUdp(defer).ready();
}

async function core<E extends 'latin1' | 'buffer'>(encoding: E): Promise<UdpSocket<DataOf<E>>> {
  const u = udp({ encoding });
  defer(() => u.close());
  await u.setsockname('127.0.0.1', 0);
  u.settimeout(5); // guards a hang; the peer always answers
  return u;
}

const asBytes = (data: string | Buffer): Buffer =>
  typeof data === 'string' ? Buffer.from(data, 'latin1') : data;

describe.skipIf(!hasLua)('core UDP ⇄ LuaSocket 3 UDP', () => {
  test.for(['latin1', 'buffer'] as const)(
    "LuaSocket sendto → core receivefrom: binary, empty and large datagrams arrive byte-exact (encoding '%s')",
    async (encoding) => {
      const peer = await lua();
      const u = await core(encoding);
      for (const d of DATAGRAMS) {
        expect(await peer.command('sendto', hex(d), u.getsockname().port)).toEqual({
          sent: d.length,
          err: null,
        });
        const got = await u.receivefrom(65_535);
        expect(got.address).toBe('127.0.0.1');
        expect(got.port).toBe(peer.port);
        expect(asBytes(got.data).equals(d), `${d.length} bytes`).toBe(true);
      }
    },
  );

  test.for(['latin1', 'buffer'] as const)(
    "core sendto → LuaSocket receivefrom: byte-exact, and Lua sees the core's address and port (encoding '%s')",
    async (encoding) => {
      const peer = await lua();
      const u = await core(encoding);
      for (const d of DATAGRAMS) {
        const data = encoding === 'latin1' ? d.toString('latin1') : d;
        expect(await u.sendto(data, '127.0.0.1', peer.port)).toBe(d.length);
        const got = await peer.receive(65_535);
        expect(got.err).toBeNull();
        expect([got.ip, got.port]).toEqual(['127.0.0.1', u.getsockname().port]);
        expect(got.data?.equals(d), `${d.length} bytes`).toBe(true);
      }
    },
  );

  test('LuaSocket echoes what the core sends, byte-exact, up to 65,507 bytes', async () => {
    const peer = await lua();
    const u = await core('buffer');
    peer.write('echo', DATAGRAMS.length, 65_535);
    for (const d of DATAGRAMS) {
      await u.sendto(d, '127.0.0.1', peer.port);
      const back = await u.receivefrom(65_535);
      expect(back.port).toBe(peer.port);
      expect(back.data.equals(d), `${d.length} bytes`).toBe(true);
    }
    expect(await peer.result()).toEqual({ echoed: DATAGRAMS.length, err: null });
  });

  test('receive() keeps the first 8192 bytes of a 9000-byte datagram, in LuaSocket and in the core', async () => {
    const peer = await lua();
    const u = await core('buffer');
    const big = genBytes(9000, 7);
    // Core → Lua: LuaSocket's default receive.
    await u.sendto(big, '127.0.0.1', peer.port);
    const inLua = await peer.receive();
    // Lua → core: the core's default receive.
    await peer.command('sendto', hex(big), u.getsockname().port);
    const inCore = await u.receive();
    expect(inLua.data?.length).toBe(8192);
    expect(inCore.length).toBe(DATAGRAM_SIZE);
    expect(inLua.data?.equals(inCore)).toBe(true);
    expect(inCore.equals(big.subarray(0, 8192))).toBe(true);
  });

  test('receive(5) discards the rest of the datagram, in LuaSocket and in the core alike', async () => {
    const peer = await lua();
    const u = await core('latin1');
    for (const d of ['0123456789', 'next']) await u.sendto(d, '127.0.0.1', peer.port);
    const luaSide = [
      (await peer.receive(5)).data?.toString('latin1'),
      (await peer.receive(5)).data?.toString('latin1'),
    ];
    for (const d of ['0123456789', 'next'])
      await peer.command('sendto', hex(Buffer.from(d)), u.getsockname().port);
    const coreSide = [await u.receive(5), await u.receive(5)];
    expect(luaSide).toEqual(['01234', 'next']);
    expect(coreSide).toEqual(luaSide);
  });

  test('connected objects both ways: core setpeername ⇄ LuaSocket setpeername, send and receive', async () => {
    const peer = await lua();
    const u = await core('buffer');
    await u.setpeername('127.0.0.1', peer.port);
    expect(await peer.command('connect', u.getsockname().port)).toEqual({ ok: 1, err: null });
    for (const d of [ALL_BYTES, Buffer.alloc(0), genBytes(20_000, 8)]) {
      expect(await u.send(d)).toBe(d.length);
      const inLua = await peer.receive(65_535);
      expect(inLua.data?.equals(d)).toBe(true);
      expect(await peer.command('send', hex(d))).toEqual({ sent: d.length, err: null });
      expect((await u.receive(65_535)).equals(d)).toBe(true);
    }
    expect(await peer.command('connect', '*')).toEqual({ ok: 1, err: null });
  });

  test("core text (encoding 'utf8') arrives in LuaSocket as its UTF-8 bytes, and back", async () => {
    const peer = await lua();
    const u = udp();
    defer(() => u.close());
    await u.setsockname('127.0.0.1', 0);
    const text = 'héllo wörld ✓ 😀';
    expect(await u.sendto(text, '127.0.0.1', peer.port)).toBe(Buffer.byteLength(text));
    const inLua = await peer.receive();
    expect(inLua.data?.equals(Buffer.from(text, 'utf8'))).toBe(true);
    await peer.command('sendto', hex(Buffer.from(text, 'utf8')), u.getsockname().port);
    expect(await u.receive()).toBe(text);
  });
});
