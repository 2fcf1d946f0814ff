/**
 * Unix domain stream sockets (LuaSocket's `socket.unix`): `unix()`, a master
 * that binds a path then listens, or connects to a path; and the one-step
 * {@link connectUnix} and {@link bindUnix}. The connections and servers are
 * the TCP core's own `TcpClient` and `TcpServer`, so every receive pattern,
 * timeout, iterator and `select` work unchanged.
 *
 * @module
 */

import type { Server } from 'node:net';
import { fdOf, type UnixAddress } from './address.js';
import type { DataOf, Encoding } from './codec.js';
import { MasterState } from './master-state.js';
import { SocketError } from './errors.js';
import { atCallSite, reported } from './call-site.js';
import { connected } from './diagnostics.js';
import { checkKeys, STREAM_KEYS, WAIT_KEYS } from './option-keys.js';
import {
  getOption,
  setOption,
  type OptionName,
  type OptionTable,
  type OptionValues,
} from './socket-options.js';
import { setTimeouts, type StreamOptions } from './stream-options.js';
import { TcpClient } from './tcp-client.js';
import { TcpServer, type ServerOptions } from './tcp-server.js';
import type { TimeoutMode, TimeoutSettings } from './timeout.js';
import {
  checkPath,
  connectedEndpoint,
  connectPath,
  datagramUnsupported,
  listenPath,
  serverEndpoint,
  unixAddress,
  unixOptionTable,
} from './unix-path.js';
import { checkWaitOptions, type WaitOptions } from './wait.js';

/** Options of {@link bindUnix}, `unix()` and its `bind`. */
export interface UnixServerOptions<E extends Encoding = 'utf8'> extends Omit<
  ServerOptions<E>,
  'ipv6Only'
> {
  /**
   * Remove a stale socket file at the path before binding (default `false`,
   * as in LuaSocket, where the bind then fails with `address already in use`).
   * Only a socket file that nobody listens on is removed: a live socket or
   * any other kind of file is left alone and the bind fails.
   */
  unlink?: boolean;
}

/** Options of {@link unix}. */
export interface UnixOptions<E extends Encoding = 'utf8'> extends UnixServerOptions<E> {
  /** `'stream'` (the default). `'dgram'` throws `unsupported`: Node.js has no Unix datagram sockets. */
  type?: 'stream' | 'dgram';
}

const SERVER_KEYS = [...STREAM_KEYS, 'backlog', 'queueLimit', 'unlink'];
const MASTER_KEYS = [...SERVER_KEYS, 'type'];
const CONNECT_KEYS = [...STREAM_KEYS, ...WAIT_KEYS];

/** Options of {@link connectUnix}. */
export interface UnixConnectOptions<E extends Encoding = 'utf8'>
  extends StreamOptions<E>, WaitOptions {}

/** A connection over a Unix domain socket: a {@link TcpClient} whose addresses are paths. */
export type UnixClient<T extends string | Buffer = string> = TcpClient<T, UnixAddress>;

/** A listening Unix domain socket: a {@link TcpServer} whose address is a path. */
export type UnixServer<T extends string | Buffer = string> = TcpServer<T, UnixAddress>;

/**
 * Connects to the Unix domain stream socket at `path`.
 *
 * @param path - the socket file
 * @param options - `timeout` (seconds), `signal`, `encoding`, `maxLineLength`, `highWaterMark`
 * @returns a client whose `getpeername()` is `{ address: path, port: 0, family: 'unix' }`
 * @throws SocketError `refused` (a stale socket file), `timeout`, the system's
 *   message (`No such file or directory`); the signal's reason on abort;
 *   TypeError / RangeError for a bad path
 * @example
 * ```ts
 * import { connectUnix } from 'luasocket-async';
 *
 * const client = await connectUnix('/run/app.sock', { timeout: 5 });
 * await client.send('PING\n');
 * console.log(await client.receive('*l'));
 * client.close();
 * ```
 */
export function connectUnix<E extends Encoding = 'utf8'>(
  path: string,
  options: UnixConnectOptions<E> = {},
): Promise<UnixClient<DataOf<E>>> {
  checkPath(path);
  if (typeof options === 'object' && options !== null) {
    checkKeys(options, CONNECT_KEYS, 'connectUnix()');
  }
  checkWaitOptions(options);
  return connectWith(path, options, { block: undefined, total: undefined });
}

async function connectWith<E extends Encoding>(
  path: string,
  options: UnixConnectOptions<E>,
  settings: TimeoutSettings,
): Promise<UnixClient<DataOf<E>>> {
  options.signal?.throwIfAborted();
  try {
    const socket = await connectPath(path, options, settings);
    const client = new TcpClient<DataOf<E>, UnixAddress>(socket, options, connectedEndpoint(path));
    connected(client);
    return client;
  } catch (err) {
    throw reported(err, 'connect');
  }
}

/**
 * Creates a server listening on the Unix domain socket `path`. Closing the
 * server removes the socket file.
 *
 * @param path - the socket file to create
 * @param options - `backlog` (default 32), `unlink` (remove a stale socket file first), stream options
 * @throws SocketError `addrinuse` when the file exists, `access`, the
 *   system's message; TypeError / RangeError for a bad path
 * @example
 * ```ts
 * import { bindUnix } from 'luasocket-async';
 *
 * const server = await bindUnix('/tmp/app.sock', { unlink: true });
 * for await (const conn of server) {
 *   await conn.send(`${await conn.receive('*l')}\n`);
 *   conn.close();
 * }
 * ```
 */
export function bindUnix<E extends Encoding = 'utf8'>(
  path: string,
  options: UnixServerOptions<E> = {},
): Promise<UnixServer<DataOf<E>>> {
  checkPath(path);
  if (typeof options === 'object' && options !== null)
    checkKeys(options, SERVER_KEYS, 'bindUnix()');
  return bindPath(path, options);
}

async function bindPath<E extends Encoding>(
  path: string,
  options: UnixServerOptions<E>,
): Promise<UnixServer<DataOf<E>>> {
  try {
    const server = await listenPath(path, options.backlog ?? 32, options.unlink === true);
    return new TcpServer<DataOf<E>, UnixAddress>(server, options, serverEndpoint(path));
  } catch (err) {
    throw reported(err, 'bind');
  }
}

/**
 * A Unix domain stream master: `bind(path)` then `listen`, or `connect(path)`,
 * as LuaSocket's `socket.unix()`. `bind` binds at once, so a busy path fails
 * there (Node.js binds and listens in one step: a bound master already
 * queues connections until `listen` hands them to the server).
 *
 * @example
 * ```ts
 * import { unix } from 'luasocket-async';
 *
 * const master = unix();
 * await master.bind('/tmp/app.sock', { unlink: true });
 * const server = await master.listen(64);
 * console.log(server.getsockname()); // { address: '/tmp/app.sock', port: 0, family: 'unix' }
 * server.close();
 * ```
 */
export class UnixMaster<E extends Encoding = 'utf8'> {
  readonly #options: UnixServerOptions<E>;
  readonly #settings: TimeoutSettings = { block: undefined, total: undefined };
  readonly #table: OptionTable = unixOptionTable();
  #bound: { server: Server; path: string } | undefined;
  readonly #life = new MasterState();

  /** @internal Use {@link unix}. */
  constructor(options: UnixServerOptions<E> = {}) {
    checkKeys(options, SERVER_KEYS, 'unix()');
    this.#options = options;
  }

  /** The OS file descriptor once bound, else -1. */
  get fd(): number {
    return this.#bound === undefined || this.#life.closed ? -1 : fdOf(this.#bound.server);
  }

  /**
   * Binds the socket file `path` at once.
   * @param options - `unlink`: remove a stale socket file first (default: the master's, else `false`)
   * @throws SocketError `addrinuse`, `access`, the system's message; TypeError when already bound
   */
  bind(path: string, options: { unlink?: boolean } = {}): Promise<void> {
    checkPath(path);
    if (typeof options === 'object' && options !== null) checkKeys(options, ['unlink'], 'bind()');
    const refused = this.#life.usable('bind');
    if (refused !== undefined) return refused;
    if (this.#bound !== undefined)
      throw new TypeError('Expected an unbound Unix master for `bind`, but it is bound already');
    const unlink = options.unlink ?? this.#options.unlink ?? false;
    const binding = listenPath(path, this.#options.backlog ?? 32, unlink).then((server) => {
      if (this.#life.closed) {
        server.close();
        throw new SocketError('closed');
      }
      this.#bound = { server, path };
    });
    return atCallSite(binding, 'bind');
  }

  /**
   * Turns the bound master into a server.
   * @param backlog - ignored: the kernel's backlog is fixed at `bind` (the `backlog` option)
   * @throws TypeError when not bound (a Unix socket has no "any address")
   */
  listen(backlog?: number): Promise<UnixServer<DataOf<E>>> {
    void backlog;
    const refused = this.#life.usable('listen');
    if (refused !== undefined) return refused;
    const bound = this.#bound;
    if (bound === undefined)
      throw new TypeError('Expected a bound Unix master for `listen` (call bind first)');
    this.#life.state = 'used';
    this.#bound = undefined;
    const server = new TcpServer<DataOf<E>, UnixAddress>(
      bound.server,
      this.#options,
      serverEndpoint(bound.path),
    );
    if (this.#settings.block !== undefined) server.settimeout(this.#settings.block, 'b');
    if (this.#settings.total !== undefined) server.settimeout(this.#settings.total, 't');
    return Promise.resolve(server);
  }

  /**
   * Turns the master into a client connected to `path`, bounded by
   * `settimeout` and `options.timeout`.
   * @throws SocketError `refused`, `timeout`, the system's message;
   *   `unsupported` after `bind` (Node.js cannot connect from a bound path)
   */
  connect(path: string, options?: WaitOptions): Promise<UnixClient<DataOf<E>>> {
    checkPath(path);
    checkWaitOptions(options, 'connect()');
    const refused = this.#life.usable('connect');
    if (refused !== undefined) return refused;
    if (this.#bound !== undefined) {
      return Promise.reject(
        new SocketError('unsupported', {
          message: 'connect: Node.js cannot connect a Unix socket from a bound path',
        }),
      );
    }
    // Closing the master ends a connect in progress.
    const signal = this.#life.connectSignal(options?.signal);
    const all = { ...this.#options, ...options, signal };
    return connectWith(path, all, this.#settings).then((client) => {
      this.#life.state = 'used';
      if (this.#settings.block !== undefined) client.settimeout(this.#settings.block, 'b');
      if (this.#settings.total !== undefined) client.settimeout(this.#settings.total, 't');
      return client;
    });
  }

  /** The bound path. @throws SocketError `closed` when closed or not bound */
  getsockname(): UnixAddress {
    if (this.#life.closed || this.#bound === undefined) throw new SocketError('closed');
    return unixAddress(this.#bound.path);
  }

  /** Sets the timeout used by `connect`, and inherited by what the master becomes. */
  settimeout(value: number | null | undefined, mode: TimeoutMode = 'b'): void {
    setTimeouts(this.#settings, value, mode);
  }

  /** The master's timeouts. */
  gettimeout(): Readonly<TimeoutSettings> {
    return { ...this.#settings };
  }

  /** Options: each answers `unsupported` on Unix domain sockets. */
  setoption<K extends OptionName>(name: K, value: OptionValues[K]): void {
    this.#life.check('setoption');
    setOption(this.#table, name, value);
  }

  /** Options: each answers `unsupported` on Unix domain sockets. */
  getoption<K extends OptionName>(name: K): OptionValues[K] {
    this.#life.check('getoption');
    return getOption(this.#table, name) as OptionValues[K];
  }

  /** Closes the master; a bound socket file is removed. Idempotent. */
  close(): void {
    if (this.#life.closed) return;
    this.#life.close();
    this.#bound?.server.close();
    this.#bound = undefined;
  }
}

/**
 * Creates a Unix domain stream master (LuaSocket's `socket.unix()`).
 *
 * @param options - `encoding`, `backlog`, `unlink`, stream options; `type: 'dgram'` throws
 * @throws SocketError `unsupported` for `type: 'dgram'` (LuaSocket's
 *   `socket.unix.dgram()`): Node.js has no Unix datagram sockets
 * @example
 * ```ts
 * import { unix } from 'luasocket-async';
 *
 * const client = await unix().connect('/run/app.sock', { timeout: 2 });
 * console.log(client.getpeername().address); // '/run/app.sock'
 * client.close();
 * ```
 */
export function unix<E extends Encoding = 'utf8'>(options: UnixOptions<E> = {}): UnixMaster<E> {
  if (typeof options === 'object' && options !== null) checkKeys(options, MASTER_KEYS, 'unix()');
  const { type = 'stream', ...rest } = options;
  if (type === 'dgram') throw datagramUnsupported();
  if (type !== 'stream')
    throw new TypeError(`Expected \`type\` to be 'stream' or 'dgram', got \`${String(type)}\``);
  return new UnixMaster<E>(rest);
}
