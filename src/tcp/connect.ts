/**
 * `connect` and `bind`: LuaSocket's `socket.connect` and `socket.bind`,
 * trying each resolved address in the resolver's order.
 *
 * @module
 */

import { addAbortListener } from 'node:events';
import { Socket, type SocketConnectOpts } from 'node:net';
import {
  checkHost,
  checkPort,
  resolve,
  type Family,
  type ResolvedAddress,
} from '../net/address.js';
import type { DataOf, Encoding } from '../stream/codec.js';
import { reported } from '../trace/call-site.js';
import { connected } from '../trace/diagnostics.js';
import { SocketError, toSocketError } from '../errors/socket-error.js';
import { checkKeys, STREAM_KEYS, WAIT_KEYS } from '../errors/option-keys.js';
import { checkStreamOptions, type StreamOptions } from '../stream/options.js';
import { TcpClient } from './client.js';
import type { Keep } from './pending-connect.js';
import { listenOn, TcpServer, type ServerOptions } from './server.js';
import type { TimeoutSettings } from '../time/timeout.js';
import { checkWaitOptions, Wait, type WaitOptions } from '../time/wait.js';
import { clock } from '../time/clock.js';
import {
  checkTlsOptions,
  serverTls,
  type ServerTls,
  type TlsOptions,
  type TlsServerOptions,
} from '../tls/options.js';

/** Options of {@link connect}. */
export interface ConnectOptions<E extends Encoding = 'utf8'> extends StreamOptions<E>, WaitOptions {
  /** Local address to bind before connecting. */
  localAddress?: string;
  /** Local port to bind before connecting. */
  localPort?: number;
  /** Only addresses of this family are tried. */
  family?: Family;
  /**
   * Speak TLS: `true` or `{}` for Node.js's defaults (the server's
   * certificate and host name verified against the bundled roots), or the
   * options. `timeout` bounds the handshake too.
   */
  tls?: TlsOptions | boolean;
}

const CONNECT_KEYS = [...STREAM_KEYS, ...WAIT_KEYS, 'localAddress', 'localPort', 'family', 'tls'];
/** @internal The keys of `bind`'s options (and of a master's). */
export const BIND_KEYS = [...STREAM_KEYS, 'backlog', 'queueLimit', 'ipv6Only', 'family'];

/** Options of {@link bind}. */
export interface BindOptions<E extends Encoding = 'utf8'> extends ServerOptions<E> {
  /** Only addresses of this family are tried. */
  family?: Family;
  /**
   * Speak TLS: `cert` and `key` at least. A connection is accepted once its
   * handshake is done; one whose handshake fails is closed and counted in
   * `failedHandshakes`, and the server goes on.
   */
  tls?: TlsServerOptions;
}

/**
 * Connects to `host:port`, trying each address the host resolves to in turn.
 *
 * @param host - a host name or an IPv4/IPv6 address
 * @param port - 0..65535
 * @param options - `timeout` (seconds, for the whole connect), `signal`,
 *   `encoding`, `localAddress`, `localPort`, `family`, …
 * @throws SocketError `refused`, `timeout`, `noname`, …; the signal's reason on abort;
 *   TypeError / RangeError for bad arguments
 * @example
 * ```ts
 * import { connect } from 'luasocket-async';
 *
 * const client = await connect('localhost', 8080, { timeout: 5 });
 * await client.send('GET / HTTP/1.0\r\n\r\n');
 * console.log(await client.receive('*a'));
 * client.close();
 * ```
 */
export function connect<E extends Encoding = 'utf8'>(
  host: string,
  port: number,
  options: ConnectOptions<E> = {},
): Promise<TcpClient<DataOf<E>>> {
  checkHost(host);
  const p = checkPort(port);
  if (typeof options === 'object' && options !== null)
    checkKeys(options, CONNECT_KEYS, 'connect()');
  checkStreamOptions(options);
  if (options.localPort !== undefined) checkPort(options.localPort, 'localPort');
  checkWaitOptions(options);
  const tls = options.tls === true ? {} : options.tls === false ? undefined : options.tls;
  if (tls !== undefined) checkTlsOptions(tls, 'connect(): tls');
  const plain = connectWith(host, p, options, { block: undefined, total: undefined });
  return tls === undefined ? plain : secured(plain, tls, options, clock.now());
}

/** The connection `plain` resolves to, over TLS, within what is left of the call's timeout. */
async function secured<E extends Encoding>(
  plain: Promise<TcpClient<DataOf<E>>>,
  tls: TlsOptions,
  options: ConnectOptions<E>,
  start: number,
): Promise<TcpClient<DataOf<E>>> {
  const client = await plain;
  const { signal, timeout } = options;
  const left =
    typeof timeout === 'number' && timeout >= 0
      ? Math.max(0, timeout - (clock.now() - start) / 1000)
      : undefined;
  try {
    return await client.starttls(tls, {
      ...(signal !== undefined && { signal }),
      ...(left !== undefined && { timeout: left }),
    });
  } catch (err) {
    client.close();
    throw reported(err, 'connect');
  }
}

/**
 * @internal `connect` under a master's timeouts. With `keep`, a timeout
 * ends the call but not the attempt it cut short: `keep` is handed that
 * attempt (LuaSocket's non-blocking connect; see `PendingConnect`).
 */
export async function connectWith<E extends Encoding>(
  host: string,
  port: number,
  options: ConnectOptions<E>,
  settings: TimeoutSettings,
  keep?: Keep<TcpClient<DataOf<E>>>,
): Promise<TcpClient<DataOf<E>>> {
  options.signal?.throwIfAborted();
  const { signal, timeout } = options;
  try {
    const addresses = await resolve(host, options.family, { signal, timeout });
    const client = await connectInOrder(addresses, port, options, settings, keep);
    client.origin = host;
    return client;
  } catch (err) {
    throw reported(err, 'connect');
  }
}

/**
 * @internal Tries each address in the given (the resolver's) order and
 * returns the first connection; the error is the last address's. A timeout
 * or an abort ends the whole call (with `keep`, the attempt that timed out
 * goes on: see {@link connectWith}).
 */
export async function connectInOrder<E extends Encoding>(
  addresses: readonly ResolvedAddress[],
  port: number,
  options: ConnectOptions<E>,
  settings: TimeoutSettings,
  keep?: Keep<TcpClient<DataOf<E>>>,
): Promise<TcpClient<DataOf<E>>> {
  const signal = options.signal;
  const clientOf = (socket: Socket): TcpClient<DataOf<E>> => {
    const client = new TcpClient<DataOf<E>>(socket, options);
    connected(client);
    return client;
  };
  const rest =
    keep &&
    ((attempt: Promise<Socket>) =>
      keep(
        attempt.then(clientOf, (err: unknown) => {
          throw reported(err, 'connect');
        }),
      ));
  let last: unknown = new SocketError('noname');
  for (const { address } of addresses) {
    try {
      return clientOf(await attempt(address, port, options, settings, rest));
    } catch (err) {
      if (signal?.aborted === true || (err instanceof SocketError && err.code === 'timeout'))
        throw err;
      last = err;
    }
  }
  throw last;
}

/** @internal What `openSocket` connects to: an address and port, or a path. */
export type SocketTarget = SocketConnectOpts;

/**
 * @internal Opens one connection, bounded by `settings` and the call's
 * options; on timeout or abort the attempt is destroyed and nothing stays
 * behind. Shared by TCP (one attempt per resolved address) and Unix paths.
 *
 * With `keep`, a timeout ends the call only: before the call rejects with
 * `timeout`, `keep` gets the attempt, which goes on with no deadline until
 * it connects, fails, or `options.signal` ends it (then it is destroyed).
 * @throws SocketError `refused`, `timeout`, …; the signal's reason on abort
 */
export function openSocket(
  target: SocketTarget,
  options: WaitOptions,
  settings: TimeoutSettings,
  keep?: Keep<Socket>,
): Promise<Socket> {
  return new Promise<Socket>((resolveCall, rejectCall) => {
    const socket = new Socket({ allowHalfOpen: true });
    // Who learns how the attempt ends: the call, or what `keep` was given.
    let settle = { resolve: resolveCall, reject: rejectCall };
    // What must be let go when it ends: the call's wait, or the signal's listener.
    let release: Disposable;
    const fail = (err: unknown): void => {
      release[Symbol.dispose]();
      socket.off('error', onError);
      // Destroyed, a socket may still report the attempt it cut short: nobody listens now.
      socket.on('error', () => undefined);
      socket.destroy();
      settle.reject(err);
    };
    const onError = (err: Error): void => fail(toSocketError(err));
    const wait = new Wait(settings, options, (end) => {
      if (end.kind === 'abort' || keep === undefined) {
        fail(end.kind === 'timeout' ? new SocketError('timeout', whereTo(target)) : end.reason);
        return;
      }
      keep(new Promise<Socket>((resolve, reject) => (settle = { resolve, reject })));
      const signal = options.signal;
      release =
        signal === undefined ? NOTHING : addAbortListener(signal, () => fail(signal.reason));
      rejectCall(new SocketError('timeout', whereTo(target)));
    });
    release = { [Symbol.dispose]: () => wait.dispose() };
    socket.once('error', onError);
    socket.connect(target, () => {
      release[Symbol.dispose]();
      socket.off('error', onError);
      settle.resolve(socket);
    });
  });
}

/** What a kept attempt without a signal has to let go of. */
const NOTHING: Disposable = { [Symbol.dispose]: () => undefined };

/** The address (or path) and port a connect went to, for its errors. */
function whereTo(target: SocketTarget): { syscall: string; address?: string; port?: number } {
  if ('path' in target) return { syscall: 'connect', address: target.path };
  return {
    syscall: 'connect',
    ...(target.host !== undefined && { address: target.host }),
    port: target.port,
  };
}

function attempt(
  address: string,
  port: number,
  options: ConnectOptions<Encoding>,
  settings: TimeoutSettings,
  keep: Keep<Socket> | undefined,
): Promise<Socket> {
  return openSocket(
    {
      host: address,
      port,
      ...(options.localAddress !== undefined && { localAddress: options.localAddress }),
      ...(options.localPort !== undefined && { localPort: options.localPort }),
    },
    options,
    settings,
    keep,
  );
}

/**
 * Creates a server listening on `host:port`; `'*'` listens on every
 * interface and port 0 picks a free port that `getsockname()` reports.
 *
 * @throws SocketError `addrinuse`, `access`, `noname`, …; TypeError / RangeError for bad arguments
 * @example
 * ```ts
 * import { bind } from 'luasocket-async';
 *
 * const server = await bind('127.0.0.1', 0, { backlog: 128 });
 * const { address, port } = server.getsockname();
 * server.close();
 * ```
 */
export function bind<E extends Encoding = 'utf8'>(
  host: string,
  port: number,
  options: BindOptions<E> = {},
): Promise<TcpServer<DataOf<E>>> {
  checkHost(host);
  if (typeof options === 'object' && options !== null)
    checkKeys(options, [...BIND_KEYS, 'tls'], 'bind()');
  checkStreamOptions(options);
  const tls = options.tls === undefined ? undefined : serverTls(options.tls, 'bind(): tls');
  return bindWith(host, checkPort(port), options, tls);
}

async function bindWith<E extends Encoding>(
  host: string,
  p: number,
  options: BindOptions<E>,
  tls: ServerTls | undefined,
): Promise<TcpServer<DataOf<E>>> {
  try {
    const addresses = await resolve(host, options.family);
    const server = await listenOn(addresses, p, options);
    return new TcpServer<DataOf<E>>(server, options, undefined, true, tls);
  } catch (err) {
    throw reported(toSocketError(err), 'bind');
  }
}
