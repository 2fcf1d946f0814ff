/**
 * Datagrams waiting to be read, and the receives waiting for them. Bounded:
 * when full, the newest datagram is dropped and counted.
 *
 * Every datagram crosses this module, so its per-datagram path is kept to
 * what the caller gets back and one promise: no wrapper per queued datagram,
 * no timer, clock read or abort listener unless a timeout or a signal
 * applies, and `for await` runs on a plain iterator object rather than an
 * async generator, whose every step costs several promises.
 *
 * @module
 */

import type { Codec } from '../stream/codec.js';
import { failed } from '../trace/diagnostics.js';
import { SocketError } from '../errors/socket-error.js';
import type { ReadyState } from '../select/readiness.js';
import type { TimeoutSettings } from '../time/timeout.js';
import { Wait, type WaitEnd, type WaitOptions } from '../time/wait.js';

/** A received datagram and its sender. */
export interface Datagram<T = string | Buffer> {
  data: T;
  address: string;
  port: number;
}

/** @internal Where a datagram came from; dgram's `RemoteInfo` is kept as it is. */
export interface Sender {
  readonly address: string;
  readonly port: number;
}

type Step<T> = IteratorResult<Datagram<T>, undefined>;

const done = <T>(): Step<T> => ({ done: true, value: undefined });

/**
 * A call waiting for a datagram, seen through methods: a stored resolve
 * function would make the data type invariant, and a `UdpSocket<string>`
 * must still pass for a `UdpSocket<string | Buffer>` (method parameters
 * compare bivariantly).
 */
interface Waiting<T> {
  wait: Wait | undefined;
  readonly size: number;
  deliver(datagram: Datagram<T>): void;
  fail(error: SocketError): void;
}

interface ReceiveWaiting<T> extends Waiting<T> {
  readonly iterator: undefined;
}

interface NextWaiting<T> extends Waiting<T> {
  readonly iterator: DatagramIterator<T>;
  end(): void;
}

type Waiter<T> = ReceiveWaiting<T> | NextWaiting<T>;

/** A `receive` waiting for a datagram. */
class Receive<T> implements ReceiveWaiting<T> {
  wait: Wait | undefined = undefined;
  readonly size: number;
  readonly iterator = undefined;
  readonly #resolve: (datagram: Datagram<T>) => void;
  readonly #reject: (error: SocketError) => void;

  constructor(
    size: number,
    resolve: (datagram: Datagram<T>) => void,
    reject: (error: SocketError) => void,
  ) {
    this.size = size;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  deliver(datagram: Datagram<T>): void {
    this.wait?.dispose();
    this.#resolve(datagram);
  }

  fail(error: SocketError): void {
    this.wait?.dispose();
    this.#reject(error);
  }
}

/** A `next()` of a {@link DatagramIterator} waiting for a datagram. */
class Next<T> implements NextWaiting<T> {
  wait: Wait | undefined = undefined;
  readonly size = Infinity;
  readonly iterator: DatagramIterator<T>;
  readonly #resolve: (step: Step<T>) => void;
  readonly #reject: (error: SocketError) => void;

  constructor(
    iterator: DatagramIterator<T>,
    resolve: (step: Step<T>) => void,
    reject: (error: SocketError) => void,
  ) {
    this.iterator = iterator;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  deliver(datagram: Datagram<T>): void {
    this.wait?.dispose();
    this.#resolve({ done: false, value: datagram });
  }

  /** Ends the iteration: a close is its normal end, any other error is thrown into the loop. */
  fail(error: SocketError): void {
    this.wait?.dispose();
    this.iterator.end();
    if (error.code === 'closed') this.#resolve(done());
    else this.#reject(error);
  }

  /** The iterator was returned (or failed) while this call waited. */
  end(): void {
    this.wait?.dispose();
    this.#resolve(done());
  }
}

/** @internal The queue between dgram's 'message' events and `receive`. */
export class DatagramQueue<T> {
  readonly #limit: number;
  readonly #settings: TimeoutSettings;
  readonly #codec: Codec<T>;
  /** Buffer encoding: a datagram read whole is handed over as the Buffer dgram made. */
  readonly #whole: boolean;
  /** A ring of queued datagrams (power-of-two capacity, grown on demand up to the limit). */
  #bytes: (Buffer | undefined)[] = [];
  #from: (Sender | undefined)[] = [];
  #head = 0;
  #count = 0;
  readonly #waiters: Waiter<T>[] = [];
  #failure: SocketError | undefined;
  /** An error for the next receive only (an ICMP error on a connected socket). */
  #pendingError: SocketError | undefined;
  dropped = 0;
  received = 0;
  /** Where `readable` is published for `select`, kept current on every change. */
  readonly #ready: ReadyState;

  constructor(limit: number, settings: TimeoutSettings, codec: Codec<T>, ready: ReadyState) {
    this.#limit = limit;
    this.#settings = settings;
    this.#codec = codec;
    this.#whole = codec.encoding === 'buffer';
    this.#ready = ready;
  }

  get length(): number {
    return this.#count;
  }

  /** True when the next receive fails at once with a reported error. */
  get failing(): boolean {
    return this.#pendingError !== undefined;
  }

  /** A datagram arrived: straight to the oldest waiting receive, else queued, else dropped. */
  push(bytes: Buffer, from: Sender): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) return waiter.deliver(this.#datagram(bytes, from, waiter.size));
    if (this.#count >= this.#limit) {
      this.dropped++;
      return;
    }
    if (this.#count === this.#bytes.length) this.#grow();
    const at = (this.#head + this.#count) & (this.#bytes.length - 1);
    this.#bytes[at] = bytes;
    this.#from[at] = from;
    this.#count++;
    this.#ready.readable = true;
    this.#ready.notify();
  }

  /** An error that fails the next receive (or the pending one). */
  error(error: SocketError): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) return this.#failWaiter(waiter, error);
    this.#pendingError = error;
    this.#ready.readable = true;
    this.#ready.notify();
  }

  /** The socket is gone: every pending and later receive fails. */
  fail(error: SocketError): void {
    this.#failure ??= error;
    for (const waiter of this.#waiters.splice(0)) waiter.fail(error);
  }

  take(size: number, options: WaitOptions | undefined): Promise<Datagram<T>> {
    const signal = options?.signal;
    if (signal?.aborted === true) {
      return Promise.reject(new SocketError('aborted', { cause: signal.reason }));
    }
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#count > 0) return Promise.resolve(this.#shift(size));
    const error = this.takeError();
    if (error !== undefined) return Promise.reject(error);
    return new Promise<Datagram<T>>((resolve, reject) =>
      this.#enqueue(new Receive(size, resolve, reject), options),
    );
  }

  /** @internal The step of `iterator.next()`: a whole datagram, or the end once closed. */
  next(iterator: DatagramIterator<T>): Promise<Step<T>> {
    const error = this.#failure ?? (this.#count > 0 ? undefined : this.takeError());
    if (error !== undefined) {
      iterator.end();
      return error.code === 'closed' ? Promise.resolve(done()) : Promise.reject(error);
    }
    if (this.#count > 0) return Promise.resolve({ done: false, value: this.#shift(Infinity) });
    return new Promise<Step<T>>((resolve, reject) =>
      this.#enqueue(new Next(iterator, resolve, reject), undefined),
    );
  }

  /** @internal Ends the waiting `next()` calls of `iterator` with `done`. */
  release(iterator: DatagramIterator<T>): void {
    const waiters = this.#waiters;
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i];
      if (waiter?.iterator === undefined || waiter.iterator !== iterator) continue;
      waiters.splice(i, 1);
      waiter.end();
    }
  }

  #enqueue(waiter: Waiter<T>, options: WaitOptions | undefined): void {
    const settings = this.#settings;
    // Without a timeout or a signal nothing can end the wait early, so the
    // usual receive loop pays for no Wait, clock read or listener.
    if (options !== undefined || settings.block !== undefined || settings.total !== undefined) {
      waiter.wait = new Wait(settings, options, (end) => this.#expire(waiter, end));
    }
    this.#waiters.push(waiter);
  }

  #expire(waiter: Waiter<T>, end: WaitEnd): void {
    const at = this.#waiters.indexOf(waiter);
    if (at !== -1) this.#waiters.splice(at, 1);
    const error =
      end.kind === 'timeout'
        ? new SocketError('timeout')
        : new SocketError('aborted', { cause: end.reason });
    if (end.kind === 'timeout') failed('receive', error);
    this.#failWaiter(waiter, error);
  }

  /** A failed `next()` ends its iteration, so the iterator's other waiting calls end too. */
  #failWaiter(waiter: Waiter<T>, error: SocketError): void {
    waiter.fail(error);
    if (waiter.iterator !== undefined) this.release(waiter.iterator);
  }

  /**
   * Hands over the reported error, if any, clearing it: the kernel reports
   * an ICMP error once, to the next call that asks, a send or a receive.
   */
  takeError(): SocketError | undefined {
    const error = this.#pendingError;
    if (error !== undefined) {
      this.#pendingError = undefined;
      this.#ready.readable = this.#count > 0;
    }
    return error;
  }

  #grow(): void {
    const size = Math.max(16, this.#bytes.length * 2);
    const bytes = new Array<Buffer | undefined>(size);
    const from = new Array<Sender | undefined>(size);
    const mask = this.#bytes.length - 1;
    for (let i = 0; i < this.#count; i++) {
      bytes[i] = this.#bytes[(this.#head + i) & mask];
      from[i] = this.#from[(this.#head + i) & mask];
    }
    this.#bytes = bytes;
    this.#from = from;
    this.#head = 0;
  }

  #shift(size: number): Datagram<T> {
    const at = this.#head;
    const bytes = this.#bytes[at] as Buffer;
    const from = this.#from[at] as Sender;
    this.#bytes[at] = this.#from[at] = undefined;
    this.#head = (at + 1) & (this.#bytes.length - 1);
    if (--this.#count === 0) this.#ready.readable = this.#pendingError !== undefined;
    return this.#datagram(bytes, from, size);
  }

  #datagram(bytes: Buffer, from: Sender, size: number): Datagram<T> {
    const length = bytes.length;
    const end = length <= size ? length : size;
    this.received += end;
    // subarray(0, length) would only be a second view of the same bytes.
    const data =
      this.#whole && end === length ? (bytes as unknown as T) : this.#codec.decode(bytes, 0, end);
    return { data, address: from.address, port: from.port };
  }
}

/**
 * @internal `for await (const d of socket)`: whole datagrams until the socket
 * is closed. A `next()` with a datagram queued answers with an already
 * settled promise; `return()` (a `break` out of the loop) ends the iteration
 * and its waiting calls at once, and leaves the socket open.
 */
export class DatagramIterator<T> implements AsyncIterableIterator<Datagram<T>, undefined> {
  readonly #queue: DatagramQueue<T>;
  #ended = false;

  constructor(queue: DatagramQueue<T>) {
    this.#queue = queue;
  }

  next(): Promise<Step<T>> {
    return this.#ended ? Promise.resolve(done()) : this.#queue.next(this);
  }

  return(): Promise<Step<T>> {
    this.end();
    this.#queue.release(this);
    return Promise.resolve(done());
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** @internal Later `next()` calls answer `done`. */
  end(): void {
    this.#ended = true;
  }
}
