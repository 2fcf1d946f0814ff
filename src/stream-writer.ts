/**
 * The write side of a stream socket: sends that honour backpressure, bounded
 * by the socket's timeouts, reporting how many bytes went out on failure.
 *
 * @module
 */

import type { Writable } from 'node:stream';
import { SocketError } from './errors.js';
import type { TimeoutSettings } from './timeout.js';
import { checkWaitOptions, Wait, type WaitOptions } from './wait.js';

/**
 * @internal Serialised sends over a Writable. Data is handed to the stream in
 * pieces of at most its high-water mark, and only while it does not ask for a
 * drain, so Node.js never holds more than about two marks of unsent data and
 * `sent` on a timeout is exactly what the stream accepted — the rest is the
 * caller's to send again, as with LuaSocket's `send` returning `last`.
 */
export class StreamWriter {
  readonly #stream: Writable;
  readonly #settings: TimeoutSettings;
  /** The send in progress; later sends queue behind it so bytes never interleave. */
  #tail: Promise<unknown> | undefined;
  #failure: SocketError | undefined;
  #drainWaiters = new Set<() => void>();
  /** Where `writable` is published for `select`, and whom to tell when it turns true. */
  readonly #ready: { writable: boolean; notify(): void } | undefined;
  /** Bytes handed to the system, LuaSocket's `sent` counter. */
  sent = 0;

  constructor(
    stream: Writable,
    settings: TimeoutSettings,
    ready?: { writable: boolean; notify(): void },
  ) {
    this.#stream = stream;
    this.#settings = settings;
    this.#ready = ready;
    this.#update();
    stream.on('drain', () => {
      this.#update();
      for (const wake of this.#drainWaiters) wake();
    });
  }

  /** Publishes `writable`; only sends, 'drain' and failures change it. */
  #update(): void {
    if (this.#ready !== undefined) this.#ready.writable = this.writable;
  }

  /** No more bytes can be sent; pending and later sends fail with `error`. */
  fail(error: SocketError): void {
    this.#failure ??= error;
    this.#update();
    for (const wake of this.#drainWaiters) wake();
  }

  /** True when a send would not wait. */
  get writable(): boolean {
    return (
      this.#failure !== undefined || (this.#tail === undefined && !this.#stream.writableNeedDrain)
    );
  }

  /** Sends all of `bytes`; resolves to its length. */
  send(bytes: Buffer, options: WaitOptions | undefined): Promise<number> {
    checkWaitOptions(options);
    if (options?.signal?.aborted === true) {
      return Promise.reject(new SocketError('aborted', { cause: options.signal.reason, sent: 0 }));
    }
    if (this.#failure !== undefined) {
      return Promise.reject(
        new SocketError(this.#failure.code, { message: this.#failure.message, sent: 0 }),
      );
    }
    const stream = this.#stream;
    if (
      this.#tail === undefined &&
      !stream.writableNeedDrain &&
      bytes.length <= stream.writableHighWaterMark
    ) {
      // The common case: room in the stream's buffer, no promise chain, no timer.
      if (!stream.write(bytes) && this.#ready !== undefined) this.#ready.writable = this.writable;
      this.sent += bytes.length;
      return Promise.resolve(bytes.length);
    }
    const previous = this.#tail ?? Promise.resolve();
    const run = previous.then(
      () => this.#sendSlow(bytes, options),
      () => this.#sendSlow(bytes, options),
    );
    const tail = run.catch(() => undefined);
    this.#tail = tail;
    this.#update();
    void tail.then(() => {
      if (this.#tail !== tail) return;
      this.#tail = undefined;
      this.#update();
      // Writable again without a 'drain' event: tell whoever waits on readiness.
      this.#ready?.notify();
    });
    return run;
  }

  async #sendSlow(bytes: Buffer, options: WaitOptions | undefined): Promise<number> {
    const stream = this.#stream;
    const piece = Math.max(stream.writableHighWaterMark, 1);
    let off = 0;
    let wait: Wait | undefined;
    try {
      while (off < bytes.length) {
        if (this.#failure !== undefined) {
          throw new SocketError(this.#failure.code, { message: this.#failure.message, sent: off });
        }
        if (stream.writableNeedDrain) {
          wait ??= new Wait(this.#settings, options, () => undefined);
          await this.#drain(wait, off);
          continue;
        }
        const end = Math.min(bytes.length, off + piece);
        stream.write(end - off === bytes.length ? bytes : bytes.subarray(off, end));
        this.sent += end - off;
        off = end;
      }
      return off;
    } finally {
      wait?.dispose();
    }
  }

  /** Waits for 'drain', a failure, or the end of the wait. */
  #drain(wait: Wait, sent: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const wake = (): void => {
        this.#drainWaiters.delete(wake);
        wait.progress();
        resolve();
      };
      this.#drainWaiters.add(wake);
      wait.onEnd((end) => {
        this.#drainWaiters.delete(wake);
        reject(
          end.kind === 'timeout'
            ? new SocketError('timeout', { sent })
            : new SocketError('aborted', { cause: end.reason, sent }),
        );
      });
    });
  }
}
