/**
 * The read side of a stream socket: receives that wait. Requests the
 * buffer cannot answer yet queue here, in call order, each with its
 * timeouts and abort signal; the bytes and the patterns are
 * {@link BufferedReads}'. Backpressure pauses the socket above the
 * high-water mark. The socket object feeds it bytes and events.
 *
 * @module
 */

import type { Codec } from './codec.js';
import { SocketError } from '../errors/socket-error.js';
import {
  needed,
  neededFor,
  PREFIX_ONLY,
  UNTIL_CLOSE,
  UNTIL_LF,
  type ParsedPattern,
  type ReceivePattern,
} from './pattern.js';
import type { TimeoutSettings } from '../time/timeout.js';
import { checkWaitOptions, mayEnd, Wait, type WaitEnd, type WaitOptions } from '../time/wait.js';
import { atCallSite } from '../trace/call-site.js';
import { checkReceiveKeys } from '../errors/option-keys.js';
import { BufferedReads, Kind, NOT_YET, type Failure } from './buffered-reads.js';
import type { ReceiveOptions } from './options.js';
export type { ReceiveOptions } from './options.js';

/** @internal What the reader asks of the socket it reads from. */
export interface Flow {
  pause(): void;
  resume(): void;
}

interface Request<T> {
  readonly kind: Kind;
  readonly n: number;
  readonly prefix: T;
  readonly resolve: (value: T) => void;
  readonly reject: (reason: unknown) => void;
  wait: Wait | undefined;
}

const TIMEOUT: Failure = { code: 'timeout' };

/** @internal Buffered pattern reads over one byte stream, waiting when they must. */
export class StreamReader<T> {
  readonly #reads: BufferedReads<T>;
  readonly #codec: Codec<T>;
  readonly #flow: Flow;
  readonly #settings: TimeoutSettings;
  readonly #maxLine: number;
  readonly #highWater: number;
  #queue: Request<T>[] = [];
  #paused = false;

  constructor(
    codec: Codec<T>,
    flow: Flow,
    settings: TimeoutSettings,
    options: { maxLineLength: number; highWaterMark: number },
    ready: { readable: boolean } = { readable: false },
  ) {
    this.#reads = new BufferedReads(codec, options.maxLineLength, ready);
    this.#codec = codec;
    this.#flow = flow;
    this.#settings = settings;
    this.#maxLine = options.maxLineLength;
    this.#highWater = options.highWaterMark;
  }

  /** Unread bytes. */
  get buffered(): number {
    return this.#reads.buffered;
  }

  /** True when a receive would be answered without waiting. */
  get readable(): boolean {
    return this.#reads.buffered > 0 || this.#reads.finished;
  }

  /** Bytes handed to the program, LuaSocket's `received` counter. */
  get received(): number {
    return this.#reads.received;
  }

  set received(value: number) {
    this.#reads.received = value;
  }

  /** Bytes arrived from the peer. */
  push(chunk: Buffer): void {
    if (!this.#reads.push(chunk)) return;
    if (this.#queue.length > 0) {
      this.#queue[0]?.wait?.progress();
      this.#serve();
    }
    this.#regulate();
  }

  /** The peer closed its sending side. */
  end(): void {
    this.#reads.end();
    this.#serve();
  }

  /** True while a receive waits. */
  get waiting(): boolean {
    return this.#queue.length > 0;
  }

  /**
   * The bytes read from the socket and not received yet, taken out: the
   * socket goes to another reader (TLS), which must see them first.
   */
  takeUnread(): Buffer {
    return this.#reads.takeUnread();
  }

  /** No more bytes will come: the connection failed or was closed here. */
  fail(error: SocketError, discard = false): void {
    this.#reads.fail(error);
    this.#serve();
    if (discard) {
      this.#reads.discard();
      // Keep draining the socket, so a peer that still sends is not stalled.
      this.#regulate();
    }
  }

  /**
   * Reads by pattern; see `TcpClient.receive`.
   * @throws TypeError / RangeError for a bad pattern or options
   */
  receive(pattern: ReceivePattern | undefined, options?: ReceiveOptions<T>): Promise<T> {
    if (options === undefined) {
      // The hot path: what the buffer answers now, with no prefix to measure
      // and no options to check.
      const value = this.receiveBuffered(pattern);
      if (value !== undefined) return Promise.resolve(value);
    } else checkReceiveKeys(options, 'receive()');
    const prefix =
      options?.prefix === undefined ? this.#codec.empty : this.#codec.prefix(options.prefix);
    const n = needed(pattern, this.#bytes(prefix));
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
   * `receive` for a pattern its caller parsed already (compat, by Lua's
   * rules), with a prefix of the result type: nothing is parsed again.
   * @param options - validated as wait options; their keys are the caller's to check
   * @throws TypeError for bad options
   */
  receiveParsed(parsed: ParsedPattern, prefix: T, options?: WaitOptions): Promise<T> {
    const n = neededFor(parsed, this.#bytes(prefix));
    if (n === PREFIX_ONLY) {
      checkWaitOptions(options);
      return Promise.resolve(prefix);
    }
    return this.#start(kindOf(n), Math.max(n, 0), prefix, options);
  }

  /**
   * The synchronous half of `receiveParsed`: the value when the buffer
   * answers now — no promise, no timer, no listener — or undefined when the
   * call would have to wait (then nothing was consumed).
   * @throws what `receiveParsed` rejects with when it fails at once, with its partial
   */
  receiveParsedNow(parsed: ParsedPattern, prefix: T): T | undefined {
    if (prefix === this.#codec.empty) {
      const value =
        parsed.kind === 'line'
          ? this.lineNow()
          : parsed.kind === 'count' && parsed.n >= 1
            ? this.#countNow(parsed.n)
            : undefined;
      if (value !== undefined) return value;
    }
    const n = neededFor(parsed, this.#bytes(prefix));
    if (n === PREFIX_ONLY) return prefix;
    if (this.#queue.length > 0) return undefined;
    const value = this.#attempt(kindOf(n), Math.max(n, 0), prefix);
    return value === NOT_YET ? undefined : value;
  }

  /**
   * What `receive(pattern)` would resolve to without waiting, taken now; see
   * `TcpClient.receiveBuffered`. Undefined, with nothing consumed, when the
   * receive would wait or fail: then `receive` makes the call, and reports
   * the failure with its partial.
   * @throws TypeError / RangeError for a bad pattern
   */
  receiveBuffered(pattern: ReceivePattern | undefined): T | undefined {
    if (typeof pattern === 'number' && pattern >= 1 && pattern !== Infinity) {
      return this.#countNow(Math.trunc(pattern));
    }
    const n = needed(pattern, 0);
    if (n === UNTIL_LF) return this.lineNow();
    if (this.#queue.length > 0) return undefined;
    const value = n === UNTIL_CLOSE ? this.#reads.allNow() : this.#reads.emptyNow();
    if (value === NOT_YET) return undefined;
    if (this.#paused) this.#regulate();
    return value;
  }

  /** `n` ≥ 1 bytes when the buffer holds them and no receive is queued before; else undefined. */
  #countNow(n: number): T | undefined {
    if (this.#queue.length > 0) return undefined;
    const value = this.#reads.countNow(n);
    if (value === NOT_YET) return undefined;
    if (this.#paused) this.#regulate();
    return value;
  }

  /** The prefix's length in bytes; the empty one is not measured. */
  #bytes(prefix: T): number {
    return prefix === this.#codec.empty ? 0 : this.#codec.byteLength(prefix);
  }

  /**
   * A line the buffer already holds, when no receive is queued; else
   * undefined (then `receive('*l')` tells what happens). For iterators:
   * no promise, no timer.
   */
  lineNow(): T | undefined {
    if (this.#queue.length > 0) return undefined;
    const line = this.#reads.lineNow();
    if (line !== undefined && this.#paused) this.#regulate();
    return line;
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

  /** A read the buffer answers now; a paused socket may read again once it consumed. */
  #attempt(kind: Kind, n: number, prefix: T): T | typeof NOT_YET {
    // Only a paused socket needs the check; the common case stays a plain call.
    if (!this.#paused) return this.#reads.attempt(kind, n, prefix);
    try {
      return this.#reads.attempt(kind, n, prefix);
    } finally {
      this.#regulate();
    }
  }

  /** Serves queued requests in order while the buffer answers them. */
  #serve(): void {
    const reads = this.#reads;
    while (this.#queue.length > 0) {
      const head = this.#queue[0] as Request<T>;
      let value: T | typeof NOT_YET;
      try {
        value = reads.attempt(head.kind, head.n, head.prefix);
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

  #expire(request: Request<T>, end: WaitEnd): void {
    const index = this.#queue.indexOf(request);
    if (index === -1) return;
    this.#queue.splice(index, 1);
    const error: Failure =
      end.kind === 'timeout' ? TIMEOUT : { code: 'aborted', cause: end.reason };
    // Only the head has read anything; a request behind it fails with its prefix.
    request.reject(
      index === 0
        ? this.#reads.failed(error, request.kind, request.n, request.prefix)
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
    const full = this.#reads.buffered >= limit;
    if (full && !this.#paused) {
      this.#paused = true;
      this.#flow.pause();
    } else if (!full && this.#paused) {
      this.#paused = false;
      this.#flow.resume();
    }
  }
}

/** The request kind of a {@link needed} answer other than PREFIX_ONLY. */
function kindOf(n: number): Kind {
  return n === UNTIL_LF ? Kind.Line : n === UNTIL_CLOSE ? Kind.All : Kind.Count;
}
