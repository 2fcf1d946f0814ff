/**
 * The one-shot deadline of a resolver call: `timeout` (seconds) and
 * `signal`, for lookups that cannot be cancelled.
 *
 * @module
 */

import pTimeout from 'p-timeout';
import { SocketError } from '../errors/socket-error.js';
import { normalizeTimeout } from './timeout.js';
import { startTimer, type Timer } from './timer.js';
import { checkWaitOptions, type WaitOptions } from './wait.js';

/**
 * @internal Runs a lookup under the caller's deadline: it fails with
 * `timeout` when `options.timeout` passes, with the signal's reason when the
 * signal aborts. Resolver calls cannot be cancelled, so the deadline abandons
 * the answer rather than the query.
 *
 * `where` names the call in the message for an unknown key (none: the
 * caller checked the keys).
 *
 * @throws TypeError for bad options (at once)
 */
export function withDeadline<T>(
  options: WaitOptions | undefined,
  where: string | undefined,
  run: () => Promise<T>,
): Promise<T> {
  checkWaitOptions(options, where);
  const signal = options?.signal;
  if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
  const seconds = normalizeTimeout(options?.timeout);
  if (seconds === undefined && signal === undefined) return run();
  return pTimeout(run(), {
    // p-timeout wants a positive delay: a zero timeout still lets the event
    // loop turn once, as the sockets' zero timeout does.
    milliseconds: seconds === undefined ? Infinity : Math.max(seconds * 1000, 1),
    message: new SocketError('timeout'),
    ...(signal !== undefined && { signal }),
    // The handles p-timeout passes back are ours: a deadline of any length.
    customTimers: {
      setTimeout: ((fn: () => void, ms: number) =>
        startTimer(fn, ms)) as unknown as typeof globalThis.setTimeout,
      clearTimeout: ((t: Timer | undefined) => t?.cancel()) as typeof globalThis.clearTimeout,
    },
  });
}
