/**
 * What the buffered bytes answer now: LuaSocket's `buffer.c` patterns
 * (`recvline`, `recvraw`, `recvall`, plus `receiveany`) over a
 * {@link ReceiveBuffer}, the end of the stream, and the partial result a
 * failed read leaves. No I/O, no timers, no promises: the reader that waits
 * for more bytes is `StreamReader`.
 *
 * @module
 */

import type { Codec } from './codec.js';
import { isReset, SocketError, type SocketErrorCode } from '../errors/socket-error.js';
import { ReceiveBuffer, stripCR } from './receive-buffer.js';
import { utf8AnySize } from './utf8.js';

/** @internal What a read asks the buffer for. */
export const enum Kind {
  Line,
  All,
  Count,
  Any,
}

/** @internal Why a read failed, before its partial is attached: a template, not a thrown error. */
export interface Failure {
  readonly code: SocketErrorCode;
  readonly message?: string;
  readonly cause?: unknown;
}

const CLOSED: Failure = { code: 'closed' };
const LINE_TOO_LONG: Failure = { code: 'linetoolong' };

/** @internal Returned by a read the buffer cannot answer yet. */
export const NOT_YET: unique symbol = Symbol('not yet');

/**
 * @internal The read side's bytes and how the stream ended, read by pattern.
 * Every byte handed out, as a result or as a partial, is consumed exactly once.
 */
export class BufferedReads<T> {
  readonly #buffer = new ReceiveBuffer();
  readonly #codec: Codec<T>;
  readonly #maxLine: number;
  /** The peer sent its FIN: what is buffered is all there will be. */
  #ended = false;
  /** Why no more bytes will come other than a clean EOF (reset, local close). */
  #failure: SocketError | undefined;
  /** The program closed its read side: bytes that still arrive are dropped. */
  #discarding = false;
  /** Bytes handed to the program, LuaSocket's `received` counter. */
  received = 0;
  /** Where `readable` is published for `select`, kept current on every change. */
  readonly #ready: { readable: boolean };

  constructor(codec: Codec<T>, maxLineLength: number, ready: { readable: boolean }) {
    this.#codec = codec;
    this.#maxLine = maxLineLength;
    this.#ready = ready;
  }

  /** Unread bytes. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** True once no read can get more bytes (EOF, reset or close). */
  get finished(): boolean {
    return this.#ended || this.#failure !== undefined;
  }

  /** Keeps bytes from the peer; false when they were dropped (see {@link BufferedReads.discard}). */
  push(chunk: Buffer): boolean {
    if (this.#discarding) return false;
    this.#buffer.push(chunk);
    this.#ready.readable = true;
    return true;
  }

  /** The peer closed its sending side. */
  end(): void {
    this.#ended = true;
    this.#ready.readable = true;
  }

  /** No more bytes will come: the first reason given is the one reads fail with. */
  fail(error: SocketError): void {
    this.#ready.readable = true;
    // After the peer's FIN everything it sent is here: a reset that follows
    // (an answer to bytes sent to a closed peer) truncated nothing.
    if (this.#ended && isReset(error)) return;
    this.#failure ??= error;
  }

  /**
   * Takes every unread byte out, uncounted (the program never received
   * them): what a socket handed over to another reader still owes it.
   */
  takeUnread(): Buffer {
    const n = this.#buffer.length;
    const unread = Buffer.from(this.#buffer.peek(n));
    this.#buffer.skip(n);
    return unread;
  }

  /** Drops what is buffered and whatever arrives later (a read side closed here). */
  discard(): void {
    this.#discarding = true;
    this.#buffer.skip(this.#buffer.length);
  }

  /** A whole line the buffer holds, else undefined; never fails (then a line read says why). */
  lineNow(): T | undefined {
    let line = this.#textLine();
    if (line === undefined) {
      const buffer = this.#buffer;
      const pos = buffer.findLF();
      if (pos === -1 || pos > this.#maxLine) return undefined;
      line = buffer.readLine(pos, this.#codec.decode);
      this.#consumed(pos + 1);
    }
    return line;
  }

  /**
   * `n` bytes (n ≥ 1) when the buffer holds them, else NOT_YET with nothing
   * consumed: a count read that cannot fail, for the hot path of a receive.
   */
  countNow(n: number): T | typeof NOT_YET {
    return this.#buffer.length >= n ? this.#take(n) : NOT_YET;
  }

  /** Everything after the peer's FIN, when there is something; else NOT_YET, nothing consumed. */
  allNow(): T | typeof NOT_YET {
    const size = this.#buffer.length;
    if (!this.#ended || size === 0) return NOT_YET;
    const all = this.#buffer.read(size, this.#codec.decode);
    this.#consumed(size);
    return all;
  }

  /** Consumes `n` buffered bytes (n ≤ buffered): a slice of decoded text where it can be. */
  #take(n: number): T {
    const buffer = this.#buffer;
    const encoding = this.#codec.encoding;
    const text = encoding === 'buffer' ? undefined : buffer.textRead(encoding, n);
    const value = text === undefined ? buffer.read(n, this.#codec.decode) : (text as T);
    this.#consumed(n);
    return value;
  }

  /** A count of 0: empty, unless nothing is buffered and nothing more can come. */
  emptyNow(): T | typeof NOT_YET {
    return this.#buffer.length > 0 || !this.finished ? this.#codec.empty : NOT_YET;
  }

  /** A line by the text fast path of the buffer, or undefined. */
  #textLine(): T | undefined {
    const encoding = this.#codec.encoding;
    if (encoding === 'buffer') return undefined;
    const line = this.#buffer.textLine(encoding, this.#maxLine);
    if (line === undefined) return undefined;
    this.#consumed(this.#buffer.lineBytes);
    return line as T;
  }

  /**
   * One try at a read: its result after `prefix`, or NOT_YET while more
   * bytes may still answer it. `n` is the count for Count (the bytes after
   * the prefix) and the most bytes for Any; Line and All ignore it.
   * @throws SocketError `linetoolong`, `closed` or the stream's failure, with the partial consumed
   */
  attempt(kind: Kind, n: number, prefix: T): T | typeof NOT_YET {
    const buffer = this.#buffer;
    const codec = this.#codec;
    switch (kind) {
      case Kind.Line: {
        const fast = this.#textLine();
        if (fast !== undefined) return codec.concat(prefix, fast);
        const pos = buffer.findLF();
        const size = pos === -1 ? buffer.length : pos;
        if (size > this.#maxLine) throw this.failed(LINE_TOO_LONG, kind, n, prefix);
        if (pos !== -1) {
          const line = buffer.readLine(pos, codec.decode);
          this.#consumed(pos + 1);
          return codec.concat(prefix, line);
        }
        break;
      }
      case Kind.All: {
        // After the peer's FIN the buffer holds all it sent, even if the
        // connection was torn down since (both sides closed, a late reset).
        const all = this.allNow();
        if (all !== NOT_YET) return codec.concat(prefix, all);
        if (this.#ended) throw this.failed(CLOSED, kind, n, prefix);
        break;
      }
      case Kind.Count:
        // receive(0) answers '' without waiting (unlike LuaSocket), but once nothing is
        // buffered and nothing more can come it fails with `closed`, as LuaSocket does.
        if (buffer.length >= n && (n > 0 || buffer.length > 0 || !this.finished)) {
          return codec.concat(prefix, this.#take(n));
        }
        break;
      case Kind.Any:
        if (buffer.length > 0) {
          let size = Math.min(buffer.length, n);
          if (codec.encoding === 'utf8') {
            // Never split a character that is all here, even once the stream
            // has ended. After the peer's clean end, a character whose other
            // bytes will never come goes out as it is (one U+FFFD): it is all
            // that is left. After a failure or a close here it is the
            // failure's partial instead, as for every other pattern.
            const whole = utf8AnySize(buffer, size);
            size = whole > 0 || !this.#ended || this.#failure !== undefined ? whole : buffer.length;
          }
          if (size === 0) break;
          const any = buffer.read(size, codec.decode);
          this.#consumed(size);
          return any;
        }
        break;
    }
    if (this.finished) throw this.failed(this.#failure ?? CLOSED, kind, n, prefix);
    return NOT_YET;
  }

  /**
   * Ends a read with `error`: consumes what the read had got so far and
   * attaches it, after `prefix`, as the error's partial. While more bytes may
   * come, an incomplete character stays for the next read.
   */
  failed(error: Failure, kind: Kind, n: number, prefix: T): SocketError {
    const buffer = this.#buffer;
    const codec = this.#codec;
    let take = 0;
    if (kind === Kind.Line) take = Math.min(buffer.length, this.#maxLine);
    else if (kind === Kind.All) take = buffer.length;
    else if (kind === Kind.Count) take = Math.min(buffer.length, n);
    let partial = prefix;
    if (take > 0) {
      const bytes = buffer.peek(take);
      const keep = this.finished ? take : codec.complete(bytes, 0, take);
      const kept = kind === Kind.Line ? stripCR(bytes.subarray(0, keep)) : bytes.subarray(0, keep);
      buffer.skip(keep);
      this.#consumed(keep);
      partial = codec.concat(prefix, codec.decode(kept, 0, kept.length));
    }
    return new SocketError(error.code, {
      ...(error.message !== undefined && { message: error.message }),
      partial: partial as string | Buffer,
      cause: error.cause,
    });
  }

  /** Counts bytes the buffer just gave out; an emptied buffer may end readability. */
  #consumed(n: number): void {
    this.received += n;
    if (this.#buffer.length === 0) this.#ready.readable = this.finished;
  }
}
