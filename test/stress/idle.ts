/**
 * Idle connections held: thousands of loopback connections, each server end
 * waiting in a `receive('*l')` as a server waits for a request, held for a
 * while. Figures: RSS and heap per connection (both ends counted, after a
 * full collection). Invariants: holding them starts no timers and no other
 * resources grow while they wait; closing them fails each waiting receive
 * with `closed`, and the descriptors and active resources go back to the
 * baseline.
 */

import { connect, SocketError } from '../../src/index.js';
import { openPairs } from './pairs.js';
import {
  fdCount,
  fittingPairs,
  grownResources,
  resources,
  settledMemory,
  settleFds,
  settleResources,
} from './probes.js';
import type { StressRun } from './report.js';

export interface IdleScale {
  readonly connections: number;
  readonly holdSeconds: number;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const idle: StressRun<IdleScale> = {
  name: 'idle',
  title: 'idle connections held',
  long: { connections: 5_000, holdSeconds: 30 },
  short: { connections: 500, holdSeconds: 3 },
  async run(scale, report) {
    const fds = fdCount();
    const n = fittingPairs(scale.connections, 2);
    if (n < scale.connections)
      report.note(`the open-files soft limit allows ${n} of ${scale.connections}: scaled down`);
    // Warm the code paths first, so that compiled code is not counted per connection.
    const warm = await openPairs(
      50,
      (port) => connect('127.0.0.1', port),
      (c) => c.getsockname().port,
    );
    warm.close();
    await settleFds(fds);
    const before = resources();
    const memory = settledMemory();

    const pairs = await openPairs(
      n,
      (port) => connect('127.0.0.1', port, { encoding: 'buffer' }),
      (c) => c.getsockname().port,
    );
    const waiting = pairs.conns.map((conn) =>
      conn.receive('*l').then(
        () => 'resolved',
        (err: unknown) => (err instanceof SocketError ? err.code : String(err)),
      ),
    );
    try {
      await pause(100);
      const held = settledMemory();
      report.figure('connections held', n, 'connections');
      report.figure('RSS per connection', (held.rss - memory.rss) / n, 'bytes', {
        max: 64 * 1024,
        text: '<= 64 KiB (both ends)',
      });
      report.figure('heap per connection', (held.heapUsed - memory.heapUsed) / n, 'bytes', {
        max: 16 * 1024,
        text: '<= 16 KiB (both ends)',
      });
      const open = resources();
      const timersOpen = (open.get('Timeout') ?? 0) - (before.get('Timeout') ?? 0);
      report.figure('timers started by the connections', timersOpen, 'timers', {
        max: 0,
        text: '= 0 (an idle wait holds no timer)',
      });
      let grownMost = 0;
      const end = performance.now() + scale.holdSeconds * 1000;
      while (performance.now() < end) {
        await pause(Math.min(1000, Math.max(0, end - performance.now())));
        const grown = grownResources(open);
        grownMost = Math.max(grownMost, grown.length);
        report.check(grown.length === 0, `while held, resources grew: ${grown.join(', ')}`, 'grew');
      }
      report.figure('resource kinds grown while held', grownMost, 'kinds', {
        max: 0,
        text: '= 0 (nothing accumulates while idle)',
      });
      report.figure('held for', scale.holdSeconds, 's');
    } finally {
      pairs.close();
    }
    const outcomes = await Promise.all(waiting);
    const wrong = outcomes.filter((o) => o !== 'closed');
    report.check(
      wrong.length === 0,
      `${wrong.length} waiting receives ended otherwise than closed: ${[...new Set(wrong)].join(', ')}`,
    );
    const left = await settleFds(fds);
    report.figure('descriptors left open', left - fds, 'fds', {
      max: 0,
      text: '= 0 (back to the baseline)',
    });
    const lingering = await settleResources(before);
    report.check(lingering.length === 0, `resources left after close: ${lingering.join(', ')}`);
  },
};
