/**
 * LuaSocket's `socket.unix` (`unix.c`, `unixstream.c`): Unix domain stream
 * objects that are a master, then a server (`bind(path)` + `listen`) or a
 * client (`connect(path)`, or from `accept`), over the core's
 * {@link UnixMaster}, `UnixServer` and `UnixClient`. Receive, send, the
 * timeouts, the counters and `select` go through the same helpers as
 * compat's TCP objects.
 * As LuaSocket 3.1's `require "socket.unix"` gives a callable table,
 * `socket.unix` is a function with `stream`, `dgram` and the old aliases
 * `tcp` and `udp` as properties; `socket.unix.dgram()` answers `[null, err]`
 * (Node.js has no Unix datagram sockets).
 *
 * Differences from LuaSocket 3.1, kept on purpose:
 * - `getpeername()` exists (LuaSocket's unix objects have none).
 * - closing a server (or a bound master) removes its socket file, as
 *   Node.js does; LuaSocket leaves it for the program to remove.
 * - a closed object answers `'closed'` (LuaSocket: the system's `EBADF`).
 * - an unbound master has no descriptor yet: `getfd()` is `-1`.
 * - `listen(backlog)` cannot change the backlog `bind` used (32): Node.js
 *   binds and listens in one step.
 * - options: every `setoption` answers `[null, '<name>: not supported …']`.
 *
 * @module
 */

import {
  type OptionName,
  type OptionValues,
  readiness,
  type Readiness,
  type Selectable,
  SocketError,
  unix as coreUnix,
  type UnixClient,
  type UnixMaster,
  type UnixServer,
} from '../src/index.js';
import { datagramUnsupported } from '../src/internal.js';
import {
  getstats,
  receive,
  receiveany,
  send,
  setfd,
  setstats,
  shutdown,
  encodingOf,
  type CompatEncoding,
} from './buffer.js';
import { attempt, failure } from './errors.js';
import { notConnected } from './inet.js';
import { checkString, optInteger } from './lua.js';
import { setoption } from './options.js';
import { IGNORED } from './readiness.js';
import type { CompatOptions } from './socket.js';
import { expectState } from './tcp-state.js';
import { applyTimeouts, settimeout, type LuaTimeouts } from './timeout.js';
import type { ReceiveResult, Result, SendResult, StatsResult } from './tuples.js';

type Core =
  | { readonly state: 'master'; readonly master: UnixMaster<CompatEncoding> }
  | { readonly state: 'server'; readonly server: UnixServer<string> }
  | { readonly state: 'client'; readonly client: UnixClient<string> };

const OK: Result<1> = [1, null];
/** `sun_path` holds 108 bytes, the NUL included: LuaSocket answers longer paths itself. */
const SUN_PATH = 108;

/** The path argument, or LuaSocket's `'path too long'` answer. */
function pathOf(path: unknown, method: string): string | Result<1> {
  const p = checkString(path, 1, method);
  return Buffer.byteLength(p) >= SUN_PATH ? [null, 'path too long'] : p;
}

/**
 * A LuaSocket Unix domain stream object, from `socket.unix()` or
 * `server.accept()`. Calls that can wait return a Promise of what the Lua
 * call returns; the others return it directly.
 *
 * @example A client of a local service
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c] = socket.unix();
 * c!.settimeout(5);
 * const [ok, err] = await c!.connect('/run/app.sock');
 * if (ok === null) console.error(err);
 * else console.log(await c!.receive('*l'));
 * c!.close();
 * ```
 */
export class UnixObject implements Selectable {
  #core: Core;
  #closed = false;
  readonly #encoding: CompatEncoding;
  readonly #timeouts: LuaTimeouts = { block: undefined, total: undefined };

  /** @internal Use `socket.unix()` or `accept()`. */
  constructor(core: Core, encoding: CompatEncoding) {
    this.#core = core;
    this.#encoding = encoding;
  }

  /**
   * The object's class, as LuaSocket's `tostring` starts:
   * `'unixstream{master}'`, `'unixstream{server}'` or `'unixstream{client}'`,
   * and `'unixstream{closed}'` once closed.
   */
  toString(): string {
    return this.#closed ? 'unixstream{closed}' : `unixstream{${this.#core.state}}`;
  }

  /**
   * `master:bind(path)`: creates the socket file at once; a file already
   * there fails with `'address already in use'`. (`setsockname` is its alias.)
   * @returns `[1, null]` or `[null, err]`
   * @throws TypeError on a server or client, or for a path that is not a string
   */
  bind(path: string): Promise<Result<1>> {
    const master = this.#master('bind');
    const p = pathOf(path, 'bind');
    if (typeof p !== 'string') return Promise.resolve(p);
    return master.bind(p).then(() => OK, failure);
  }

  /** `master:setsockname(path)`: LuaSocket's alias of {@link UnixObject.bind}. */
  setsockname(path: string): Promise<Result<1>> {
    return this.bind(path);
  }

  /**
   * `master:listen([backlog])`: the bound master becomes a server. The
   * backlog is checked but cannot change the one `bind` used (32).
   * @returns `[1, null]` or `[null, err]`
   * @throws TypeError on a server or client, or on a master that is not bound
   */
  listen(backlog?: number | string | null): Promise<Result<1>> {
    const master = this.#master('listen');
    return master.listen(optInteger(backlog, 1, 'listen')).then((server) => {
      applyTimeouts(server, this.#timeouts);
      this.#core = { state: 'server', server };
      return OK;
    }, failure);
  }

  /**
   * `master:connect(path)`: connects under the object's timeouts and becomes
   * a client; after a failure it stays a master, as in LuaSocket.
   * (`setpeername` is its alias.)
   * @returns `[1, null]`, or `[null, err]` (`'connection refused'`,
   *   `'No such file or directory'`, `'timeout'`, …)
   */
  connect(path: string): Promise<Result<1>> {
    const master = this.#master('connect');
    const p = pathOf(path, 'connect');
    if (typeof p !== 'string') return Promise.resolve(p);
    // The master has the object's timeouts (settimeout puts them there): the core bounds the connect.
    return master.connect(p).then((client) => {
      if (this.#closed) {
        client.close();
        return failure(new SocketError('closed'));
      }
      this.#core = { state: 'client', client };
      return OK;
    }, failure);
  }

  /** `master:setpeername(path)`: LuaSocket's alias of {@link UnixObject.connect}. */
  setpeername(path: string): Promise<Result<1>> {
    return this.connect(path);
  }

  /**
   * `server:accept()`: waits for a connection, under the server's timeouts.
   * @returns `[client, null]`, or `[null, err]` (`'timeout'`, `'closed'`)
   */
  accept(): Promise<Result<UnixObject>> {
    return this.#server('accept')
      .accept()
      .then(
        (client): Result<UnixObject> => [
          new UnixObject({ state: 'client', client }, this.#encoding),
          null,
        ],
        failure,
      );
  }

  /**
   * `client:receive([pattern[, prefix]])`: `'*l'` (default), `'*a'` or a
   * byte count, as on a TCP client (and the same `receive(0)` difference).
   * @returns `[data, null, null]` or `[null, err, partial]`
   * @throws TypeError / RangeError for a bad pattern, or on a master or server
   */
  receive(
    pattern?: string | number | null,
    prefix?: string | number | null,
  ): Promise<ReceiveResult> {
    return receive(this.#client('receive'), pattern, prefix);
  }

  /** `client:receiveany([max])`: what has arrived, up to `max` bytes (65536); OpenResty's name. */
  receiveany(max?: number): Promise<ReceiveResult> {
    return receiveany(this.#client('receiveany'), max);
  }

  /** `client:send(data[, i[, j]])`: sends `data:sub(i, j)`; `[last, null, null]` or `[null, err, last]`. */
  send(
    data: string | number | Uint8Array,
    i?: number | string | null,
    j?: number | string | null,
  ): Promise<SendResult> {
    return send(this.#client('send'), this.#encoding, data, i, j);
  }

  /** `client:getstats()`: bytes received and sent, and the age in seconds. */
  getstats(): StatsResult {
    return getstats(this.#client('getstats'));
  }

  /** `client:setstats([received[, sent[, age]]])`. @returns `1` */
  setstats(received?: number | null, sent?: number | null, age?: number | null): 1 {
    return setstats(this.#client('setstats'), received, sent, age);
  }

  /** `client:shutdown([how])`: `'both'` (default), `'send'` or `'receive'`. @returns `1` */
  shutdown(how: 'both' | 'send' | 'receive' = 'both'): 1 {
    return shutdown(this.#client('shutdown'), how);
  }

  /** `object:close()`: pending calls end with `'closed'`; a server's socket file is removed. @returns `1` */
  close(): 1 {
    if (!this.#closed) this.#target().close();
    this.#closed = true;
    return 1;
  }

  /** `object:dirty()`: true when received bytes wait in the buffer. */
  dirty(): boolean {
    return !this.#closed && this.#core.state === 'client' && this.#core.client.dirty();
  }

  /** `object:getfd()`: the OS descriptor, for display only; `-1` when closed or unbound. */
  getfd(): number {
    return this.#closed ? -1 : this.#target().fd;
  }

  /** `object:setfd(fd)`: not possible under Node.js. @throws SocketError `unsupported` */
  setfd(fd: number): never {
    return setfd(fd);
  }

  /** For `socket.select`: the server's or client's readiness (a master and a closed object are ignored). */
  get [readiness](): Readiness {
    const core = this.#core;
    if (this.#closed || core.state === 'master') return IGNORED;
    return core.state === 'server' ? core.server : core.client;
  }

  /**
   * `object:getsockname()`: the local path, as LuaSocket returns it (one
   * value): the bound path of a server and of its accepted clients, `''`
   * for a connecting client and an unbound master.
   * @returns `[path, null]` or `[null, err]`
   */
  getsockname(): Result<string> {
    if (this.#closed) return failure(new SocketError('closed'));
    const target = this.#target();
    return target.fd === -1 ? ['', null] : attempt(() => target.getsockname().address);
  }

  /**
   * `object:getpeername()` (not in LuaSocket's unix objects): the peer's
   * path — the path a client connected to, `''` on an accepted client.
   * @returns `[path, null]` or `[null, err]` (`'closed'`, or the system's ENOTCONN message)
   */
  getpeername(): Result<string> {
    if (this.#closed) return failure(new SocketError('closed'));
    const core = this.#core;
    return core.state === 'client'
      ? [core.client.getpeername().address, null]
      : failure(notConnected());
  }

  /** `object:settimeout(value[, mode])`: `'b'` (default) or `'t'`, in seconds, as on TCP. @returns `1` */
  settimeout(value?: number | string | null, mode?: string | null): 1 {
    settimeout(this.#timeouts, value, mode);
    if (!this.#closed) applyTimeouts(this.#target(), this.#timeouts);
    return 1;
  }

  /**
   * `object:setoption(name, value)`: Node.js sets no option on a Unix
   * domain socket, so this answers `[null, '<name>: not supported …']`.
   * @throws TypeError for an unknown name
   */
  setoption<K extends OptionName>(name: K, value: OptionValues[K]): Result<1> {
    return setoption('unix', name, value, (n, v) => {
      if (this.#closed) throw new SocketError('closed');
      this.#target().setoption(n, v);
    });
  }

  /** The core object behind the state. */
  #target(): UnixMaster<CompatEncoding> | UnixServer<string> | UnixClient<string> {
    const core = this.#core;
    return core.state === 'master'
      ? core.master
      : core.state === 'server'
        ? core.server
        : core.client;
  }

  #master(method: string): UnixMaster<CompatEncoding> {
    return expectState(this.#core, 'master', method, 'unixstream').master;
  }

  #server(method: string): UnixServer<string> {
    return expectState(this.#core, 'server', method, 'unixstream').server;
  }

  /** The client a call goes through; none once closed (the call answers `'closed'`). */
  #client(method: string): UnixClient<string> | undefined {
    const { client } = expectState(this.#core, 'client', method, 'unixstream');
    return this.#closed ? undefined : client;
  }
}

/**
 * `socket.unix.stream()`: a Unix domain stream master.
 * @returns `[master, null]`
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [server] = socket.unix.stream();
 * await server!.bind('/tmp/app.sock');
 * await server!.listen();
 * console.log(server!.getsockname()); // ['/tmp/app.sock', null]
 * server!.close();
 * ```
 */
export function stream(options?: CompatOptions): Result<UnixObject> {
  const encoding = encodingOf(options, 'unix.stream()');
  const master = coreUnix<CompatEncoding>({ encoding, maxLineLength: Infinity });
  return [new UnixObject({ state: 'master', master }, encoding), null];
}

/**
 * `socket.unix.dgram()`: Node.js has no Unix domain datagram sockets, so
 * this answers the `[null, err]` of a creation that failed.
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [u, err] = socket.unix.dgram();
 * console.log(u, err); // null 'dgram: Unix domain datagram sockets are not supported by Node.js'
 * ```
 */
export function dgram(): [value: null, err: string] {
  return [null, datagramUnsupported().message];
}

/** What `require "socket.unix"` gives: callable as `stream`, with the module's functions. */
export interface UnixModule {
  /** `socket.unix()`: the same as `socket.unix.stream()`, as LuaSocket 3.1 keeps the old call working. */
  (options?: CompatOptions): Result<UnixObject>;
  /** `socket.unix.stream()`: a Unix domain stream master, like `socket.tcp()` over a path. */
  readonly stream: typeof stream;
  /** `socket.unix.dgram()`: always `[null, err]`, since Node.js has no Unix datagram sockets. */
  readonly dgram: typeof dgram;
  /** LuaSocket's old alias of `stream`. */
  readonly tcp: typeof stream;
  /** LuaSocket's old alias of `dgram`. */
  readonly udp: typeof dgram;
}

/**
 * `socket.unix`: LuaSocket's `socket.unix` module, a function (the old
 * `socket.unix()`) that also carries `stream`, `dgram`, `tcp` and `udp`.
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c] = socket.unix();
 * if (c !== null) {
 *   console.log(String(c)); // 'unixstream{master}'
 *   c.close();
 * }
 * ```
 */
export const unix: UnixModule = Object.freeze(
  Object.assign((options?: CompatOptions) => stream(options), {
    stream,
    dgram,
    tcp: stream,
    udp: dgram,
  }),
);
