/**
 * The core against real LuaSocket 3 on the other end of the wire.
 *
 * The Lua peers (test/lua/peer-server.lua, peer-client.lua) run one command
 * per stdin line and print LuaSocket's results as JSON, byte strings in hex.
 * Round trips check that bytes are exact both ways; the comparison scenarios
 * feed a Lua receiver and a core receiver from identical senders, step by
 * step, and require the same results, partials and byte counts from both.
 */

import { describe, expect, it } from 'vitest';
import { bind, connect, SocketError, sleep, type DataOf, type TcpClient } from '../../src/index.js';
import { deferrals } from '../helpers/deferred.js';
import { hasLua, runLua, type LuaProcess } from '../helpers/lua.js';
import { fnvBytes, genBytes } from '../helpers/lua-peer.js';

type Data = string | Buffer;
type Json = Record<string, unknown>;

// ---------------------------------------------------------------- cleanup

const defer = deferrals();

// ---------------------------------------------------------------- bytes

/**
 * Bytes as a latin1 string: one character per byte, readable in a failed diff.
 * A string is taken as already being one (`'latin1'`), or as UTF-8 text.
 */
function bin(value: Data | Uint8Array, text: 'latin1' | 'utf8' = 'latin1'): string {
  if (typeof value !== 'string') return Buffer.from(value).toString('latin1');
  return text === 'latin1' ? value : Buffer.from(value, 'utf8').toString('latin1');
}

const hex = (s: string): string => (s === '' ? '-' : Buffer.from(s, 'latin1').toString('hex'));
const unhex = (h: unknown): string | null =>
  typeof h === 'string' ? Buffer.from(h, 'hex').toString('latin1') : null;

/** Every byte value, then every byte value backwards: NUL, LF, CR and 0x80–0xFF included. */
const EVERY_BYTE = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i)),
]);

/** The lines on the wire, and what '*l' must return for each. */
const LINES: readonly (readonly [wire: string, line: string])[] = [
  ['hello\n', 'hello'],
  ['crlf\r\n', 'crlf'],
  ['a\rb\rc\r\n', 'abc'],
  ['\n', ''],
  ['\r\n', ''],
  ['\r\r\r\n', ''],
  ['nul\x00byte\n', 'nul\x00byte'],
  ['tab\there \x7f\n', 'tab\there \x7f'],
  [
    bin(EVERY_BYTE.filter((b) => b !== 10)) + '\n',
    bin(EVERY_BYTE.filter((b) => b !== 10 && b !== 13)),
  ],
];
const LINES_WIRE = LINES.map(([wire]) => wire).join('') + 'tail without LF';

const BLOCK_SIZES = [1, 2, 10, 100, 8191, 8192, 8193, 65543] as const;
const BIG = 1024 * 1024 + 512 * 1024 + 3;

// ---------------------------------------------------------------- the Lua peer

/** A LuaSocket peer running peer-session.lua's commands. */
class LuaPeer {
  readonly #proc: LuaProcess;

  constructor(script: string, args: readonly string[] = []) {
    this.#proc = runLua(script, args);
    // A write after an early exit must fail the test through `line()`, not crash the worker.
    this.#proc.child.stdin?.on('error', () => undefined);
    defer(() => this.stop());
  }

  /** The next line the script prints, checked against `pattern`. */
  async expectLine(pattern: RegExp): Promise<RegExpExecArray> {
    const line = await this.#proc.line();
    const m = pattern.exec(line);
    if (m !== null) return m;
    throw new Error(`Expected a line like ${pattern}, got ${line}; stderr: ${this.#proc.stderr()}`);
  }

  /** Runs one command and returns its JSON result. */
  async command(...words: (string | number)[]): Promise<Json> {
    this.#proc.write(words.join(' '));
    const line = await this.#proc.line();
    const result = JSON.parse(line) as Json;
    if ('error' in result) throw new Error(`lua: ${String(result.error)}`);
    return result;
  }

  /** LuaSocket's receive, as an {@link Outcome}. */
  async receive(pattern: Pattern, prefix?: string, timeout?: number): Promise<Outcome> {
    const r = await this.command('recv', pattern, hex(prefix ?? ''), 'hex', timeout ?? '-');
    return {
      data: unhex(r.data),
      err: (r.err as string | null) ?? null,
      partial: unhex(r.partial),
    };
  }

  async stop(): Promise<void> {
    const { child } = this.#proc;
    if (child.exitCode === null && child.signalCode === null) this.#proc.write('exit');
    await this.#proc.exit(3000);
  }
}

type Pattern = '*l' | '*a' | number;

/** What a receive gave, in LuaSocket's shape: data, or an error and the partial result. */
interface Outcome {
  data: string | null;
  err: string | null;
  partial: string | null;
}

/** The core's receive, as an {@link Outcome}; only a SocketError counts as a result. */
async function outcome(call: Promise<Data>, text: 'latin1' | 'utf8' = 'latin1'): Promise<Outcome> {
  try {
    return { data: bin(await call, text), err: null, partial: null };
  } catch (err) {
    if (!(err instanceof SocketError)) throw err;
    const { code, message, partial } = err as SocketError<Data>;
    // For these two LuaSocket's message is the code itself, so Lua's err compares with the code.
    if (code === 'timeout' || code === 'closed') expect(message).toBe(code);
    return { data: null, err: code, partial: partial === undefined ? null : bin(partial, text) };
  }
}

const ok = (data: string): Outcome => ({ data, err: null, partial: null });
const failed = (err: string, partial: string): Outcome => ({ data: null, err, partial });

// ---------------------------------------------------------------- connections

type Topology = 'lua-server' | 'lua-client';

/** A core socket connected to a Lua peer; the Lua side is the server or the client. */
async function pair<E extends 'latin1' | 'buffer'>(
  topology: Topology,
  encoding: E,
): Promise<{ core: TcpClient<DataOf<E>>; lua: LuaPeer }> {
  if (topology === 'lua-server') {
    const lua = new LuaPeer('peer-server.lua');
    const [, port] = await lua.expectLine(/^READY (\d+)$/);
    const core = await connect('127.0.0.1', Number(port), { encoding, timeout: 5 });
    defer(() => core.close());
    await lua.expectLine(/^ACCEPTED \d+$/);
    return { core, lua };
  }
  const server = await bind('127.0.0.1', 0, { encoding });
  defer(() => server.close());
  const lua = new LuaPeer('peer-client.lua', ['127.0.0.1', String(server.getsockname().port)]);
  const core = await server.accept({ timeout: 5 });
  defer(() => core.close());
  server.close();
  await lua.expectLine(/^CONNECTED \d+$/);
  return { core, lua };
}

// ---------------------------------------------------------------- scenarios

/** One step of a scenario: the sender acts, or the receiver (Lua or core) reads and reports. */
type Step =
  | { send: string }
  | { close: true }
  | { receive: Pattern; prefix?: string; timeout?: number }
  | { settimeout: number | null; mode?: 'b' | 't' }
  | { reply: string }
  | { stats: true };

type Report = Outcome | { received: number; sent: number };

/** The sender is a core socket with latin1 strings, so each step's bytes are exactly its characters. */
async function sender(port: number): Promise<TcpClient<string>> {
  const s = await connect('127.0.0.1', port, { encoding: 'latin1', timeout: 5 });
  defer(() => s.close());
  return s;
}

/** Runs the steps with LuaSocket as the receiver. */
async function onLua(steps: readonly Step[]): Promise<Report[]> {
  const lua = new LuaPeer('peer-server.lua');
  const [, port] = await lua.expectLine(/^READY (\d+)$/);
  const from = await sender(Number(port));
  await lua.expectLine(/^ACCEPTED \d+$/);
  const reports: Report[] = [];
  for (const step of steps) {
    if ('send' in step) await from.send(step.send);
    else if ('close' in step) from.close();
    else if ('settimeout' in step)
      await lua.command('settimeout', step.settimeout ?? 'nil', step.mode ?? 'b');
    else if ('reply' in step) await lua.command('send', hex(step.reply));
    else if ('stats' in step) {
      const { received, sent } = await lua.command('stats');
      reports.push({ received: received as number, sent: sent as number });
    } else reports.push(await lua.receive(step.receive, step.prefix, step.timeout));
  }
  return reports;
}

/** Runs the same steps with the core as the receiver (`'buffer'` encoding unless told). */
async function onCore(
  steps: readonly Step[],
  encoding: 'buffer' | 'utf8' = 'buffer',
): Promise<Report[]> {
  const server = await bind('127.0.0.1', 0, { encoding });
  defer(() => server.close());
  const from = await sender(server.getsockname().port);
  const to = await server.accept({ timeout: 5 });
  defer(() => to.close());
  server.close();
  to.settimeout(5); // as the Lua peer: no step may hang the test
  const reports: Report[] = [];
  for (const step of steps) {
    if ('send' in step) await from.send(step.send);
    else if ('close' in step) from.close();
    else if ('settimeout' in step) to.settimeout(step.settimeout, step.mode);
    else if ('reply' in step) await to.send(Buffer.from(step.reply, 'latin1'));
    else if ('stats' in step) {
      const { received, sent } = to.getstats();
      reports.push({ received, sent });
    } else {
      const options = {
        ...(step.prefix !== undefined && { prefix: Buffer.from(step.prefix, 'latin1') }),
        ...(step.timeout !== undefined && { timeout: step.timeout }),
      };
      reports.push(
        await outcome(to.receive(step.receive, options), encoding === 'utf8' ? 'utf8' : 'latin1'),
      );
    }
  }
  return reports;
}

/** Runs a scenario on both receivers at once; they must agree, and LuaSocket must give `expected`. */
async function compare(steps: readonly Step[], expected: readonly Report[]): Promise<void> {
  const [lua, core] = await Promise.all([onLua(steps), onCore(steps)]);
  expect(lua, 'LuaSocket').toEqual(expected);
  expect(core, 'core, compared with LuaSocket').toEqual(lua);
}

// ---------------------------------------------------------------- tests

describe.skipIf(!hasLua)('core ⇄ LuaSocket 3', () => {
  describe.each(['lua-server', 'lua-client'] as const)(
    'round trips, LuaSocket as %s',
    (topology) => {
      it("receive('*l') reads LuaSocket's lines byte-exact (LF, CRLF, inner CRs, empty, NUL, 0x80–0xFF)", async () => {
        const { core, lua } = await pair(topology, 'latin1');
        expect(await lua.command('send', hex(LINES_WIRE))).toEqual({
          sent: LINES_WIRE.length,
          err: null,
          last: null,
        });
        await lua.command('close');
        for (const [, line] of LINES) expect(await outcome(core.receive('*l'))).toEqual(ok(line));
        expect(await outcome(core.receive('*l'))).toEqual(failed('closed', 'tail without LF'));
        expect(core.getstats().received).toBe(LINES_WIRE.length);
      });

      it("send() lines reach LuaSocket's receive('*l') byte-exact", async () => {
        const { core, lua } = await pair(topology, 'latin1');
        expect(await core.send(LINES_WIRE)).toBe(LINES_WIRE.length);
        core.close();
        for (const [, line] of LINES) expect(await lua.receive('*l')).toEqual(ok(line));
        expect(await lua.receive('*l')).toEqual(failed('closed', 'tail without LF'));
        expect(await lua.command('stats')).toEqual({ received: LINES_WIRE.length, sent: 0 });
      });

      it("receive(n) and receive('*a') read LuaSocket's blocks and every byte value", async () => {
        const { core, lua } = await pair(topology, 'buffer');
        const blocks = BLOCK_SIZES.map((n, i) => genBytes(n, i + 1));
        for (const block of blocks) await lua.command('send', block.toString('hex'));
        await lua.command('send', EVERY_BYTE.toString('hex'));
        await lua.command('close');
        for (const block of blocks) expect(await core.receive(block.length)).toEqual(block);
        expect(await core.receive('*a')).toEqual(EVERY_BYTE);
        expect(await outcome(core.receive('*a'))).toEqual(failed('closed', ''));
      });

      it("send() delivers blocks and every byte value to LuaSocket's receive(n) and receive('*a')", async () => {
        const { core, lua } = await pair(topology, 'buffer');
        const blocks = BLOCK_SIZES.map((n, i) => genBytes(n, i + 1));
        for (const block of blocks) await core.send(block);
        await core.send(EVERY_BYTE);
        core.close();
        for (const block of blocks) expect(await lua.receive(block.length)).toEqual(ok(bin(block)));
        expect(await lua.receive('*a')).toEqual(ok(bin(EVERY_BYTE)));
        expect(await lua.receive('*a')).toEqual(failed('closed', ''));
      });

      it("receive(n) and receive('*a') take a 1.5 MB block from LuaSocket", async () => {
        const { core, lua } = await pair(topology, 'buffer');
        const [block, sent] = await Promise.all([core.receive(BIG), lua.command('gen', BIG, 11)]);
        expect(sent).toEqual({ sent: BIG, err: null, last: null });
        expect(block.equals(genBytes(BIG, 11))).toBe(true);
        await lua.command('gen', BIG - 1, 12);
        await lua.command('close');
        const all = await core.receive('*a');
        expect(all.length).toBe(BIG - 1);
        expect(all.equals(genBytes(BIG - 1, 12))).toBe(true);
        expect(core.getstats().received).toBe(2 * BIG - 1);
      });

      it("send() delivers a 1.5 MB block to LuaSocket's receive(n) and receive('*a')", async () => {
        const { core, lua } = await pair(topology, 'buffer');
        const first = genBytes(BIG, 21);
        const second = genBytes(BIG - 1, 22);
        const [sent, got] = await Promise.all([
          core.send(first),
          lua.command('recv', BIG, '-', 'sum'),
        ]);
        expect(sent).toBe(BIG);
        expect(got).toEqual({ len: BIG, fnv: fnvBytes(first), err: null });
        const [, all] = await Promise.all([
          core.send(second).then(() => core.close()),
          lua.command('recv', '*a', '-', 'sum'),
        ]);
        expect(all).toEqual({ len: BIG - 1, fnv: fnvBytes(second), err: null });
        expect(core.getstats().sent).toBe(2 * BIG - 1);
      });

      it("shutdown('send') completes LuaSocket's receive('*a') and still reads its reply", async () => {
        const { core, lua } = await pair(topology, 'latin1');
        const request = 'GET /\r\n\x00\xff binary\r\nno final LF';
        await core.send(request);
        core.shutdown('send');
        expect(await lua.receive('*a')).toEqual(ok(request));
        expect(await lua.receive('*a')).toEqual(failed('closed', ''));
        await lua.command('send', hex('status\r\n'));
        expect(await core.receive('*l')).toBe('status');
        await lua.command('send', hex('body\x00\x80'));
        await lua.command('close');
        expect(await core.receive('*a')).toBe('body\x00\x80');
        expect(await outcome(core.receive('*a'))).toEqual(failed('closed', ''));
        expect(await lua.command('stats')).toEqual({ received: request.length, sent: 14 });
        expect(core.getstats()).toMatchObject({ received: 14, sent: request.length });
      });

      it("receive('*a') completes on LuaSocket's shutdown('send'), and send() still reaches it", async () => {
        const { core, lua } = await pair(topology, 'latin1');
        await lua.command('send', hex('question\r\n\x00'));
        await lua.command('shutdown', 'send');
        expect(await core.receive('*a')).toBe('question\r\n\x00');
        await core.send('answer\n\xff');
        expect(await lua.receive('*l')).toEqual(ok('answer'));
        core.close();
        expect(await lua.receive('*a')).toEqual(ok('\xff'));
      });
    },
  );

  describe('timeouts and partial results, LuaSocket and the core fed the same bytes', () => {
    it("receive('*l') times out with the same partial as LuaSocket, and the next line follows it", async () => {
      await compare(
        [
          { send: 'abc' },
          { receive: '*l', timeout: 0.3 },
          { send: 'def\r\nghi\n' },
          { receive: '*l' },
          { receive: '*l' },
          { send: 'x\ry\x00\xff\r' },
          { receive: '*l', timeout: 0.3 },
          { send: '\r\n\n' },
          { receive: '*l' },
          { receive: '*l' },
        ],
        [
          failed('timeout', 'abc'),
          ok('def'),
          ok('ghi'),
          failed('timeout', 'xy\x00\xff'),
          ok(''),
          ok(''),
        ],
      );
    });

    it('receive(n) times out with the same partial as LuaSocket, and the next count starts after it', async () => {
      await compare(
        [
          { send: 'abcd' },
          { receive: 10, timeout: 0.3 },
          { send: '0123456789ABC' },
          { receive: 10 },
          { receive: 4, timeout: 0.3 },
          { send: '\x00\r\n\xff' },
          { receive: 4 },
          { send: 'wxyz' },
          { receive: 2.7 },
          { settimeout: 0.3, mode: 't' },
          { receive: 5 },
          { settimeout: null, mode: 't' },
          { send: 'abcd' },
          { close: true },
          { receive: 0 },
          { receive: 10 },
          { receive: 1 },
          { receive: 0 },
        ],
        [
          failed('timeout', 'abcd'),
          ok('0123456789'),
          failed('timeout', 'ABC'),
          ok('\x00\r\n\xff'),
          ok('wx'),
          failed('timeout', 'yz'),
          ok(''),
          failed('closed', 'abcd'),
          failed('closed', ''),
          failed('closed', ''),
        ],
      );
    });

    it("receive('*a') times out with the same partial as LuaSocket, then gets the rest at close", async () => {
      await compare(
        [
          { send: 'first\n\x00' },
          { receive: '*a', timeout: 0.3 },
          { send: 'second\r\n' },
          { close: true },
          { receive: '*a', prefix: '>' },
          { receive: '*a' },
          { receive: '*l' },
          { receive: 5 },
        ],
        [
          failed('timeout', 'first\n\x00'),
          ok('>second\r\n'),
          failed('closed', ''),
          failed('closed', ''),
          failed('closed', ''),
        ],
      );
    });

    it('receive() with a prefix puts it in front of the partial, as LuaSocket does', async () => {
      await compare(
        [
          { send: 'half' },
          { receive: '*l', prefix: 'P:', timeout: 0.3 },
          { receive: 10, prefix: 'PFX', timeout: 0.3 },
          { send: 'abcdefg' },
          { receive: 10, prefix: 'PFX', timeout: 0.3 },
          { send: '012345\n' },
          { receive: 5, prefix: 'xy' },
          { receive: 3, prefix: 'abcdef' },
          { receive: 0, prefix: 'pp' },
          { receive: '*l', prefix: '>' },
          { send: 't\rail\r' },
          { close: true },
          { receive: '*l', prefix: 'L' },
          { receive: '*a', prefix: 'A' },
        ],
        [
          failed('timeout', 'P:half'),
          failed('timeout', 'PFX'),
          ok('PFXabcdefg'),
          ok('xy012'),
          ok('abcdef'),
          ok('pp'),
          ok('>345'),
          failed('closed', 'Ltail'),
          failed('closed', 'A'),
        ],
      );
    });

    it('settimeout(0) answers from the buffer or times out with an empty partial, as LuaSocket does', async () => {
      await compare(
        [
          { settimeout: 0 },
          { receive: '*l' },
          { receive: 3 },
          { receive: '*a' },
          { settimeout: 5 },
          { send: 'ab\ncd' },
          { receive: '*l' },
          { settimeout: 0 },
          { receive: '*l' },
          { receive: 1 },
        ],
        [
          failed('timeout', ''),
          failed('timeout', ''),
          failed('timeout', ''),
          ok('ab'),
          failed('timeout', 'cd'),
          failed('timeout', ''),
        ],
      );
    });
  });

  describe('byte counters', () => {
    it('getstats() counts consumed bytes as LuaSocket does: LF and CRs in, prefix out, partials in', async () => {
      await compare(
        [
          { stats: true },
          { send: 'abc\r\ndefghij' },
          { receive: '*l' },
          { stats: true },
          { receive: 5, prefix: 'xy' },
          { stats: true },
          { receive: 2, prefix: 'PREFIX' },
          { stats: true },
          { receive: '*l', timeout: 0.3 },
          { stats: true },
          { send: 'a\rb\r\r\nk\n' },
          { receive: '*l', prefix: 'P' },
          { receive: '*l' },
          { stats: true },
          { reply: 'hello\x00' },
          { stats: true },
        ],
        [
          { received: 0, sent: 0 },
          ok('abc'),
          { received: 5, sent: 0 },
          ok('xydef'),
          { received: 8, sent: 0 },
          ok('PREFIX'),
          { received: 8, sent: 0 },
          failed('timeout', 'ghij'),
          { received: 12, sent: 0 },
          ok('Pab'),
          ok('k'),
          { received: 20, sent: 0 },
          { received: 20, sent: 6 },
        ],
      );
    });
  });

  describe('known differences from LuaSocket', () => {
    it("receive(0) returns '' at once where LuaSocket waits for data (lunarmodules/luasocket#427)", async () => {
      const [lua, core] = await Promise.all([
        onLua([{ receive: 0, timeout: 0.3 }, { send: 'Z' }, { receive: 0 }, { receive: 1 }]),
        onCore([{ receive: 0, timeout: 0.3 }, { send: 'Z' }, { receive: 0 }, { receive: 1 }]),
      ]);
      expect(lua).toEqual([failed('timeout', ''), ok(''), ok('Z')]);
      expect(core).toEqual([ok(''), ok(''), ok('Z')]);
    });

    it("receive('*l') in 'utf8' keeps an incomplete character for the next call, where LuaSocket splits it", async () => {
      // Same bytes either way; only where the partial ends differs (and so the byte count at that point).
      const steps: Step[] = [
        { send: 'ab\xc3' },
        { receive: '*l', timeout: 0.3 },
        { stats: true },
        { send: '\xa9\n' },
        { receive: '*l' },
        { stats: true },
      ];
      const [lua, core] = await Promise.all([onLua(steps), onCore(steps, 'utf8')]);
      expect(lua).toEqual([
        failed('timeout', 'ab\xc3'),
        { received: 3, sent: 0 },
        ok('\xa9'),
        { received: 5, sent: 0 },
      ]);
      expect(core).toEqual([
        failed('timeout', 'ab'),
        { received: 2, sent: 0 },
        ok('\xc3\xa9'),
        { received: 5, sent: 0 },
      ]);
    });

    it("receive('*l') stops at maxLineLength (1 MiB by default), where LuaSocket reads a line of any length", async () => {
      const { core, lua } = await pair('lua-server', 'buffer');
      const long = 1024 * 1024 + 10;
      await lua.command('rep', long, '78');
      await lua.command('send', hex('\n'));
      const cut = await outcome(core.receive('*l'));
      expect(cut).toEqual(failed('linetoolong', 'x'.repeat(1024 * 1024)));
      expect(await core.receive('*l')).toEqual(Buffer.from('x'.repeat(10)));
      // LuaSocket takes the same line whole.
      await core.send(Buffer.alloc(long, 'x'));
      await core.send('\n');
      expect(await lua.command('recv', '*l', '-', 'sum')).toEqual({
        len: long,
        fnv: fnvBytes(Buffer.alloc(long, 'x')),
        err: null,
      });
    });

    it('settimeout(b) alone is an idle timeout in the core, a bound on the whole call in LuaSocket', async () => {
      // Both receivers get one byte every 50 ms for 1 s, with a 0.4 s block timeout:
      // LuaSocket stops 0.4 s into the call, the core only once the peer is idle for 0.4 s.
      const drip = 20;
      const lua = new LuaPeer('peer-server.lua');
      const [, port] = await lua.expectLine(/^READY (\d+)$/);
      const toLua = await sender(Number(port));
      await lua.expectLine(/^ACCEPTED \d+$/);
      const server = await bind('127.0.0.1', 0, { encoding: 'latin1' });
      defer(() => server.close());
      const toCore = await sender(server.getsockname().port);
      const core = await server.accept({ timeout: 5 });
      defer(() => core.close());
      server.close();

      await lua.command('settimeout', 0.4);
      core.settimeout(0.4);
      const luaCall = lua.receive(100);
      const coreCall = outcome(core.receive(100));
      for (let i = 0; i < drip; i++) {
        await Promise.all([toLua.send('x'), toCore.send('x')]);
        await sleep(0.05);
      }
      const [luaResult, coreResult] = await Promise.all([luaCall, coreCall]);
      expect(luaResult.err).toBe('timeout');
      expect(luaResult.partial?.length).toBeLessThan(drip);
      expect(coreResult).toEqual(failed('timeout', 'x'.repeat(drip)));
    });
  });
});
