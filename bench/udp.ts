/**
 * Datagrams per second: the core's `for await (const d of u)` against a raw
 * `node:dgram` 'message' handler, on loopback. Each round a sender in a child
 * process blasts N datagrams of SIZE bytes as fast as it can; the receiver
 * counts what arrives, from its first datagram to its last. Rounds alternate
 * A B A B so both contenders see the same machine; losses (kernel buffer
 * overflow, and for the core its bounded queue) are reported with the rates.
 * Blasting loses datagrams whenever the receiver is the slower side, so the
 * figure that compares the two best is the CPU the receiving process spends:
 * datagrams per CPU-second (user + system) of this process during the round.
 *
 * Usage: npx tsx bench/udp.ts [datagrams per round] [rounds] [size]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createSocket } from 'node:dgram';
import { udp } from '../src/index.js';

const N = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const SIZE = Number(process.argv[4] ?? 200);

/** The sender: connected, bursts of 256 sends per turn of its event loop. */
const SENDER = `
const dgram = require('node:dgram');
const [port, n, size] = process.argv.slice(1).map(Number);
const s = dgram.createSocket('udp4');
const buf = Buffer.alloc(size, 120);
let sent = 0;
s.connect(port, '127.0.0.1', () => {
  const burst = () => {
    for (let i = 0; i < 256 && sent < n; i++, sent++) s.send(buf);
    if (sent < n) setImmediate(burst);
    else setImmediate(() => s.close());
  };
  burst();
});
`;

interface Counter {
  count: number;
  bytes: number;
  first: number;
  last: number;
}

interface Receiver {
  port: number;
  counter: Counter;
  /** Datagrams the receiver itself dropped (the core's bounded queue). */
  dropped(): number;
  stop(): Promise<void>;
}

function tick(c: Counter, bytes: number): void {
  c.bytes += bytes;
  c.last = performance.now();
  if (c.count++ === 0) c.first = c.last;
}

async function raw(): Promise<Receiver> {
  const counter: Counter = { count: 0, bytes: 0, first: 0, last: 0 };
  const s = createSocket('udp4');
  s.on('message', (msg: Buffer) => tick(counter, msg.length));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return {
    port: s.address().port,
    counter,
    dropped: () => 0,
    stop: () => new Promise<void>((r) => s.close(() => r())),
  };
}

async function core(): Promise<Receiver> {
  const counter: Counter = { count: 0, bytes: 0, first: 0, last: 0 };
  const u = udp({ encoding: 'buffer' });
  await u.setsockname('127.0.0.1', 0);
  const loop = (async () => {
    for await (const { data } of u) tick(counter, data.length);
  })();
  return {
    port: u.getsockname().port,
    counter,
    dropped: () => u.getstats().dropped,
    stop: async () => {
      u.close();
      await loop;
    },
  };
}

interface Result {
  rate: number;
  perCpu: number;
  lost: number;
  dropped: number;
}

async function round(make: () => Promise<Receiver>): Promise<Result> {
  const r = await make();
  const cpu = process.cpuUsage();
  const child = spawn(process.execPath, ['-e', SENDER, String(r.port), String(N), String(SIZE)], {
    stdio: 'inherit',
  });
  await once(child, 'exit');
  // The sender is gone: wait until nothing more arrives (50 ms of quiet).
  for (let seen = -1; seen !== r.counter.count;) {
    seen = r.counter.count;
    await new Promise((done) => setTimeout(done, 50));
  }
  const used = process.cpuUsage(cpu);
  const { count, first, last } = r.counter;
  const dropped = r.dropped();
  await r.stop();
  return {
    rate: count / ((last - first) / 1000),
    perCpu: (count - dropped) / ((used.user + used.system) / 1e6),
    lost: N - count + dropped,
    dropped,
  };
}

const contenders = { "raw dgram 'message'": raw, 'core for await': core };
const results: Record<string, Result[]> = {};
for (let i = 0; i < ROUNDS; i++) {
  for (const [name, make] of Object.entries(contenders))
    (results[name] ??= []).push(await round(make));
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
console.log(
  `${N} datagrams of ${SIZE} bytes per round, ${ROUNDS} rounds each, node ${process.version}`,
);
const base = median((results["raw dgram 'message'"] ?? []).map((r) => r.perCpu));
const k = (x: number): string => `${(x / 1e3).toFixed(0)}k`;
for (const [name, rs] of Object.entries(results)) {
  const perCpu = rs.map((r) => r.perCpu);
  const m = median(perCpu);
  const lost = rs.reduce((sum, r) => sum + r.lost, 0) / (N * rs.length);
  const dropped = rs.reduce((sum, r) => sum + r.dropped, 0);
  console.log(
    `${name.padEnd(22)} ${k(m).padStart(6)} datagrams/CPU-s  ×${(m / base).toFixed(2)} raw` +
      `  (min ${k(Math.min(...perCpu))}, max ${k(Math.max(...perCpu))})` +
      `  wall ${k(median(rs.map((r) => r.rate)))}/s  lost ${(lost * 100).toFixed(1)}% (queue drops ${dropped})`,
  );
}
