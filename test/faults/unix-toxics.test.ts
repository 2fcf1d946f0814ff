import fc from 'fast-check';
import { describe, it } from 'vitest';
import { socketDir } from '../helpers/unix-paths.js';
import { compat, core } from './readers.js';
import { run, runsOf, summarize, type Scenario } from './scenario.js';
import { TOXIC_SETS } from './toxic-table.js';

summarize('unix');

const { fresh } = socketDir('lsa-faults-');
const seeds = fc.integer({ min: 0, max: 2 ** 31 - 1 });
// Over a Unix socket the proxy has no RST to send: a reset reaches the client as a close.
const SUBSET = TOXIC_SETS.filter((t) =>
  ['none', 'slice 1..3', 'latency 5±5ms', 'truncate', 'stall 80ms'].includes(t.name),
);

describe.each(SUBSET)('Unix socket through $name', (toxic) => {
  it.each([
    { layer: core(true), encoding: 'utf8' as const },
    { layer: core(true), encoding: 'buffer' as const },
    { layer: compat(true), encoding: 'latin1' as const },
  ])('$layer.name, mixed, $encoding', async ({ layer, encoding }) => {
    const scenario: Scenario = { layer, toxic, pattern: 'mixed', encoding, path: fresh };
    await fc.assert(
      fc.asyncProperty(seeds, (seed) => run(scenario, seed)),
      runsOf(2),
    );
  });
});
