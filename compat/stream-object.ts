/**
 * What compat's two stream objects share: TCP's (`tcp.c`) and Unix's
 * (`unixstream.c`), which LuaSocket builds on the same `buffer.c` and socket
 * helpers. Either is a master, a server or a client; {@link StreamObject}
 * holds that state, whether the object is closed and its Lua timeouts, and
 * has the methods that read and write through the client or act on
 * whatever core object the state holds. Each kind adds what differs: how it
 * binds, listens, connects, accepts and names its ends, and how a call
 * reaches its client.
 *
 * The kinds reach the shared state, and the base reaches what differs,
 * through symbol-keyed members: a compat object's string-named methods are
 * exactly its LuaSocket class's.
 *
 * @internal
 * @module
 */

import { readinessOf } from '../src/internal.js';
import {
  type OptionName,
  type OptionValues,
  readiness,
  type Readiness,
  type Selectable,
  SocketError,
} from '../src/index.js';
import {
  getstats,
  receive,
  send,
  setfd,
  setstats,
  shutdown,
  type ClientRef,
  type CompatEncoding,
  type StreamClient,
} from './buffer.js';
import { setoption, type OptionKind } from './options.js';
import { IGNORED } from './readiness.js';
import { applyTimeouts, settimeout, type LuaTimeouts, type TimeoutTarget } from './timeout.js';
import type { ReceiveResult, Result, SendResult, StatsResult } from './tuples.js';

/** @internal A core master or server as the shared methods use it. */
interface CoreObject extends TimeoutTarget {
  readonly fd: number;
  close(): void;
  setoption<K extends OptionName>(name: K, value: OptionValues[K]): void;
}

/** @internal A stream object's state and the core object behind it. */
export type StreamCore =
  | { readonly state: 'master'; readonly master: CoreObject }
  | { readonly state: 'server'; readonly server: CoreObject & Readiness }
  | {
      readonly state: 'client';
      /** None while a connect has not succeeded (TCP), or after it failed. */
      readonly client: StreamClient | undefined;
      readonly master?: CoreObject;
      /** A connect that outlived its call (TCP's non-blocking connect). */
      readonly pending?: Readiness & { close(): void };
    };

/** @internal Key of the state, for the kinds: read and replaced as the object changes class. */
export const CORE: unique symbol = Symbol('core');
/** @internal Key of the closed flag, for the kinds (a closed TCP object may connect again). */
export const CLOSED: unique symbol = Symbol('closed');
/** @internal Key of the Lua timeouts, for the kinds, to put on the core objects they make. */
export const TIMEOUTS: unique symbol = Symbol('timeouts');
/** @internal Key of the hook: the client a receive or send of `method` goes through. */
export const STREAM: unique symbol = Symbol('stream');
/** @internal Key of the hook: the client `getstats`, `setstats` and `shutdown` act on. */
export const CLIENT: unique symbol = Symbol('client');
/** @internal Key of the hook: the encoding of the object's strings. */
export const ENCODING: unique symbol = Symbol('encoding');
/** @internal Key of the hook: the kind whose options `setoption` takes (`'tcp'` or `'unix'`). */
export const OPTIONS: unique symbol = Symbol('options');

/**
 * @internal Checks the object's class for `method`, as `auxiliar_checkclass`
 * does; `kind` is the class's prefix (`'tcp'`, or `'unixstream'`).
 * @throws TypeError `calling '<method>' on bad self (<kind>{<state>} expected)`
 */
export function expectState<C extends { readonly state: string }, S extends C['state']>(
  core: C,
  state: S,
  method: string,
  kind = 'tcp',
): Extract<C, { state: S }> {
  if (core.state !== state)
    throw new TypeError(`calling '${method}' on bad self (${kind}{${state}} expected)`);
  return core as Extract<C, { state: S }>;
}

/** Shared by every object until its first `settimeout`, and never written. */
const NO_TIMEOUTS: LuaTimeouts = Object.freeze({ block: undefined, total: undefined });

/**
 * @internal The base of `TcpObject` and `UnixObject`: LuaSocket's client
 * methods (`receive`, `send`, the counters, `shutdown`) and the ones every
 * state has (`close`, `dirty`, `getfd`, `setfd`, `settimeout`, `select`'s
 * readiness). Each method checks the state, then delegates to the core.
 */
export abstract class StreamObject<C extends StreamCore> implements Selectable {
  #core: C;
  #closed = false;
  /**
   * For `socket.select`: the core server's or client's readiness, or a
   * connect's in progress; `IGNORED` (never ready) for a master and a closed object
   * (LuaSocket ignores an object without a descriptor; a bound master would
   * report ready for both there, meaninglessly). A field, not a getter,
   * recomputed whenever the state or `closed` changes: select reads it for
   * every entry of every call.
   */
  readonly [readiness]: Readiness = IGNORED;
  #timeouts = NO_TIMEOUTS;

  constructor(core: C) {
    this.#core = core;
    this.#setReady(this.#readiness());
  }

  /** @internal The state now. */
  protected get [CORE](): C {
    return this.#core;
  }

  /** @internal Replaced as the object changes class. */
  protected set [CORE](core: C) {
    this.#core = core;
    this.#setReady(this.#readiness());
  }

  /** @internal Whether `close()` was called (since the last reconnect, for TCP). */
  protected get [CLOSED](): boolean {
    return this.#closed;
  }

  /** @internal Cleared when a closed TCP object connects again. */
  protected set [CLOSED](closed: boolean) {
    this.#closed = closed;
    this.#setReady(this.#readiness());
  }

  /** @internal The settings `settimeout` was given. */
  protected get [TIMEOUTS](): LuaTimeouts {
    return this.#timeouts;
  }

  /**
   * @internal The client `getstats`, `setstats` or `shutdown` act on, and
   * (unless the `[STREAM]` hook says otherwise) what a receive or
   * send goes through.
   * @throws TypeError when the state has no such method
   */
  protected abstract [CLIENT](method: string): StreamClient | undefined;

  /**
   * @internal The client a receive or send of `method` goes through: a
   * promise of it while a TCP connect is in progress.
   * @throws TypeError when the state has no such method
   */
  protected [STREAM](method: string): ClientRef {
    return this[CLIENT](method);
  }

  /** @internal `'latin1'` (Lua byte strings) or `'utf8'`. */
  protected abstract get [ENCODING](): CompatEncoding;

  /** @internal The option table `setoption` checks names against. */
  protected abstract get [OPTIONS](): OptionKind;

  /**
   * `client:receive([pattern[, prefix]])`: `'*l'` a line (the default;
   * every CR dropped), `'*a'` all until the peer closes, or `n` bytes
   * counting the prefix. One deliberate difference: `receive(0)` with no
   * prefix returns `''` at once, where LuaSocket waits for data
   * (lunarmodules/luasocket#427).
   *
   * @returns `[data, null, null]`, or `[null, err, partial]`: what was read
   *   before the failure (`''` when nothing), already consumed
   * @throws TypeError / RangeError for a bad pattern, or on a master or server
   * @example See {@link ReceiveResult} for a Lua-style polling loop.
   */
  receive(
    pattern?: string | number | null,
    prefix?: string | number | null,
  ): Promise<ReceiveResult> {
    return receive(this[STREAM]('receive'), pattern, prefix);
  }

  /**
   * `client:send(data[, i[, j]])`: sends `data:sub(i, j)`, a byte string or
   * a `Buffer`/`Uint8Array` (`i`/`j` count bytes). A string with a character
   * above U+00FF is refused (a TypeError; see `socket.setencoding`).
   * @returns `[last, null, null]` or `[null, err, last]`: the index of the
   *   last byte sent, so `send(data, last + 1)` resumes a failed send
   * @example See {@link SendResult} for resuming a non-blocking send.
   */
  send(
    data: string | number | Uint8Array,
    i?: number | string | null,
    j?: number | string | null,
  ): Promise<SendResult> {
    return send(this[STREAM]('send'), this[ENCODING], data, i, j);
  }

  /** `client:getstats()`: bytes received and sent by receive/send, and the age in seconds. */
  getstats(): StatsResult {
    return getstats(this[CLIENT]('getstats'));
  }

  /**
   * `client:setstats([received[, sent[, age]]])`: resets the counters; an
   * omitted value stays, counts are truncated as LuaSocket does.
   * @returns `1`
   */
  setstats(received?: number | null, sent?: number | null, age?: number | null): 1 {
    return setstats(this[CLIENT]('setstats'), received, sent, age);
  }

  /**
   * `client:shutdown([how])`: `'both'` (default), `'send'` (the peer sees
   * the end, reading goes on) or `'receive'`.
   * @returns `1`
   */
  shutdown(how: 'both' | 'send' | 'receive' = 'both'): 1 {
    return shutdown(this[CLIENT]('shutdown'), how);
  }

  /**
   * `object:close()`: closes the object; pending calls end with `'closed'`
   * (a Unix server's socket file is removed).
   * @returns `1`
   */
  close(): 1 {
    if (!this.#closed) closeCore(this.#core);
    this.#closed = true;
    this.#setReady(IGNORED);
    return 1;
  }

  /** `object:dirty()`: true when received bytes wait in the buffer. */
  dirty(): boolean {
    const core = this.#core;
    return !this.#closed && core.state === 'client' && core.client?.dirty() === true;
  }

  /**
   * `object:getfd()`: the OS descriptor, for display and comparison only (Node.js
   * does the I/O); `-1` when closed or not yet created, as in LuaSocket.
   */
  getfd(): number {
    const core = this.#core;
    if (this.#closed) return -1;
    if (core.state === 'client') return core.client?.fd ?? -1;
    return (core.state === 'master' ? core.master : core.server).fd;
  }

  /**
   * `object:setfd(fd)`: not possible under Node.js, which owns its descriptors.
   * @throws SocketError `unsupported`, always
   */
  setfd(fd: number): never {
    return setfd(fd);
  }

  /**
   * `object:settimeout(value[, mode])`: `'b'` (default) block or `'t'`
   * total, in seconds; `nil` or negative waits forever, `0` never waits.
   * As in real LuaSocket 3, a block timeout alone bounds the whole call.
   * @returns `1`
   */
  settimeout(value?: number | string | null, mode?: string | null): 1 {
    if (this.#timeouts === NO_TIMEOUTS) this.#timeouts = { block: undefined, total: undefined };
    settimeout(this.#timeouts, value, mode);
    const target = this.#closed ? undefined : timeoutTarget(this.#core);
    if (target !== undefined) applyTimeouts(target, this.#timeouts);
    return 1;
  }

  /**
   * `object:setoption(name, value)`. Options Node.js cannot set (on a Unix
   * domain socket, every one; on TCP `recv-buffer-size`, `send-buffer-size`
   * and others) answer `[null, '<name>: not supported …']`, never a silent
   * success.
   * @returns `[1, null]` or `[null, err]` (`'closed'` once closed)
   * @throws TypeError with LuaSocket's text for a name the object's kind lacks or a bad value
   */
  setoption<K extends OptionName>(name: K, value: OptionValues[K]): Result<1> {
    return setoption(this[OPTIONS], name, value, (n, v) =>
      openObject(this.#core, this.#closed).setoption(n, v),
    );
  }

  #setReady(ready: Readiness): void {
    (this as { [readiness]: Readiness })[readiness] = ready;
  }

  /** What `[readiness]` is for the state now. */
  #readiness(): Readiness {
    const core = this.#core;
    if (this.#closed || core.state === 'master') return IGNORED;
    // The core objects' own readiness records (plain fields), not the objects:
    // select reads them for every entry of every call.
    if (core.state === 'server') return readinessOf(core.server) ?? IGNORED;
    return readinessOf(core.client ?? core.pending) ?? IGNORED;
  }
}

/** Closes the core objects behind a state. */
function closeCore(core: StreamCore): void {
  if (core.state === 'master') core.master.close();
  else if (core.state === 'server') core.server.close();
  else {
    core.client?.close();
    core.master?.close();
    core.pending?.close();
  }
}

/**
 * The core object an open object answers through.
 * @throws SocketError `closed` when the object is closed or has no connection
 */
function openObject(core: StreamCore, closed: boolean): CoreObject | StreamClient {
  if (closed) throw new SocketError('closed');
  if (core.state === 'master') return core.master;
  if (core.state === 'server') return core.server;
  if (core.client === undefined) throw new SocketError('closed');
  return core.client;
}

/** What `settimeout` applies to: the core object behind the state, if any. */
function timeoutTarget(core: StreamCore): TimeoutTarget | undefined {
  if (core.state === 'master') return core.master;
  if (core.state === 'server') return core.server;
  return core.client ?? core.master;
}
