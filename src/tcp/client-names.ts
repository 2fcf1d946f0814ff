/**
 * A connected TCP socket's local and peer addresses, read from the system.
 *
 * @module
 */

import type { Socket } from 'node:net';
import { addressOf, type SocketAddress } from '../net/address.js';
import { SocketError } from '../errors/socket-error.js';

/** @internal Both ends of a connection. */
export interface SocketNames<A> {
  local: A;
  remote: A;
}

/**
 * @internal Reads both names of `socket` at once, so that a client asks the
 * system only on first use.
 * @throws SocketError `closed` once the connection is gone (a reset, or closed
 *   both ways), as LuaSocket's `getsockname` fails then
 */
export function readNames<A = SocketAddress>(socket: Socket): SocketNames<A> {
  const local: { port?: number } = socket.address();
  const { remoteAddress: address, remotePort: port, remoteFamily: family } = socket;
  if (local.port === undefined || port === undefined) throw new SocketError('closed');
  return { local: addressOf(local) as A, remote: addressOf({ address, port, family }) as A };
}
