/**
 * What the library tells tracing tools and `NODE_DEBUG=luasocket`: one
 * `diagnostics_channel` per event, and one short debug line each. Nothing is
 * built unless someone listens.
 *
 * @module
 */

import { channel } from 'node:diagnostics_channel';
import { debuglog } from 'node:util';
import type { SocketAddress, UnixAddress } from '../net/address.js';
import type { SocketError } from '../errors/socket-error.js';

/**
 * Channel of each connection a `connect` (TCP or Unix) opened; see {@link ConnectMessage}.
 *
 * @example Logging every connection the program opens
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { CONNECT_CHANNEL, type ConnectMessage } from 'luasocket-async';
 *
 * subscribe(CONNECT_CHANNEL, (message) => {
 *   const { remote } = message as ConnectMessage;
 *   console.log('connected to', remote.address, remote.port);
 * });
 * ```
 */
export const CONNECT_CHANNEL = 'luasocket:connect';
/**
 * Channel of each connection a server accepted; see {@link AcceptMessage}.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { ACCEPT_CHANNEL, type AcceptMessage } from 'luasocket-async';
 *
 * subscribe(ACCEPT_CHANNEL, (message) => {
 *   console.log('accepted from', (message as AcceptMessage).remote.address);
 * });
 * ```
 */
export const ACCEPT_CHANNEL = 'luasocket:accept';
/**
 * Channel of each call that failed with `timeout`; see {@link FailureMessage}.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { TIMEOUT_CHANNEL, type FailureMessage } from 'luasocket-async';
 *
 * subscribe(TIMEOUT_CHANNEL, (message) => {
 *   console.log((message as FailureMessage).operation, 'timed out');
 * });
 * ```
 */
export const TIMEOUT_CHANNEL = 'luasocket:timeout';
/**
 * Channel of each socket or server the program closed; see {@link CloseMessage}.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { CLOSE_CHANNEL, type CloseMessage } from 'luasocket-async';
 *
 * subscribe(CLOSE_CHANNEL, (message) => console.log('closed', (message as CloseMessage).kind));
 * ```
 */
export const CLOSE_CHANNEL = 'luasocket:close';
/**
 * Channel of each connect, bind, accept, send or waiting receive that failed
 * otherwise than by timeout; see {@link FailureMessage}.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { ERROR_CHANNEL, type FailureMessage } from 'luasocket-async';
 *
 * subscribe(ERROR_CHANNEL, (message) => console.log(String((message as FailureMessage).error)));
 * ```
 */
export const ERROR_CHANNEL = 'luasocket:error';

/** A socket's or a server's address as the events report it. */
export type EventAddress = SocketAddress | UnixAddress;

/** What {@link CONNECT_CHANNEL} publishes. */
export interface ConnectMessage {
  /** The new connection (a `TcpClient`). */
  socket: object;
  /** Its local address. */
  local: EventAddress;
  /** The peer's address. */
  remote: EventAddress;
}

/** What {@link ACCEPT_CHANNEL} publishes. */
export interface AcceptMessage extends ConnectMessage {
  /** The server that accepted it (a `TcpServer`). */
  server: object;
}

/** What {@link TIMEOUT_CHANNEL} and {@link ERROR_CHANNEL} publish. */
export interface FailureMessage {
  /** The call that failed: `'connect'`, `'bind'`, `'accept'`, `'send'`, `'receive'`, … */
  operation: string;
  /** Its error; `address`, `port` and `syscall` tell where, when known. */
  error: SocketError<unknown>;
  /** For a receive or a send on a TCP connection: the peer's address, when known. */
  remote: SocketAddress | undefined;
}

/**
 * @internal The connection a failure happened on (a `net.Socket`, whose
 * peer is read only when someone listens), or any object that has none.
 */
export type Peer = object;

interface SocketPeer {
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  readonly remoteFamily?: string | undefined;
}

/** What {@link CLOSE_CHANNEL} publishes. */
export interface CloseMessage {
  /** The socket or server (a `TcpClient`, `TcpServer`, `UdpSocket`, …). */
  socket: object;
  /** `'tcp'`, `'server'` or `'udp'` (Unix domain sockets are `'tcp'` and `'server'` too). */
  kind: 'tcp' | 'server' | 'udp';
  /** Its local address, when it had one. */
  local: EventAddress | undefined;
}

const connectChannel = channel(CONNECT_CHANNEL);
const acceptChannel = channel(ACCEPT_CHANNEL);
const timeoutChannel = channel(TIMEOUT_CHANNEL);
const closeChannel = channel(CLOSE_CHANNEL);
const errorChannel = channel(ERROR_CHANNEL);

const debug = debuglog('luasocket');
// NODE_DEBUG is read once: the flag stays a plain boolean on the hot paths.
const debugging = debug.enabled;

function show(address: EventAddress | undefined): string {
  if (address === undefined) return '-';
  if (address.family === 'unix') return address.address === '' ? '(unnamed)' : address.address;
  return address.family === 'inet6'
    ? `[${address.address}]:${String(address.port)}`
    : `${address.address}:${String(address.port)}`;
}

/** What a connected socket tells about itself, for the messages. */
interface Named {
  getsockname(): EventAddress;
  getpeername(): EventAddress;
}

/** @internal A connection `connect` opened. */
export function connected(socket: Named): void {
  if (!debugging && !connectChannel.hasSubscribers) return;
  const local = socket.getsockname();
  const remote = socket.getpeername();
  if (debugging) debug('connect %s -> %s', show(local), show(remote));
  if (connectChannel.hasSubscribers) connectChannel.publish({ socket, local, remote });
}

/** @internal A connection a server accepted. */
export function accepted(server: object, socket: Named): void {
  if (!debugging && !acceptChannel.hasSubscribers) return;
  const local = socket.getsockname();
  const remote = socket.getpeername();
  if (debugging) debug('accept %s <- %s', show(local), show(remote));
  if (acceptChannel.hasSubscribers) acceptChannel.publish({ server, socket, local, remote });
}

/** @internal A socket or server the program closed; `local` is asked for only when needed. */
export function closing(socket: object, kind: CloseMessage['kind'], local: () => unknown): void {
  if (!debugging && !closeChannel.hasSubscribers) return;
  let address: EventAddress | undefined;
  try {
    address = local() as EventAddress | undefined;
  } catch {
    // Never bound, or already torn down: the close is reported without an address.
  }
  if (debugging) debug('close %s %s', kind, show(address));
  if (closeChannel.hasSubscribers) closeChannel.publish({ socket, kind, local: address });
}

/** @internal A call that failed with a SocketError: a timeout, or any other failure. */
export function failed(operation: string, error: SocketError<unknown>, peer?: Peer): void {
  // An abort is the program's own doing, not a failure to trace.
  if (error.code === 'aborted') return;
  const timeout = error.code === 'timeout';
  const target = timeout ? timeoutChannel : errorChannel;
  if (!debugging && !target.hasSubscribers) return;
  const remote = peerOf(peer);
  if (debugging) {
    debug('%s %s', timeout ? 'timeout' : 'error', describeFailure(operation, error, remote));
  }
  if (target.hasSubscribers) target.publish({ operation, error, remote });
}

function peerOf(peer: Peer | undefined): SocketAddress | undefined {
  const { remoteAddress: address, remotePort: port, remoteFamily } = (peer ?? {}) as SocketPeer;
  if (typeof address !== 'string' || typeof port !== 'number') return undefined;
  return { address, port, family: remoteFamily === 'IPv6' ? 'inet6' : 'inet' };
}

function describeFailure(
  operation: string,
  error: SocketError<unknown>,
  remote: SocketAddress | undefined,
): string {
  let where = '';
  if (error.address !== undefined) {
    where = ` ${error.port === undefined ? error.address : `${error.address}:${String(error.port)}`}`;
  } else if (remote !== undefined) {
    where = ` ${show(remote)}`;
  }
  return `${operation}${where}: ${error.code} (${error.message})`;
}
