/**
 * select over many sockets: thousands of idle loopback connections, one of
 * them made readable at random each round, and one `select` over all the
 * clients, first the core's, then compat's `socket.select` over
 * `socket.connect` objects. Each answer must be exactly the one ready
 * client, and a poll with nothing ready must answer nothing.
 *   ready    the byte is already buffered when select starts
 *   waiting  select is pending when the peer sends the byte (the time then
 *            includes the byte's trip over loopback)
 */

import socket, { type TcpObject } from '../../compat/index.js';
import { connect, select, type TcpClient } from '../../src/index.js';
import { openPairs, type Pairs } from './pairs.js';
import { fdCount, fittingPairs, mean, quantile, random, settleFds, type Random } from './probes.js';
import type { Report, StressRun } from './report.js';

export interface SelectScale {
  readonly sockets: number;
  /** Rounds of each path (ready, waiting) on each layer. */
  readonly rounds: number;
}

/** How one layer selects and reads; `C` is its client type. */
interface Layer<C> {
  readonly name: string;
  readonly dial: (port: number) => Promise<C>;
  readonly localPort: (client: C) => number;
  /** The readable clients, or `'timeout'`. */
  readonly readable: (clients: C[], timeout: number) => Promise<C[] | 'timeout'>;
  readonly buffered: (client: C) => boolean;
  /** Reads one byte; throws when the read fails. */
  readonly readByte: (client: C) => Promise<number>;
}

const core: Layer<TcpClient<Buffer>> = {
  name: 'core',
  dial: (port) => connect('127.0.0.1', port, { encoding: 'buffer' }),
  localPort: (c) => c.getsockname().port,
  readable: async (clients, timeout) => {
    const { readable, timedOut } = await select(clients, null, { timeout });
    return timedOut ? 'timeout' : readable;
  },
  buffered: (c) => c.buffered > 0,
  readByte: async (c) => (await c.receive(1, { timeout: 10 }))[0] ?? -1,
};

const compat: Layer<TcpObject> = {
  name: 'compat',
  dial: async (port) => {
    const [c, err] = await socket.connect('127.0.0.1', port);
    if (c === null) throw new Error(`socket.connect: ${err}`);
    return c;
  },
  localPort: (c) => {
    const [, port] = c.getsockname();
    return Number(port);
  },
  readable: async (clients, timeout) => {
    const [readable, , err] = await socket.select(clients, null, timeout);
    return err === 'timeout' ? 'timeout' : [...readable];
  },
  buffered: (c) => c.dirty(),
  readByte: async (c) => {
    c.settimeout(10);
    const [data, err] = await c.receive(1);
    if (data === null) throw new Error(`receive: ${err}`);
    return data.charCodeAt(0);
  },
};

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Why `answer` is not exactly `[expected]`, or undefined when it is. */
function wrongAnswer<C>(answer: C[] | 'timeout', expected: C, all: C[]): string | undefined {
  if (answer === 'timeout') return 'timed out';
  if (answer.length === 1 && answer[0] === expected) return undefined;
  const at = answer.slice(0, 5).map((c) => all.indexOf(c));
  return `${answer.length} readable (indices ${at.join(', ')}), expected index ${all.indexOf(expected)}`;
}

async function rounds<C>(
  layer: Layer<C>,
  pairs: Pairs<C>,
  count: number,
  rng: Random,
  report: Report,
): Promise<void> {
  const { clients, conns } = pairs;
  const kind = `${layer.name} select`;
  const times: Record<'ready' | 'waiting', number[]> = { ready: [], waiting: [] };
  for (const path of ['ready', 'waiting'] as const) {
    for (let i = 0; i < count; i++) {
      if (i % 50 === 0) {
        const none = await layer.readable(clients, 0);
        report.check(
          none === 'timeout',
          `${kind}: a poll with nothing ready answered ${none === 'timeout' ? '' : none.length}`,
          `${kind} poll`,
        );
      }
      const k = rng.int(0, clients.length - 1);
      const [client, conn] = [clients[k] as C, conns[k] as TcpClient<Buffer>];
      const byte = rng.int(0, 255);
      let elapsed: number;
      let answer: C[] | 'timeout';
      if (path === 'ready') {
        await conn.send(Buffer.of(byte));
        while (!layer.buffered(client)) await turn();
        const t0 = performance.now();
        answer = await layer.readable(clients, 10);
        elapsed = performance.now() - t0;
      } else {
        const t0 = performance.now();
        const pending = layer.readable(clients, 10);
        await conn.send(Buffer.of(byte));
        answer = await pending;
        elapsed = performance.now() - t0;
      }
      times[path].push(elapsed * 1000);
      const wrong = wrongAnswer(answer, client, clients);
      report.check(wrong === undefined, `${kind} ${path} round ${i}: ${wrong}`, `${kind} answer`);
      const got = await layer.readByte(client);
      report.check(got === byte, `${kind}: read ${got}, sent ${byte}`, `${kind} byte`);
    }
  }
  const n = `${clients.length.toLocaleString('en-US')} sockets`;
  report.figure(`${layer.name} select, ready, mean (${n})`, mean(times.ready), 'µs/select');
  report.figure(`${layer.name} select, ready, p50`, quantile(times.ready, 0.5), 'µs/select');
  report.figure(`${layer.name} select, ready, p99`, quantile(times.ready, 0.99), 'µs/select');
  report.figure(`${layer.name} select, waiting, mean`, mean(times.waiting), 'µs/select');
  report.figure(`${layer.name} select, waiting, p99`, quantile(times.waiting, 0.99), 'µs/select');
}

async function measure<C extends { close(): unknown }>(
  layer: Layer<C>,
  sockets: number,
  count: number,
  rng: Random,
  report: Report,
): Promise<void> {
  const t0 = performance.now();
  const pairs = await openPairs(sockets, layer.dial, layer.localPort);
  const seconds = (performance.now() - t0) / 1000;
  report.note(`${layer.name}: ${sockets} connections open in ${seconds.toFixed(1)} s`);
  try {
    await rounds(layer, pairs, count, rng, report);
  } finally {
    pairs.close();
  }
}

export const selectMany: StressRun<SelectScale> = {
  name: 'select',
  title: 'select over many sockets',
  long: { sockets: 10_000, rounds: 2_000 },
  short: { sockets: 1_000, rounds: 200 },
  async run(scale, report, seed) {
    const rng = random(seed);
    const baseline = fdCount();
    // Both ends of each connection live in this process: two descriptors a pair.
    const sockets = fittingPairs(scale.sockets, 2);
    if (sockets < scale.sockets)
      report.note(
        `the open-files soft limit allows ${sockets} of the ${scale.sockets} sockets ` +
          `(2 descriptors each, ${baseline} open): scaled down`,
      );
    report.figure('sockets selected over', sockets, 'sockets');
    await measure(core, sockets, scale.rounds, rng, report);
    await measure(compat, sockets, scale.rounds, rng, report);
    const after = await settleFds(baseline);
    report.figure('descriptors left open', after - baseline, 'fds', {
      max: 0,
      text: '= 0 (back to the baseline)',
    });
  },
};
