/**
 * Garbage to the compat example servers, run as programs the way
 * test/examples starts them: random bytes, huge lines with no LF,
 * connections that close or reset mid-line, half-closes, many connections
 * at once. After each burst the server must still be running, serve a
 * well-behaved client exactly, and be back to no connections (by what it
 * prints, and by its open descriptors in /proc), its memory bounded. The
 * chat server's line guard must hold: a line past 4 KiB drops its sender,
 * as the example documents (`<name> left (line too long)`).
 */

import { readdirSync, readFileSync } from 'node:fs';
import { connect as rawConnect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type TcpClient } from '../../src/index.js';
import { startExample, type ExampleProcess } from '../helpers/example-process.js';
import { pause, until } from '../helpers/loopback.js';
import { binaryPiece } from './arbitraries.js';
import { fuzzSeed, tally } from './fuzz-run.js';

const seed = fuzzSeed();
const stats = tally('garbage', seed);
const count = (what: string, n = 1): void =>
  void (stats.extra[what] = (stats.extra[what] ?? 0) + n);

/** One garbage connection: what it sends, with pauses, and how it ends. */
interface Garbage {
  readonly sends: { bytes: Buffer; pause: number }[];
  readonly end: 'close' | 'reset' | 'half-close';
}

const send = fc.oneof(
  { weight: 4, arbitrary: binaryPiece(200) },
  // A huge line with no LF in it.
  {
    weight: 1,
    arbitrary: fc.integer({ min: 5000, max: 300_000 }).map((n) => Buffer.alloc(n, 'x')),
  },
);

const garbage: fc.Arbitrary<Garbage> = fc.record({
  sends: fc.array(fc.record({ bytes: send, pause: fc.constantFrom(0, 0, 2) }), { maxLength: 6 }),
  end: fc.constantFrom<Garbage['end']>('close', 'reset', 'half-close'),
});

const burst = fc.array(garbage, { minLength: 1, maxLength: 16 });

/** Runs one garbage connection to its end; it reads and discards what the server sends. */
async function spew(port: number, g: Garbage): Promise<void> {
  const s: Socket = rawConnect(port, '127.0.0.1');
  s.on('error', () => undefined);
  s.resume();
  const closed = new Promise<void>((resolve) => s.once('close', () => resolve()));
  await new Promise<void>((resolve) => s.once('connect', resolve).once('close', resolve));
  for (const { bytes, pause: ms } of g.sends) {
    if (s.destroyed) break;
    s.write(bytes);
    stats.bytes += bytes.length;
    if (ms > 0) await pause(ms);
  }
  if (g.end === 'half-close') {
    s.end();
    // The server sees its end and closes; a guard only against a hang.
    let guard: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise((resolve) => (guard = setTimeout(resolve, 10_000)))]);
    clearTimeout(guard);
  }
  if (g.end === 'reset' && !s.destroyed) {
    await new Promise((resolve) => setImmediate(resolve));
    s.resetAndDestroy();
  }
  s.destroy();
  await closed;
}

/** The server's open descriptors, by /proc. */
function fds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** The server's resident memory in bytes, by /proc. */
function rss(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(kb?.[1] ?? 0) * 1024;
}

async function client(port: number): Promise<TcpClient> {
  const c = await connect('127.0.0.1', port, { timeout: 10 });
  c.settimeout(10);
  return c;
}

interface Server {
  readonly script: string;
  readonly args: string[];
  /** The port, from the first line the server prints. */
  readonly ready: RegExp;
  /** How many connections the server holds now, by what it printed; undefined where it prints nothing. */
  readonly open: (printed: readonly string[]) => number | undefined;
  /** A well-behaved client's check that the server still serves exactly. */
  readonly check: (port: number, n: number) => Promise<void>;
}

const held = (printed: readonly string[], opened: RegExp, left: RegExp): number =>
  printed.filter((l) => opened.test(l)).length - printed.filter((l) => left.test(l)).length;

const echoes = async (port: number, n: number): Promise<void> => {
  await using c = await client(port);
  const line = `well behaved ${n} \u00e9\u00e8`;
  await c.send(`${line}\r\n`);
  expect(await c.receive('*l')).toBe(line);
};

const SERVERS: Server[] = [
  {
    script: 'examples/compat/select-echo.ts',
    args: [],
    ready: /^listening on (\d+)$/,
    open: (p) => held(p, / connected$/, / left$/),
    check: echoes,
  },
  {
    script: 'examples/compat/echo-server.ts',
    args: [],
    ready: /^Please telnet to localhost on port (\d+)$/,
    open: () => undefined,
    check: echoes,
  },
  {
    script: 'examples/compat/chat-server.ts',
    args: [],
    ready: /^listening on (\d+)$/,
    open: (p) => held(p, / joined$/, / left( \(.*\))?$/),
    check: async (port, n) => {
      await using a = await client(port);
      await using b = await client(port);
      await b.send(`hello ${n}\n`);
      const name = `127.0.0.1:${b.getsockname().port}`;
      while ((await a.receive('*l')) !== `${name}: hello ${n}`);
    },
  },
  {
    script: 'examples/compat/forwarder.ts',
    args: [],
    ready: /^forwarding 127\.0\.0\.1:(\d+) to /,
    open: (p) => held(p, /^#\d+ open$/, /^#\d+ (closed|failed)/),
    check: async (port, n) => {
      await using c = await connect('127.0.0.1', port, { timeout: 10, encoding: 'buffer' });
      c.settimeout(10);
      const bytes = Buffer.from(Array.from({ length: 4096 + n }, (_, i) => (i * 7) & 0xff));
      await c.send(bytes);
      c.shutdown('send');
      expect((await c.receive('*a')).equals(bytes)).toBe(true);
    },
  },
];

describe.each(SERVERS)('$script', (server) => {
  let example: ExampleProcess;
  let port: number;
  let baseFds: number;
  let baseRss: number;

  beforeAll(async () => {
    example = startExample(server.script, server.args);
    const m = server.ready.exec(await example.line());
    if (m === null) throw new Error(`${server.script} did not start: ${example.stderr}`);
    port = Number(m[1]);
    await server.check(port, 0);
    const pid = example.child.pid as number;
    await until(() => (server.open(example.printed) ?? 0) === 0, 10_000, 'no connection left');
    await pause(100);
    baseFds = fds(pid);
    baseRss = rss(pid);
  });

  afterAll(async () => {
    await example[Symbol.asyncDispose]();
  });

  it('survives random bursts of garbage and serves a good client exactly after each', async () => {
    const pid = example.child.pid as number;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(burst, async (connections) => {
        n++;
        await Promise.all(connections.map((g) => spew(port, g)));
        expect(example.child.exitCode, example.stderr).toBeNull();
        await server.check(port, n);
        await until(() => (server.open(example.printed) ?? 0) === 0, 10_000, 'no connection left');
        await until(() => fds(pid) <= baseFds, 10_000, `descriptors back to ${baseFds}`);
        expect(rss(pid) - baseRss, 'server rss growth').toBeLessThan(256 * 1024 * 1024);
        stats.runs++;
        count('connections', connections.length);
      }),
      { seed, numRuns: 6 },
    );
    expect(example.stderr).toBe('');
    if (server.script.endsWith('chat-server.ts')) {
      count(
        'dropped for a long line',
        example.printed.filter((l) => l.endsWith('(line too long)')).length,
      );
    }
  });
});

it('the chat server drops a client whose line passes 4 KiB, and says why', async () => {
  await using example = startExample('examples/compat/chat-server.ts');
  const port = Number(/^listening on (\d+)$/.exec(await example.line())?.[1]);
  await using c = await client(port);
  const name = `127.0.0.1:${c.getsockname().port}`;
  await c.send('y'.repeat(5000));
  await until(() => example.printed.includes(`${name} left (line too long)`), 10_000, 'the drop');
});
