/**
 * The read side of a stream socket: LuaSocket's receive patterns over a
 * {@link ReceiveBuffer}, with waits, timeouts, partial results and
 * backpressure. The socket object feeds it bytes and events.
 *
 * @module
 */

import type { Codec } from './codec.js';
import { SocketError, type SocketErrorCode } from '../errors/socket-error.js';
import { needed, PREFIX_ONLY, UNTIL_CLOSE, UNTIL_LF, type ReceivePattern } from './pattern.js';
import { ReceiveBuffer, stripCR } from './receive-buffer.js';
import type { TimeoutSettings } from '../time/timeout.js';
import { utf8AnySize } from './utf8.js';
import { checkWaitOptions, mayEnd, Wait, type WaitEnd, type WaitOptions } from '../time/wait.js';
import { atCallSite } from '../trace/call-site.js';
import { checkReceiveKeys } from '../errors/option-keys.js';
import type { ReceiveOptions } from './options.js';
export type { ReceiveOptions } from './options.js';

/** @internal What the reader asks of the socket it reads from. */
export interface Flow {
  pause(): void;
  resume(): void;
}

const enum Kind {
  Line,
  All,
  Count,
  Any,
}

interface Request<T> {
  readonly kind: Kind;
  readonly n: number;
  readonly prefix: T;
  readonly resolve: (value: T) => void;
  readonly reject: (reason: unknown) => void;
  wait: Wait | undefined;
}

/** @internal The key of a socket's promise-free receive (see `StreamReader.receiveNow`). */
export const receiveNow: unique symbol = Symbol('receiveNow');

/** Why a receive failed, before its partial is attached: a template, not a thrown error. */
interface Failure {
  readonly code: SocketErrorCode;
  readonly message?: string;
  readonly cause?: unknown;
}

const CLOSED: Failure = { code: 'closed' };
const LINE_TOO_LONG: Failure = { code: 'linetoolong' };
const TIMEOUT: Failure = { code: 'timeout' };

/** Returned by an attempt the buffer cannot satisfy yet. */
const NOT_YET: unique symbol = Symbol('not yet');

/** @internal Buffered pattern reads over one byte stream. */
export class StreamReader<T> {
  readonly #buffer = new ReceiveBuffer();
  readonly #codec: Codec<T>;
  readonly #flow: Flow;
  readonly #settings: TimeoutSettings;
  readonly #maxLine: number;
  readonly #highWater: number;
  #queue: Request<T>[] = [];
  #paused = false;
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

  constructor(
    codec: Codec<T>,
    flow: Flow,
    settings: TimeoutSettings,
    options: { maxLineLength: number; highWaterMark: number },
    ready: { readable: boolean } = { readable: false },
  ) {
    this.#ready = ready;
    this.#codec = codec;
    this.#flow = flow;
    this.#settings = settings;
    this.#maxLine = options.maxLineLength;
    this.#highWater = options.highWaterMark;
  }

  /** Unread bytes. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** True once no receive can wait any more (EOF, reset or close). */
  get finished(): boolean {
    return this.#ended || this.#failure !== undefined;
  }

  /** True when a receive would be answered without waiting. */
  get readable(): boolean {
    return this.#buffer.length > 0 || this.finished;
  }

  /** Bytes arrived from the peer. */
  push(chunk: Buffer): void {
    if (this.#discarding) return;
    this.#buffer.push(chunk);
    this.#ready.readable = true;
    if (this.#queue.length > 0) {
      this.#queue[0]?.wait?.progress();
      this.#serve();
    }
    this.#regulate();
  }

  /** The peer closed its sending side. */
  end(): void {
    this.#ended = true;
    this.#ready.readable = true;
    this.#serve();
  }

  /** No more bytes will come: the connection failed or was closed here. */
  fail(error: SocketError, discard = false): void {
    this.#failure ??= error;
    this.#ready.readable = true;
    this.#serve();
    if (discard) {
      this.#discarding = true;
      this.#buffer.skip(this.#buffer.length);
      // Keep draining the socket, so a peer that still sends is not stalled.
      this.#regulate();
    }
  }

  /**
   * Reads by pattern; see `TcpClient.receive`.
   * @throws TypeError / RangeError for a bad pattern or options
   */
  receive(pattern: ReceivePattern | undefined, options?: ReceiveOptions<T>): Promise<T> {
    if (options !== undefined) checkReceiveKeys(options, 'receive()');
    const prefix =
      options?.prefix === undefined ? this.#codec.empty : this.#codec.prefix(options.prefix);
    const n = this.#count(pattern, prefix);
    if (n === UNTIL_LF) return this.#start(Kind.Line, 0, prefix, options);
    if (n === UNTIL_CLOSE) return this.#start(Kind.All, 0, prefix, options);
    // The prefix counts towards n; a prefix of n bytes or more is the result.
    if (n === PREFIX_ONLY) {
      checkWaitOptions(options);
      return Promise.resolve(prefix);
    }
    return this.#start(Kind.Count, n, prefix, options);
  }

  /**
   * `receive` without the promise, for callers that wrap the result
   * themselves: the value when the buffer answers now, undefined when the
   * call would have to wait (then nothing was consumed).
   * @throws what `receive` rejects with when it fails at once (with its partial)
   */
  receiveNow(pattern: ReceivePattern | undefined, prefix: T): T | undefined {
    const n = this.#count(pattern, prefix);
    if (n === PREFIX_ONLY) return prefix;
    if (this.#queue.length > 0) return undefined;
    const kind = n === UNTIL_LF ? Kind.Line : n === UNTIL_CLOSE ? Kind.All : Kind.Count;
    const value = this.#attempt(kind, Math.max(n, 0), prefix);
    return value === NOT_YET ? undefined : value;
  }

  /** The bytes a pattern still needs after its prefix, or UNTIL_LF / UNTIL_CLOSE / PREFIX_ONLY. */
  #count(pattern: ReceivePattern | undefined, prefix: T): number {
    return needed(pattern, prefix === this.#codec.empty ? 0 : this.#codec.byteLength(prefix));
  }

  /**
   * A line the buffer already holds, when no receive is queued; else
   * undefined (then `receive('*l')` tells what happens). For iterators:
   * no promise, no timer.
   */
  lineNow(): T | undefined {
    if (this.#queue.length > 0) return undefined;
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

  /** A line by the text fast path of the buffer, or undefined. */
  #textLine(): T | undefined {
    const encoding = this.#codec.encoding;
    if (encoding === 'buffer') return undefined;
    const line = this.#buffer.textLine(encoding, this.#maxLine);
    if (line === undefined) return undefined;
    this.#consumed(this.#buffer.lineBytes);
    return line as T;
  }

  /** Whatever is buffered, up to `max` bytes, waiting only if nothing is. */
  receiveany(max: number, options?: WaitOptions): Promise<T> {
    if (typeof max !== 'number' || !(max >= 1) || max === Infinity) {
      throw new RangeError(`Expected \`max\` to be a finite number >= 1, got \`${String(max)}\``);
    }
    return this.#start(Kind.Any, Math.trunc(max), this.#codec.empty, options);
  }

  #start(kind: Kind, n: number, prefix: T, options: WaitOptions | undefined): Promise<T> {
    checkWaitOptions(options, kind === Kind.Any ? 'receiveany()' : undefined);
    const signal = options?.signal;
    if (signal?.aborted === true) {
      return Promise.reject(
        new SocketError('aborted', { cause: signal.reason, partial: prefix as string | Buffer }),
      );
    }
    if (this.#queue.length === 0) {
      // The hot path: a buffer that already answers costs no timer, no listener.
      try {
        const value = this.#attempt(kind, n, prefix);
        if (value !== NOT_YET) return Promise.resolve(value);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const waiting = new Promise<T>((resolve, reject) => {
      const request: Request<T> = { kind, n, prefix, resolve, reject, wait: undefined };
      // A wait nothing can end needs no Wait: an idle connection stays small.
      if (mayEnd(this.#settings, options))
        request.wait = new Wait(this.#settings, options, (end) => this.#expire(request, end));
      // A fresh one-slot array: most sockets never have more than one receive waiting.
      if (this.#queue.length === 0) this.#queue = [request];
      else this.#queue.push(request);
      this.#regulate();
    });
    return atCallSite(waiting, kind === Kind.Any ? 'receiveany' : 'receive', this.#flow);
  }

  /** Serves queued requests in order while the buffer answers them. */
  #serve(): void {
    while (this.#queue.length > 0) {
      const head = this.#queue[0] as Request<T>;
      let value: T | typeof NOT_YET;
      try {
        value = this.#attempt(head.kind, head.n, head.prefix);
      } catch (err) {
        this.#queue.shift();
        head.wait?.dispose();
        head.reject(err);
        continue;
      }
      if (value === NOT_YET) break;
      this.#queue.shift();
      head.wait?.dispose();
      head.resolve(value);
    }
    this.#regulate();
  }

  /** One try at a pattern: the result, NOT_YET, or a thrown failure. */
  #attempt(kind: Kind, n: number, prefix: T): T | typeof NOT_YET {
    const buffer = this.#buffer;
    const codec = this.#codec;
    switch (kind) {
      case Kind.Line: {
        const fast = this.#textLine();
        if (fast !== undefined) return codec.concat(prefix, fast);
        const pos = buffer.findLF();
        const size = pos === -1 ? buffer.length : pos;
        if (size > this.#maxLine) throw this.#failed(LINE_TOO_LONG, kind, n, prefix);
        if (pos !== -1) {
          const line = buffer.readLine(pos, codec.decode);
          this.#consumed(pos + 1);
          return codec.concat(prefix, line);
        }
        break;
      }
      case Kind.All:
        // After the peer's FIN the buffer holds all it sent, even if the
        // connection was torn down since (both sides closed, a late reset).
        if (this.#ended) {
          const size = buffer.length;
          if (size === 0) throw this.#failed(CLOSED, kind, n, prefix);
          const all = buffer.read(size, codec.decode);
          this.#consumed(size);
          return codec.concat(prefix, all);
        }
        break;
      case Kind.Count:
        // receive(0) answers '' without waiting (unlike LuaSocket), but once nothing is
        // buffered and nothing more can come it fails with `closed`, as LuaSocket does.
        if (buffer.length >= n && (n > 0 || buffer.length > 0 || !this.finished)) {
          const encoding = codec.encoding;
          const text = encoding === 'buffer' ? undefined : buffer.textRead(encoding, n);
          const bytes = text === undefined ? buffer.read(n, codec.decode) : (text as T);
          this.#consumed(n);
          return codec.concat(prefix, bytes);
        }
        break;
      case Kind.Any:
        if (buffer.length > 0) {
          let size = Math.min(buffer.length, n);
          // Never split a character: an incomplete tail waits for its other bytes.
          if (codec.encoding === 'utf8' && !this.finished) size = utf8AnySize(buffer, size);
          if (size === 0) break;
          const any = buffer.read(size, codec.decode);
          this.#consumed(size);
          return any;
        }
        break;
    }
    if (this.finished) throw this.#failed(this.#failure ?? CLOSED, kind, n, prefix);
    return NOT_YET;
  }

  /** Consumes what the failed pattern had read and attaches it as the partial. */
  #failed(error: Failure, kind: Kind, n: number, prefix: T): SocketError {
    const buffer = this.#buffer;
    const codec = this.#codec;
    let take = 0;
    if (kind === Kind.Line) take = Math.min(buffer.length, this.#maxLine);
    else if (kind === Kind.All) take = buffer.length;
    else if (kind === Kind.Count) take = Math.min(buffer.length, n);
    let partial = prefix;
    if (take > 0) {
      const bytes = buffer.peek(take);
      // While more bytes may come, an incomplete character stays for the next call.
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
    // Consuming only shrinks the buffer: only a paused socket may have to read again.
    if (this.#paused) this.#regulate();
  }

  #expire(request: Request<T>, end: WaitEnd): void {
    const index = this.#queue.indexOf(request);
    if (index === -1) return;
    this.#queue.splice(index, 1);
    const error: Failure =
      end.kind === 'timeout' ? TIMEOUT : { code: 'aborted', cause: end.reason };
    // Only the head has read anything; a request behind it fails with its prefix.
    request.reject(
      index === 0
        ? this.#failed(error, request.kind, request.n, request.prefix)
        : new SocketError(error.code, {
            cause: error.cause,
            partial: request.prefix as string | Buffer,
          }),
    );
    this.#serve();
  }

  /** Pauses the socket above the high-water mark, unless a request needs more. */
  #regulate(): void {
    const head = this.#queue[0];
    let limit = this.#highWater;
    if (head !== undefined) {
      if (head.kind === Kind.All) limit = Infinity;
      else if (head.kind === Kind.Line) limit = Math.max(limit, this.#maxLine + 1);
      else if (head.kind === Kind.Count) limit = Math.max(limit, head.n);
    }
    const full = this.#buffer.length >= limit;
    if (full && !this.#paused) {
      this.#paused = true;
      this.#flow.pause();
    } else if (!full && this.#paused) {
      this.#paused = false;
      this.#flow.resume();
    }
  }

  /** Lets the socket read again after bytes were consumed outside `#serve`. */
  regulate(): void {
    this.#regulate();
  }
}
