/**
 * small: receive(1), receive(10), receive(16) loops while the data arrives,
 * as a user's program meets it: the peer starts streaming when the client
 * connects, and timing starts right after connect, with no pause to let a
 * buffer fill. Figure: ns per call (lower is better).
 *   await floor   no socket: `await` of an async function returning a slice of
 *                 a string made before timing (the least an awaited call costs)
 *   core          `await c.receive(n)`, default options (text); receive(10)
 *                 also with `encoding: 'buffer'`, and as a `receiveBuffered(10)`
 *                 hot loop that awaits `receive(10)` only when nothing is buffered
 *   compat        `c:receive(n)` on `socket.connect`'s default object
 *   Lua           bench/lua/small.lua, the same loop
 * receive(10) also has the old pre-buffered rows, as a case of their own: the
 * core in latin1 with its buffer above the payload, filled before timing;
 * compat after a 50 ms pause; LuaSocket after a 0.2 s pause.
 */
import socket from '../../compat/index.js';
import { connect, type ReceivePattern, type TcpClient } from '../../src/index.js';
import {
  alternate,
  closedWith,
  lua,
  peer,
  sleepMs,
  tick,
  type Context,
  type Target,
  type Workload,
} from '../lib.js';

/** What the core contenders need of a client, whatever its encoding. */
interface Receiver {
  receive(pattern: ReceivePattern): Promise<{ length: number }>;
  close(): void;
  readonly buffered: number;
}

/** The label of the old way's rows, and the case they form. */
const PRE = '[pre-buffered]';

function perCall(who: string, t0: number, calls: number, got: number, expected: number): number {
  const ns = ((performance.now() - t0) * 1e6) / calls;
  if (got !== expected) throw new Error(`${who}: ${got} bytes, expected ${expected}`);
  return ns;
}

/** After the timed loop: the peer sent exactly what was read, then closed. */
async function nothingLeft(who: string, c: Receiver): Promise<void> {
  // '*a' that reads nothing before the close ends in `closed`, as LuaSocket 3's does.
  const rest = await c.receive('*a').then((d) => d.length, closedWith);
  c.close();
  if (rest !== 0) throw new Error(`${who}: ${rest} bytes left unread`);
}

// An async function on purpose: its promise is what the floor measures.
// eslint-disable-next-line @typescript-eslint/require-await
async function sliceAt(s: string, i: number, n: number): Promise<string> {
  return s.slice(i, i + n);
}

async function floor(s: string, n: number, calls: number): Promise<number> {
  let got = 0;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) got += (await sliceAt(s, i * n, n)).length;
  return perCall('await floor', t0, calls, got, calls * n);
}

async function core(who: string, c: Receiver, n: number, calls: number): Promise<number> {
  let got = 0;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) got += (await c.receive(n)).length;
  const ns = perCall(who, t0, calls, got, calls * n);
  await nothingLeft(who, c);
  return ns;
}

async function coreBuffered(c: TcpClient, n: number, calls: number): Promise<number> {
  let got = 0;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) got += (c.receiveBuffered(n) ?? (await c.receive(n))).length;
  const ns = perCall('core receiveBuffered', t0, calls, got, calls * n);
  await nothingLeft('core receiveBuffered', c);
  return ns;
}

/** The old way: the core's buffer holds the whole payload before timing. */
async function corePrebuffered(port: number, n: number, calls: number): Promise<number> {
  const bytes = calls * n;
  const c = await connect('127.0.0.1', port, { encoding: 'latin1', highWaterMark: bytes + 1 });
  while (c.buffered < bytes) await tick();
  return core(`core ${PRE}`, c, n, calls);
}

async function compat(port: number, n: number, calls: number, pause: boolean): Promise<number> {
  const [c, err] = await socket.connect('127.0.0.1', port);
  if (c === null) throw new Error(err);
  if (pause) await sleepMs(50);
  let got = 0;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const [data, e] = await c.receive(n);
    if (data === null) throw new Error(`compat: ${e}`);
    got += data.length;
  }
  const ns = perCall('compat', t0, calls, got, calls * n);
  // As LuaSocket 3's, '*a' that reads nothing before the close answers `closed`.
  const [rest, e, partial] = await c.receive('*a');
  c.close();
  if ((rest ?? partial) !== '' || (rest === null && e !== 'closed'))
    throw new Error(`compat: ${e ?? ''} ${(rest ?? partial).length} bytes left unread`);
  return ns;
}

async function luaSmall(port: number, n: number, calls: number, pause: boolean): Promise<number> {
  const child = lua('small.lua', port, n, calls, ...(pause ? ['prebuffered'] : []));
  const [, done, seconds, got, rest] = (await child.ask()).map(Number);
  await child.close();
  if (done !== calls || got !== calls * n || rest !== 0)
    throw new Error(`LuaSocket: ${done} calls, ${got} bytes, ${rest} left; expected ${calls * n}`);
  return ((seconds as number) * 1e9) / calls;
}

const lua15: Target[] = [{ vs: 'lua', limit: 1.5, text: '<= 1.5x LuaSocket' }];
const TARGETS: Record<string, Target[]> = {
  'core receive(1)': lua15,
  'core receive(10)': [
    { vs: 'row', row: 'await floor', limit: 1.3, text: '<= 1.3x await floor' },
    ...lua15,
  ],
  'core receive(16)': lua15,
  'compat receive(10)': [
    { vs: 'row', row: 'core receive(10)', limit: 1.2, text: '<= 1.2x core receive(10)' },
  ],
  'core receiveBuffered(10)': [{ vs: 'lua', limit: 0.5, text: '<= 0.5x LuaSocket' }],
};

export const small: Workload = {
  name: 'small',
  async run(ctx: Context): Promise<void> {
    const calls = ctx.quick ? 100_000 : 300_000;
    ctx.note(`small: ${calls} calls of each receive(n) per run, streamed from connect`);
    for (const n of [1, 10, 16]) {
      const bytes = calls * n;
      // Flat (not a rope) before timing, so that no slice pays to flatten it.
      const text = Buffer.alloc(bytes, 121).toString('latin1');
      const server = peer('stream', 'bulk', bytes);
      const port = Number((await server.ask())[1]);
      const open = () => connect('127.0.0.1', port);
      const tuned = n === 10;
      const results = await alternate(ctx.rounds, {
        'await floor': () => floor(text, n, calls),
        [`core receive(${n})`]: async () => core('core', await open(), n, calls),
        ...(tuned && {
          'core receive(10) [buffer]': async () =>
            core(
              'core [buffer]',
              await connect('127.0.0.1', port, { encoding: 'buffer' }),
              n,
              calls,
            ),
        }),
        ...(tuned && {
          'core receiveBuffered(10)': async () => coreBuffered(await open(), n, calls),
        }),
        [`compat receive(${n})`]: () => compat(port, n, calls, false),
        ...(ctx.lua && { LuaSocket: () => luaSmall(port, n, calls, false) }),
        ...(tuned && {
          'core receive(10) [latin1, pre-buffered]': () => corePrebuffered(port, n, calls),
          [`compat receive(10) ${PRE}`]: () => compat(port, n, calls, true),
        }),
        ...(tuned && ctx.lua && { [`LuaSocket ${PRE}`]: () => luaSmall(port, n, calls, true) }),
      });
      await server.close();
      for (const [contender, values] of Object.entries(results)) {
        const pre = contender.endsWith('pre-buffered]');
        const targets = TARGETS[contender];
        ctx.rows.push({
          workload: 'small',
          case: pre ? `receive(${n}) ${PRE}` : `receive(${n})`,
          contender,
          unit: 'ns/call',
          higher: false,
          values,
          ...(ctx.lua && { lua: pre ? `LuaSocket ${PRE}` : 'LuaSocket' }),
          ...(targets !== undefined && { targets }),
        });
      }
    }
  },
};
