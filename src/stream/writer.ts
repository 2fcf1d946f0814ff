/**
 * The write side of a stream socket: sends that honour backpressure, bounded
 * by the socket's timeouts, reporting how many bytes went out on failure.
 *
 * @module
 */

import type { Writable } from 'node:stream';
import { reported } from '../trace/call-site.js';
import { SocketError, toSocketError } from '../errors/socket-error.js';
import type { TimeoutSettings } from '../time/timeout.js';
import { checkWaitOptions, Wait, type WaitOptions } from '../time/wait.js';

/**
 * The most one `write` hands to the stream. libuv passes a write straight to
 * the kernel when the stream's buffer is empty, so one 64 KiB write costs one
 * system call where high-water-mark pieces (16 KiB by default) cost four.
 */
const MAX_PIECE = 64 * 1024;

const ignore = (): void => undefined;

/** @internal What a send writes: bytes, or a byte string (one byte per character, written as latin1). */
export type Payload = Buffer | string;

/**
 * @internal Serialised sends over a Writable. Data is handed to the stream
 * in pieces of at most 64 KiB (or the high-water mark, if larger), and only
 * while the bytes the stream still holds are below its high-water mark, so
 * Node.js never holds more than a mark plus a piece of unsent data, and
 * `sent` on a timeout is exactly what the stream accepted — the rest is the
 * caller's to send again, as with LuaSocket's `send` returning `last`.
 */
export class StreamWriter {
  readonly #stream: Writable;
  readonly #settings: TimeoutSettings;
  /** Where `writable` is published for `select`, and whom to tell when it turns true. */
  readonly #ready: { writable: boolean; notify(): void } | undefined;
  /** The last send that had to wait; later sends queue behind it so bytes never interleave. */
  #tail: Promise<unknown> | undefined;
  #failure: SocketError | undefined;
  /**
   * Wakes the send waiting for room. Sends run one at a time, so at most one
   * ever waits.
   */
  #wake: (() => void) | undefined;
  /**
   * True once listening for 'drain', which starts the first time the stream's
   * buffer fills: most connections never fill it and never pay for a listener.
   */
  #listening = false;
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
  }

  /** Publishes `writable`; only sends, 'drain' and failures change it. */
  #update(): void {
    if (this.#ready !== undefined) this.#ready.writable = this.writable;
  }

  /** Called by 'drain' whenever a send or `select` may be waiting for it. */
  #listen(): void {
    if (this.#listening) return;
    this.#listening = true;
    this.#stream.on('drain', () => {
      this.#update();
      this.#wakeUp();
      this.#ready?.notify();
    });
  }

  /** No more bytes can be sent; pending and later sends fail with `error`. */
  fail(error: SocketError): void {
    this.#failure ??= error;
    this.#update();
    this.#wakeUp();
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** True when a send would not wait. */
  get writable(): boolean {
    return (
      this.#failure !== undefined || (this.#tail === undefined && !this.#stream.writableNeedDrain)
    );
  }

  /** Sends all of `bytes`; resolves to its length. */
  send(bytes: Payload, options: WaitOptions | undefined): Promise<number> {
    checkWaitOptions(options, 'send()');
    if (options?.signal?.aborted === true) {
      return Promise.reject(new SocketError('aborted', { cause: options.signal.reason, sent: 0 }));
    }
    const stopped = this.#stopped(0);
    if (stopped !== undefined) return Promise.reject(stopped);
    if (this.#tail !== undefined) return this.#enqueue(bytes, 0, options);
    // The common case: the stream's buffer has room for all of it, and the
    // send ends here, with no promise chain and no timer.
    const off = this.#write(bytes, 0);
    if (off < bytes.length) {
      const failed = this.#stopped(off);
      if (failed !== undefined) return Promise.reject(failed);
      return this.#enqueue(bytes, off, options);
    }
    if (this.#stream.writableNeedDrain) {
      this.#listen();
      if (this.#ready !== undefined) this.#ready.writable = false;
    }
    return Promise.resolve(off);
  }

  /** Why nothing more can be sent now (with `sent`), or undefined. */
  #stopped(sent: number): SocketError | undefined {
    const failure = this.#failure;
    if (failure !== undefined) {
      const { message, syscall, address, port } = failure;
      return new SocketError(failure.code, { message, sent, syscall, address, port });
    }
    // Destroyed or errored, with the 'error' and 'close' events still on their
    // way: a write now would be dropped, yet counted as sent.
    if (!this.#stream.writable) return new SocketError('closed', { sent });
    return undefined;
  }

  /**
   * Hands `bytes` from `off` on to the stream while its buffer is below the
   * high-water mark; returns the new offset. A write the kernel takes at
   * once leaves the buffer empty, so this goes on without waiting for
   * 'drain' (which Node.js announces a tick later).
   */
  #write(bytes: Payload, off: number): number {
    const stream = this.#stream;
    const mark = Math.max(stream.writableHighWaterMark, 1);
    const piece = Math.max(mark, MAX_PIECE);
    while (off < bytes.length && stream.writableLength < mark && stream.writable) {
      const end = Math.min(bytes.length, off + piece);
      const part =
        off === 0 && end === bytes.length
          ? bytes
          : typeof bytes === 'string'
            ? bytes.slice(off, end)
            : bytes.subarray(off, end);
      if (typeof part === 'string') stream.write(part, 'latin1');
      else stream.write(part);
      // A write the kernel refuses at once (EPIPE, ECONNRESET: the peer
      // closed and its side answered our last bytes with a reset) errors the
      // stream before write() returns, and its 'error' event comes a tick
      // later. That piece was not sent, and neither is anything after it.
      if (stream.errored !== null) {
        this.fail(toSocketError(stream.errored));
        break;
      }
      this.sent += end - off;
      off = end;
    }
    return off;
  }

  /** Queues the rest of a send, from `off`, behind the sends already waiting. */
  #enqueue(bytes: Payload, off: number, options: WaitOptions | undefined): Promise<number> {
    this.#listen();
    const previous = this.#tail;
    const run =
      previous === undefined
        ? this.#sendRest(bytes, off, options)
        : previous.then(() => this.#sendRest(bytes, off, options));
    const tail = run.then(ignore, ignore);
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

  async #sendRest(bytes: Payload, off: number, options: WaitOptions | undefined): Promise<number> {
    let wait: Wait | undefined;
    try {
      for (;;) {
        const stopped = this.#stopped(off);
        if (stopped !== undefined) throw stopped;
        // A send that waited in the queue may have been aborted meanwhile.
        const signal = options?.signal;
        if (signal?.aborted === true) {
          throw new SocketError('aborted', { cause: signal.reason, sent: off });
        }
        off = this.#write(bytes, off);
        if (off === bytes.length) return off;
        if (this.#failure !== undefined) continue;
        wait ??= new Wait(this.#settings, options, ignore);
        await this.#drain(wait, off);
        wait.progress();
      }
    } catch (err) {
      throw reported(err, 'send', this.#stream);
    } finally {
      wait?.dispose();
    }
  }

  /** Waits for 'drain', a failure, or the end of the wait. */
  #drain(wait: Wait, sent: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#wake = resolve;
      wait.onEnd((end) => {
        this.#wake = undefined;
        reject(
          end.kind === 'timeout'
            ? new SocketError('timeout', { sent })
            : new SocketError('aborted', { cause: end.reason, sent }),
        );
      });
    });
  }
}
