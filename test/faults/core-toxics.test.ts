import fc from 'fast-check';
import { describe, it } from 'vitest';
import { hasIPv6 } from '../helpers/loopback.js';
import { core, type Encoding, type Step } from './readers.js';
import { run, runsOf, summarize, type Scenario } from './scenario.js';
import { TOXIC_SETS } from './toxic-table.js';

summarize('core');

const seeds = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const PATTERNS: readonly (Step['pattern'] | 'mixed')[] = [
  '*l',
  4,
  '*a',
  'any',
  'lines',
  'iterate',
  'mixed',
];
const ENCODINGS: readonly Encoding[] = ['utf8', 'buffer', 'latin1'];

const cases = PATTERNS.flatMap((pattern) =>
  ENCODINGS.filter((e) => !(e === 'utf8' && typeof pattern === 'number'))
    // latin1 decodes as buffer does, byte for byte: the mixed reads are enough for it.
    .filter((e) => e !== 'latin1' || pattern === 'mixed')
    .map((encoding) => ({ pattern, encoding })),
);

describe.each(TOXIC_SETS)('core through $name', (toxic) => {
  it.each(cases)('$pattern, $encoding', async ({ pattern, encoding }) => {
    const scenario: Scenario = { layer: core(), toxic, pattern, encoding };
    await fc.assert(
      fc.asyncProperty(seeds, (seed) => run(scenario, seed)),
      runsOf(toxic.slow === true ? 1 : 2),
    );
  });
});

describe('core: text read after everything arrived', () => {
  const sliced = TOXIC_SETS.filter((t) => t.name.startsWith('slice'));
  it.each(
    sliced.flatMap((toxic) =>
      (['*l', '*a', 'any', 'iterate'] as const).map((pattern) => ({ toxic, pattern })),
    ),
  )('$toxic.name, $pattern: no character is split', async ({ toxic, pattern }) => {
    const scenario: Scenario = { layer: core(), toxic, pattern, encoding: 'utf8', readLate: true };
    await fc.assert(
      fc.asyncProperty(seeds, (seed) => run(scenario, seed)),
      runsOf(2),
    );
  });
});

describe.skipIf(!hasIPv6)('core over ::1', () => {
  it.each(TOXIC_SETS.filter((t) => t.slow !== true))('$name, mixed', async (toxic) => {
    const scenario: Scenario = {
      layer: core(),
      toxic,
      pattern: 'mixed',
      encoding: 'buffer',
      host: '::1',
    };
    await fc.assert(
      fc.asyncProperty(seeds, (seed) => run(scenario, seed)),
      runsOf(1),
    );
  });
});
