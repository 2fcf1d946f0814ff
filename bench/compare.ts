/**
 * `npx tsx bench/compare.ts <before.json> <after.json>`: the rows that carry
 * a target, side by side from two runs of `npm run bench`, as the Markdown
 * table bench/README.md keeps. Each figure is the ratio its target is judged
 * on (measured in its own run), then MET / NOT MET.
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

const [beforeFile, afterFile] = process.argv.slice(2);
if (beforeFile === undefined || afterFile === undefined) {
  console.error('usage: tsx bench/compare.ts <before.json> <after.json>');
  process.exit(2);
}
const read = (file: string): Run => JSON.parse(readFileSync(file, 'utf8')) as Run;
const before = read(beforeFile);
const after = read(afterFile);

const key = (l: Line, v: Verdict): string => `${l.workload}|${l.case}|${l.contender}|${v.text}`;
const old = new Map<string, Verdict>();
for (const l of before.rows) for (const v of l.verdicts ?? []) old.set(key(l, v), v);

const cell = (v: Verdict | undefined): string => {
  if (v === undefined) return 'not measured';
  if (v.measured === undefined || v.met === undefined) return '?';
  const figure = Number.isFinite(v.measured) ? v.measured.toFixed(2) : String(v.measured);
  return `${figure} ${v.met ? 'MET' : 'NOT MET'}`;
};

console.log('| case | contender | target | before | after |');
console.log('| --- | --- | --- | --- | --- |');
for (const l of after.rows) {
  for (const v of l.verdicts ?? []) {
    const target = v.text.replace(/ \(.*\)$/, '');
    console.log(
      `| ${l.workload}: ${l.case} | ${l.contender} | ${target} | ${cell(old.get(key(l, v)))} | ${cell(v)} |`,
    );
  }
}
