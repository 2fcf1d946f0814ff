/**
 * luasocket-async: LuaSocket's network model for Node.js — buffered `'*l'`,
 * `'*a'` and n-byte receives with prefixes and partial results, block and
 * total timeouts, `select`, UDP, Unix domain sockets and DNS — as an
 * idiomatic async API.
 *
 * @example
 * ```ts
 * import { bind, connect } from 'luasocket-async';
 *
 * const server = await bind('127.0.0.1', 0);
 * const client = await connect('127.0.0.1', server.getsockname().port);
 * const conn = await server.accept();
 * await client.send('hello\r\nworld');
 * console.log(await conn.receive('*l'));                  // 'hello'
 * console.log(await conn.receive(6, { prefix: '>' }));    // '>world'
 * client.close(); conn.close(); server.close();
 * ```
 *
 * @packageDocumentation
 */

export type { Family, ResolvedAddress, SocketAddress, UnixAddress } from './address.js';
export type { DataOf, Encoding } from './codec.js';
export { bind, connect, type ConnectOptions } from './connect.js';
export * as dns from './dns.js';
export {
  ACCEPT_CHANNEL,
  CLOSE_CHANNEL,
  CONNECT_CHANNEL,
  ERROR_CHANNEL,
  TIMEOUT_CHANNEL,
  type AcceptMessage,
  type CloseMessage,
  type ConnectMessage,
  type EventAddress,
  type FailureMessage,
} from './diagnostics.js';
export { SocketError, type SocketErrorCode, type SocketErrorOptions } from './errors.js';
export type { LinesOptions } from './line-iterator.js';
export type { ReceivePattern } from './pattern.js';
export {
  OPTION_NAMES,
  type Linger,
  type Membership,
  type OptionName,
  type OptionValues,
} from './socket-options.js';
export type { ReceiveOptions } from './stream-reader.js';
export {
  DEFAULT_HIGH_WATER_MARK,
  DEFAULT_MAX_LINE_LENGTH,
  type SocketStats,
  type StreamOptions,
} from './stream-options.js';
export { TcpClient } from './tcp-client.js';
export { tcp, TcpMaster, type MasterOptions } from './tcp-master.js';
export { TcpServer, type ServerOptions } from './tcp-server.js';
export { gettime, sleep } from './time.js';
export { luaTimeouts, type TimeoutMode, type TimeoutSettings } from './timeout.js';
export type { WaitOptions } from './wait.js';
export type { Datagram } from './datagram-queue.js';
export { udp, UdpSocket } from './udp-socket.js';
export { DATAGRAM_SIZE, type UdpOptions, type UdpStats } from './udp-settings.js';
export { readiness, type Readiness, type Selectable, type Watcher } from './readiness.js';
export { select, type SelectResult } from './select.js';
export {
  bindUnix,
  connectUnix,
  unix,
  UnixMaster,
  type UnixClient,
  type UnixConnectOptions,
  type UnixOptions,
  type UnixServer,
  type UnixServerOptions,
} from './unix.js';
