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
  readiness,
  type Readiness,
  type Selectable,
  SocketError,
  type TcpClient,
  type TcpServer,
} from '../src/index.js';
import {
  getstats,
  receive,
  receiveany,
  send,
  setfd,
  setstats,
  shutdown,
  type ClientRef,
} from './buffer.js';
import { failure } from './errors.js';
import { resolvable } from './host.js';
import { peername, sockname, tcpPeer } from './inet.js';
import { checkPort, checkString, optInteger } from './lua.js';
import { getoption, setoption } from './options.js';
import {
  afterConnect,
  closeCore,
  connectAnswer,
  connectFrom,
  coreFd,
  expectState,
  isConnected,
  masterFor,
  openCore,
  readinessOf,
  settledInit,
  streamOf,
  timeoutTarget,
  type Master,
  type PendingConnect,
  type TcpCore,
  type TcpInit,
} from './tcp-state.js';
import { applyTimeouts, gettimeout, settimeout, type LuaTimeouts } from './timeout.js';
import type {
  FamilyName,
  PeerNameResult,
  ReceiveResult,
  Result,
  SendResult,
  SockNameResult,
  StatsResult,
  TimeoutsResult,
} from './tuples.js';

const OK: Result<1> = [1, null];
/** Shared by every object until its first `settimeout`, and never written. */
const NO_TIMEOUTS: LuaTimeouts = Object.freeze({ block: undefined, total: undefined });

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
export class TcpObject implements Selectable {
  #core: TcpCore;
  #closed = false;
  /** Never written, only replaced, so that accepted objects share their server's. */
  #init: Readonly<TcpInit>;
  #timeouts = NO_TIMEOUTS;

  /** @internal Use `socket.tcp()`, `socket.bind()`, `socket.connect()` or `accept()`. */
  constructor(core: TcpCore, init: TcpInit) {
    this.#core = core;
    this.#init = init;
  }

  /**
   * The object's class, as LuaSocket's `tostring` starts: `'tcp{master}'`,
   * `'tcp{server}'` or `'tcp{client}'`, and `'tcp{closed}'` once closed
   * (LuaSocket keeps the old class there and appends the userdata's address).
   */
  toString(): string {
    return this.#closed ? 'tcp{closed}' : `tcp{${this.#core.state}}`;
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
      this.#core = { state: 'server', server };
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
    const core = this.#core;
    if (!this.#closed && core.state === 'client' && core.pending !== undefined) {
      return Promise.resolve(this.#report(core.pending, true));
    }
    if (!this.#closed && isConnected(core))
      return Promise.resolve(failure(new SocketError('isconn')));
    const master = masterFor(core, this.#closed, this.#init);
    // The core bounds the connect by the object's timeouts, and keeps it going past them.
    applyTimeouts(master, this.#timeouts);
    const pending = connectFrom(master, host, p);
    this.#core = { state: 'client', client: undefined, master, pending };
    this.#closed = false;
    void pending.settled.then(
      (outcome) => (this.#core = afterConnect(this.#core, pending, outcome)),
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
    if (this.#closed) return failure(new SocketError('closed'));
    const [core, error] = connectAnswer(this.#core, pending, again);
    this.#core = core;
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
    return receive(this.#stream('receive'), pattern, prefix);
  }

  /**
   * `client:receiveany([max])`: what has arrived, up to `max` bytes (65536),
   * waiting only when nothing has. Not in LuaSocket 3; OpenResty's name.
   * @returns like {@link TcpObject.receive}
   */
  receiveany(max?: number): Promise<ReceiveResult> {
    return receiveany(this.#stream('receiveany'), max);
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
    return send(this.#stream('send'), this.#init.encoding, data, i, j);
  }

  /** `client:getstats()`: bytes received and sent by receive/send, and the age in seconds. */
  getstats(): StatsResult {
    return getstats(this.#client('getstats'));
  }

  /**
   * `client:setstats([received[, sent[, age]]])`: resets the counters; an
   * omitted value stays, counts are truncated as LuaSocket does.
   * @returns `1`
   */
  setstats(received?: number | null, sent?: number | null, age?: number | null): 1 {
    return setstats(this.#client('setstats'), received, sent, age);
  }

  /**
   * `client:shutdown([how])`: `'both'` (default), `'send'` (the peer sees
   * the end, reading goes on) or `'receive'`.
   * @returns `1`
   */
  shutdown(how: 'both' | 'send' | 'receive' = 'both'): 1 {
    return shutdown(this.#client('shutdown'), how);
  }

  /** `object:close()`: closes the object; pending calls end with `'closed'`. @returns `1` */
  close(): 1 {
    if (!this.#closed) closeCore(this.#core);
    this.#closed = true;
    return 1;
  }

  /** `object:dirty()`: true when received bytes wait in the buffer. */
  dirty(): boolean {
    const core = this.#core;
    return core.state === 'client' && core.client !== undefined && core.client.dirty();
  }

  /**
   * `object:getfd()`: the OS descriptor, for display and comparison only (Node.js
   * does the I/O); `-1` when closed or not yet created, as in LuaSocket.
   */
  getfd(): number {
    return this.#closed ? -1 : coreFd(this.#core);
  }

  /**
   * `object:setfd(fd)`: not possible under Node.js, which owns its descriptors.
   * @throws SocketError `unsupported`, always
   */
  setfd(fd: number): never {
    return setfd(fd);
  }

  /** For `socket.select`: the core server's or client's readiness (a master is ignored). */
  get [readiness](): Readiness {
    return readinessOf(this.#core, this.#closed);
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
    return peername(() => tcpPeer(this.#core, this.#closed));
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
    const target = timeoutTarget(this.#core);
    if (target !== undefined) applyTimeouts(target, this.#timeouts);
    return 1;
  }

  /** `object:gettimeout()`: `[block, total]` as `settimeout` was given them, `-1` if never set. */
  gettimeout(): TimeoutsResult {
    return gettimeout(this.#timeouts);
  }

  /**
   * `object:setoption(name, value)`. Options Node.js cannot set answer
   * `[null, '<name>: not supported …']`, never a silent success.
   * @throws TypeError with LuaSocket's text for a name TCP objects lack or a bad value
   */
  setoption<K extends OptionName>(name: K, value: OptionValues[K]): Result<1> {
    return setoption('tcp', name, value, (n, v) => this.#open().setoption(n, v));
  }

  /** `object:getoption(name)`: `[value, null]` or `[null, err]`. */
  getoption<K extends OptionName>(name: K): Result<OptionValues[K]> {
    return getoption('tcp', name, (n) => this.#open().getoption(n) as OptionValues[K]);
  }

  /** Records the family the object ended up with after a bind, listen, connect or accept. */
  #became<T>(result: T): T {
    this.#init = settledInit(this.#init, () => this.#open());
    return result;
  }

  /** The core object to ask, when the object is open and has one. */
  #open(): Master | TcpServer<string> | TcpClient<string> {
    return openCore(this.#core, this.#closed);
  }

  #master(method: string): Master {
    return expectState(this.#core, 'master', method).master;
  }

  #server(method: string): TcpServer<string> {
    return expectState(this.#core, 'server', method).server;
  }

  /** The client a receive or send goes through; while a connect runs, once it has ended. */
  #stream(method: string): ClientRef {
    return streamOf(expectState(this.#core, 'client', method), () =>
      this.#closed ? undefined : this.#core,
    );
  }

  #client(method: string): TcpClient<string> | undefined {
    return expectState(this.#core, 'client', method).client;
  }
}
