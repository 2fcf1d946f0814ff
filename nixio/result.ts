/**
 * How a call answers, nixio's way: `value` on success and `nil, errno,
 * errmsg` on failure, with `false` in place of `nil` when the call would
 * have had to wait (EAGAIN). Lua's values are padded to three with `null`,
 * so every call destructures the same way.
 *
 * @module
 */

import { constants as os } from 'node:os';
import { SocketError } from '../src/index.js';
import { EAI, gaiStrerror, strerror } from './strerror.js';

/** nixio's failure of a call that never waits: `[null, errno, errmsg]`. */
export type NixioError = readonly [null, number, string];

/** nixio's failure: `[null, errno, errmsg]`, or `[false, EAGAIN, errmsg]` for "would wait". */
export type NixioFailure = NixioError | readonly [false, number, string];

/**
 * A call's answer: `[value, extra1, extra2]` on success, a failure
 * otherwise ({@link NixioFailure}, or {@link NixioError} for calls that cannot answer EAGAIN).
 */
export type NixioResult<T, A = null, B = null, F extends NixioFailure = NixioFailure> =
  readonly [T, A, B] | F;

const E = os.errno;

/** The errno of the last failed call, for `nixio.errno()`. */
let last = 0;

/** @internal The errno of the last failure this module reported. */
export function lastErrno(): number {
  return last;
}

/** @internal {@link fail} for an errno that is not EAGAIN. */
export function fault(errno: number): NixioError {
  return fail(errno) as NixioError;
}

/** @internal `[null, errno, strerror(errno)]`, `false` first for EAGAIN. */
export function fail(errno: number): NixioFailure {
  last = errno;
  return [errno === E.EAGAIN ? false : null, errno, strerror(errno)];
}

/** @internal True for a failure tuple, narrowing the rest to success. */
export function isFailure<T, A, B>(r: NixioResult<T, A, B>): r is NixioFailure {
  return r[0] === null || r[0] === false;
}

/** @internal `[value, null, null]`. */
export function ok<const T>(value: T): readonly [T, null, null] {
  return [value, null, null];
}

/** @internal The answer "would wait", for a call made in non-blocking mode. */
export const wouldBlock = (): NixioFailure => fail(E.EAGAIN);

// A core code that carries no system error of its own: the errno a POSIX
// call would have set for the same failure.
const BY_CODE: Readonly<Partial<Record<SocketError['code'], number>>> = {
  timeout: E.EAGAIN,
  closed: E.ENOTCONN,
  refused: E.ECONNREFUSED,
  addrinuse: E.EADDRINUSE,
  access: E.EACCES,
  isconn: E.EISCONN,
  unsupported: E.ENOPROTOOPT,
  aborted: E.EINTR,
  linetoolong: E.EMSGSIZE,
};

/**
 * @internal The errno a core failure stands for: the system's own when the
 * core kept it (`cause.code`), else the POSIX errno of the same failure.
 * @throws the error itself when it is not a {@link SocketError} (a bug, not a network failure)
 */
export function errnoOf(err: unknown): number {
  if (!(err instanceof SocketError)) throw err;
  const cause = err.cause as { code?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const fromSystem = code === undefined ? undefined : (E as Record<string, number>)[code];
  return fromSystem ?? BY_CODE[err.code] ?? E.EINVAL;
}

/** @internal The failure tuple for a core error. */
export function failure(err: unknown): NixioFailure {
  return failureOf(err);
}

/** @internal {@link failure} for a call made without a deadline: it cannot be EAGAIN. */
export function error(err: unknown): NixioError {
  return failureOf(err) as NixioError;
}

function failureOf(err: unknown): NixioFailure {
  // A name that did not resolve is getaddrinfo's failure, with its own codes and texts.
  if (err instanceof SocketError && (err.code === 'noname' || err.code === 'again')) {
    const code = err.code === 'noname' ? EAI.NONAME : EAI.AGAIN;
    last = code;
    return [null, code, gaiStrerror(code)];
  }
  return fail(errnoOf(err));
}

/** @internal getaddrinfo's failure for a service it does not know. */
export function badService(): NixioError {
  last = EAI.SERVICE;
  return [null, EAI.SERVICE, gaiStrerror(EAI.SERVICE)];
}
