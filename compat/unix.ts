/**
 * LuaSocket's `socket.unix` (`unix.c`, `unixstream.c`): Unix domain stream
 * objects that are a master, then a server (`bind(path)` + `listen`) or a
 * client (`connect(path)`, or from `accept`), over the core's
 * {@link UnixMaster}, `UnixServer` and `UnixClient`. Receive, send, the
 * timeouts, the counters, `close` and `select` come from the base it
 * shares with compat's TCP objects (`stream-object.ts`); the module
 * function that makes them is in `unix-module.ts`.
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

import { SocketError, type UnixClient, type UnixMaster, type UnixServer } from '../src/index.js';
import { receiveany, type CompatEncoding } from './buffer.js';
import { attempt, failure } from './errors.js';
import { notConnected } from './inet.js';
import { checkString, optInteger } from './lua.js';
import {
  CLIENT,
  CLOSED,
  CORE,
  ENCODING,
  expectState,
  OPTIONS,
  StreamObject,
} from './stream-object.js';
import type { ReceiveResult, Result } from './tuples.js';

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
export class UnixObject extends StreamObject<Core> {
  readonly #encoding: CompatEncoding;

  /** @internal Use `socket.unix()` or `accept()`. */
  constructor(core: Core, encoding: CompatEncoding) {
    super(core);
    this.#encoding = encoding;
  }

  /**
   * The object's class, as LuaSocket's `tostring` starts:
   * `'unixstream{master}'`, `'unixstream{server}'` or `'unixstream{client}'`,
   * and `'unixstream{closed}'` once closed.
   */
  override toString(): string {
    return this[CLOSED] ? 'unixstream{closed}' : `unixstream{${this[CORE].state}}`;
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
      this[CORE] = { state: 'server', server };
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
      if (this[CLOSED]) {
        client.close();
        return failure(new SocketError('closed'));
      }
      this[CORE] = { state: 'client', client };
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
    const wrap = (client: UnixClient<string>): Result<UnixObject> => [
      new UnixObject({ state: 'client', client }, this.#encoding),
      null,
    ];
    return this.#server('accept').accept().then(wrap, failure);
  }

  /** `client:receiveany([max])`: what has arrived, up to `max` bytes (65536); OpenResty's name. */
  receiveany(max?: number): Promise<ReceiveResult> {
    return receiveany(this.#client('receiveany'), max);
  }

  /**
   * `object:getsockname()`: the local path, as LuaSocket returns it (one
   * value): the bound path of a server and of its accepted clients, `''`
   * for a connecting client and an unbound master.
   * @returns `[path, null]` or `[null, err]`
   */
  getsockname(): Result<string> {
    if (this[CLOSED]) return failure(new SocketError('closed'));
    const target = this.#target();
    return target.fd === -1 ? ['', null] : attempt(() => target.getsockname().address);
  }

  /**
   * `object:getpeername()` (not in LuaSocket's unix objects): the peer's
   * path — the path a client connected to, `''` on an accepted client.
   * @returns `[path, null]` or `[null, err]` (`'closed'`, or the system's ENOTCONN message)
   */
  getpeername(): Result<string> {
    if (this[CLOSED]) return failure(new SocketError('closed'));
    const core = this[CORE];
    return core.state === 'client'
      ? [core.client.getpeername().address, null]
      : failure(notConnected());
  }

  /** @internal For the shared methods: the client, for receives and sends too. */
  protected override [CLIENT](method: string): UnixClient<string> | undefined {
    return this.#client(method);
  }

  /** @internal For the shared methods: the encoding the object was made with. */
  protected override get [ENCODING](): CompatEncoding {
    return this.#encoding;
  }

  /** @internal For `setoption`: a Unix domain socket's options (Node.js sets none). */
  protected override get [OPTIONS](): 'unix' {
    return 'unix';
  }

  /** The core object behind the state. */
  #target(): UnixMaster<CompatEncoding> | UnixServer<string> | UnixClient<string> {
    const core = this[CORE];
    return core.state === 'master'
      ? core.master
      : core.state === 'server'
        ? core.server
        : core.client;
  }

  #master(method: string): UnixMaster<CompatEncoding> {
    return expectState(this[CORE], 'master', method, 'unixstream').master;
  }

  #server(method: string): UnixServer<string> {
    return expectState(this[CORE], 'server', method, 'unixstream').server;
  }

  /** The client a call goes through; none once closed (the call answers `'closed'`). */
  #client(method: string): UnixClient<string> | undefined {
    // A closed client keeps its counters, as LuaSocket's does; its core
    // object answers 'closed' to the calls that need the connection.
    return expectState(this[CORE], 'client', method, 'unixstream').client;
  }
}
