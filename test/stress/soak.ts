/**
 * The soak: minutes of mixed traffic, TCP through two fault proxies to a
 * core echo server and UDP to an echo socket, while RSS and heap are
 * sampled every second (after a full collection, which the event-loop
 * delay histogram does not see). The clean proxy's toxics — latency,
 * re-slicing, bandwidth, stalls — change every few seconds and must cost
 * no byte; the lossy one truncates, resets or swallows, and its
 * connections may end only as such a cut does.
 * Figures: traffic, the least-squares slopes of RSS and heap over the
 * second half (bytes/minute), event-loop delay p50/p99, descriptors left.
 */

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { faultProxy, type Direction, type FaultProxy, type Toxics } from '../faults/proxy.js';
import { echoServer } from './echo-server.js';
import { fdCount, gc, random, settleFds, slope, type Random } from './probes.js';
import type { StressRun } from './report.js';
import { compatConnection, coreConnection, type Lane } from './soak-traffic.js';
import { udpEcho, udpWorker, type UdpTally } from './soak-udp.js';

export interface SoakScale {
  readonly seconds: number;
  readonly tcpWorkers: number;
  readonly udpWorkers: number;
  /** Seconds between changes of the proxies' toxics. */
  readonly toxicEvery: number;
  /** The share of TCP connections sent through the lossy proxy. */
  readonly lossyShare: number;
  /** Limits on the second half's slopes, MiB per minute; undefined: measured, not held. */
  readonly heapSlopeLimit: number;
  readonly rssSlopeLimit: number | undefined;
}

type ToxicSet = Partial<Record<Direction, Toxics>>;
const MiB = 1024 * 1024;

/** Toxics that delay or re-cut the stream but keep every byte, a few at a time. */
function harmless(rng: Random): ToxicSet {
  const one = (): Toxics => {
    const t: Toxics = {};
    for (let k = rng.int(0, 2); k > 0; k--) {
      const kind = rng.int(0, 3);
      if (kind === 0) t.latency = { ms: rng.int(1, 20), jitter: rng.int(0, 10) };
      else if (kind === 1) t.slice = { max: rng.int(16, 2048), delay: rng.pick([0, 0, 1]) };
      else if (kind === 2) t.bandwidth = { bytesPerSecond: rng.int(256 * 1024, 8 * MiB) };
      else t.stall = { ms: rng.int(10, 200) };
    }
    return t;
  };
  return { up: one(), down: one() };
}

/** One cut in one direction: a truncation, a reset or a blackhole. */
function lossy(rng: Random): ToxicSet {
  const kind = rng.int(0, 2);
  const t: Toxics =
    kind === 0
      ? { truncate: { after: rng.int(0, 64 * 1024) } }
      : kind === 1
        ? { reset: { after: rng.int(0, 64 * 1024) } }
        : { blackhole: { closeAfter: rng.int(50, 500) } };
  return rng.next() < 0.5 ? { up: t } : { down: t };
}

interface Samples {
  readonly t: number[];
  readonly rss: number[];
  readonly heap: number[];
  readonly fds: number[];
}

const count = (m: Map<string, number>, key: string): void => void m.set(key, (m.get(key) ?? 0) + 1);

export const soak: StressRun<SoakScale> = {
  name: 'soak',
  title: 'mixed TCP through changing toxics, and UDP',
  long: {
    seconds: 600,
    tcpWorkers: 8,
    udpWorkers: 4,
    toxicEvery: 5,
    lossyShare: 0.1,
    heapSlopeLimit: 1,
    rssSlopeLimit: 4,
  },
  short: {
    seconds: 20,
    tcpWorkers: 6,
    udpWorkers: 2,
    toxicEvery: 2,
    lossyShare: 0.1,
    heapSlopeLimit: 32,
    // Ten seconds of RSS move with the allocator more than with any leak (a
    // loaded run saw 160 MiB/min): only the heap, after full collections,
    // is held here.
    rssSlopeLimit: undefined,
  },
  async run(scale, report, seed) {
    const rng = random(seed);
    const fds = fdCount();
    const server = await echoServer();
    const options = { maxConnections: 1024, lifetime: (scale.seconds + 600) * 1000 };
    const clean = await faultProxy(server.address, harmless(rng), options);
    const cutting = await faultProxy(server.address, lossy(rng), options);
    const echo = await udpEcho();
    const RESOLUTION = 10;
    const delay = monitorEventLoopDelay({ resolution: RESOLUTION });
    const samples: Samples = { t: [], rss: [], heap: [], fds: [] };
    const ends = { clean: new Map<string, number>(), lossy: new Map<string, number>() };
    const traffic = { connections: 0, exchanges: 0, bytes: 0, toxicChanges: 0 };
    const udpTally: UdpTally = { datagrams: 0, bytes: 0, lost: 0, late: 0, failures: [] };
    const t0 = performance.now();
    const elapsed = (): number => (performance.now() - t0) / 1000;
    const stop = (): boolean => elapsed() >= scale.seconds;
    const sampler = setInterval(() => {
      delay.disable();
      gc();
      const { rss, heapUsed } = process.memoryUsage();
      samples.t.push(elapsed());
      samples.rss.push(rss);
      samples.heap.push(heapUsed);
      samples.fds.push(fdCount());
      delay.enable();
    }, 1000);
    const changer = setInterval(() => {
      clean.set(harmless(rng));
      cutting.set(lossy(rng));
      traffic.toxicChanges++;
    }, scale.toxicEvery * 1000);
    const tcpWorker = async (): Promise<void> => {
      while (!stop()) {
        const isLossy = rng.next() < scale.lossyShare;
        const proxy: FaultProxy = isLossy ? cutting : clean;
        const lane: Lane = { host: proxy.host, port: proxy.port, lossy: isLossy };
        const out = await (rng.next() < 0.5 ? coreConnection : compatConnection)(lane, rng);
        traffic.connections++;
        traffic.exchanges += out.exchanges;
        traffic.bytes += out.bytes;
        count(isLossy ? ends.lossy : ends.clean, out.end);
      }
    };
    delay.enable();
    try {
      await Promise.all([
        ...Array.from({ length: scale.tcpWorkers }, tcpWorker),
        ...Array.from({ length: scale.udpWorkers }, () =>
          udpWorker(echo.port, rng, stop, udpTally),
        ),
      ]);
    } finally {
      clearInterval(sampler);
      clearInterval(changer);
      delay.disable();
      await Promise.all([clean.close(), cutting.close(), echo.close()]);
      await server.close();
    }

    report.figure('soak length', elapsed(), 's');
    report.figure('TCP connections', traffic.connections, 'connections');
    report.figure('TCP exchanges verified', traffic.exchanges, 'exchanges');
    report.figure('TCP bytes verified exact', traffic.bytes, 'bytes');
    report.figure('toxic changes', traffic.toxicChanges, 'changes');
    for (const [end, n] of ends.clean) {
      if (end !== 'ok') report.fail(`${n} clean-lane connections: ${end}`);
    }
    report.figure('clean-lane connections ended well', ends.clean.get('ok') ?? 0, 'connections');
    for (const [end, n] of ends.lossy) {
      if (end.startsWith('FAIL')) report.fail(`${n} lossy-lane connections: ${end}`);
      else report.figure(`lossy-lane connections, ${end}`, n, 'connections');
    }
    report.figure('echo-server ends failed otherwise', server.stats.other.length, 'connections', {
      max: 0,
      text: '= 0 (only closes and resets)',
    });
    report.figure('UDP datagrams', udpTally.datagrams, 'datagrams');
    report.figure('UDP bytes verified exact', udpTally.bytes, 'bytes');
    report.figure(
      'UDP datagrams lost',
      (udpTally.lost / Math.max(1, udpTally.datagrams)) * 100,
      '%',
      {
        max: 1,
        text: '<= 1 % (loopback; the kernel may drop under load)',
      },
    );
    report.figure('UDP late replies skipped', udpTally.late, 'datagrams');
    for (const f of udpTally.failures.slice(0, 20)) report.fail(f, 'udp');

    const half = samples.t.findIndex((t) => t >= scale.seconds / 2);
    const [xs, rss, heap] = [samples.t, samples.rss, samples.heap].map((s) => s.slice(half));
    const perMinute = (ys: number[]): number => slope(xs as number[], ys) * 60;
    report.figure('memory samples in the second half', xs?.length ?? 0, 'samples', {
      min: 5,
      text: '>= 5 (enough for a slope)',
    });
    report.figure('heap slope, second half', perMinute(heap as number[]), 'bytes/min', {
      max: scale.heapSlopeLimit * MiB,
      text: `< ${scale.heapSlopeLimit} MiB/min (no growth once warm)`,
    });
    report.figure(
      'RSS slope, second half',
      perMinute(rss as number[]),
      'bytes/min',
      scale.rssSlopeLimit === undefined
        ? undefined
        : { max: scale.rssSlopeLimit * MiB, text: `< ${scale.rssSlopeLimit} MiB/min` },
    );
    report.figure('heap at the end', samples.heap.at(-1) ?? NaN, 'bytes');
    report.figure('RSS at the end', samples.rss.at(-1) ?? NaN, 'bytes');
    report.figure('descriptors at most', Math.max(...samples.fds), 'fds');
    // The histogram holds each interval of its 10 ms timer: the delay is what exceeds it.
    const lag = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION);
    report.figure('event-loop delay p50', lag(delay.percentile(50)), 'ms');
    report.figure('event-loop delay p99', lag(delay.percentile(99)), 'ms', {
      max: 100,
      text: '< 100 ms (the loop is never blocked for long)',
    });
    report.figure('event-loop delay max', lag(delay.max), 'ms');
    const left = await settleFds(fds);
    report.figure('descriptors left open', left - fds, 'fds', {
      max: 0,
      text: '= 0 (back to the baseline)',
    });
  },
};
