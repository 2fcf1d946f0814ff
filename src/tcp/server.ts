/**
 * A listening TCP socket: LuaSocket's server object over a `net.Server`,
 * with a bounded queue of connections waiting to be accepted.
 *
 * @module
 */

import { Server, type Socket } from 'node:net';
import { addressOf, fdOf, type SocketAddress, type UnixAddress } from '../net/address.js';
import type { Encoding } from '../stream/codec.js';
import { SocketError, toSocketError } from '../errors/socket-error.js';
import {
  getOption,
  setOption,
  type OptionName,
  type OptionTable,
  type OptionValues,
} from '../net/socket-options.js';
import { readiness, ReadyState, type Readiness, type Watcher } from '../select/readiness.js';
import { positive, setTimeouts, type StreamOptions } from '../stream/options.js';
import { TcpClient } from './client.js';
import type { ServerEndpoint } from './endpoint.js';
import {
  inherit,
  NOTHING_INHERITED,
  serverOptionTable,
  type Inherited,
  type ServerSettings,
} from './options.js';
import type { TimeoutMode, TimeoutSettings } from '../time/timeout.js';
import { checkWaitOptions, mayEnd, Wait, type WaitOptions } from '../time/wait.js';
import { atCallSite } from '../trace/call-site.js';
import { accepted, closing, failed } from '../trace/diagnostics.js';
import type { ServerTls } from '../tls/options.js';
import { secure } from '../tls/secure.js';

const NO_TIMEOUTS: TimeoutSettings = { block: undefined, total: undefined };

/** Options of {@link bind} and `listen`. */
export interface ServerOptions<E extends Encoding = Encoding> extends StreamOptions<E> {
  /** The kernel's backlog of pending connections (default 32, LuaSocket's). */
  backlog?: number;
  /**
   * Accepted-but-unclaimed connections kept for `accept` (default 1024).
   * Past it new connections are closed and counted in `dropped`.
   */
  queueLimit?: number;
  /** For an IPv6 address: refuse IPv4-mapped connections (`ipv6-v6only`). */
  ipv6Only?: boolean;
}

interface Waiter<T extends string | Buffer, A extends SocketAddress | UnixAddress> {
  resolve(client: TcpClient<T, A>): void;
  reject(reason: unknown): void;
  /** None when nothing can end the wait early (no timeout, no signal). */
  wait: Wait | undefined;
}

/**
 * A listening socket, from {@link bind} or `master.listen`.
 *
 * @example Serve each connection as it comes
 * ```ts
 * import { bind } from 'luasocket-async';
 *
 * const server = await bind('127.0.0.1', 0);
 * console.log('listening on', server.getsockname().port);
 * for await (const conn of server) {
 *   const line = await conn.receive('*l');
 *   await conn.send(`${line}\n`);
 *   conn.close();
 * }
 * ```
 */
export class TcpServer<
  T extends string | Buffer = string,
  A extends SocketAddress | UnixAddress = SocketAddress,
>
  implements AsyncIterable<TcpClient<T, A>>, Readiness
{
  readonly #server: Server;
  readonly #stream: StreamOptions;
  readonly #queueLimit: number;
  readonly #queue: TcpClient<T, A>[] = [];
  readonly #waiters: Waiter<T, A>[] = [];
  readonly #settings: TimeoutSettings = { block: undefined, total: undefined };
  readonly #serverSettings: ServerSettings;
  readonly #address: A;
  readonly #endpoint: ServerEndpoint<A> | undefined;
  /** Readiness as plain fields, so that select reads data, not getters. */
  readonly #notifier = new ReadyState();
  #options: OptionTable | undefined;
  /** What `#incoming` last passed on, one record shared by the connections it applies to. */
  #passed: Inherited = NOTHING_INHERITED;
  #closed = false;
  readonly #tls: ServerTls | undefined;
  /** Connections still in their TLS handshake: they count towards `queueLimit`. */
  readonly #handshakes = new Set<Socket>();
  /** Connections closed because the accept queue was full. */
  dropped = 0;
  /** TLS connections closed because their handshake failed or timed out. */
  failedHandshakes = 0;

  /** @internal Wraps a listening server; use {@link bind} or `master.listen`. */
  constructor(
    server: Server,
    options: ServerOptions = {},
    endpoint?: ServerEndpoint<A>,
    /** What `reuseaddr` reports: true for `bind()`'s servers, a master's own setting for its. */
    reuseaddr = true,
    tls?: ServerTls,
  ) {
    this.#server = server;
    this.#tls = tls;
    this.#stream = {
      ...(options.encoding !== undefined && { encoding: options.encoding }),
      ...(options.maxLineLength !== undefined && { maxLineLength: options.maxLineLength }),
      ...(options.highWaterMark !== undefined && { highWaterMark: options.highWaterMark }),
    };
    this.#queueLimit = positive(options.queueLimit, 'queueLimit', 1024);
    this.#serverSettings = {
      keepalive: false,
      nodelay: false,
      ipv6Only: options.ipv6Only === true,
      reuseaddr,
      keepidle: undefined,
    };
    this.#endpoint = endpoint;
    this.#options = endpoint?.options;
    this.#address = endpoint?.address ?? (addressOf(server.address()) as A);
    server.on('connection', (socket: Socket) => this.#incoming(socket));
    // Errors of an already listening server (rare: EMFILE on accept) must not crash the process.
    server.on('error', () => undefined);
  }

  #incoming(socket: Socket): void {
    const waiting = this.#queue.length + this.#handshakes.size;
    if (this.#closed || (waiting >= this.#queueLimit && this.#waiters.length <= waiting)) {
      this.dropped++;
      socket.destroy();
      return;
    }
    // Passed on as the kernel would, and told to the client so that its getoption reports them.
    this.#passed = inherit(socket, this.#serverSettings, this.#passed);
    if (this.#tls === undefined) {
      this.#admit(socket, socket);
      return;
    }
    this.#handshakes.add(socket);
    const role = { isServer: true, server: this.#tls } as const;
    const timeout = { timeout: this.#tls.handshakeTimeout };
    secure(socket, role, NO_TIMEOUTS, timeout).then(
      (tls) => {
        this.#handshakes.delete(socket);
        if (this.#closed) tls.destroy();
        else this.#admit(tls, socket);
      },
      (err: unknown) => {
        this.#handshakes.delete(socket);
        this.failedHandshakes++;
        failed('handshake', toSocketError(err));
      },
    );
  }

  /** Hands a connection to a waiting accept, or queues it. */
  #admit(socket: Socket, raw: Socket): void {
    const endpoint = this.#endpoint?.accepted(raw);
    const client = new TcpClient<T, A>(socket, this.#stream, endpoint, this.#passed);
    accepted(this, client);
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter.wait?.dispose();
      waiter.resolve(client);
    } else {
      this.#queue.push(client);
      this.#notifier.readable = true;
      this.#notifier.notify();
    }
  }

  /** Connections waiting to be accepted. */
  get pending(): number {
    return this.#queue.length;
  }

  /** True once {@link TcpServer.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The OS file descriptor, or -1 when closed or not known. */
  get fd(): number {
    return this.#closed ? -1 : fdOf(this.#server);
  }

  /** True when an accept would not wait. */
  get readable(): boolean {
    return this.#closed || this.#queue.length > 0;
  }

  /** Servers are never writable. */
  get writable(): boolean {
    return false;
  }

  /** This server's readiness, for {@link select}. */
  get [readiness](): Readiness {
    return this.#notifier;
  }

  /** Part of the readiness protocol: `watcher` runs when a connection arrives. */
  watch(watcher: Watcher): void {
    this.#notifier.watch(watcher);
  }

  /** Part of the readiness protocol. */
  unwatch(watcher: Watcher): void {
    this.#notifier.unwatch(watcher);
  }

  /**
   * Waits for a connection; bounded by `settimeout` and `options.timeout`.
   *
   * @throws SocketError `timeout`, `closed`; the signal's reason on abort
   * @example
   * ```ts
   * import { bind } from 'luasocket-async';
   *
   * const server = await bind('127.0.0.1', 0);
   * const conn = await server.accept({ timeout: 1 });
   * conn.close();
   * server.close();
   * ```
   */
  accept(options?: WaitOptions): Promise<TcpClient<T, A>> {
    checkWaitOptions(options, 'accept()');
    const signal = options?.signal;
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (this.#closed) return Promise.reject(new SocketError('closed'));
    const ready = this.#queue.shift();
    this.#notifier.readable = this.#queue.length > 0;
    if (ready !== undefined) return Promise.resolve(ready);
    const waiting = new Promise<TcpClient<T, A>>((resolve, reject) => {
      const waiter: Waiter<T, A> = { resolve, reject, wait: undefined };
      if (mayEnd(this.#settings, options)) {
        waiter.wait = new Wait(this.#settings, options, (end) => {
          const at = this.#waiters.indexOf(waiter);
          if (at !== -1) this.#waiters.splice(at, 1);
          reject(end.kind === 'timeout' ? new SocketError('timeout') : end.reason);
        });
      }
      this.#waiters.push(waiter);
    });
    return atCallSite(waiting, 'accept');
  }

  /** Accepts connections until the server is closed. */
  async *[Symbol.asyncIterator](): AsyncIterator<TcpClient<T, A>> {
    while (!this.#closed) {
      try {
        yield await this.accept();
      } catch (err) {
        if (err instanceof SocketError && err.code === 'closed') return;
        throw err;
      }
    }
  }

  /** The address the server listens on. @throws SocketError `closed` after close */
  getsockname(): A {
    if (this.#closed) throw new SocketError('closed');
    return { ...this.#address };
  }

  /** Sets the timeout of `accept` in seconds (`'b'` or `'t'`, the same for one wait). */
  settimeout(value: number | null | undefined, mode: TimeoutMode = 'b'): void {
    setTimeouts(this.#settings, value, mode);
  }

  /** Sets an option by LuaSocket's name. @throws SocketError `unsupported` where Node.js cannot */
  setoption<K extends OptionName>(name: K, value: OptionValues[K]): void {
    if (this.#closed) throw new SocketError('closed');
    setOption(
      (this.#options ??= serverOptionTable(this.#server, this.#serverSettings)),
      name,
      value,
    );
  }

  /** Reads an option. @throws SocketError `unsupported` where Node.js cannot */
  getoption<K extends OptionName>(name: K): OptionValues[K] {
    if (this.#closed) throw new SocketError('closed');
    return getOption(
      (this.#options ??= serverOptionTable(this.#server, this.#serverSettings)),
      name,
    ) as OptionValues[K];
  }

  /**
   * Stops listening; pending accepts fail with `closed`, unclaimed
   * connections are closed, accepted ones are left alone. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    closing(this, 'server', () => this.getsockname());
    this.#closed = true;
    this.#server.close();
    for (const client of this.#queue.splice(0)) client.close();
    for (const socket of this.#handshakes) socket.destroy();
    this.#notifier.closed = true;
    this.#notifier.readable = true;
    for (const waiter of this.#waiters.splice(0)) {
      waiter.wait?.dispose();
      waiter.reject(new SocketError('closed'));
    }
    this.#notifier.notify();
  }

  /** Closes the server (`await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

/**
 * @internal Starts listening on the first address that accepts, in order;
 * the error is the last one's.
 */
export async function listenOn(
  addresses: readonly { address: string; family: string }[],
  port: number,
  options: ServerOptions,
): Promise<Server> {
  let last: unknown = new SocketError('noname');
  for (const { address, family } of addresses) {
    const server = new Server({ allowHalfOpen: true });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(
          {
            host: address,
            port,
            backlog: options.backlog ?? 32,
            ...(family === 'inet6' && options.ipv6Only === true && { ipv6Only: true }),
          },
          () => {
            server.off('error', reject);
            resolve();
          },
        );
      });
      return server;
    } catch (err) {
      server.close();
      last = err;
    }
  }
  throw last;
}
