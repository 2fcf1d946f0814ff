/**
 * Connect–echo–close cycles through the fault proxy, a share of them reset:
 * concurrent workers each connect, send a random payload, read its echo
 * back byte for byte and close, half the cycles on the core and half on
 * compat. A cycle drawn for a reset goes through a proxy that resets every
 * connection — at once, mid-request or mid-echo — and may fail only as a
 * reset does; every other cycle must echo exactly and fail never.
 * Figures: cycles/s, each kind of failure counted, RSS and heap retained
 * per cycle, descriptors left open.
 */

import socket from '../../compat/index.js';
import { isReset } from '../../src/errors/socket-error.js';
import { connect, SocketError } from '../../src/index.js';
import { faultProxy, type FaultProxy, type Toxics, type Direction } from '../faults/proxy.js';
import { echoServer } from './echo-server.js';
import { fdCount, random, settledMemory, settleFds, type Random } from './probes.js';
import type { StressRun } from './report.js';

export interface CyclesScale {
  readonly cycles: number;
  readonly concurrency: number;
  /** The share of cycles sent through a resetting proxy. */
  readonly resetShare: number;
  /**
   * The heap a cycle may leave behind, in bytes. The run keeps some
   * hundreds of KiB of caches whatever its length, which a short run
   * divides by fewer cycles.
   */
  readonly heapPerCycle: number;
}

/** How a cycle ended: `'echoed'`, or the kind of failure, e.g. `'core receive reset'`. */
type Outcome = string;

/** The resets the proxies inject: every connection through one of them is reset. */
const RESETS: Partial<Record<Direction, Toxics>>[] = [
  { up: { reset: { after: 0 } } },
  { up: { reset: { after: 200 } } },
  { down: { reset: { after: 300 } } },
];
/** Payloads are longer than any reset point, so that no reset cycle can echo. */
const PAYLOAD = { min: 512, max: 16 * 1024 };
const WAIT = { timeout: 10 };

const isPrefix = (partial: Buffer, of: Buffer): boolean =>
  partial.length <= of.length && of.subarray(0, partial.length).equals(partial);

const coreCause = (err: unknown): string =>
  err instanceof SocketError
    ? `${err.code}${err.cause === undefined ? '' : ` (${String((err.cause as { code?: unknown }).code)})`}`
    : String(err);

async function coreCycle(proxy: FaultProxy, payload: Buffer): Promise<Outcome> {
  let client;
  try {
    client = await connect(proxy.host, proxy.port, { encoding: 'buffer', ...WAIT });
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown } }).cause;
    return cause?.code === 'ECONNRESET' ? 'core connect reset' : `core connect ${coreCause(err)}`;
  }
  try {
    try {
      await client.send(payload, WAIT);
    } catch (err) {
      return isReset(err) ? 'core send reset' : `core send ${coreCause(err)}`;
    }
    try {
      const echo = await client.receive(payload.length, WAIT);
      return echo.equals(payload) ? 'echoed' : 'core echo differs';
    } catch (err) {
      if (!isReset(err)) return `core receive ${coreCause(err)}`;
      const partial = (err as SocketError<Buffer>).partial;
      if (partial !== undefined && !isPrefix(partial, payload)) return 'core partial differs';
      return 'core receive reset';
    }
  } finally {
    client.close();
  }
}

async function compatCycle(proxy: FaultProxy, payload: Buffer): Promise<Outcome> {
  const [client, err] = await socket.connect(proxy.host, proxy.port);
  if (client === null) return `compat connect ${err}`;
  try {
    client.settimeout(WAIT.timeout);
    const text = payload.toString('latin1');
    const [, sendErr] = await client.send(text);
    // compat answers LuaSocket's plain 'closed' for a reset.
    if (sendErr !== null)
      return sendErr === 'closed' ? 'compat send closed' : `compat send ${sendErr}`;
    const [echo, receiveErr, partial] = await client.receive(payload.length);
    if (echo !== null) return echo === text ? 'echoed' : 'compat echo differs';
    if (receiveErr !== 'closed') return `compat receive ${receiveErr}`;
    return text.startsWith(partial) ? 'compat receive closed' : 'compat partial differs';
  } finally {
    client.close();
  }
}

/** The failures a reset cycle may end with; anything else is a failure of the run. */
const RESET_KINDS = new Set([
  'core connect reset',
  'core send reset',
  'core receive reset',
  'compat connect closed',
  'compat send closed',
  'compat receive closed',
]);

interface Tally {
  readonly clean: Map<Outcome, number>;
  readonly reset: Map<Outcome, number>;
}

async function drive(
  scale: CyclesScale,
  clean: FaultProxy,
  resetting: FaultProxy[],
  rng: Random,
): Promise<Tally> {
  const tally: Tally = { clean: new Map(), reset: new Map() };
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < scale.cycles; i = next++) {
      const reset = rng.next() < scale.resetShare;
      const proxy = reset ? rng.pick(resetting) : clean;
      const payload = rng.bytes(rng.int(PAYLOAD.min, PAYLOAD.max));
      const outcome = await (i % 2 === 0 ? coreCycle : compatCycle)(proxy, payload);
      const counts = reset ? tally.reset : tally.clean;
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: scale.concurrency }, worker));
  return tally;
}

export const cycles: StressRun<CyclesScale> = {
  name: 'cycles',
  title: 'connect–echo–close cycles through the proxy, a share reset',
  long: { cycles: 20_000, concurrency: 50, resetShare: 0.05, heapPerCycle: 256 },
  short: { cycles: 2_000, concurrency: 50, resetShare: 0.05, heapPerCycle: 1024 },
  async run(scale, report, seed) {
    const rng = random(seed);
    const fds = fdCount();
    const server = await echoServer();
    const options = { maxConnections: 4 * scale.concurrency, lifetime: 3_600_000 };
    const clean = await faultProxy(server.address, {}, options);
    const resetting = await Promise.all(RESETS.map((t) => faultProxy(server.address, t, options)));
    let tally: Tally;
    let memory: { rss: number; heapUsed: number };
    let seconds: number;
    let faultsBefore: number;
    try {
      // Warm the code paths first, so that compiled code is not counted per cycle.
      await drive({ ...scale, cycles: 500 }, clean, resetting, rng);
      faultsBefore = sum(resetting.map((p) => p.stats.faults));
      server.stats.reset = 0;
      server.stats.closed = 0;
      memory = settledMemory();
      const t0 = performance.now();
      tally = await drive(scale, clean, resetting, rng);
      seconds = (performance.now() - t0) / 1000;
    } finally {
      await Promise.all([clean, ...resetting].map((p) => p.close()));
      await server.close();
    }
    const after = settledMemory();
    report.figure('cycles', scale.cycles, 'cycles');
    report.figure('rate', scale.cycles / seconds, 'cycles/s');
    const resets = [...tally.reset.values()].reduce((a, b) => a + b, 0);
    report.figure('cycles drawn for a reset', resets, 'cycles');
    for (const [outcome, n] of tally.clean) {
      if (outcome === 'echoed') report.figure('clean cycles echoed exactly', n, 'cycles');
      else report.fail(`${n} clean cycles failed: ${outcome}`);
    }
    for (const [outcome, n] of tally.reset) {
      if (RESET_KINDS.has(outcome)) report.figure(`reset cycles: ${outcome}`, n, 'cycles');
      else report.fail(`${n} reset cycles ended otherwise than as a reset: ${outcome}`);
    }
    report.figure('server ends reset', server.stats.reset, 'connections');
    report.figure('server ends closed cleanly', server.stats.closed, 'connections');
    report.check(
      server.stats.other.length === 0,
      `server ends failed otherwise: ${server.stats.other.slice(0, 5).join(', ')}`,
    );
    const faults = sum(resetting.map((p) => p.stats.faults)) - faultsBefore;
    report.figure('resets the proxies injected', faults, 'resets');
    report.check(faults === resets, `${faults} resets injected for ${resets} reset cycles`);
    report.figure('faults on the clean proxy', clean.stats.faults, 'faults', {
      max: 0,
      text: '= 0',
    });
    report.figure('RSS retained per cycle', (after.rss - memory.rss) / scale.cycles, 'bytes');
    report.figure(
      'heap retained per cycle',
      (after.heapUsed - memory.heapUsed) / scale.cycles,
      'bytes',
      {
        max: scale.heapPerCycle,
        text: `<= ${scale.heapPerCycle} bytes (nothing kept per connection)`,
      },
    );
    const left = await settleFds(fds);
    report.figure('descriptors left open', left - fds, 'fds', {
      max: 0,
      text: '= 0 (back to the baseline)',
    });
  },
};

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
