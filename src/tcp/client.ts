/**
 * A connected TCP socket: LuaSocket's client object over a `net.Socket`.
 *
 * @module
 */

import type { Socket } from 'node:net';
import { fdOf, type SocketAddress, type UnixAddress } from '../net/address.js';
import { codecFor, type Codec, type Encoding } from '../stream/codec.js';
import { SocketError } from '../errors/socket-error.js';
import { LineIterator, type LinesOptions } from '../stream/line-iterator.js';
import { readiness, ReadyState, type Readiness, type Watcher } from '../select/readiness.js';
import type { ReceivePattern } from '../stream/pattern.js';
import { clientOptionTable, type Inherited } from './options.js';
import { getOption, setOption } from '../net/socket-options.js';
import type { OptionName, OptionTable, OptionValues } from '../net/socket-options.js';
import type { ReceiveOptions, StreamReader } from '../stream/reader.js';
import { grantReader } from './receive-parsed.js';
import { attachClient, type ClientIo } from './client-events.js';
import { SecureStream, type HandOver } from '../tls/secure-stream.js';
import { closeClient, handOverClient, shutdownClient } from './client-close.js';
import { readNames, type SocketNames } from './client-names.js';
import type { Endpoint } from './endpoint.js';
import type { StreamWriter } from '../stream/writer.js';
import { clock } from '../time/clock.js';
import { closing } from '../trace/diagnostics.js';
import type { TimeoutMode, TimeoutSettings } from '../time/timeout.js';
import type { WaitOptions } from '../time/wait.js';
import { readLimits, setTimeouts } from '../stream/options.js';
import type { SocketStats, StreamOptions } from '../stream/options.js';

/**
 * A connected TCP socket, from {@link connect}, `TcpServer.accept` or `master.connect`.
 *
 * @typeParam T - what receives resolve to: `string`, or `Buffer` with `encoding: 'buffer'`
 * @typeParam A - what `getsockname`/`getpeername` give: an IP address, or a
 *   {@link UnixAddress} for a Unix domain socket ({@link connectUnix})
 *
 * @example Lines in, a reply out
 * ```ts
 * import { connect } from 'luasocket-async';
 *
 * await using client = await connect('127.0.0.1', 8080, { timeout: 5 });
 * await client.send('HELLO\r\n');
 * const reply = await client.receive('*l');
 * for await (const line of client.lines()) console.log(line);
 * ```
 */
export class TcpClient<
  T extends string | Buffer = string,
  A extends SocketAddress | UnixAddress = SocketAddress,
>
  extends SecureStream<TcpClient<T, A>>
  implements Readiness
{
  readonly #socket: Socket;
  readonly #codec: Codec<T>;
  readonly #reader: StreamReader<T>;
  readonly #writer: StreamWriter;
  readonly #settings: TimeoutSettings = { block: undefined, total: undefined };
  readonly #notifier = new ReadyState();
  /** What the socket's events and the close drive: one record, made once. */
  readonly #io: ClientIo;
  /** This socket's readiness, for {@link select}: plain fields, kept current. */
  readonly [readiness]: Readiness = this.#notifier;
  /** Both names, read on first use (see `getsockname`); a Unix socket's come with it. */
  #names: SocketNames<A> | undefined;
  /** Built on first use: most connections never touch an option. */
  #options: OptionTable | undefined;
  /** Options the accepting server applied, which the table records once built. */
  readonly #inherited: Inherited | undefined;
  #closed = false;
  #birth = clock.now();
  /** @internal Abortive close (linger on, timeout 0). */
  resetOnClose = false;
  readonly #stream: StreamOptions;

  /** @internal Wraps a connected socket; use {@link connect} or `accept`. */
  constructor(
    socket: Socket,
    options: StreamOptions = {},
    endpoint?: Endpoint<A>,
    inherited?: Inherited,
  ) {
    super(socket);
    this.#socket = socket;
    this.#stream = options;
    this.#inherited = inherited;
    this.#codec = codecFor(options.encoding ?? 'utf8') as unknown as Codec<T>;
    const limits = readLimits(options);
    const wired = attachClient(socket, this.#codec, this.#settings, this.#notifier, limits);
    this.#reader = wired.reader;
    this.#writer = wired.writer;
    this.#io = wired.io;
    this.#names = endpoint;
    this.#options = endpoint?.options;
  }

  // The one way from outside the class to the reader: `receiveParsed`, for compat.
  static {
    // The grant takes any client by its shape; only TcpClients reach it.
    grantReader(<T extends string | Buffer>(client: object) => (client as TcpClient<T>).#reader);
  }

  /** The socket's encoding. */
  get encoding(): Encoding {
    return this.#codec.encoding;
  }

  /** Unread bytes waiting in the receive buffer. */
  get buffered(): number {
    return this.#reader.buffered;
  }

  /** True once {@link TcpClient.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The OS file descriptor, or -1 when closed or not known. */
  get fd(): number {
    return this.#closed ? -1 : fdOf(this.#socket);
  }

  /**
   * Reads by pattern: `'*l'` a line without its LF and CRs (the default),
   * `'*a'` everything until the peer closes, or `n` bytes counting the prefix.
   *
   * @param pattern - `'*l'`, `'*a'` (or `'l'`, `'a'`), or a byte count >= 0
   * @param options - `prefix`, `timeout` (seconds), `signal`
   * @returns the data, prefix first
   * @throws SocketError `timeout`, `closed`, `linetoolong`, `aborted` (with
   *   `partial`: what was read, consumed); TypeError / RangeError for a bad pattern
   *
   * @example A line, then five bytes after a prefix
   * ```ts
   * import { connect } from 'luasocket-async';
   *
   * const client = await connect('127.0.0.1', 8080);
   * const line = await client.receive('*l');
   * const rest = await client.receive(5, { prefix: '>' }); // '>' + 4 bytes
   * client.close();
   * ```
   */
  receive(pattern?: ReceivePattern, options?: ReceiveOptions<T>): Promise<T> {
    return this.#reader.receive(pattern, options);
  }

  /**
   * What `receive(pattern)` would resolve to at once, taken synchronously:
   * no promise, no microtask, no timer. `undefined` when the buffer cannot
   * answer now — the receive would wait, or would fail (`closed`,
   * `linetoolong`) — and then nothing was consumed: `await receive(pattern)`
   * makes the call, waiting or reporting the failure with its partial.
   * Also `undefined` while a `receive` is pending, so reads stay in order.
   * For hot loops of small reads, where an `await` would cost a microtask
   * even with the data there; elsewhere `receive` is simpler and as fast.
   *
   * @param pattern - as for {@link TcpClient.receive} (no prefix)
   * @throws TypeError / RangeError for a bad pattern
   * @example A record parser that awaits only when the buffer runs dry
   * ```ts
   * import { connect } from 'luasocket-async';
   *
   * const client = await connect('127.0.0.1', 8080);
   * for (let i = 0; i < 1000; i++) {
   *   const field = client.receiveBuffered(10) ?? (await client.receive(10));
   *   console.log(field);
   * }
   * client.close();
   * ```
   */
  receiveBuffered(pattern?: ReceivePattern): T | undefined {
    return this.#reader.receiveBuffered(pattern);
  }

  /**
   * Whatever is buffered, up to `max` bytes, waiting only if nothing is.
   * In `'utf8'` mode a character is never split.
   *
   * @param max - the most bytes to return (default 65536)
   * @throws SocketError `timeout`, `closed`, `aborted`
   * @example
   * ```ts
   * import { connect } from 'luasocket-async';
   *
   * const client = await connect('127.0.0.1', 8080);
   * const chunk = await client.receiveany(4096, { timeout: 1 });
   * client.close();
   * ```
   */
  receiveany(max = 65536, options?: WaitOptions): Promise<T> {
    return this.#reader.receiveany(max, options);
  }

  /**
   * Iterates over lines until the peer closes; an unterminated last line is
   * yielded too. Timeouts apply to each line. A reset is not an end: it is
   * thrown, a `SocketError` `closed` whose `cause` is the system's error
   * (`ECONNRESET`) and whose `partial` is the truncated line, so a cut
   * transfer is never taken for a complete one.
   *
   * @example
   * ```ts
   * import { connect } from 'luasocket-async';
   *
   * const client = await connect('127.0.0.1', 8080);
   * for await (const line of client.lines()) console.log(line);
   * ```
   */
  lines(options?: LinesOptions): AsyncIterableIterator<T> {
    return new LineIterator(this.#reader, options);
  }

  /**
   * Iterates over chunks as they arrive (up to 64 KiB each) until the peer
   * closes; a reset is thrown, as from {@link TcpClient.lines}.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return new LineIterator(this.#reader, undefined, 65536);
  }

  /**
   * Sends all of `data`, waiting while the peer is slow to read.
   *
   * @returns the number of bytes sent
   * @throws SocketError `closed`, `timeout`, `aborted`, with `sent`: the bytes
   *   handed to the system before the failure (send the rest again)
   * @example
   * ```ts
   * import { connect } from 'luasocket-async';
   *
   * const client = await connect('127.0.0.1', 8080);
   * const n = await client.send('hello\n', { timeout: 2 });
   * client.close();
   * ```
   */
  send(data: string | Uint8Array, options?: WaitOptions): Promise<number> {
    return this.#writer.send(this.#codec.sendable(data), options);
  }

  /**
   * Sets the block (`'b'`, default) or total (`'t'`) timeout in seconds;
   * `null`/negative waits forever, `0` never waits.
   *
   * @example
   * ```ts
   * import { connect } from 'luasocket-async';
   *
   * const client = await connect('127.0.0.1', 8080);
   * client.settimeout(2);       // no single wait for the peer longer than 2 s
   * client.settimeout(30, 't'); // no call longer than 30 s
   * client.close();
   * ```
   */
  settimeout(value: number | null | undefined, mode: TimeoutMode = 'b'): void {
    setTimeouts(this.#settings, value, mode);
  }

  /** The socket's current timeouts (seconds; `undefined` waits forever). */
  gettimeout(): Readonly<TimeoutSettings> {
    return { ...this.#settings };
  }

  /**
   * Closes one or both directions: `'send'` sends FIN and keeps reading until
   * the peer's EOF; `'receive'` discards what arrives; `'both'` (default) both.
   */
  shutdown(how: 'both' | 'send' | 'receive' = 'both'): void {
    shutdownClient(this.#socket, this.#io, how);
  }

  /**
   * Closes the socket; pending calls fail with `closed` and their partials.
   * Data already sent is still delivered. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    closing(this, 'tcp', () => this.getsockname());
    this.#closed = this.#notifier.closed = true;
    closeClient(this.#socket, this.#io, this.resetOnClose);
  }

  /** Closes the socket (`await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return Promise.resolve(this.close());
  }

  /**
   * The local address. Both names are read from the system on first use
   * (most connections never ask) and kept; once the connection is gone (a
   * reset, or closed both ways), a first call fails, as LuaSocket's does.
   * @throws SocketError `closed` after close, or once the connection is gone
   */
  getsockname(): A {
    return { ...this.#nameList().local };
  }

  /** The peer's address; see `getsockname`. @throws SocketError `closed` as `getsockname` */
  getpeername(): A {
    return { ...this.#nameList().remote };
  }

  #nameList(): SocketNames<A> {
    if (this.#closed) throw new SocketError('closed');
    return (this.#names ??= readNames<A>(this.#socket));
  }

  /** Bytes received and sent by the program, and the age in seconds. */
  getstats(): SocketStats {
    const age = (clock.now() - this.#birth) / 1000;
    return { received: this.#reader.received, sent: this.#writer.sent, age };
  }

  /** Resets the counters (LuaSocket's `setstats`); omitted values stay. */
  setstats(received?: number, sent?: number, age?: number): void {
    if (received !== undefined) this.#reader.received = received;
    if (sent !== undefined) this.#writer.sent = sent;
    if (age !== undefined) this.#birth = clock.now() - age * 1000;
  }

  /**
   * Sets an option by LuaSocket's name.
   * @throws SocketError `unsupported` where Node.js cannot; TypeError for a bad name or value
   */
  setoption<K extends OptionName>(name: K, value: OptionValues[K]): void {
    setOption(this.#table(), name, value);
  }

  /** Reads an option. @throws SocketError `unsupported` where Node.js cannot */
  getoption<K extends OptionName>(name: K): OptionValues[K] {
    return getOption(this.#table(), name) as OptionValues[K];
  }

  /** @internal Gives the connection up to TLS: see `handOverClient`. */
  handOver(): HandOver<TcpClient<T, A>> {
    if (this.#closed) throw new SocketError('closed');
    const reopen = (tls: Socket): TcpClient<T, A> => new TcpClient<T, A>(tls, this.#stream);
    return handOverClient(
      this.#socket,
      this.#io,
      this.#settings,
      reopen,
      () => (this.#closed = true),
    );
  }

  /** True when unread bytes wait in the buffer. */
  dirty(): boolean {
    return this.#reader.buffered > 0;
  }

  /** True when a receive would answer without waiting (bytes buffered, or the peer closed). */
  get readable(): boolean {
    return this.#closed || this.#reader.readable;
  }

  /** True when a send would not wait. */
  get writable(): boolean {
    return this.#closed || this.#writer.writable;
  }

  /**
   * Bytes sends accepted and the system has not taken yet: what Node.js
   * holds (at most its high-water mark plus 64 KiB) and what waiting sends
   * hold. A producer that does not await its sends can pace itself on this.
   *
   * @example
   * ```ts
   * import { connect } from 'luasocket-async';
   *
   * const client = await connect('127.0.0.1', 8080);
   * for (let i = 0; i < 100; i++) {
   *   void client.send(`line ${i}\n`).catch(() => undefined);
   *   if (client.bufferedAmount > 1 << 20) await client.send(''); // wait for the queue ahead
   * }
   * client.close();
   * ```
   */
  get bufferedAmount(): number {
    return this.#writer.bufferedAmount;
  }

  /** Part of the readiness protocol: `watcher` runs when readiness may have changed. */
  watch(watcher: Watcher): void {
    this.#notifier.watch(watcher);
  }

  /** Part of the readiness protocol. */
  unwatch(watcher: Watcher): void {
    this.#notifier.unwatch(watcher);
  }

  /** The option table, built on first use with the inherited options recorded; open sockets only. */
  #table(): OptionTable {
    if (this.#closed) throw new SocketError('closed');
    return (this.#options ??= clientOptionTable(this.#socket, this, this.#inherited));
  }
}
