/**
 * A raw `dgram` sender floods a core `udp()` socket (and a compat one) with
 * datagrams of random sizes (0 to 65507 bytes, the most 127.0.0.1 carries)
 * at random rates, while the socket reads slowly or not at all; then it
 * reads what is left. Every datagram received must be one that was sent,
 * byte for byte, in send order, none twice. Every datagram sent must be
 * received, dropped by the socket's bounded queue (the core's
 * `getstats().dropped`), or dropped by the kernel when its receive buffer
 * was full: Linux counts those per socket (the `drops` column of
 * /proc/net/udp), so where that file is readable the three add up exactly;
 * loopback loses nothing else. The process's memory stays within what the
 * queue may hold, plus a generous margin.
 */

import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import socket from 'luasocket-async/compat';
import { describe, expect, it } from 'vitest';
import { SocketError, udp } from '../../src/index.js';
import { pause } from '../helpers/loopback.js';
import { fuzzSeed, tally } from './fuzz-run.js';

const seed = fuzzSeed();
const stats = tally('udp flood', seed);
const count = (what: string, n = 1): void =>
  void (stats.extra[what] = (stats.extra[what] ?? 0) + n);

/** The largest UDP payload over IPv4. */
const MAX_DATAGRAM = 65507;

interface Flood {
  readonly sizes: number[];
  /** Datagrams sent back to back before the sender lets the event loop run. */
  readonly burst: number;
  /** Milliseconds between bursts. */
  readonly gap: number;
  /** The receiver reads one datagram every `readEvery` ms while the flood lasts; 0: not at all. */
  readonly readEvery: number;
  readonly queueLimit: number;
}

const size = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 1500 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 1, 3, 4, 8192, MAX_DATAGRAM) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: MAX_DATAGRAM }) },
);

const flood: fc.Arbitrary<Flood> = fc.record({
  sizes: fc.array(size, { minLength: 20, maxLength: 600, size: 'max' }),
  burst: fc.constantFrom(1, 10, 100, 1000),
  gap: fc.constantFrom(0, 1, 5),
  readEvery: fc.constantFrom(0, 0, 1, 10),
  queueLimit: fc.constantFrom(1, 8, 64, 1024),
});

/** Datagram `i` of a flood: its index in its first bytes, then bytes made from it. */
function datagram(i: number, length: number): Buffer {
  const out = Buffer.alloc(length, (i * 31 + 7) & 0xff);
  if (length >= 4) out.writeUInt32BE(i, 0);
  return out;
}

/** The kernel's count of datagrams dropped at this socket, where Linux shows it. */
function kernelDrops(port: number): number | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/net/udp', 'utf8');
  } catch {
    return undefined;
  }
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const row = table.split('\n').find((line) => line.trim().split(/\s+/)[1] === local);
  return row === undefined ? undefined : Number(row.trim().split(/\s+/).at(-1));
}

/** A receiver the flood is aimed at: the core's or compat's. */
interface Receiver {
  readonly port: number;
  /** The next datagram, or undefined when none comes within `ms`. */
  next(ms: number): Promise<Buffer | undefined>;
  /** Datagrams its queue dropped, where it says. */
  dropped(): number | undefined;
  close(): void;
}

async function coreReceiver(queueLimit: number): Promise<Receiver> {
  const u = udp({ encoding: 'buffer', queueLimit });
  await u.setsockname('127.0.0.1', 0);
  return {
    port: u.getsockname().port,
    next: async (ms) => {
      try {
        return await u.receive(MAX_DATAGRAM + 1, { timeout: ms / 1000 });
      } catch (err) {
        if (err instanceof SocketError && err.code === 'timeout') return undefined;
        throw err;
      }
    },
    dropped: () => u.getstats().dropped,
    close: () => u.close(),
  };
}

async function compatReceiver(): Promise<Receiver> {
  const [u, err] = socket.udp();
  if (u === null) throw new Error(err);
  const [bound, bindErr] = await u.setsockname('127.0.0.1', 0);
  if (bound === null) throw new Error(bindErr);
  return {
    port: Number(u.getsockname()[1]),
    next: async (ms) => {
      u.settimeout(ms / 1000);
      const [data, e] = await u.receive(MAX_DATAGRAM + 1);
      if (data !== null) return Buffer.from(data, 'latin1');
      if (e === 'timeout') return undefined;
      throw new Error(`compat receive: ${e}`);
    },
    // Compat's UDP object has no counter for its queue's drops (LuaSocket has none).
    dropped: () => undefined,
    close: () => u.close(),
  };
}

/** Sends the flood; resolves once every send has been handed to the kernel. */
async function send(sender: DgramSocket, port: number, f: Flood): Promise<void> {
  const sent: Promise<void>[] = [];
  for (const [i, length] of f.sizes.entries()) {
    sent.push(
      new Promise<void>((resolve, reject) =>
        sender.send(datagram(i, length), port, '127.0.0.1', (err) =>
          err ? reject(err) : resolve(),
        ),
      ),
    );
    if ((i + 1) % f.burst === 0) await pause(f.gap);
  }
  await Promise.all(sent);
}

async function run(kind: 'core' | 'compat', f: Flood): Promise<void> {
  const rss = process.memoryUsage().rss;
  const receiver = kind === 'core' ? await coreReceiver(f.queueLimit) : await compatReceiver();
  const sender = createSocket('udp4');
  const got: Buffer[] = [];
  try {
    sender.bind(0, '127.0.0.1');
    await once(sender, 'listening');
    let flooding = true;
    const slowReads = (async () => {
      while (flooding && f.readEvery > 0) {
        const d = await receiver.next(f.readEvery);
        if (d !== undefined) got.push(d);
      }
    })();
    await send(sender, receiver.port, f);
    flooding = false;
    await slowReads;
    // What is still queued comes at once; a pause with nothing new means the flood is over.
    for (let d = await receiver.next(50); d !== undefined; d = await receiver.next(50)) got.push(d);
    const grown = process.memoryUsage().rss - rss;
    const queueBound = (kind === 'core' ? f.queueLimit : 1024) * MAX_DATAGRAM;
    expect(grown, 'rss growth (bytes)').toBeLessThan(queueBound + 256 * 1024 * 1024);

    // Received: a subsequence of what was sent, byte for byte, each once.
    let next = 0;
    for (const [k, d] of got.entries()) {
      while (next < f.sizes.length && !d.equals(datagram(next, f.sizes[next] as number))) next++;
      expect(
        next,
        `datagram #${k} received (${d.length} bytes) matches none sent after the last`,
      ).toBeLessThan(f.sizes.length);
      next++;
    }
    const queued = receiver.dropped();
    const kernel = kernelDrops(receiver.port);
    const sent = f.sizes.length;
    if (queued !== undefined && kernel !== undefined) {
      expect(got.length + queued + kernel).toBe(sent);
      count('exact accounts');
    } else expect(got.length + (queued ?? 0) + (kernel ?? 0)).toBeLessThanOrEqual(sent);
    stats.runs++;
    stats.bytes += f.sizes.reduce((a, b) => a + b, 0);
    count('datagrams sent', sent);
    count('received', got.length);
    count('queue drops', queued ?? 0);
    count('kernel drops', kernel ?? 0);
  } finally {
    sender.close();
    receiver.close();
  }
}

describe.each(['core', 'compat'] as const)('%s udp()', (kind) => {
  it('keeps every datagram it does not drop, whole and in order, and counts the rest', async () => {
    await fc.assert(
      fc.asyncProperty(flood, (f) => run(kind, f)),
      { seed, numRuns: kind === 'core' ? 16 : 8 },
    );
  });
});
