/**
 * LuaSocket's `gettime` and `sleep`.
 *
 * @module
 */

import { checkKeys } from '../errors/option-keys.js';
import { clock } from './clock.js';
import { normalizeTimeout } from './timeout.js';
import { startTimer } from './timer.js';

/**
 * Seconds since the epoch, with fractions (LuaSocket's `socket.gettime()`).
 *
 * @example
 * ```ts
 * import { gettime } from 'luasocket-async';
 *
 * const t0 = gettime();
 * console.log(`took ${gettime() - t0} s`);
 * ```
 */
export function gettime(): number {
  return clock.wallSeconds();
}

/**
 * Waits `seconds` (LuaSocket's `socket.sleep`), letting the event loop run.
 * A negative or null value returns at once; an abort rejects with the signal's reason.
 *
 * @example
 * ```ts
 * import { sleep } from 'luasocket-async';
 *
 * await sleep(0.25);
 * ```
 */
export function sleep(seconds: number, options?: { signal?: AbortSignal }): Promise<void> {
  const s = normalizeTimeout(seconds, 'seconds') ?? 0;
  if (typeof options === 'object' && options !== null) checkKeys(options, ['signal'], 'sleep()');
  const signal = options?.signal;
  if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      timer.cancel();
      reject(signal?.reason as Error);
    };
    const timer = startTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, s * 1000);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
