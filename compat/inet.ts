/**
 * LuaSocket's `inet.c` answers: `getsockname` and `getpeername` shaped as
 * real LuaSocket 3 returns them.
 *
 * @internal
 * @module
 */

import { constants } from 'node:os';
import type { SocketAddress } from '../src/address.js';
import { SocketError, toSocketError } from '../src/errors.js';
import { message } from './errors.js';
import type { PeerNameResult, SockNameResult } from './tuples.js';

/**
 * `getsockname()`: real LuaSocket 3 pushes this port as a string (its docs
 * say a number), and compat does too.
 * @internal
 */
export function sockname(get: () => SocketAddress): SockNameResult {
  try {
    const { address, port, family } = get();
    return [address, String(port), family];
  } catch (err) {
    return [null, message(err), null];
  }
}

/** `getpeername()`: the port is a number here, as in real LuaSocket 3. @internal */
export function peername(get: () => SocketAddress): PeerNameResult {
  try {
    const { address, port, family } = get();
    return [address, port, family];
  } catch (err) {
    return [null, message(err), null];
  }
}

/** ENOTCONN with the system's message, for `getpeername` on what has no peer. @internal */
export function notConnected(): SocketError {
  return toSocketError(
    Object.assign(new Error('not connected'), {
      code: 'ENOTCONN',
      errno: -constants.errno.ENOTCONN,
    }),
  );
}
