/**
 * Datagrams waiting to be read, and the receives waiting for them. Bounded:
 * when full, the newest datagram is dropped and counted.
 *
 * @module
 */

import type { Codec } from './codec.js';
import { SocketError } from './errors.js';
import type { TimeoutSettings } from './timeout.js';
import { Wait, type WaitOptions } from './wait.js';

/** A received datagram and its sender. */
export interface Datagram<T = string | Buffer> {
  data: T;
  address: string;
  port: number;
}

interface Raw {
  bytes: Buffer;
  address: string;
  port: number;
}

interface Waiter {
  deliver(raw: Raw): void;
  fail(error: SocketError): void;
  wait: Wait;
}

/** @internal The queue between dgram's 'message' events and `receive`. */
export class DatagramQueue<T> {
  readonly #limit: number;
  readonly #settings: TimeoutSettings;
  #items: Raw[] = [];
  #head = 0;
  readonly #waiters: Waiter[] = [];
  #failure: SocketError | undefined;
  /** An error for the next receive only (an ICMP error on a connected socket). */
  #pendingError: SocketError | undefined;
  dropped = 0;
  received = 0;
  /** Where `readable` is published for `select`, kept current on every change. */
  readonly #ready: { readable: boolean };

  constructor(
    limit: number,
    settings: TimeoutSettings,
    ready: { readable: boolean } = { readable: false },
  ) {
    this.#limit = limit;
    this.#settings = settings;
    this.#ready = ready;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** True when the next receive fails at once with a reported error. */
  get failing(): boolean {
    return this.#pendingError !== undefined;
  }

  push(bytes: Buffer, address: string, port: number): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) return waiter.deliver({ bytes, address, port });
    if (this.length >= this.#limit) {
      this.dropped++;
      return;
    }
    this.#items.push({ bytes, address, port });
    this.#ready.readable = true;
  }

  /** An error that fails the next receive (or the pending one). */
  error(error: SocketError): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter.fail(error);
    else {
      this.#pendingError = error;
      this.#ready.readable = true;
    }
  }

  /** The socket is gone: every pending and later receive fails. */
  fail(error: SocketError): void {
    this.#failure ??= error;
    for (const waiter of this.#waiters.splice(0)) waiter.fail(error);
  }

  take(size: number, codec: Codec<T>, options: WaitOptions | undefined): Promise<Datagram<T>> {
    const signal = options?.signal;
    if (signal?.aborted === true) {
      return Promise.reject(new SocketError('aborted', { cause: signal.reason }));
    }
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const ready = this.#shift();
    if (ready !== undefined) return Promise.resolve(this.#decode(ready, size, codec));
    const error = this.#pendingError;
    if (error !== undefined) {
      this.#pendingError = undefined;
      this.#ready.readable = false;
      return Promise.reject(error);
    }
    return new Promise<Datagram<T>>((resolve, reject) => {
      const waiter: Waiter = {
        deliver: (raw) => {
          waiter.wait.dispose();
          resolve(this.#decode(raw, size, codec));
        },
        fail: (err) => {
          waiter.wait.dispose();
          reject(err);
        },
        wait: new Wait(this.#settings, options, (end) => {
          const at = this.#waiters.indexOf(waiter);
          if (at !== -1) this.#waiters.splice(at, 1);
          reject(
            end.kind === 'timeout'
              ? new SocketError('timeout')
              : new SocketError('aborted', { cause: end.reason }),
          );
        }),
      };
      this.#waiters.push(waiter);
    });
  }

  #shift(): Raw | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head++] as Raw;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
      this.#ready.readable = this.#pendingError !== undefined;
    } else if (this.#head > 1024) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  #decode(raw: Raw, size: number, codec: Codec<T>): Datagram<T> {
    const end = Math.min(raw.bytes.length, size);
    this.received += end;
    return { data: codec.decode(raw.bytes, 0, end), address: raw.address, port: raw.port };
  }
}
