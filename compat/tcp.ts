/**
 * LuaSocket's TCP object (`tcp.c`): one object that is a master, then a
 * server (`bind` + `listen`) or a client (`connect`, or from `accept`), and
 * whose every method checks that state and delegates to the core object it
 * holds. A method the state does not have throws, as LuaSocket raises
 * `calling 'accept' on bad self (tcp{server} expected)`.
 *
 * @module
 */

import {
  type OptionName,
  type OptionValues,
  SocketError,
  type TcpClient,
  type TcpServer,
} from '../src/index.js';
import { receiveany, type ClientRef, type CompatEncoding } from './buffer.js';
import { failure } from './errors.js';
import { resolvable } from './host.js';
import { peername, sockname, tcpPeer } from './inet.js';
import { checkPort, checkString, optInteger } from './lua.js';
import { getoption } from './options.js';
import {
  CLIENT,
  CLOSED,
  CORE,
  ENCODING,
  expectState,
  OPTIONS,
  STREAM,
  StreamObject,
  TIMEOUTS,
} from './stream-object.js';
import {
  afterConnect,
  connectAnswer,
  connectFrom,
  isConnected,
  masterFor,
  openCore,
  settledInit,
  streamOf,
  type Master,
  type PendingConnect,
  type TcpCore,
  type TcpInit,
} from './tcp-state.js';
import { applyTimeouts, gettimeout } from './timeout.js';
import type {
  FamilyName,
  PeerNameResult,
  ReceiveResult,
  Result,
  SockNameResult,
  TimeoutsResult,
} from './tuples.js';

const OK: Result<1> = [1, null];

/**
 * @internal The key of a client object's hand-over: its connection leaves
 * it (for `ssl.wrap`), as LuaSec takes a socket's descriptor and sets it to
 * -1. The object stays a client with no connection: receives and sends
 * answer `'closed'`, `getfd()` -1, and `close()` closes nothing.
 */
export const HAND_OVER: unique symbol = Symbol('handOver');

/**
 * A LuaSocket TCP object, from `socket.tcp()`, `socket.bind()`,
 * `socket.connect()` or `server.accept()`. Calls that can wait return a
 * Promise of what the Lua call returns; the others return it directly.
 *
 * @example A line-based client
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c, err] = await socket.connect('127.0.0.1', 8080);
 * if (c === null) throw new Error(err);
 * c.settimeout(10);
 * await c.send('HELLO\r\n');
 * const [line, e, partial] = await c.receive('*l');
 * c.close();
 * ```
 */
export class TcpObject extends StreamObject<TcpCore> {
  /** Never written, only replaced, so that accepted objects share their server's. */
  #init: Readonly<TcpInit>;

  /** @internal Use `socket.tcp()`, `socket.bind()`, `socket.connect()` or `accept()`. */
  constructor(core: TcpCore, init: TcpInit) {
    super(core);
    this.#init = init;
  }

  /**
   * The object's class, as LuaSocket's `tostring` starts: `'tcp{master}'`,
   * `'tcp{server}'` or `'tcp{client}'`, and `'tcp{closed}'` once closed
   * (LuaSocket keeps the old class there and appends the userdata's address).
   */
  override toString(): string {
    return this[CLOSED] ? 'tcp{closed}' : `tcp{${this[CORE].state}}`;
  }

  /**
   * `master:bind(address, port)`: binds at once, so `getsockname()` reports
   * the port and a busy address fails here. `'*'` binds every interface.
   *
   * @returns `[1, null]`, or `[null, err]` (`'address already in use'`, …)
   * @throws TypeError on a server or client, or for bad arguments
   */
  bind(address: string, port: number | string): Promise<Result<1>> {
    const master = this.#master('bind');
    const host = checkString(address, 1, 'bind');
    const p = checkPort(port, 2, 'bind');
    return resolvable(() => master.bind(host, p), host).then(() => this.#became(OK), failure);
  }

  /** `master:setsockname(address, port)`: LuaSocket's alias of {@link TcpObject.bind}. */
  setsockname(address: string, port: number | string): Promise<Result<1>> {
    return this.bind(address, port);
  }

  /**
   * `master:listen([backlog])`: the master becomes a server.
   * @returns `[1, null]` or `[null, err]`
   */
  listen(backlog?: number | string): Promise<Result<1>> {
    const master = this.#master('listen');
    return master.listen(optInteger(backlog, 1, 'listen')).then((server) => {
      this[CORE] = { state: 'server', server };
      return this.#became(OK);
    }, failure);
  }

  /**
   * `object:connect(address, port)`: connects under the object's timeouts,
   * and the object becomes a client — even when the connect fails, as in
   * LuaSocket; a failed or closed client may connect again.
   *
   * A connect that times out goes on, as LuaSocket's non-blocking connect
   * does: `select` reports the object writable once it is connected (and
   * readable and writable if it failed), and the next `connect` answers
   * `[1, null]` the first time after success, `'already connected'` after
   * that, the error after a failure, and `'Operation already in progress'`
   * while it still runs. A receive or send in the meantime waits for it.
   *
   * @returns `[1, null]`, or `[null, err]` (`'connection refused'`, `'timeout'`, `'already connected'`, …)
   * @example Connecting without blocking, the Lua way
   * ```ts
   * import socket from 'luasocket-async/compat';
   *
   * const [c] = socket.tcp();
   * c!.settimeout(0);
   * const [ok, err] = await c!.connect('127.0.0.1', 8080);
   * if (ok === null && err === 'timeout') {
   *   const [, writable] = await socket.select(null, [c!], 5);
   *   if (writable.has(c!)) console.log(await c!.connect('127.0.0.1', 8080)); // [1, null], or the error
   * }
   * c!.close();
   * ```
   */
  connect(address: string, port: number | string): Promise<Result<1>> {
    const host = checkString(address, 1, 'connect');
    const p = checkPort(port, 2, 'connect');
    const core = this[CORE];
    if (!this[CLOSED] && core.state === 'client' && core.pending !== undefined) {
      return Promise.resolve(this.#report(core.pending, true));
    }
    if (!this[CLOSED] && isConnected(core))
      return Promise.resolve(failure(new SocketError('isconn')));
    const master = masterFor(core, this[CLOSED], this.#init);
    // The core bounds the connect by the object's timeouts, and keeps it going past them.
    applyTimeouts(master, this[TIMEOUTS]);
    const pending = connectFrom(master, host, p);
    this[CORE] = { state: 'client', client: undefined, master, pending };
    this[CLOSED] = false;
    void pending.settled.then(
      (outcome) => (this[CORE] = afterConnect(this[CORE], pending, outcome)),
    );
    const report = (): Result<1> => this.#report(pending, false);
    return pending.result.then(report, report);
  }

  /** `master:setpeername(address, port)`: LuaSocket's alias of {@link TcpObject.connect}. */
  setpeername(address: string, port: number | string): Promise<Result<1>> {
    return this.connect(address, port);
  }

  /** What a connect call answers about `pending` (see {@link connectAnswer}). */
  #report(pending: PendingConnect, again: boolean): Result<1> {
    if (this[CLOSED]) return failure(new SocketError('closed'));
    const [core, error] = connectAnswer(this[CORE], pending, again);
    this[CORE] = core;
    return error === undefined ? this.#became(OK) : failure(error);
  }

  /**
   * `server:accept()`: waits for a connection, under the server's timeouts.
   * @returns `[client, null]`, or `[null, err]` (`'timeout'`, `'closed'`)
   */
  accept(): Promise<Result<TcpObject>> {
    return this.#server('accept')
      .accept()
      .then((client): Result<TcpObject> => {
        // A connection has the family of the socket that accepted it, and shares its settings.
        return [new TcpObject({ state: 'client', client }, this.#init), null];
      }, failure);
  }

  /**
   * `client:receiveany([max])`: what has arrived, up to `max` bytes (65536),
   * waiting only when nothing has. Not in LuaSocket 3; OpenResty's name.
   * @returns like {@link TcpObject.receive}
   */
  receiveany(max?: number): Promise<ReceiveResult> {
    return receiveany(this.#stream('receiveany'), max);
  }

  /** `object:getfamily()`: `'inet4'` or `'inet6'`, LuaSocket 3's strings. */
  getfamily(): FamilyName {
    return this.#init.family === 'inet6' ? 'inet6' : 'inet4';
  }

  /**
   * `object:getsockname()`: the local address; the port is a number, as in
   * LuaSocket 3 (Debian's 3.1.0 gives a digit string, a bug fixed upstream).
   */
  getsockname(): SockNameResult {
    return sockname(() => this.#open().getsockname());
  }

  /** `object:getpeername()`: the peer's address; the port is a number, as in LuaSocket 3. */
  getpeername(): PeerNameResult {
    return peername(() => tcpPeer(this[CORE], this[CLOSED]));
  }

  /** `object:gettimeout()`: `[block, total]` as `settimeout` was given them, `-1` if never set. */
  gettimeout(): TimeoutsResult {
    return gettimeout(this[TIMEOUTS]);
  }

  /** `object:getoption(name)`: `[value, null]` or `[null, err]`. */
  getoption<K extends OptionName>(name: K): Result<OptionValues[K]> {
    return getoption('tcp', name, (n) => this.#open().getoption(n) as OptionValues[K]);
  }

  /**
   * @internal Gives the connection up (see {@link HAND_OVER}): the client,
   * or a promise of it while a connect is in progress, and the encoding of
   * the object's strings.
   * @throws TypeError on a master or server, as `wrap` wants a client
   */
  [HAND_OVER](method: string): [ClientRef, CompatEncoding] {
    const core = expectState(this[CORE], 'client', method);
    const { client, pending } = core;
    const encoding = this.#init.encoding;
    if (this[CLOSED]) return [undefined, encoding];
    this[CORE] = { state: 'client', client: undefined };
    if (pending === undefined || pending.outcome !== undefined) return [client, encoding];
    const later = pending.settled.then((outcome) =>
      'client' in outcome ? outcome.client : undefined,
    );
    return [later, encoding];
  }

  /** @internal For the shared methods: receives and sends wait for a connect in progress. */
  protected override [STREAM](method: string): ClientRef {
    return this.#stream(method);
  }

  /** @internal For the shared methods: the client of a client state, if it has one. */
  protected override [CLIENT](method: string): TcpClient<string> | undefined {
    return this.#client(method);
  }

  /** @internal For the shared methods: the encoding the object was made with. */
  protected override get [ENCODING](): CompatEncoding {
    return this.#init.encoding;
  }

  /** @internal For `setoption`: TCP's options. */
  protected override get [OPTIONS](): 'tcp' {
    return 'tcp';
  }

  /** Records the family the object ended up with after a bind, listen, connect or accept. */
  #became<T>(result: T): T {
    this.#init = settledInit(this.#init, () => this.#open());
    return result;
  }

  /** The core object to ask, when the object is open and has one. */
  #open(): Master | TcpServer<string> | TcpClient<string> {
    return openCore(this[CORE], this[CLOSED]);
  }

  #master(method: string): Master {
    return expectState(this[CORE], 'master', method).master;
  }

  #server(method: string): TcpServer<string> {
    return expectState(this[CORE], 'server', method).server;
  }

  /** The client a receive or send goes through; while a connect runs, once it has ended. */
  #stream(method: string): ClientRef {
    const core = expectState(this[CORE], 'client', method);
    // The usual case, no connect in progress: no closure for every receive.
    if (core.pending === undefined || core.pending.outcome !== undefined) return core.client;
    return streamOf(core, () => (this[CLOSED] ? undefined : this[CORE]));
  }

  #client(method: string): TcpClient<string> | undefined {
    return expectState(this[CORE], 'client', method).client;
  }
}
