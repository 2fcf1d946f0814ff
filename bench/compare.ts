/**
 * `npx tsx bench/compare.ts <before.json> <after.json> [<after.json> …]`: the
 * rows that carry a target, side by side from runs of `npm run bench`, as the
 * Markdown table bench/README.md keeps. Each figure is the ratio its target
 * is judged on (measured in its own run), then MET / NOT MET; more than one
 * later run shows how far a figure moves between runs.
 */
import { readFileSync } from 'node:fs';

interface Verdict {
  text: string;
  measured?: number;
  met?: boolean;
}

interface Line {
  workload: string;
  case: string;
  contender: string;
  verdicts?: Verdict[];
}

interface Run {
  rows: Line[];
}

const files = process.argv.slice(2);
if (files.length < 2) {
  console.error('usage: tsx bench/compare.ts <before.json> <after.json> [<after.json> …]');
  process.exit(2);
}
const read = (file: string): Run => JSON.parse(readFileSync(file, 'utf8')) as Run;
const runs = files.map(read);
const last = runs[runs.length - 1] as Run;

const key = (l: Line, v: Verdict): string => `${l.workload}|${l.case}|${l.contender}|${v.text}`;
const verdicts = runs.map((run) => {
  const map = new Map<string, Verdict>();
  for (const l of run.rows) for (const v of l.verdicts ?? []) map.set(key(l, v), v);
  return map;
});

const cell = (v: Verdict | undefined): string => {
  if (v === undefined) return 'not measured';
  if (v.measured === undefined || v.met === undefined) return '?';
  const figure = Number.isFinite(v.measured) ? v.measured.toFixed(2) : String(v.measured);
  return `${figure} ${v.met ? 'MET' : 'NOT MET'}`;
};

const names = [
  'before',
  ...runs.slice(1).map((_, i) => (runs.length > 2 ? `after, run ${i + 1}` : 'after')),
];
console.log(`| case | contender | target | ${names.join(' | ')} |`);
console.log(`| --- | --- | --- | ${names.map(() => '---').join(' | ')} |`);
for (const l of last.rows) {
  for (const v of l.verdicts ?? []) {
    const target = v.text.replace(/ \(.*\)$/, '');
    const cells = verdicts.map((map) => cell(map.get(key(l, v))));
    console.log(`| ${l.workload}: ${l.case} | ${l.contender} | ${target} | ${cells.join(' | ')} |`);
  }
}
