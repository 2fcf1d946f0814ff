/**
 * The `node:dgram` socket under a UDP object, created on first use, with its
 * bind state and the options that wait for the bind.
 *
 * @module
 */

import type { Socket as DgramSocket } from 'node:dgram';
import { resolve, type Family, type ResolvedAddress } from '../net/address.js';
import { SocketError, toSocketError } from '../errors/socket-error.js';
import { getOption, setOption } from '../net/socket-options.js';
import type { OptionName, OptionTable, OptionValues } from '../net/socket-options.js';
import { UdpHandle } from './handle.js';
import { BoundOptions, udpOptionTable } from './options.js';
import type { DatagramQueue } from './datagram-queue.js';
import type { BufferSizes } from './buffer-sizes.js';

/** @internal Where arriving datagrams and unclaimed errors go. */
export type DatagramSink = Pick<DatagramQueue<unknown>, 'push' | 'error'>;

/**
 * @internal A UDP object's dgram socket: nothing exists until the first
 * bind, connect, send or option that needs it, as LuaSocket creates its
 * descriptor lazily too.
 */
export class UdpBinding {
  readonly #family: Family;
  readonly #sink: DatagramSink;
  /** Read once, when the dgram socket is created (`reuseaddr`, `ipv6-v6only`). */
  readonly #created = { reuseaddr: false, ipv6Only: false };
  readonly #kept = new BoundOptions();
  #io: UdpHandle | undefined;
  #options: OptionTable | undefined;
  /** The dgram socket, once created. */
  socket: DgramSocket | undefined;
  /** True once the socket has a local address (any bind, implicit ones included). */
  bound = false;

  constructor(family: Family, sink: DatagramSink, sizes: BufferSizes = {}) {
    this.#family = family;
    this.#sink = sink;
    this.#created.ipv6Only = family === 'inet6';
    // Kept for the bind, as the same options set by name would be.
    if (sizes.rcvbuf !== undefined) this.setOption('recv-buffer-size', sizes.rcvbuf);
    if (sizes.sndbuf !== undefined) this.setOption('send-buffer-size', sizes.sndbuf);
  }

  /** True while options set before the bind wait for it. */
  get keeps(): boolean {
    return this.#kept.waiting;
  }

  /** The OS file descriptor, or -1 before the socket exists. */
  get fd(): number {
    return this.#io === undefined ? -1 : this.#io.fd;
  }

  /** The option table, built on first use; options set before the bind wait for it. */
  table(): OptionTable {
    return (this.#options ??= udpOptionTable({
      created: () => this.socket !== undefined,
      whenBound: (apply) => this.#kept.run(apply),
      boundSocket: () => this.#kept.socket,
      settings: this.#created,
      family: this.#family,
    }));
  }

  /**
   * Sets an option by LuaSocket's name.
   * @throws TypeError for a bad name or value; SocketError for anything else the system refuses
   */
  setOption<K extends OptionName>(name: K, value: OptionValues[K]): void {
    try {
      setOption(this.table(), name, value);
    } catch (err) {
      throw err instanceof TypeError ? err : toSocketError(err);
    }
  }

  /** Reads an option by LuaSocket's name. */
  getOption<K extends OptionName>(name: K): OptionValues[K] {
    return getOption(this.table(), name) as OptionValues[K];
  }

  /** The dgram handle, created on first use. */
  handle(): UdpHandle {
    if (this.#io !== undefined) return this.#io;
    const sink = this.#sink;
    const io = new UdpHandle(
      { family: this.#family, ...this.#created },
      {
        message: (bytes, from) => sink.push(bytes, from),
        // ICMP errors on a connected socket (ECONNREFUSED) go to the next receive or send.
        error: (err) => sink.error(err),
        bound: (socket) => this.#markBound(socket),
      },
    );
    this.socket = io.socket;
    return (this.#io = io);
  }

  /**
   * Resolves `address`, then binds or connects through `start`.
   * @throws SocketError `closed` when `closed()` holds before or after the lookup
   */
  async settle(
    address: string,
    closed: () => boolean,
    start: (s: DgramSocket, ip: string, done: () => void) => void,
  ): Promise<void> {
    if (closed()) throw new SocketError('closed');
    const [first] = await resolve(address, this.#family);
    if (closed()) throw new SocketError('closed');
    const ip = (first as ResolvedAddress).address;
    await this.handle().settle((socket, done) => start(socket, ip, done));
  }

  #markBound(socket: DgramSocket): void {
    if (this.bound) return;
    this.bound = true;
    // An option kept until the bind (a membership, say) that fails only now is
    // reported by the next send, sendto or receive, as an ICMP error is.
    this.#kept.bound(socket, (err) =>
      this.#sink.error(toSocketError(err, { syscall: 'setsockopt' })),
    );
  }
}
