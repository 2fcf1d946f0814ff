/**
 * The runner of the fault matrix: one scenario is a server writing a seeded
 * payload through the proxy under one toxic set, and a client reading it
 * with a seeded sequence of patterns, timeouts, aborts and maybe a close of
 * its own; then everything it got must replay the stream exactly.
 */

import type { Socket } from 'node:net';
import { afterAll, expect } from 'vitest';
import { pause, rawServer, until } from '../helpers/loopback.js';
import { binaryPayload, int, pick, rng, textPayload } from './payload.js';
import { faultProxy } from './proxy.js';
import { bytesOf, type Data, type Encoding, type Layer, type Step } from './readers.js';
import { replay, type Got } from './stream-model.js';
import type { ToxicSet } from './toxic-table.js';

export interface Scenario {
  readonly layer: Layer;
  readonly toxic: ToxicSet;
  /** One pattern for the whole read, or 'mixed': a seeded sequence of all the layer's. */
  readonly pattern: Step['pattern'] | 'mixed';
  readonly encoding: Encoding;
  readonly host?: string;
  /** Listen on a Unix socket (the path) instead of TCP. */
  readonly path?: () => string;
  /** All data and the close arrive before the first read. */
  readonly readLate?: boolean;
}

const totals = { scenarios: 0, bytes: 0, faults: 0, timeouts: 0, aborts: 0, closes: 0 };
const toxicNames = new Set<string>();

/** Prints the file's one summary line once its tests are done. */
export function summarize(label: string): void {
  afterAll(() => {
    const mb = (totals.bytes / 1e6).toFixed(2);
    console.log(
      `faults ${label}: ${totals.scenarios} scenarios × ${toxicNames.size} toxics, ${mb} MB compared, ` +
        `${totals.faults} faults injected, ${totals.timeouts} timeouts, ${totals.aborts} aborts, ${totals.closes} closes here`,
    );
  });
}

const MAX_STEPS = 20_000;

/** Runs one scenario from `seed`; throws, naming the seed, when what was read does not replay. */
export async function run(s: Scenario, seed: number): Promise<void> {
  try {
    await attempt(s, seed);
  } catch (err) {
    const what = `${s.layer.name} ${s.toxic.name} ${String(s.pattern)} ${s.encoding}`;
    throw new Error(`scenario seed ${seed} (${what}): ${(err as Error).message}`, { cause: err });
  }
}

async function attempt(s: Scenario, seed: number): Promise<void> {
  const r = rng(seed);
  const size = int(r, ...s.toxic.size);
  const payload = s.encoding === 'utf8' ? textPayload(r, size) : binaryPayload(r, size);
  const tc = s.toxic.make(payload, r);
  const raw = await rawServer(s.host);
  const listen = s.path === undefined ? { host: raw.host } : { path: s.path() };
  const proxy = await faultProxy(raw, tc.toxics, { listen, random: r });
  const timers: NodeJS.Timeout[] = [];
  const got: Got[] = [];
  let closedHere = false;
  let ended: { err: string; reset: boolean } | undefined;
  try {
    const reader = await s.layer.open(proxy, s.encoding);
    if (reader === 'reset') {
      // Only a cut at byte 0 can reset the connection before connect sees it complete.
      expect(tc.delivered === 0 && tc.end === 'reset', 'a connect reset by a cut at byte 0').toBe(
        true,
      );
      ended = { err: 'closed', reset: true };
    } else {
      try {
        const server = await raw.accepted();
        void feed(server, payload.bytes, r);
        if (r() < 0.3) reader.settimeout(pick(r, [0, 0.002, 0.01, 0.05]), 'b');
        if (r() < 0.2) reader.settimeout(pick(r, [0.005, 0.03, 0.2]), 't');
        if (s.readLate === true) {
          await until(() => proxy.stats.bytes.down >= tc.delivered, 10_000, 'the payload');
          await pause(tc.delivered === 0 ? 100 : 20);
        }
        if (r() < 0.1) {
          timers.push(setTimeout(() => ((closedHere = true), reader.close()), int(r, 0, 40)));
        }
        let retry: Data | undefined;
        for (let i = 0; ended === undefined; i++) {
          if (i > MAX_STEPS) throw new Error('the read never ended');
          const step = stepFor(s, r, retry);
          const item = (v: Data): void => void got.push(piece(step, v, s.encoding, true));
          const out = await reader.receive(step, item);
          retry = undefined;
          if ('value' in out) {
            if (step.pattern === 'lines' || step.pattern === 'iterate') {
              ended = { err: 'end', reset: false };
              // A last line of CRs alone ends lines() with nothing to yield, its
              // CRs taken and dropped as '*l' drops them: an empty partial.
              if (step.pattern === 'lines')
                got.push({ as: 'line-part', bytes: Buffer.alloc(0), what: 'lines() end' });
            } else got.push(piece(step, out.value, s.encoding, false));
            if (step.pattern === '*a') ended = { err: 'end', reset: false };
            continue;
          }
          got.push(piece(step, out.partial, s.encoding, false, true));
          if (out.err === 'timeout') totals.timeouts++;
          else if (out.err === 'aborted' && step.abortAfter !== undefined) totals.aborts++;
          else if (out.err === 'closed') ended = out;
          else throw new Error(`unexpected error ${out.err}`);
          // Half the time the partial goes back as the next prefix, as LuaSocket's loops do.
          if (r() < 0.5 && out.partial.length > 0 && typeof step.pattern !== 'string')
            retry = out.partial;
          else if (r() < 0.5 && out.partial.length > 0 && step.pattern === '*l')
            retry = out.partial;
        }
      } finally {
        reader.close();
      }
    }
  } finally {
    for (const t of timers) clearTimeout(t);
    await proxy.close();
    await raw.close();
  }
  expect(proxy.stats.open).toBe(0);
  totals.scenarios++;
  toxicNames.add(s.toxic.name);
  totals.faults += proxy.stats.faults;
  if (closedHere) totals.closes++;
  const at = replay(payload.bytes, closedHere ? beforeReplacement(got) : got);
  totals.bytes += Math.max(...at);
  if (closedHere) return;
  expect(proxy.stats.bytes.down, 'bytes the proxy let through').toBe(tc.delivered);
  expect(proxy.stats.faults).toBe(tc.faults);
  expect([...at], 'where the reader stopped').toContain(tc.delivered);
  if (ended?.err === 'closed' && s.layer.name.startsWith('core')) {
    expect(ended.reset, 'a reset told from a FIN').toBe(tc.end === 'reset');
  }
}

const REPLACEMENT = Buffer.from('\uFFFD', 'utf8');

/**
 * What came before the first U+FFFD. A close here fails the pending read
 * with what is buffered as its partial, a character still incomplete there
 * as U+FFFD though the peer sent it whole; what follows it was never read.
 */
function beforeReplacement(got: readonly Got[]): Got[] {
  const i = got.findIndex((g) => g.bytes.includes(REPLACEMENT));
  if (i < 0) return [...got];
  const g = got[i] as Got;
  return [...got.slice(0, i), { ...g, bytes: g.bytes.subarray(0, g.bytes.indexOf(REPLACEMENT)) }];
}

/** What the reader got, as the stream model sees it: the prefix it was given taken off. */
function piece(step: Step, data: Data, encoding: Encoding, item: boolean, partial = false): Got {
  let bytes = bytesOf(data, encoding);
  const what = `${String(step.pattern)}${partial ? ' partial' : ''}`;
  if (step.prefix !== undefined && !item) {
    const prefix = bytesOf(step.prefix, encoding);
    expect(bytes.subarray(0, prefix.length).equals(prefix), `${what} starts with its prefix`).toBe(
      true,
    );
    bytes = bytes.subarray(prefix.length);
  }
  const line = step.pattern === '*l' || step.pattern === 'lines';
  // lines() yields an unterminated last line too: that one is a '*l' partial.
  const as = !line ? 'exact' : partial ? 'line-part' : step.pattern === 'lines' ? 'line?' : 'line';
  return { as, bytes, what };
}

function stepFor(s: Scenario, r: () => number, retry: Data | undefined): Step {
  const patterns = s.layer.patterns.filter(
    // In text mode n bytes may end inside a character: not a text pattern.
    (p) => !(s.encoding === 'utf8' && typeof p === 'number'),
  );
  let pattern = s.pattern === 'mixed' ? pick(r, patterns) : s.pattern;
  if (s.pattern === 'mixed' && (pattern === 'lines' || pattern === 'iterate') && r() < 0.7)
    pattern = '*l';
  if (typeof pattern === 'number') pattern = pick(r, [1, 2, 7, 64, 1000, 4096]);
  const prefixable = pattern === '*l' || pattern === '*a' || typeof pattern === 'number';
  const fresh = r() < 0.2 ? (s.encoding === 'buffer' ? Buffer.from('>>') : '>>') : undefined;
  const prefix = prefixable ? (retry ?? fresh) : undefined;
  const timed = r() < 0.3;
  const abort = s.layer.abortable && r() < 0.15;
  return {
    pattern:
      typeof pattern === 'number' && prefix !== undefined
        ? pattern + bytesOf(prefix, s.encoding).length
        : pattern,
    prefix,
    max: pick(r, [1, 3, 100, 65536]),
    timeout: s.layer.abortable && timed ? pick(r, [0, 0.001, 0.01, 0.05]) : undefined,
    abortAfter: abort ? int(r, 0, 20) : undefined,
  };
}

/** The server: the payload in seeded chunks, a pause now and then, then a FIN. */
async function feed(server: Socket, bytes: Buffer, r: () => number): Promise<void> {
  for (let at = 0; at < bytes.length && !server.destroyed;) {
    const n = int(r, 1, 4096);
    server.write(bytes.subarray(at, at + n));
    at += n;
    if (r() < 0.2) await pause(int(r, 0, 3));
  }
  if (!server.destroyed) server.end();
}

/** fast-check's parameters for `runs` runs; `FC_SEED` replays a printed seed. */
export function runsOf(runs: number): { numRuns: number; seed?: number; endOnFailure: true } {
  const seed = process.env.FC_SEED;
  return { numRuns: runs, endOnFailure: true, ...(seed !== undefined && { seed: Number(seed) }) };
}
