/**
 * What every fuzzer of this folder shares: its seed (FC_SEED replays a run)
 * and the one summary line it prints at the end.
 */

import { afterAll } from 'vitest';

/** The seed of this run: FC_SEED when set, else a fresh one; printed either way. */
export function fuzzSeed(): number {
  const given = process.env.FC_SEED;
  if (given !== undefined && given !== '') return Number(given) | 0;
  return (Math.random() * 0x7fffffff) | 0;
}

/** Counters a fuzzer fills in and prints as one line when its file ends. */
export interface Tally {
  runs: number;
  bytes: number;
  mismatches: number;
  /** Anything else worth a number on the summary line. */
  readonly extra: Record<string, number>;
}

/** A tally printed after the file's tests as `fuzz <name>: …, seed <seed>`. */
export function tally(name: string, seed: number): Tally {
  const t: Tally = { runs: 0, bytes: 0, mismatches: 0, extra: {} };
  afterAll(() => {
    const mb =
      t.bytes >= 1e6 ? `${(t.bytes / 1e6).toFixed(1)} MB` : `${(t.bytes / 1e3).toFixed(1)} kB`;
    const extra = Object.entries(t.extra).map(([k, v]) => `, ${v} ${k}`);
    console.log(
      `fuzz ${name}: ${t.runs} runs, ${mb}${extra.join('')}, ${t.mismatches} mismatches, seed ${seed}`,
    );
  });
  return t;
}
