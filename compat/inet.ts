/**
 * LuaSocket's `inet.c` answers: `getsockname` and `getpeername` shaped as
 * LuaSocket 3 returns them, the port a number in both.
 *
 * @internal
 * @module
 */

import { constants } from 'node:os';
import { type SocketAddress, SocketError } from '../src/index.js';
import { toSocketError } from '../src/internal.js';
import { message } from './errors.js';
import type { TcpCore } from './tcp-state.js';
import type { PeerNameResult, SockNameResult } from './tuples.js';

/**
 * `getsockname()`: the port is a number, as LuaSocket's pages and upstream
 * `inet.c` give it (Debian's 3.1.0 pushes a digit string there, a bug fixed
 * upstream that compat does not copy).
 * @internal
 */
export function sockname(get: () => SocketAddress): SockNameResult {
  try {
    const { address, port, family } = get();
    return [address, port, family];
  } catch (err) {
    return [null, message(err), null];
  }
}

/** `getpeername()`: the port is a number, as in LuaSocket 3. @internal */
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

/**
 * The peer of a TCP object in state `core`: only a connected client has one.
 * @throws SocketError `closed` when closed; ENOTCONN's when there is no peer
 * @internal
 */
export function tcpPeer(core: TcpCore, closed: boolean): SocketAddress {
  if (closed) throw new SocketError('closed');
  if (core.state !== 'client' || core.client === undefined) throw notConnected();
  return core.client.getpeername();
}
