/**
 * What a stream socket that is not TCP over IP reports instead of TCP's
 * answers: its names and its option table. TCP clients and servers take one
 * when a Unix domain socket is built over them; they share the types from
 * here so that neither needs the other for them.
 *
 * @module
 */

import type { Socket } from 'node:net';
import type { OptionTable } from '../net/socket-options.js';

/**
 * @internal What a client reports as its names and how it handles options,
 * for a socket that is not TCP over IP (a Unix domain socket).
 */
export interface Endpoint<A> {
  local: A;
  remote: A;
  options: OptionTable;
}

/**
 * @internal What a server that is not TCP over IP (a Unix domain socket)
 * reports as its address, how it handles options, and what its accepted
 * connections report.
 */
export interface ServerEndpoint<A> {
  address: A;
  options: OptionTable;
  accepted(socket: Socket): Endpoint<A>;
}
