/**
 * Calls under durations far above what Node.js timers hold (2^31−1 ms):
 * checks that such a call is still waiting, and that no
 * `TimeoutOverflowWarning` fired meanwhile.
 */

import { afterEach, beforeEach, expect } from 'vitest';
import { pause } from './loopback.js';

/** Seconds: ~116 days, 4650 × the timer limit. */
export const HUGE = 1e7;

/** Records whether `promise` settled, without letting it reject unhandled. */
export function track<T>(promise: Promise<T>): { settled: () => boolean; done: Promise<unknown> } {
  let settled = false;
  const done = promise.then(
    (v) => ((settled = true), v),
    (e: unknown) => ((settled = true), e),
  );
  return { settled: () => settled, done };
}

/** Starts `call`, checks it is still pending well after 1 ms, then ends it with `end`. */
export async function stillWaiting<T>(call: Promise<T>, end: () => void): Promise<unknown> {
  const t = track(call);
  await pause(80);
  expect(t.settled(), 'the call is still waiting').toBe(false);
  end();
  return t.done;
}

/** Registers hooks that fail each test of the file during which a `TimeoutOverflowWarning` fired. */
export function failOnTimeoutOverflow(): void {
  let warnings: Error[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(w);
  };
  beforeEach(() => {
    warnings = [];
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
    expect(warnings.map((w) => w.name)).not.toContain('TimeoutOverflowWarning');
  });
}
