import fc from 'fast-check';
import { describe, it } from 'vitest';
import { compat, type Encoding, type Step } from './readers.js';
import { run, runsOf, summarize, type Scenario } from './scenario.js';
import { TOXIC_SETS } from './toxic-table.js';

summarize('compat');

const seeds = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const PATTERNS: readonly (Step['pattern'] | 'mixed')[] = ['*l', 4, '*a', 'mixed'];
const ENCODINGS: readonly Encoding[] = ['latin1', 'utf8'];

const cases = PATTERNS.flatMap((pattern) =>
  ENCODINGS.filter((e) => !(e === 'utf8' && typeof pattern === 'number')).map((encoding) => ({
    pattern,
    encoding,
  })),
);

describe.each(TOXIC_SETS)('compat through $name', (toxic) => {
  it.each(cases)('$pattern, $encoding', async ({ pattern, encoding }) => {
    const scenario: Scenario = { layer: compat(), toxic, pattern, encoding };
    await fc.assert(
      fc.asyncProperty(seeds, (seed) => run(scenario, seed)),
      runsOf(toxic.slow === true ? 1 : 2),
    );
  });
});
