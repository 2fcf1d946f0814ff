/**
 * Where a failed call is reported: the caller's `await`, not the Node.js
 * callback that found the failure. No I/O.
 *
 * @module
 */

import { failed, type Peer } from './diagnostics.js';
import { relabel, SocketError } from '../errors/socket-error.js';

/**
 * @internal Takes a SocketError that ended `operation` and, from inside an
 * async function resumed by the failure, captures its stack again: V8 then
 * adds the frames of every `await` up to the caller's, which a stack
 * captured in a timer or socket callback lacks. Reports the failure to the
 * diagnostics, with the connection's `peer` when the error does not say where.
 * Anything else (a signal's reason) passes unchanged.
 */
export function reported(err: unknown, operation: string, peer?: Peer): unknown {
  if (!(err instanceof SocketError)) return err;
  Error.captureStackTrace(err, reported);
  relabel(err);
  failed(operation, err, peer);
  return err;
}

/**
 * @internal Awaits a promise that settles from a callback, so that its
 * failure can be {@link reported} at the caller's `await`. Only for calls
 * that really wait: the answer from a buffer never comes through here.
 */
export async function atCallSite<T>(
  pending: Promise<T>,
  operation: string,
  peer?: Peer,
): Promise<T> {
  try {
    return await pending;
  } catch (err) {
    throw reported(err, operation, peer);
  }
}
