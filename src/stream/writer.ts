/**
 * The write side of a stream socket: sends that honour backpressure, bounded
 * by the socket's timeouts, reporting how many bytes went out on failure.
 *
 * @module
 */

import type { Writable } from 'node:stream';
import { reported } from '../trace/call-site.js';
import { SocketError, toSocketError } from '../errors/socket-error.js';
import { clock } from '../time/clock.js';
import type { TimeoutSettings } from '../time/timeout.js';
import { checkWaitOptions, mayEnd, Wait, type Activity, type WaitOptions } from '../time/wait.js';

/**
 * The most one `write` hands to the stream. libuv passes a write straight to
 * the kernel when the stream's buffer is empty, so one 64 KiB write costs one
 * system call where high-water-mark pieces (16 KiB by default) cost four.
 */
const MAX_PIECE = 64 * 1024;

/**
 * @internal What a send writes: bytes, or a string in the writer's string
 * encoding — a byte string (one byte per character) under `'latin1'`, text
 * under `'utf8'`, encoded only when its turn comes so that a queued send
 * holds the caller's string, not a copy of it.
 */
export type Payload = Buffer | string;

/** A send that could not be handed to the stream at once. */
interface Pending {
  bytes: Payload;
  /** Bytes of `bytes` already handed to the stream. */
  off: number;
  /** Byte length of `bytes` (a UTF-8 string's, before it is encoded). */
  length: number;
  wait: Wait | undefined;
  settled: boolean;
  resolve(sent: number): void;
  reject(err: unknown): void;
}

/**
 * @internal Serialised sends over a Writable. Data is handed to the stream
 * in pieces of at most 64 KiB (or the high-water mark, if larger), and only
 * while the bytes the stream still holds are below its high-water mark, so
 * Node.js never holds more than a mark plus a piece of unsent data. Sends
 * beyond that wait in a queue, in order, each under its own timeouts from
 * the moment it was called, holding the caller's data and no copy of it;
 * `sent` on a failure is exactly what the stream accepted — the rest is the
 * caller's to send again, as with LuaSocket's `send` returning `last`.
 */
export class StreamWriter {
  readonly #stream: Writable;
  readonly #settings: TimeoutSettings;
  readonly #strings: 'latin1' | 'utf8';
  /** Where `writable` is published for `select`, and whom to tell when it turns true. */
  readonly #ready: { writable: boolean; notify(): void } | undefined;
  /** Sends waiting for room, oldest first, from `#head` on. */
  #queue: Pending[] = [];
  #head = 0;
  /** Bytes the queue holds that the stream has not taken yet. */
  #queued = 0;
  /** When the queue last moved bytes: a queued send's idle timeout counts from it. */
  readonly #activity: Activity = { last: 0 };
  #failure: SocketError | undefined;
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
    strings: 'latin1' | 'utf8' = 'latin1',
  ) {
    this.#stream = stream;
    this.#settings = settings;
    this.#ready = ready;
    this.#strings = strings;
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
      this.#pump();
      this.#update();
      this.#ready?.notify();
    });
  }

  /** No more bytes can be sent; pending and later sends fail with `error`. */
  fail(error: SocketError): void {
    this.#failure ??= error;
    this.#pump();
    this.#update();
  }

  /** True while a send waits its turn or for the system to take its bytes. */
  get waiting(): boolean {
    return this.#head < this.#queue.length;
  }

  /** True when a send would not wait. */
  get writable(): boolean {
    return (
      this.#failure !== undefined ||
      (this.#head === this.#queue.length && !this.#stream.writableNeedDrain)
    );
  }

  /**
   * Bytes accepted by sends and not yet handed to the system: what Node.js
   * holds plus what waiting sends hold.
   */
  get bufferedAmount(): number {
    return this.#stream.writableLength + this.#queued;
  }

  /** Sends all of `bytes`; resolves to its length. */
  send(bytes: Payload, options: WaitOptions | undefined): Promise<number> {
    checkWaitOptions(options, 'send()');
    if (options?.signal?.aborted === true) {
      return Promise.reject(new SocketError('aborted', { cause: options.signal.reason, sent: 0 }));
    }
    const stopped = this.#stopped(0);
    if (stopped !== undefined) return Promise.reject(stopped);
    if (this.#head < this.#queue.length) return this.#enqueue(bytes, 0, options);
    // The common case: the stream's buffer has room for all of it, and the
    // send ends here, with no promise, no queue entry and no timer.
    if (typeof bytes === 'string' && this.#strings === 'utf8') bytes = Buffer.from(bytes, 'utf8');
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
  #write(bytes: Buffer | string, off: number): number {
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
        this.#failure ??= toSocketError(stream.errored);
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
    const length =
      typeof bytes === 'string' && this.#strings === 'utf8'
        ? Buffer.byteLength(bytes, 'utf8')
        : bytes.length;
    return new Promise<number>((resolve, reject) => {
      const pending: Pending = {
        bytes,
        off,
        length,
        wait: undefined,
        settled: false,
        resolve,
        reject,
      };
      this.#queued += length - off;
      this.#queue.push(pending);
      if (mayEnd(this.#settings, options)) {
        pending.wait = new Wait(
          this.#settings,
          options,
          (end) => {
            const sent = pending.off;
            this.#settle(
              pending,
              end.kind === 'timeout'
                ? new SocketError('timeout', { sent })
                : new SocketError('aborted', { cause: end.reason, sent }),
            );
            this.#pump();
          },
          this.#activity,
        );
      }
      this.#update();
    });
  }

  /** Ends a queued send: resolved with its length, or rejected with `error`. */
  #settle(pending: Pending, error?: unknown): void {
    if (pending.settled) return;
    pending.settled = true;
    pending.wait?.dispose();
    pending.wait = undefined;
    this.#queued -= pending.length - pending.off;
    // A send that ends before its turn lets go of the caller's data at once.
    const { length } = pending;
    pending.bytes = '';
    if (error === undefined) pending.resolve(length);
    else pending.reject(reported(error, 'send', this.#stream));
  }

  /** Hands the queue's sends to the stream, oldest first, as far as it has room. */
  #pump(): void {
    const queue = this.#queue;
    while (this.#head < queue.length) {
      const pending = queue[this.#head] as Pending;
      if (!pending.settled) {
        const stopped = this.#stopped(pending.off);
        if (stopped !== undefined) this.#settle(pending, stopped);
        else if (!this.#advance(pending)) return;
      }
      this.#head++;
    }
    this.#queue = [];
    this.#head = 0;
    this.#update();
    // Writable again, perhaps without a 'drain' event: tell whoever waits on readiness.
    this.#ready?.notify();
  }

  /** Writes what the stream takes of `pending`; true once it is settled. */
  #advance(pending: Pending): boolean {
    if (typeof pending.bytes === 'string' && this.#strings === 'utf8') {
      // Its turn has come: encode it now, once.
      pending.bytes = Buffer.from(pending.bytes, 'utf8');
    }
    const before = pending.off;
    pending.off = this.#write(pending.bytes, before);
    this.#queued -= pending.off - before;
    // Every waiting send's idle timeout counts from here (its own start, if later).
    if (pending.off > before) this.#activity.last = clock.now();
    if (pending.off === pending.length) {
      this.#settle(pending);
      return true;
    }
    const stopped = this.#stopped(pending.off);
    if (stopped === undefined) return false;
    this.#settle(pending, stopped);
    return true;
  }
}
