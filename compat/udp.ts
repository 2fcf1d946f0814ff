/**
 * LuaSocket's UDP object (`udp.c`): `udp{unconnected}` until `setpeername`
 * gives it a peer, `udp{connected}` until `setpeername('*')` takes it away.
 * Every method checks that class, as LuaSocket raises
 * `calling 'sendto' on bad self (udp{unconnected} expected)`, and delegates
 * to the core's {@link UdpSocket}.
 *
 * @module
 */

import {
  type Datagram,
  DATAGRAM_SIZE,
  type Family,
  type OptionName,
  type OptionValues,
  readiness,
  type Readiness,
  type Selectable,
  SocketError,
  udp as coreUdp,
  type UdpSocket,
} from '../src/index.js';
import { ipFamily, unsupported } from '../src/internal.js';
import { toBytes, type CompatEncoding } from './buffer.js';
import { failure, message, settle } from './errors.js';
import { noHost } from './host.js';
import { peername, sockname } from './inet.js';
import { checkNumber, checkPort, checkString, optNumber } from './lua.js';
import { getoption, setoption } from './options.js';
import { IGNORED } from './readiness.js';
import { applyTimeouts, gettimeout, settimeout, type LuaTimeouts } from './timeout.js';
import type {
  FamilyName,
  PeerNameResult,
  ReceiveFromResult,
  Result,
  SockNameResult,
  TimeoutsResult,
} from './tuples.js';

const OK: Result<1> = [1, null];

// Module-level, so that a receivefrom loop allocates no callbacks per datagram.
const received = ({ data, address, port }: Datagram<string>): ReceiveFromResult => [
  data,
  address,
  port,
];
const notReceived = (err: unknown): ReceiveFromResult => [null, message(err), null];

/** `sendto` takes numeric addresses only: LuaSocket's `gai_strerror` texts for the rest. */
const NO_NAME = 'Name or service not known';
const WRONG_FAMILY = 'Address family for hostname not supported';

/**
 * A LuaSocket UDP object, from `socket.udp()`, `socket.udp4()` or
 * `socket.udp6()`. Calls that can wait return a Promise of what the Lua call
 * returns; the others return it directly.
 *
 * @example LuaSocket's UDP echo, one round
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [server] = socket.udp();
 * await server!.setsockname('127.0.0.1', 0);
 * const [ip, port] = server!.getsockname();
 * const [client] = socket.udp();
 * client!.settimeout(1);
 * await client!.sendto('ping', ip!, port!);
 * const [dgram, from, fromPort] = await server!.receivefrom();
 * if (dgram !== null) await server!.sendto(dgram, from, fromPort);
 * console.log(await client!.receive()); // ['ping', null]
 * client!.close();
 * server!.close();
 * ```
 */
export class UdpObject implements Selectable {
  #core: UdpSocket<string> | undefined;
  #family: Family | undefined;
  #closed = false;
  readonly #encoding: CompatEncoding;
  readonly #timeouts: LuaTimeouts = { block: undefined, total: undefined };

  /** @internal Use `socket.udp()`, `socket.udp4()` or `socket.udp6()`. */
  constructor(family: Family | undefined, encoding: CompatEncoding) {
    this.#family = family;
    this.#encoding = encoding;
    // udp4()/udp6() know their family, so their socket can exist at once;
    // udp() waits for the first address to pick one, as LuaSocket does.
    if (family !== undefined) this.#create(family);
  }

  /**
   * The object's class, as LuaSocket's `tostring` starts: `'udp{unconnected}'`
   * or `'udp{connected}'`, and `'udp{closed}'` once closed (LuaSocket keeps
   * the old class there and appends the userdata's address).
   */
  toString(): string {
    return this.#closed ? 'udp{closed}' : `udp{${this.#connected() ? 'connected' : 'unconnected'}}`;
  }

  /**
   * `udp:setsockname(address, port)`: binds to a local address (`'*'` for
   * every interface, port 0 for any free port); names are resolved.
   *
   * @returns `[1, null]`, or `[null, err]` (`'address already in use'`,
   *   `'Invalid argument'` when bound already, …)
   * @throws TypeError on a connected object, or for bad arguments
   */
  setsockname(address: string, port: number | string): Promise<Result<1>> {
    this.#expect('setsockname', false);
    const host = checkString(address, 1, 'setsockname');
    const p = checkPort(port, 2, 'setsockname');
    if (host === '') return noHost();
    const core = this.#coreFor(host);
    if (core === undefined) return Promise.resolve(failure(new SocketError('closed')));
    return core.setsockname(host, p).then(() => OK, failure);
  }

  /**
   * `udp:setpeername(address, port)`: from now on the object sends to and
   * receives from that peer only (names are resolved), and becomes
   * `udp{connected}`; `setpeername('*')` makes it unconnected again.
   *
   * @returns `[1, null]`, or `[null, err]` (`'host or service not provided, or not known'`, …)
   * @throws TypeError for bad arguments
   */
  setpeername(address: string, port?: number | string): Promise<Result<1>> {
    const host = checkString(address, 1, 'setpeername');
    // The port of '*' is ignored, as LuaSocket reads it only to connect.
    const p = host === '*' ? 0 : checkPort(port, 2, 'setpeername');
    if (host === '*' && this.#core === undefined && !this.#closed) return Promise.resolve(OK);
    if (host === '') return noHost();
    const core = this.#coreFor(host);
    if (core === undefined) return Promise.resolve(failure(new SocketError('closed')));
    return core.setpeername(host, p).then(() => OK, failure);
  }

  /**
   * `udp:send(datagram)`: sends one datagram to the peer. Never waits for it.
   *
   * @returns `[bytes, null]` (the byte count, as LuaSocket 3 returns it), or
   *   `[null, err]` (`'connection refused'` after the peer's port turned out closed)
   * @throws TypeError on an unconnected object, or when `datagram` is not a
   *   string, number or Uint8Array, or a string with a character above U+00FF
   *   on a `'latin1'` object
   */
  send(datagram: string | number | Uint8Array): Promise<Result<number>> {
    this.#expect('send', true);
    const bytes = toBytes(datagram, this.#encoding, 1, 'send');
    const core = this.#core;
    if (core === undefined || this.#closed)
      return Promise.resolve(failure(new SocketError('closed')));
    return settle(core.send(bytes));
  }

  /**
   * `udp:sendto(datagram, ip, port)`: sends one datagram to `ip:port`,
   * binding an ephemeral port on first use. As in LuaSocket, `ip` must be
   * an IP address: a host name answers `'Name or service not known'` (resolve
   * it first with `socket.dns.toip`).
   *
   * @returns `[bytes, null]`, or `[null, err]`
   * @throws TypeError on a connected object, or for missing arguments
   */
  sendto(
    datagram: string | number | Uint8Array,
    ip: string,
    port: number | string,
  ): Promise<Result<number>> {
    this.#expect('sendto', false);
    const bytes = toBytes(datagram, this.#encoding, 1, 'sendto');
    const host = checkString(ip, 2, 'sendto');
    const service = checkString(port, 3, 'sendto');
    const family = ipFamily(host);
    const p = /^\s*\d+\s*$/.test(service) ? checkPort(service, 3, 'sendto') : undefined;
    if (family === undefined || p === undefined) return Promise.resolve([null, NO_NAME]);
    if (this.#family !== undefined && family !== this.#family) {
      return Promise.resolve([null, WRONG_FAMILY]);
    }
    const core = this.#coreFor(host);
    if (core === undefined) return Promise.resolve(failure(new SocketError('closed')));
    return settle(core.sendto(bytes, host, p));
  }

  /**
   * `udp:receive([size])`: the next datagram, cut to `size` bytes (default
   * 8192, `socket._DATAGRAMSIZE`); the rest of a longer datagram is lost.
   * Works connected (from the peer only) and unconnected (from anyone).
   *
   * @returns `[datagram, null]`, or `[null, err]` (`'timeout'`, `'closed'`, `'connection refused'`)
   * @throws TypeError when `size` is not a number; RangeError when negative
   */
  receive(size?: number | string | null): Promise<Result<string>> {
    const n = this.#size(size, 'receive');
    const core = this.#core;
    if (core === undefined || this.#closed)
      return Promise.resolve(failure(new SocketError('closed')));
    return settle(core.receive(n));
  }

  /**
   * `udp:receivefrom([size])`: the next datagram and its sender.
   *
   * @returns `[datagram, ip, port]`, or `[null, err, null]`
   * @throws TypeError on a connected object, or when `size` is not a number
   */
  receivefrom(size?: number | string | null): Promise<ReceiveFromResult> {
    this.#expect('receivefrom', false);
    const n = this.#size(size, 'receivefrom');
    const core = this.#core;
    if (core === undefined || this.#closed) return Promise.resolve([null, 'closed', null]);
    return core.receivefrom(n).then(received, notReceived);
  }

  /**
   * `udp:getsockname()`: the local address; the port is a number, as in
   * LuaSocket 3. Before the first bind or send: `'Bad file descriptor'`.
   */
  getsockname(): SockNameResult {
    return sockname(() => {
      if (this.#core === undefined)
        throw new SocketError('system', { message: 'Bad file descriptor' });
      return this.#core.getsockname();
    });
  }

  /**
   * `udp:getpeername()`: the peer's address; the port is a number.
   * @throws TypeError on an unconnected object
   */
  getpeername(): PeerNameResult {
    this.#expect('getpeername', true);
    return peername(() => this.#open().getpeername());
  }

  /**
   * `udp:settimeout(value[, mode])`: how long `receive` and `receivefrom`
   * wait, in seconds; `nil` or negative waits forever, `0` never waits.
   * @returns `1`
   */
  settimeout(value?: number | string | null, mode?: string | null): 1 {
    settimeout(this.#timeouts, value, mode);
    if (this.#core !== undefined) applyTimeouts(this.#core, this.#timeouts);
    return 1;
  }

  /** `udp:gettimeout()`: `[block, total]` as `settimeout` was given them, `-1` if never set. */
  gettimeout(): TimeoutsResult {
    return gettimeout(this.#timeouts);
  }

  /**
   * `udp:setoption(name, value)`: `broadcast`, `reuseaddr`, the multicast
   * options, `recv-buffer-size`, `send-buffer-size`, …; options Node.js cannot
   * set (`dontroute`, `reuseport`) answer `[null, '<name>: not supported …']`.
   * Like LuaSocket, a `socket.udp()` that has no socket yet answers
   * `'setsockopt failed'`. A buffer size is taken as LuaSocket's
   * `(int) lua_tonumber` takes it (a non-number or a missing value is 0: the
   * kernel's minimum), and waits for the bind if there is none yet.
   * @throws TypeError for an unknown name or a value of the wrong type
   */
  setoption<K extends OptionName>(name: K, value: OptionValues[K]): Result<1> {
    return setoption('udp', name, value, (n, v) =>
      this.#created('setsockopt failed').setoption(n, v),
    );
  }

  /**
   * `udp:getoption(name)`: `[value, null]` or `[null, err]`. A buffer size is
   * the kernel's (Linux reports twice the size set). One difference: before
   * the bind, a `socket.udp4()` or `udp6()` answers
   * `[null, '<name>: Node.js reads it from a bound socket only (bind first)']`
   * where LuaSocket reads its new descriptor: Node.js makes it at the bind.
   */
  getoption<K extends OptionName>(name: K): Result<OptionValues[K]> {
    const get = (n: OptionName): OptionValues[K] =>
      this.#created('getsockopt failed').getoption(n) as OptionValues[K];
    return getoption('udp', name, get);
  }

  /** `udp:close()`: closes the object; a pending receive ends with `'closed'`. @returns `1` */
  close(): 1 {
    this.#closed = true;
    this.#core?.close();
    return 1;
  }

  /** `udp:dirty()`: always false, as in LuaSocket (datagrams are not buffered in Lua). */
  dirty(): boolean {
    return false;
  }

  /** `udp:getfamily()`: `'inet4'` or `'inet6'`; `'inet4'` while `socket.udp()` has no socket yet. */
  getfamily(): FamilyName {
    return this.#family === 'inet6' ? 'inet6' : 'inet4';
  }

  /**
   * `udp:getfd()`: the OS descriptor, for display and comparison only; `-1`
   * when closed or before the socket exists (Node.js makes it at the first
   * bind or send).
   */
  getfd(): number {
    return this.#closed || this.#core === undefined ? -1 : this.#core.fd;
  }

  /**
   * `udp:setfd(fd)`: not possible under Node.js, which owns its descriptors.
   * @throws SocketError `unsupported`, always
   */
  setfd(fd: number): never {
    checkNumber(fd, 1, 'setfd');
    throw unsupported(
      'setfd',
      'not supported by Node.js (a socket cannot take another descriptor)',
    );
  }

  /** For `socket.select`: the core socket's readiness (a datagram waits; sends never wait). */
  get [readiness](): Readiness {
    return this.#closed ? IGNORED : (this.#core?.[readiness] ?? IGNORED);
  }

  #connected(): boolean {
    return this.#core?.connected ?? false;
  }

  /**
   * Checks the class for `method`, as `auxiliar_checkclass` does.
   * @throws TypeError `calling '<method>' on bad self (udp{<class>} expected)`
   */
  #expect(method: string, connected: boolean): void {
    if (this.#connected() !== connected) {
      const want = connected ? 'connected' : 'unconnected';
      throw new TypeError(`calling '${method}' on bad self (udp{${want}} expected)`);
    }
  }

  /** `luaL_optnumber` for a size, truncated; negative sizes are refused. */
  #size(size: unknown, method: string): number {
    const n = Math.trunc(optNumber(size, DATAGRAM_SIZE, 1, method));
    if (n < 0) throw new RangeError(`Expected \`size\` to be a number >= 0, got \`${n}\``);
    return n;
  }

  /** The core socket when there is one and the object is open; a closed object fails with `closed`. */
  #open(): UdpSocket<string> {
    if (this.#core === undefined || this.#closed) throw new SocketError('closed');
    return this.#core;
  }

  /** The core socket for an option call, or LuaSocket's answer before there is one. */
  #created(failed: string): UdpSocket<string> {
    if (this.#closed) throw new SocketError('closed');
    if (this.#core === undefined) throw new SocketError('system', { message: failed });
    return this.#core;
  }

  /** The core socket a call with `host` goes through, made on first use; undefined once closed. */
  #coreFor(host: string): UdpSocket<string> | undefined {
    if (this.#closed) return undefined;
    return this.#core ?? this.#create(ipFamily(host) ?? 'inet');
  }

  #create(family: Family): UdpSocket<string> {
    this.#family = family;
    const core = coreUdp<CompatEncoding>({ family, encoding: this.#encoding });
    applyTimeouts(core, this.#timeouts);
    return (this.#core = core);
  }
}
