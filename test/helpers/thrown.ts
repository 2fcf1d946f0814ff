/**
 * What a call throws at once, for tests of synchronous failures; no sockets.
 */

import { SocketError } from '../../src/errors/socket-error.js';

/** What `run` threw, or `'no throw'`. */
export function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  return 'no throw';
}

/** What `run` throws at once, which must be a `SocketError`. */
export function socketErrorOf(run: () => unknown): SocketError {
  const err = thrown(run);
  if (!(err instanceof SocketError))
    throw new Error(`Expected a SocketError, got ${String(err)}`, { cause: err });
  return err as SocketError;
}

/** What `run` threw, as `{ code, message }`, or `'no failure'`. */
export function codeAndMessage(run: () => unknown): unknown {
  const err = thrown(run);
  if (err === 'no throw') return 'no failure';
  const { code, message } = err as { code?: unknown; message?: unknown };
  return { code, message };
}
