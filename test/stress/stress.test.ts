/**
 * The short form of `npm run stress`: each run scaled down (its `short`
 * scale), asserting the invariants — exact bytes, only the injected errors,
 * descriptors and resources back to the baseline, memory slopes under a
 * generous bound — and never speed. `STRESS_SEED` replays a failing seed.
 */

import { describe, expect, it } from 'vitest';
import { cycles } from './cycles.js';
import { idle } from './idle.js';
import { seedFromEnv } from './probes.js';
import { Report, type StressRun } from './report.js';
import { selectMany } from './select-many.js';
import { soak } from './soak.js';

const seed = seedFromEnv();

function short<S>(run: StressRun<S>, seconds: number): void {
  it(
    `${run.title} (${JSON.stringify(run.short)})`,
    async () => {
      const report = new Report(run.name);
      await run.run(run.short, report, seed);
      expect(
        report.failures,
        `STRESS_SEED=${seed} replays; notes: ${report.notes.join('; ')}`,
      ).toEqual([]);
    },
    seconds * 1000,
  );
}

describe(`stress, short form (STRESS_SEED=${seed})`, () => {
  short(selectMany, 60);
  short(idle, 60);
  short(cycles, 60);
  short(soak, 90);
});
