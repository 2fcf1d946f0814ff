/**
 * Timeout arithmetic: pure functions of `(block, total, start, now)`, no I/O.
 * Times are milliseconds on {@link clock.now}'s scale; settings are seconds.
 *
 * @module
 */

import { describe } from '../errors/describe.js';

/** The timeout mode of `settimeout`: `'b'` block, `'t'` total (`'r'` is LuaSocket's alias). */
export type TimeoutMode = 'b' | 't' | 'r';

/**
 * A socket's timeouts in seconds; `undefined` waits forever.
 * `block` is an idle timeout: the longest any single wait for the peer may
 * last, restarted whenever bytes move. `total` bounds the whole call.
 */
export interface TimeoutSettings {
  block: number | undefined;
  total: number | undefined;
}

/**
 * Normalises a timeout in seconds: `null`, `undefined` and negatives mean
 * "wait forever" (`undefined`); a fractional value is kept.
 *
 * @throws TypeError when the value is not a number, null or undefined
 */
export function normalizeTimeout(value: unknown, name = 'timeout'): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(
      `Expected \`${name}\` to be a number, null or undefined, got \`${describe(value)}\``,
    );
  }
  return value < 0 ? undefined : value;
}

/**
 * The absolute time (ms) at which the current wait expires, or `Infinity`.
 *
 * @param settings - the socket's block and total timeouts (seconds)
 * @param callTimeout - the per-call `timeout` option (seconds), if any
 * @param start - when the call started (ms)
 * @param lastProgress - when bytes last moved for this call (ms)
 */
export function waitDeadline(
  settings: TimeoutSettings,
  callTimeout: number | undefined,
  start: number,
  lastProgress: number,
): number {
  let deadline = Infinity;
  if (settings.block !== undefined) deadline = lastProgress + settings.block * 1000;
  if (settings.total !== undefined) deadline = Math.min(deadline, start + settings.total * 1000);
  if (callTimeout !== undefined) deadline = Math.min(deadline, start + callTimeout * 1000);
  return deadline;
}

/** True when a call under these settings may never wait at all. */
export function isZeroTimeout(settings: TimeoutSettings, callTimeout: number | undefined): boolean {
  return settings.block === 0 || settings.total === 0 || callTimeout === 0;
}

/**
 * Maps LuaSocket 3's observed behaviour onto the core's model.
 *
 * LuaSocket retries each wait with `block - (now - start)` when only a block
 * timeout is set (`timeout_getretry` in `timeout.c`), so a lone block timeout
 * bounds the whole call; with both set, each wait gets the full block timeout
 * and the call the total. In core terms: a lone block is a total.
 *
 * @example
 * ```ts
 * import { luaTimeouts } from 'luasocket-async';
 *
 * luaTimeouts(2, undefined); // { block: undefined, total: 2 }
 * luaTimeouts(2, 30);        // { block: 2, total: 30 }
 * ```
 */
export function luaTimeouts(block: number | undefined, total: number | undefined): TimeoutSettings {
  if (total === undefined) return { block: undefined, total: block };
  return { block, total };
}
