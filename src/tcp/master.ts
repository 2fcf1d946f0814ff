/**
 * `tcp()`: LuaSocket's master object, which becomes a server (`bind` then
 * `listen`) or a client (`connect`).
 *
 * @module
 */

import type { Server } from 'node:net';
import {
  addressOf,
  checkHost,
  fdOf,
  checkPort,
  resolve,
  type Family,
  type SocketAddress,
} from '../net/address.js';
import type { DataOf, Encoding } from '../stream/codec.js';
import { BIND_KEYS, connectWith, type ConnectOptions } from './connect.js';
import { MasterState } from './master-state.js';
import { connectInBackground, PendingConnect, type Keep } from './pending-connect.js';
import { reported } from '../trace/call-site.js';
import { SocketError, toSocketError } from '../errors/socket-error.js';
import {
  getOption,
  setOption,
  type OptionName,
  type OptionTable,
  type OptionValues,
} from '../net/socket-options.js';
import { checkStreamOptions, inheritTimeouts, setTimeouts } from '../stream/options.js';
import type { TcpClient } from './client.js';
import { serverOptionTable, type ServerSettings } from './options.js';
import { listenOn, TcpServer, type ServerOptions } from './server.js';
import type { TimeoutMode, TimeoutSettings } from '../time/timeout.js';
import { checkWaitOptions, type WaitOptions } from '../time/wait.js';
import { checkKeys } from '../errors/option-keys.js';

/** Options of {@link tcp}. */
export interface MasterOptions<E extends Encoding = 'utf8'> extends ServerOptions<E> {
  /** `'inet'` or `'inet6'`; decides what `'*'` means. Default `'inet'`. */
  family?: Family;
}

/**
 * A TCP master: bind, then listen or connect, as in LuaSocket. `bind` binds
 * at once, so `getsockname()` reports the port and a busy address fails
 * there. (Node.js binds and listens in one step, so a bound master already
 * queues incoming connections until `listen` hands them to the server.)
 *
 * @example A server the LuaSocket way
 * ```ts
 * import { tcp } from 'luasocket-async';
 *
 * const master = tcp();
 * await master.bind('127.0.0.1', 0);
 * console.log(master.getsockname().port);
 * const server = await master.listen(64);
 * server.close();
 * ```
 */
export class TcpMaster<E extends Encoding = 'utf8'> {
  readonly #options: MasterOptions<E>;
  readonly #settings: TimeoutSettings = { block: undefined, total: undefined };
  readonly #serverSettings: ServerSettings;
  #bound: Server | undefined;
  #local: SocketAddress | undefined;
  #table: OptionTable | undefined;
  readonly #life = new MasterState();

  /** @internal Use {@link tcp}. */
  constructor(options: MasterOptions<E> = {}) {
    if (typeof options === 'object' && options !== null) checkKeys(options, BIND_KEYS, 'tcp()');
    checkStreamOptions(options);
    this.#options = options;
    this.#serverSettings = {
      keepalive: false,
      nodelay: false,
      ipv6Only: options.ipv6Only ?? options.family === 'inet6',
      // LuaSocket's readback for a master: off until the program sets it.
      reuseaddr: false,
      keepidle: undefined,
    };
  }

  /** The OS file descriptor once bound, else -1 (LuaSocket creates it lazily too). */
  get fd(): number {
    return this.#bound === undefined ? -1 : fdOf(this.#bound);
  }

  /** The family `'*'` and name resolution use. */
  get family(): Family {
    return this.#options.family ?? 'inet';
  }

  /**
   * Binds to a local address at once (`'*'` for all interfaces, port 0 for any).
   * @throws SocketError `addrinuse`, `access`, `noname`, …
   */
  bind(host: string, port: number): Promise<void> {
    checkHost(host);
    const p = checkPort(port);
    return this.#life.usable('bind') ?? this.#bind(host, p);
  }

  async #bind(host: string, p: number): Promise<void> {
    if (this.#bound !== undefined)
      throw toSocketError(Object.assign(new Error('invalid argument'), { code: 'EINVAL' }));
    const addresses = await resolve(host, this.#options.family);
    try {
      const ipv6Only = this.#serverSettings.ipv6Only;
      this.#bound = await listenOn(addresses, p, { ...this.#options, ipv6Only });
    } catch (err) {
      throw reported(toSocketError(err), 'bind');
    }
    this.#local = addressOf(this.#bound.address());
  }

  /**
   * Turns the master into a server; binds `'*'` port 0 first when unbound.
   * @param backlog - pending connections the kernel keeps (default 32; fixed at bind time when bound already)
   */
  listen(backlog?: number): Promise<TcpServer<DataOf<E>>> {
    return this.#life.usable('listen') ?? this.#listen(backlog);
  }

  async #listen(backlog: number | undefined): Promise<TcpServer<DataOf<E>>> {
    let server = this.#bound;
    if (server === undefined) {
      const wildcard = this.family === 'inet6' ? '::' : '0.0.0.0';
      const opts = {
        ...this.#options,
        ...(backlog !== undefined && { backlog }),
        ipv6Only: this.#serverSettings.ipv6Only,
      };
      server = await listenOn([{ address: wildcard, family: this.family }], 0, opts).catch(
        (err: unknown) => {
          throw toSocketError(err);
        },
      );
    }
    this.#life.state = 'used';
    this.#bound = undefined;
    const { ipv6Only, reuseaddr } = this.#serverSettings;
    const result = new TcpServer<DataOf<E>>(
      server,
      { ...this.#options, ipv6Only },
      undefined,
      reuseaddr,
    );
    this.#passSettings(result);
    inheritTimeouts(result, this.#settings);
    return result;
  }

  /**
   * Turns the master into a client connected to `host:port`, from the bound
   * local address if any; bounded by `settimeout` and `options.timeout`.
   * @throws SocketError `refused`, `timeout`, `noname`, …; the signal's reason on abort
   */
  connect(host: string, port: number, options?: WaitOptions): Promise<TcpClient<DataOf<E>>> {
    checkHost(host);
    const p = checkPort(port);
    checkWaitOptions(options, 'connect()');
    return this.#life.usable('connect') ?? this.#connect(host, p, options);
  }

  /**
   * @internal LuaSocket's non-blocking connect: {@link TcpMaster.connect},
   * bounded the same way (`settimeout` and `options`), except that when the
   * deadline passes first only the call ends: `result` rejects with
   * `timeout` and the attempt goes on, until it connects (the master
   * becomes the client's, as after `connect`), fails (the master may
   * connect again), or the master or the pending connect is closed.
   * @returns the connect, for `select` and for the outcome
   * @throws TypeError / RangeError for bad arguments (at once)
   * @example See {@link PendingConnect}.
   */
  [connectInBackground](
    host: string,
    port: number,
    options?: WaitOptions,
  ): PendingConnect<TcpClient<DataOf<E>>> {
    checkHost(host);
    const p = checkPort(port);
    checkWaitOptions(options, 'connect()');
    return new PendingConnect((keep, cancel) => {
      const signal =
        options?.signal === undefined ? cancel : AbortSignal.any([options.signal, cancel]);
      return this.#life.usable('connect') ?? this.#connect(host, p, { ...options, signal }, keep);
    });
  }

  async #connect(
    host: string,
    p: number,
    options: WaitOptions | undefined,
    keep?: Keep<TcpClient<DataOf<E>>>,
  ): Promise<TcpClient<DataOf<E>>> {
    const local = this.#local;
    const bound = this.#bound;
    this.#bound = undefined;
    if (bound !== undefined) await new Promise<void>((done) => bound.close(() => done()));
    const connectOptions: ConnectOptions<E> = {
      ...this.#options,
      ...options,
      signal: this.#life.connectSignal(options?.signal),
      ...(local !== undefined && { localAddress: local.address, localPort: local.port }),
    };
    // A client made after the call timed out is this master's all the same.
    const adopt = (client: TcpClient<DataOf<E>>): TcpClient<DataOf<E>> => {
      this.#life.state = 'used';
      this.#passSettings(client);
      inheritTimeouts(client, this.#settings);
      return client;
    };
    const rest = keep && ((attempt: Promise<TcpClient<DataOf<E>>>) => keep(attempt.then(adopt)));
    return adopt(await connectWith(host, p, connectOptions, this.#settings, rest));
  }

  /** The bound address. @throws SocketError `closed` when closed or not bound */
  getsockname(): SocketAddress {
    if (this.#life.closed || this.#local === undefined) throw new SocketError('closed');
    return { ...this.#local };
  }

  /** Sets the timeout used by `connect`, and inherited by what it becomes. */
  settimeout(value: number | null | undefined, mode: TimeoutMode = 'b'): void {
    setTimeouts(this.#settings, value, mode);
  }

  /** The master's timeouts. */
  gettimeout(): Readonly<TimeoutSettings> {
    return { ...this.#settings };
  }

  /** Applies the options set on the master to what it became. */
  #passSettings(target: TcpServer<DataOf<E>> | TcpClient<DataOf<E>>): void {
    const { keepalive, nodelay, keepidle } = this.#serverSettings;
    if (keepidle !== undefined) target.setoption('tcp-keepidle', keepidle);
    if (keepalive) target.setoption('keepalive', true);
    if (nodelay) target.setoption('tcp-nodelay', true);
  }

  /** Sets an option, applied to what the master becomes. */
  setoption<K extends OptionName>(name: K, value: OptionValues[K]): void {
    this.#life.check('setoption');
    if (name === 'ipv6-v6only' && this.#bound === undefined && typeof value === 'boolean') {
      this.#serverSettings.ipv6Only = value;
      return;
    }
    setOption((this.#table ??= serverOptionTable(undefined, this.#serverSettings)), name, value);
  }

  /** Reads an option. */
  getoption<K extends OptionName>(name: K): OptionValues[K] {
    this.#life.check('getoption');
    return getOption(
      (this.#table ??= serverOptionTable(undefined, this.#serverSettings)),
      name,
    ) as OptionValues[K];
  }

  /** Closes the master (and releases a bound address). Idempotent. */
  close(): void {
    if (this.#life.closed) return;
    this.#life.close();
    this.#bound?.close();
    this.#bound = undefined;
  }
}

/**
 * Creates a TCP master (LuaSocket's `socket.tcp()`).
 *
 * @example
 * ```ts
 * import { tcp } from 'luasocket-async';
 *
 * const master = tcp({ family: 'inet6' });
 * await master.bind('::1', 0);
 * const server = await master.listen();
 * server.close();
 * ```
 */
export function tcp<E extends Encoding = 'utf8'>(options: MasterOptions<E> = {}): TcpMaster<E> {
  return new TcpMaster<E>(options);
}
