/**
 * `npm run stress [-- --short] [-- --only <run>[,<run>]] [-- --soak-minutes N]`:
 * the load and soak runs over loopback, one after another; prints every
 * figure with its unit and the limit it is held to, writes the same to
 * stress-results.json, and exits with 1 when an invariant failed.
 * `STRESS_SEED` replays a run's random choices. See test/stress/README.md.
 */

import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { cycles } from './cycles.js';
import { idle } from './idle.js';
import { seedFromEnv } from './probes.js';
import { format, Report, type RunResult, type StressRun } from './report.js';
import { selectMany } from './select-many.js';
import { soak, type SoakScale } from './soak.js';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at === -1 ? undefined : argv[at + 1];
};
const short = argv.includes('--short');
const only = option('--only')?.split(',');
const soakMinutes = Number(option('--soak-minutes') ?? 10);
if (!Number.isFinite(soakMinutes) || soakMinutes <= 0) {
  console.error('--soak-minutes takes a positive number');
  process.exit(2);
}

const soakScale: SoakScale = short ? soak.short : { ...soak.long, seconds: soakMinutes * 60 };

/** A run bound to the scale it runs at. */
interface Planned {
  readonly name: string;
  readonly title: string;
  readonly scale: unknown;
  go(report: Report, seed: number): Promise<void>;
}
const plan = <S>(run: StressRun<S>, scale: S = short ? run.short : run.long): Planned => ({
  name: run.name,
  title: run.title,
  scale,
  go: (report, seed) => run.run(scale, report, seed),
});
const all = [plan(selectMany), plan(idle), plan(cycles), plan(soak, soakScale)];
const chosen = all.filter((p) => only === undefined || only.includes(p.name));
if (chosen.length === 0) {
  console.error(`--only takes one or more of: ${all.map((p) => p.name).join(', ')}`);
  process.exit(2);
}

const seed = seedFromEnv();
const machine = `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node.js ${process.version}`;
console.log(`stress ${short ? '(short)' : '(long)'}: seed ${seed} (STRESS_SEED=${seed} replays)`);
console.log(`machine: ${machine}`);

const results: RunResult[] = [];
for (const run of chosen) {
  console.log(`\n${run.name}: ${run.title} ${JSON.stringify(run.scale)}`);
  const report = new Report(run.name, (line) => console.log(line));
  const t0 = performance.now();
  try {
    await run.go(report, seed);
  } catch (err) {
    report.fail(
      `the run threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  results.push(report.result(seconds));
  console.log(`  ${run.name} took ${seconds.toFixed(1)} s`);
}

const rows = results.flatMap((r) =>
  r.figures.map((f) => [
    r.run,
    f.name,
    format(f.value),
    f.unit,
    f.limit?.text ?? '',
    f.pass === undefined ? '' : f.pass ? 'ok' : 'FAIL',
  ]),
);
const header = ['run', 'figure', 'value', 'unit', 'limit', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]): string =>
  cells
    .map((c, i) => (i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
    .join('  ')
    .trimEnd();
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const r of rows) console.log(line(r));

const failures = results.flatMap((r) => r.failures.map((f) => `${r.run}: ${f}`));
writeFileSync(
  'stress-results.json',
  `${JSON.stringify({ date: new Date().toISOString(), machine, short, seed, results }, null, 2)}\n`,
);
console.log('\nwritten to stress-results.json');
if (failures.length > 0) {
  console.log(`\n${failures.length} invariant(s) FAILED:`);
  for (const f of failures) console.log(`  ${f}`);
  process.exitCode = 1;
} else {
  console.log('\nevery invariant held');
}
