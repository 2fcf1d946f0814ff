/**
 * How a failed core call becomes LuaSocket's `nil, err`: the core's
 * `SocketError` already carries LuaSocket's message (one `code → string`
 * table, in `src/errors.ts`), so compat only takes it out. Usage errors and
 * anything unexpected are not failures of the network and propagate.
 *
 * @internal
 * @module
 */

import { SocketError } from '../src/index.js';
import type { Result } from './tuples.js';

/**
 * The `err` string of a failed call.
 * @throws the error itself when it is not a {@link SocketError}
 */
export function message(err: unknown): string {
  if (err instanceof SocketError) {
    // An option kept for the bind and refused there, reported by a later call.
    if (err.code === 'system' && err.syscall === 'setsockopt') return 'setsockopt failed';
    return err.message;
  }
  throw err;
}

/** `[null, err]` for a failed call; rethrows what is not a network failure. */
export function failure(err: unknown): [null, string] {
  return [null, message(err)];
}

/** Runs a call that throws on failure and shapes its outcome as a {@link Result}. */
export function attempt<T>(run: () => T): Result<T> {
  try {
    return [run(), null];
  } catch (err) {
    return failure(err);
  }
}

/** The same for a call that rejects on failure. */
export function settle<T>(pending: Promise<T>): Promise<Result<T>> {
  return pending.then((value): Result<T> => [value, null], failure);
}
