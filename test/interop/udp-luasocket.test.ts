/**
 * The core's UDP sockets against real LuaSocket 3 UDP objects.
 *
 * The Lua peer (test/lua/peer-udp.lua) runs one command per stdin line and
 * prints LuaSocket's results as JSON, byte strings in hex. Datagrams go both
 * ways and are compared byte for byte; where both sides read the same
 * datagram with the same call, their results must be the same.
 */

import { afterEach, describe, expect, test } from 'vitest';
import { DATAGRAM_SIZE, udp, type DataOf, type UdpSocket } from '../../src/index.js';
import { ALL_BYTES } from '../helpers/loopback.js';
import { hasLua, runLua, type LuaProcess } from '../helpers/lua.js';

type Json = Record<string, unknown>;

const cleanups: (() => unknown)[] = [];

/** Runs at the end of the test, latest first: sockets close before their Lua peer is told to exit. */
function defer(fn: () => unknown): void {
  cleanups.push(fn);
}

afterEach(async () => {
  for (let fn = cleanups.pop(); fn !== undefined; fn = cleanups.pop()) await fn();
});

const hex = (b: Uint8Array): string => (b.length === 0 ? '-' : Buffer.from(b).toString('hex'));
const unhex = (h: unknown): Buffer | null => (typeof h === 'string' ? Buffer.from(h, 'hex') : null);

/** Deterministic bytes with every value in them. */
function bytes(n: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    out[i] = (x >>> 16) & 255;
  }
  return out;
}

/** The datagrams every round trip carries: binary, empty, around 8192 and the largest. */
const DATAGRAMS: readonly Buffer[] = [
  ALL_BYTES,
  Buffer.alloc(0),
  Buffer.from('nul\x00cr\rlf\n\xff', 'latin1'),
  bytes(8191, 2),
  bytes(8192, 3),
  bytes(8193, 4),
  bytes(9000, 5),
  bytes(65_507, 6),
];

/** A LuaSocket UDP object bound to 127.0.0.1, driven through peer-udp.lua. */
class LuaUdp {
  readonly #proc: LuaProcess;
  port = 0;

  constructor() {
    this.#proc = runLua('peer-udp.lua');
    // A write after an early exit must fail the test through `line()`, not crash the worker.
    this.#proc.child.stdin?.on('error', () => undefined);
    defer(() => this.stop());
  }

  async ready(): Promise<this> {
    const line = await this.#proc.line();
    const m = /^READY (\d+)$/.exec(line);
    if (m === null) throw new Error(`Expected READY, got ${line}; stderr: ${this.#proc.stderr()}`);
    this.port = Number(m[1]);
    return this;
  }

  /** Sends one command; `result()` reads its JSON answer. */
  write(...words: (string | number)[]): void {
    this.#proc.write(words.join(' '));
  }

  async result(): Promise<Json> {
    const line = await this.#proc.line();
    const json = JSON.parse(line) as Json;
    if ('error' in json) throw new Error(`lua: ${String(json.error)}`);
    return json;
  }

  async command(...words: (string | number)[]): Promise<Json> {
    this.write(...words);
    return this.result();
  }

  /** LuaSocket's receivefrom (receive when connected): the data, the sender, or the error. */
  async receive(
    size?: number,
  ): Promise<{ data: Buffer | null; ip: unknown; port: unknown; err: unknown }> {
    const r = await this.command('recv', size ?? '-');
    return { data: unhex(r.data), ip: r.ip, port: r.port, err: r.err };
  }

  async stop(): Promise<void> {
    const { child } = this.#proc;
    if (child.exitCode === null && child.signalCode === null) this.#proc.write('exit');
    await this.#proc.exit(3000);
  }
}

async function lua(): Promise<LuaUdp> {
  return new LuaUdp().ready();
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
    const big = bytes(9000, 7);
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
    for (const d of [ALL_BYTES, Buffer.alloc(0), bytes(20_000, 8)]) {
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
