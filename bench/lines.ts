/**
 * Lines per second: the core's `lines()` and `receive('*l')` loop against a
 * raw `'data'` handler with a hand-written split, on loopback, alternating
 * A B A B so both see the same machine. Usage: npx tsx bench/lines.ts [lines]
 */
import { createServer, connect as netConnect, type AddressInfo } from 'node:net';
import { connect } from '../src/index.js';

const LINES = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = 5;
const line = 'x'.repeat(39) + '\n';
const payload = Buffer.from(line.repeat(10_000));

async function serve(): Promise<{ port: number; close: () => void }> {
  const server = createServer((s) => {
    let left = LINES / 10_000;
    const pump = (): void => {
      while (left > 0) {
        left--;
        if (!s.write(payload)) return void s.once('drain', pump);
      }
      s.end();
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

async function raw(port: number): Promise<number> {
  return new Promise((resolve) => {
    const s = netConnect(port, '127.0.0.1');
    let count = 0;
    let rest = '';
    s.setEncoding('latin1');
    s.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      count += parts.length;
    });
    s.on('end', () => resolve(count));
  });
}

async function coreLines(port: number): Promise<number> {
  const c = await connect('127.0.0.1', port, { encoding: 'latin1' });
  let count = 0;
  for await (const _ of c.lines()) count++;
  c.close();
  return count;
}

async function coreReceive(port: number): Promise<number> {
  const c = await connect('127.0.0.1', port, { encoding: 'latin1' });
  let count = 0;
  for (;;) {
    try {
      await c.receive('*l');
      count++;
    } catch {
      break;
    }
  }
  c.close();
  return count;
}

const contenders = { raw, 'core lines()': coreLines, "core receive('*l')": coreReceive };
const { port, close } = await serve();
const rates: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of Object.entries(contenders)) {
    const t0 = performance.now();
    const n = await fn(port);
    const s = (performance.now() - t0) / 1000;
    if (n !== LINES) throw new Error(`${name}: ${n} lines, expected ${LINES}`);
    (rates[name] ??= []).push(n / s);
  }
}
close();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const base = median(rates.raw ?? []);
for (const [name, xs] of Object.entries(rates)) {
  const m = median(xs);
  console.log(`${name.padEnd(20)} ${(m / 1e6).toFixed(2)} M lines/s  ×${(m / base).toFixed(2)} raw  (min ${(Math.min(...xs) / 1e6).toFixed(2)}, max ${(Math.max(...xs) / 1e6).toFixed(2)})`);
}
