/**
 * UDP: LuaSocket's connected and unconnected datagram objects over
 * `node:dgram`, with a bounded queue of datagrams waiting to be read.
 *
 * @module
 */

import {
  addressOf,
  checkHost,
  checkPort,
  type Family,
  type SocketAddress,
} from '../net/address.js';
import { codecFor, type Codec, type DataOf, type Encoding } from '../stream/codec.js';
import { SocketError } from '../errors/socket-error.js';
import type { OptionName, OptionValues } from '../net/socket-options.js';
import { readiness, ReadyState, type Readiness, type Watcher } from '../select/readiness.js';
import { positive, setTimeouts } from '../stream/options.js';
import { clock } from '../time/clock.js';
import { closing } from '../trace/diagnostics.js';
import { checkKeys } from '../errors/option-keys.js';
import type { TimeoutMode, TimeoutSettings } from '../time/timeout.js';
import { UdpBinding } from './binding.js';
import { checkWaitOptions, type WaitOptions } from '../time/wait.js';
import { DatagramIterator, DatagramQueue, type Datagram } from './datagram-queue.js';
import { checkBufferSizes } from './buffer-sizes.js';
import {
  checkIp,
  checkMode,
  checkSize,
  DATAGRAM_SIZE,
  UDP_KEYS,
  type UdpOptions,
  type UdpStats,
} from './settings.js';

/**
 * A UDP socket, from {@link udp}: unconnected (`sendto`/`receivefrom`) or,
 * after `setpeername`, connected (`send`/`receive`).
 *
 * @example An echo round trip
 * ```ts
 * import { udp } from 'luasocket-async';
 *
 * const server = udp();
 * await server.setsockname('127.0.0.1', 0);
 * const { address, port } = server.getsockname();
 * const client = udp();
 * await client.sendto('ping', address, port);
 * const { data, address: from, port: fromPort } = await server.receivefrom();
 * await server.sendto(data, from, fromPort);
 * console.log(await client.receive()); // 'ping'
 * client.close(); server.close();
 * ```
 */
export class UdpSocket<T extends string | Buffer = string>
  implements AsyncIterable<Datagram<T>>, Readiness
{
  readonly #family: Family;
  readonly #codec: Codec<T>;
  readonly #queue: DatagramQueue<T>;
  readonly #settings: TimeoutSettings = { block: undefined, total: undefined };
  readonly #binding: UdpBinding;
  #peer: SocketAddress | undefined;
  readonly #notifier = Object.assign(new ReadyState(), { writable: true });
  /** This socket's readiness, for {@link select}: plain fields, kept current. */
  readonly [readiness]: Readiness = this.#notifier;
  #closed = false;
  /** The bind a first sendto makes while options wait for it; shared by the sends meanwhile. */
  #sendBind: Promise<void> | undefined;
  #birth = clock.now();
  #sent = 0;

  /** @internal Use {@link udp}. */
  constructor(options: UdpOptions<Encoding> = {}) {
    if (typeof options === 'object' && options !== null) checkKeys(options, UDP_KEYS, 'udp()');
    this.#family = options.family ?? 'inet';
    this.#codec = codecFor(options.encoding ?? 'utf8') as unknown as Codec<T>;
    this.#queue = new DatagramQueue<T>(
      positive(options.queueLimit, 'queueLimit', 1024),
      this.#settings,
      this.#codec,
      this.#notifier,
    );
    this.#binding = new UdpBinding(this.#family, this.#queue, checkBufferSizes(options));
  }

  /** `'inet'` or `'inet6'`. */
  get family(): Family {
    return this.#family;
  }

  /** True after `setpeername` with an address, until `setpeername('*')`. */
  get connected(): boolean {
    return this.#peer !== undefined;
  }

  /** True once {@link UdpSocket.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The OS file descriptor, or -1 before the socket exists or after close. */
  get fd(): number {
    return this.#closed ? -1 : this.#binding.fd;
  }

  /** Datagrams waiting to be read. */
  get pending(): number {
    return this.#queue.length;
  }

  /** True when a receive would not wait. */
  get readable(): boolean {
    return this.#closed || this.#queue.length > 0 || this.#queue.failing;
  }

  /** Sends never wait. */
  get writable(): boolean {
    return true;
  }

  /** Part of the readiness protocol: `watcher` runs when a datagram arrives. */
  watch(watcher: Watcher): void {
    this.#notifier.watch(watcher);
  }

  /** Part of the readiness protocol. */
  unwatch(watcher: Watcher): void {
    this.#notifier.unwatch(watcher);
  }

  /**
   * Binds to a local address (`'*'` for all interfaces, port 0 for any); names are resolved.
   * @throws SocketError `addrinuse`, `noname`, `closed`, …; TypeError when connected or for bad arguments
   */
  setsockname(address: string, port: number): Promise<void> {
    checkHost(address);
    const p = checkPort(port);
    checkMode(this.#peer !== undefined, false, 'setsockname');
    // LuaSocket: a bound socket cannot be bound again (EINVAL).
    if (this.#binding.bound)
      return Promise.reject(new SocketError('system', { message: 'Invalid argument' }));
    return this.#binding.settle(address, this.#isClosed, (socket, target, done) =>
      socket.bind({ address: target, port: p, exclusive: true }, done),
    );
  }

  /**
   * Connects to a peer (names are resolved), so that only its datagrams are
   * received; `'*'` disconnects.
   * @throws SocketError `noname`, `closed`, …; TypeError / RangeError for bad arguments
   */
  setpeername(address: string, port?: number): Promise<void> {
    checkHost(address);
    if (address === '*') {
      if (this.#closed) return Promise.reject(new SocketError('closed'));
      if (this.#peer !== undefined) this.#binding.socket?.disconnect();
      this.#peer = undefined;
      return Promise.resolve();
    }
    const p = checkPort(port);
    return this.#binding.settle(address, this.#isClosed, (socket, target, done) => {
      if (this.#peer !== undefined) socket.disconnect();
      this.#peer = undefined;
      socket.connect(p, target, () => {
        this.#peer = addressOf(socket.remoteAddress());
        done();
      });
    });
  }

  /**
   * Sends a datagram to the connected peer; never waits for the peer.
   * @returns the bytes sent
   * @throws TypeError when unconnected; SocketError `closed`, `refused` or a system error
   */
  send(data: string | Uint8Array): Promise<number> {
    checkMode(this.#peer !== undefined, true, 'send');
    return this.#transmit(data, undefined, undefined);
  }

  /**
   * Sends a datagram to `ip:port`, binding an ephemeral port on first use.
   * Host names are refused (LuaSocket's rule, "for performance reasons").
   * @throws TypeError when connected or `ip` is not an IP address; SocketError `closed` or a system error
   */
  sendto(data: string | Uint8Array, ip: string, port: number): Promise<number> {
    checkMode(this.#peer !== undefined, false, 'sendto');
    return this.#transmit(data, checkIp(ip), checkPort(port));
  }

  /**
   * The next datagram, truncated to `size` bytes (default 8192, LuaSocket's);
   * the rest of a longer datagram is discarded.
   * @throws SocketError `timeout`, `closed`, `aborted` (`refused` after an ICMP error on a connected socket)
   */
  receive(size: number = DATAGRAM_SIZE, options?: WaitOptions): Promise<T> {
    return this.#receive(size, options, 'receive()').then(dataOf);
  }

  /** The next datagram and its sender; unconnected sockets only. @throws TypeError when connected */
  receivefrom(size: number = DATAGRAM_SIZE, options?: WaitOptions): Promise<Datagram<T>> {
    checkMode(this.#peer !== undefined, false, 'receivefrom');
    return this.#receive(size, options, 'receivefrom()');
  }

  /**
   * Datagrams as they arrive, whole, until the socket is closed; the socket's
   * timeouts apply to each wait. Leaving the loop early keeps the socket open.
   * @throws SocketError `timeout` (after `settimeout`), or what a receive would report
   *   (`refused` on a connected socket); the iteration ends with it
   */
  [Symbol.asyncIterator](): AsyncIterator<Datagram<T>> {
    return new DatagramIterator(this.#queue);
  }

  /** Sets the receive timeout in seconds (`'b'` or `'t'`: one wait per datagram). */
  settimeout(value: number | null | undefined, mode: TimeoutMode = 'b'): void {
    setTimeouts(this.#settings, value, mode);
  }

  /** The local address. @throws SocketError when not bound or closed */
  getsockname(): SocketAddress {
    const socket = this.#binding.socket;
    if (this.#closed || !this.#binding.bound || socket === undefined) {
      throw new SocketError('system', { message: 'Bad file descriptor' });
    }
    return addressOf(socket.address());
  }

  /** The connected peer. @throws TypeError when unconnected */
  getpeername(): SocketAddress {
    if (this.#closed) throw new SocketError('closed');
    checkMode(this.#peer !== undefined, true, 'getpeername');
    return { ...(this.#peer as SocketAddress) };
  }

  /** Bytes received and sent, datagrams dropped, and the age in seconds. */
  getstats(): UdpStats {
    return {
      received: this.#queue.received,
      sent: this.#sent,
      dropped: this.#queue.dropped,
      age: (clock.now() - this.#birth) / 1000,
    };
  }

  /** Sets an option by LuaSocket's name. @throws SocketError `unsupported` where Node.js cannot */
  setoption<K extends OptionName>(name: K, value: OptionValues[K]): void {
    if (this.#closed) throw new SocketError('closed');
    this.#binding.setOption(name, value);
  }

  /** Reads an option. @throws SocketError `unsupported` where Node.js cannot */
  getoption<K extends OptionName>(name: K): OptionValues[K] {
    if (this.#closed) throw new SocketError('closed');
    return this.#binding.getOption(name);
  }

  /** Closes the socket; pending receives fail with `closed`. Idempotent. */
  close(): void {
    if (this.#closed) return;
    if (this.#binding.bound) closing(this, 'udp', () => this.getsockname());
    this.#closed = this.#notifier.closed = this.#notifier.readable = true;
    this.#queue.fail(new SocketError('closed'));
    this.#binding.socket?.close();
    this.#notifier.notify();
  }

  /** Closes the socket (`await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  /** For the binding's checks around a name lookup; made once. */
  readonly #isClosed = (): boolean => this.#closed;

  #transmit(
    data: string | Uint8Array,
    ip: string | undefined,
    port: number | undefined,
  ): Promise<number> {
    if (this.#closed) return Promise.reject(new SocketError('closed'));
    // A reported ICMP error fails the next send too (and is then cleared), as the kernel's does.
    const pending = this.#queue.takeError();
    if (pending !== undefined) return Promise.reject(pending);
    // The system refuses port 0 with EINVAL (LuaSocket's answer); Node.js
    // refuses it earlier with its own text.
    if (port === 0)
      return Promise.reject(new SocketError('system', { message: 'Invalid argument' }));
    // The first sendto binds. With options waiting for that bind, bind first
    // and apply them, so that one the system refuses fails this call (which
    // then sends nothing) rather than a later one a send-only socket may
    // never make.
    if (ip !== undefined && !this.#binding.bound && this.#binding.keeps) {
      return this.#bindForSend().then(() => this.#transmit(data, ip, port));
    }
    const bytes = this.#codec.encode(data);
    return this.#binding
      .handle()
      .send(bytes, ip, port)
      .then(() => {
        this.#sent += bytes.length;
        return bytes.length;
      });
  }

  /**
   * The bind a first sendto makes, to the wildcard address and any port, as
   * Node.js's own; the sends made while it is under way wait for the same one.
   */
  #bindForSend(): Promise<void> {
    return (this.#sendBind ??= this.setsockname(
      this.#family === 'inet6' ? '::' : '0.0.0.0',
      0,
    ).finally(() => (this.#sendBind = undefined)));
  }

  #receive(size: number, options: WaitOptions | undefined, where: string): Promise<Datagram<T>> {
    const n = checkSize(size);
    checkWaitOptions(options, where);
    return this.#queue.take(n, options);
  }
}

// One function for every receive(), rather than a new closure per call.
const dataOf = <T>(d: Datagram<T>): T => d.data;

/**
 * Creates a UDP socket (LuaSocket's `socket.udp()`); nothing is bound until
 * `setsockname`, `setpeername` or the first `sendto`.
 * @throws TypeError / RangeError naming the option for a bad one (`rcvbuf: 0`, …)
 *
 * @example
 * ```ts
 * import { udp } from 'luasocket-async';
 *
 * const u = udp({ family: 'inet6', encoding: 'buffer' });
 * await u.setsockname('::1', 0);
 * u.close();
 * ```
 */
export function udp<E extends Encoding = 'utf8'>(
  options: UdpOptions<E> = {},
): UdpSocket<DataOf<E>> {
  return new UdpSocket<DataOf<E>>(options);
}
