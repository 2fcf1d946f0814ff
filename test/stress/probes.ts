/**
 * What the stress runs measure of the process itself: descriptors, the
 * descriptor limit, memory after a full collection, active resources, and
 * the least-squares slope of a series; plus the seeded random source every
 * run draws from.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Descriptors open in this process now (the listing's own one left out). */
export function fdCount(): number {
  return readdirSync('/proc/self/fd').length - 1;
}

/** The soft limit on open files (`ulimit -n`), which Node.js cannot raise. */
export function softFdLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
}

/**
 * How many socket pairs of `perPair` descriptors fit under the soft limit,
 * with `spare` left for the runtime; `wanted` when they all fit.
 */
export function fittingPairs(wanted: number, perPair: number, spare = 64): number {
  const room = Math.floor((softFdLimit() - fdCount() - spare) / perPair);
  return Math.max(0, Math.min(wanted, room));
}

let collector: (() => void) | undefined;

/** A full garbage collection, whether or not the process was started with --expose-gc. */
export function gc(): void {
  if (collector === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === 'function') collector = exposed;
    else {
      setFlagsFromString('--expose-gc');
      collector = runInNewContext('gc') as () => void;
    }
  }
  collector();
}

/** RSS and heap in use after two full collections, in bytes. */
export function settledMemory(): { rss: number; heapUsed: number } {
  gc();
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

/** Counts of each kind of active resource (`Timeout`, `TCPSocketWrap`, …). */
export function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo())
    counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

/** `now`'s counts above `before`'s, as `['Timeout ×3']`. */
export function grownResources(before: Map<string, number>, now = resources()): string[] {
  const grown: string[] = [];
  for (const [name, count] of now) {
    const was = before.get(name) ?? 0;
    if (count > was) grown.push(`${name} ×${count - was}`);
  }
  return grown;
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits (up to `ms`) for the descriptor count to fall back to `baseline`:
 * closes reach the kernel a few turns of the event loop after `close()`.
 * Returns the count it ended at.
 */
export async function settleFds(baseline: number, ms = 5000): Promise<number> {
  const deadline = performance.now() + ms;
  let now = fdCount();
  while (now > baseline && performance.now() < deadline) {
    await turn();
    await pause(10);
    now = fdCount();
  }
  return now;
}

/** Waits (up to `ms`) until no kind of active resource outnumbers `before`'s; returns what is left over. */
export async function settleResources(before: Map<string, number>, ms = 5000): Promise<string[]> {
  const deadline = performance.now() + ms;
  let grown = grownResources(before);
  while (grown.length > 0 && performance.now() < deadline) {
    await turn();
    await pause(10);
    grown = grownResources(before);
  }
  return grown;
}

/** The least-squares slope of `ys` against `xs`; NaN with fewer than two points. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return NaN;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i] as number;
    sy += ys[i] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    num += dx * ((ys[i] as number) - my);
    den += dx * dx;
  }
  return den === 0 ? NaN : num / den;
}

/** A seeded source of randomness (mulberry32): the same seed draws the same run. */
export interface Random {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Buffer;
}

/** The seed a run uses: `STRESS_SEED` when set, else a fresh one (printed, so a run replays). */
export function seedFromEnv(): number {
  const given = process.env.STRESS_SEED;
  return given !== undefined && given !== ''
    ? Number(given) >>> 0
    : Math.floor(Math.random() * 2 ** 32);
}

export function random(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  return {
    seed,
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T,
    bytes: (n: number): Buffer => {
      const out = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) out[i] = int(0, 255);
      return out;
    },
  };
}

/** The `q` quantile (0..1) of `values`, nearest rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export const mean = (values: readonly number[]): number =>
  values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
