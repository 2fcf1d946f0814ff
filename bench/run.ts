/**
 * `npm run bench [-- --quick] [-- --only <workload>[,<workload>]]`: runs the
 * workloads, contenders alternating A B A B over several rounds, prints one
 * table (median, min–max, ratios to raw and to LuaSocket, the targets the
 * project holds each row to) and writes the same as JSON to bench/results/<timestamp>.json.
 * See bench/README.md for how to read it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import {
  haveLua,
  here,
  median,
  type Context,
  type Row,
  type Target,
  type Workload,
} from './lib.js';
import { bulk } from './workloads/bulk.js';
import { connections } from './workloads/connections.js';
import { lines } from './workloads/lines.js';
import { select } from './workloads/select.js';
import { small } from './workloads/small.js';
import { tls } from './workloads/tls.js';
import { udp } from './workloads/udp.js';

const all: Workload[] = [lines, bulk, small, udp, select, connections, tls];
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyAt = argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : (argv[onlyAt + 1] ?? '').split(',');
const roundsAt = argv.indexOf('--rounds');
const chosen = all.filter((w) => only === undefined || only.includes(w.name));
if (chosen.length === 0) {
  console.error(`--only takes one of: ${all.map((w) => w.name).join(', ')}`);
  process.exit(2);
}

const notes: string[] = [];
const ctx: Context = {
  quick,
  rounds: roundsAt !== -1 ? Number(argv[roundsAt + 1]) : quick ? 3 : 5,
  lua: haveLua(),
  note: (text) => {
    notes.push(text);
    console.log(`  · ${text}`);
  },
  rows: [],
};
if (!ctx.lua) ctx.note('LuaSocket contenders SKIPPED: lua5.4 with lua-socket is not installed');

const started = performance.now();
for (const w of chosen) {
  const t0 = performance.now();
  console.log(`running ${w.name}…`);
  await w.run(ctx);
  console.log(`  ${w.name} took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const seconds = (performance.now() - started) / 1000;

/** A target and what this run measured against it (`undefined`: its reference is missing). */
type Verdict = Target & { measured: number | undefined; met: boolean | undefined };

interface Line extends Row {
  median: number;
  min: number;
  max: number;
  vsRaw: number | undefined;
  vsLua: number | undefined;
  verdicts: Verdict[];
}

const ratio = (rows: Row[], row: Row, ref: string | undefined): number | undefined => {
  if (ref === undefined || ref === row.contender) return undefined;
  const other = rows.find(
    (r) => r.workload === row.workload && r.case === row.case && r.contender === ref,
  );
  if (other === undefined) return undefined;
  const [a, b] = [median(row.values), median(other.values)];
  // Both nothing (e.g. 0 % lost against 0 %): as good as the reference.
  return a === 0 && b === 0 ? 1 : a / b;
};

const table: Line[] = ctx.rows.map((row) => {
  const m = median(row.values);
  const vsRaw = ratio(ctx.rows, row, row.raw);
  const vsLua = ratio(ctx.rows, row, row.lua);
  const verdicts = (row.targets ?? []).map((t): Verdict => {
    const measured =
      t.vs === 'row'
        ? ratio(ctx.rows, row, t.row)
        : t.vs === 'abs'
          ? m
          : t.vs === 'raw'
            ? vsRaw
            : vsLua;
    const met =
      measured === undefined ? undefined : row.higher ? measured >= t.limit : measured <= t.limit;
    return { ...t, measured, met };
  });
  return {
    ...row,
    median: m,
    min: Math.min(...row.values),
    max: Math.max(...row.values),
    vsRaw,
    vsLua,
    verdicts,
  };
});

const num = (x: number): string => {
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (a >= 100) return x.toFixed(0);
  return x.toFixed(a >= 10 ? 1 : 2);
};
const x = (r: number | undefined): string => (r === undefined ? '' : `${r.toFixed(2)}×`);
const header = ['case', 'contender', 'median', 'min–max', 'unit', '×raw', '×Lua', 'target'];
const body = table.map((l) => [
  `${l.workload}: ${l.case}`,
  l.contender,
  num(l.median),
  `${num(l.min)}–${num(l.max)}`,
  l.unit,
  x(l.vsRaw),
  x(l.vsLua),
  l.verdicts
    .map(
      (v) =>
        // A ratio to another contender has no column of its own: print it here.
        `${v.text}${v.vs === 'row' && v.measured !== undefined ? ` (${x(v.measured)})` : ''} ` +
        (v.met === undefined ? '?' : v.met ? 'MET' : 'NOT MET'),
    )
    .join('; '),
]);
const widths = header.map((h, i) =>
  Math.max(h.length, ...body.map((b) => (b[i] as string).length)),
);
const fmt = (cells: string[]): string =>
  cells
    .map((c, i) =>
      i >= 2 && i <= 6 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number),
    )
    .join('  ');
console.log(
  `\nluasocket-async bench (${quick ? 'quick' : 'full'}), node ${process.version}, ${cpus().length} CPUs, ` +
    `${ctx.rounds} rounds, ${seconds.toFixed(0)} s`,
);
console.log(fmt(header));
let last = '';
for (const [i, b] of body.entries()) {
  const group = `${table[i]?.workload}: ${table[i]?.case}`;
  if (group !== last && last !== '') console.log('');
  last = group;
  console.log(fmt(b));
}
for (const n of notes) console.log(`note: ${n}`);

const dir = here('results');
mkdirSync(dir, { recursive: true });
const file = `${dir}/${new Date().toISOString().replaceAll(':', '-')}.json`;
writeFileSync(
  file,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      quick,
      rounds: ctx.rounds,
      seconds,
      notes,
      rows: table,
    },
    null,
    2,
  ),
);
console.log(`\nwritten: ${file}`);
