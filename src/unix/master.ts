/**
 * Unix domain stream masters (LuaSocket's `socket.unix()`): `unix()`, a
 * master that binds a path then listens, or connects to a path. What it
 * becomes is a {@link connectUnix} client or a {@link bindUnix} server.
 *
 * @module
 */

import type { Server } from 'node:net';
import { fdOf, type UnixAddress } from '../net/address.js';
import type { DataOf, Encoding } from '../stream/codec.js';
import { MasterState } from '../tcp/master-state.js';
import { SocketError } from '../errors/socket-error.js';
import { atCallSite } from '../trace/call-site.js';
import { checkKeys } from '../errors/option-keys.js';
import {
  getOption,
  setOption,
  type OptionName,
  type OptionTable,
  type OptionValues,
} from '../net/socket-options.js';
import { checkStreamOptions, inheritTimeouts, setTimeouts } from '../stream/options.js';
import { TcpServer } from '../tcp/server.js';
import type { TimeoutMode, TimeoutSettings } from '../time/timeout.js';
import {
  checkPath,
  datagramUnsupported,
  listenPath,
  serverEndpoint,
  unixAddress,
  unixOptionTable,
} from './path.js';
import { checkWaitOptions, type WaitOptions } from '../time/wait.js';
import {
  connectWith,
  SERVER_KEYS,
  type UnixClient,
  type UnixServer,
  type UnixServerOptions,
} from './connect.js';

/** Options of {@link unix}. */
export interface UnixOptions<E extends Encoding = 'utf8'> extends UnixServerOptions<E> {
  /** `'stream'` (the default). `'dgram'` throws `unsupported`: Node.js has no Unix datagram sockets. */
  type?: 'stream' | 'dgram';
}

const MASTER_KEYS = [...SERVER_KEYS, 'type'];

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
    checkStreamOptions(options);
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
    inheritTimeouts(server, this.#settings);
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
      inheritTimeouts(client, this.#settings);
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
