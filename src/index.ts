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

// One block per folder of src/, in the order the layers build on each other.

export {
  SocketError,
  type SocketErrorCode,
  type SocketErrorOptions,
} from './errors/socket-error.js';

export { gettime, sleep } from './time/sleep.js';
export { luaTimeouts, type TimeoutMode, type TimeoutSettings } from './time/timeout.js';
export type { WaitOptions } from './time/wait.js';

export type { DataOf, Encoding } from './stream/codec.js';
export type { LinesOptions } from './stream/line-iterator.js';
export type { ReceivePattern } from './stream/pattern.js';
export type { ReceiveOptions } from './stream/options.js';
export {
  DEFAULT_HIGH_WATER_MARK,
  DEFAULT_MAX_LINE_LENGTH,
  type SocketStats,
  type StreamOptions,
} from './stream/options.js';

export type { Family, ResolvedAddress, SocketAddress, UnixAddress } from './net/address.js';
export * as dns from './net/dns.js';
export {
  OPTION_NAMES,
  type Linger,
  type Membership,
  type OptionName,
  type OptionValues,
} from './net/socket-options.js';

export { readiness, type Readiness, type Selectable, type Watcher } from './select/readiness.js';
export { select, type SelectResult } from './select/select.js';

export { bind, connect, type BindOptions, type ConnectOptions } from './tcp/connect.js';
export { TcpClient } from './tcp/client.js';
export { TcpServer, type ServerOptions } from './tcp/server.js';
export { tcp, TcpMaster, type MasterOptions } from './tcp/master.js';
export { SecureStream } from './tls/secure-stream.js';
export type { StartTlsOptions } from './tls/starttls.js';
export type { Pem, TlsCommonOptions, TlsOptions, TlsServerOptions } from './tls/options.js';
export type { TlsCertificate, TlsCipher } from './tls/info.js';

export type { Datagram } from './udp/datagram-queue.js';
export { udp, UdpSocket } from './udp/socket.js';
export { DATAGRAM_SIZE, type UdpOptions, type UdpStats } from './udp/settings.js';

export {
  bindUnix,
  connectUnix,
  type UnixClient,
  type UnixConnectOptions,
  type UnixServer,
  type UnixServerOptions,
} from './unix/connect.js';
export { unix, UnixMaster, type UnixOptions } from './unix/master.js';

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
} from './trace/diagnostics.js';
