/**
 * LuaSocket's module functions (`socket.tcp`, `socket.connect`,
 * `socket.bind`, `socket.gettime`, `socket.sleep`, the constants), over the
 * core's functions.
 *
 * @module
 */

import {
  bind as coreBind,
  connect as coreConnect,
  type Family,
  gettime as coreGettime,
  sleep as coreSleep,
} from '../src/index.js';
import { checkOption } from './arguments.js';
import { encodingOf, setDefaultEncoding, type CompatEncoding } from './buffer.js';
import { failure } from './errors.js';
import { resolvable } from './host.js';
import { checkNumber, checkPort, checkString } from './lua.js';
import { TcpObject } from './tcp.js';
import { newMaster, type TcpInit } from './tcp-state.js';
import type { Result } from './tuples.js';
import { UdpObject } from './udp.js';

/**
 * Options compat adds after LuaSocket's own arguments. `encoding: 'utf8'`
 * makes an object's strings UTF-8 text instead of Lua byte strings
 * (`'latin1'`, the default, or what {@link setencoding} chose); counts and
 * indices still count bytes.
 */
export interface CompatOptions {
  encoding?: CompatEncoding;
}

/**
 * `socket.setencoding(encoding)` (not in LuaSocket): the encoding of the
 * objects created from now on without an `{ encoding }` option — `'latin1'`
 * (Lua byte strings, the default) or `'utf8'` — so that a program whose
 * protocol is text switches once. Objects that exist keep theirs.
 *
 * @returns the encoding it replaces, to restore it later
 * @throws TypeError for another value
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * socket.setencoding('utf8'); // a chat protocol: every string is UTF-8 text
 * const [c] = await socket.connect('127.0.0.1', 6667);
 * await c?.send('café €\n'); // 10 bytes: é and € as UTF-8
 * ```
 */
export function setencoding(encoding: CompatEncoding): CompatEncoding {
  if (encoding !== 'latin1' && encoding !== 'utf8') {
    throw new TypeError(
      `Expected \`encoding\` to be 'latin1' or 'utf8', got \`${String(encoding)}\``,
    );
  }
  return setDefaultEncoding(encoding);
}

/** `_VERSION` as real LuaSocket 3.1.0 reports it (its version string was never bumped). */
export const _VERSION = 'LuaSocket 3.0.0';
/**
 * `_SETSIZE`: in LuaSocket, FD_SETSIZE, the most descriptors its `select`
 * takes (and no descriptor may be numbered higher). Compat's `select` has
 * no such limit — it watches objects, not descriptor sets, and 10,000
 * sockets work — so this is only LuaSocket's value, for programs that read it.
 */
export const _SETSIZE = 1024;
/** `_DATAGRAMSIZE`: the default size of a UDP `receive`, as in LuaSocket. */
export const _DATAGRAMSIZE = 8192;
/** `_SOCKETINVALID`: what `getfd()` returns for a closed object. */
export const _SOCKETINVALID = -1;

function make(
  family: Family | undefined,
  options: CompatOptions | undefined,
  where: string,
): Result<TcpObject> {
  const init: TcpInit = { encoding: encodingOf(options, where), family };
  return [new TcpObject({ state: 'master', master: newMaster(init) }, init), null];
}

/**
 * `socket.tcp()`: a master object, of the family its first `bind` or
 * `connect` picks (LuaSocket creates the descriptor lazily too).
 *
 * @returns `[master, null]` (LuaSocket's `[null, err]` cannot happen here)
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [master, err] = socket.tcp();
 * if (err === null) {
 *   await master.bind('127.0.0.1', 0);
 *   console.log(master.getsockname());
 *   master.close();
 * }
 * ```
 */
export function tcp(options?: CompatOptions): Result<TcpObject> {
  return make(undefined, options, 'socket.tcp()');
}

/**
 * `socket.tcp4()`: an IPv4 master object.
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [master] = socket.tcp4();
 * console.log(master?.getfamily()); // 'inet4'
 * ```
 */
export function tcp4(options?: CompatOptions): Result<TcpObject> {
  return make('inet', options, 'socket.tcp4()');
}

/**
 * `socket.tcp6()`: an IPv6 master object; as in LuaSocket, it accepts no
 * IPv4 peers unless `setoption('ipv6-v6only', false)` comes before `bind`.
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [master] = socket.tcp6();
 * console.log(master?.getfamily()); // 'inet6'
 * ```
 */
export function tcp6(options?: CompatOptions): Result<TcpObject> {
  return make('inet6', options, 'socket.tcp6()');
}

const FAMILIES: Readonly<Record<string, Family | undefined>> = {
  unspec: undefined,
  inet: 'inet',
  inet6: 'inet6',
};

/**
 * `socket.connect(address, port[, locaddr[, locport[, family]]])`: a client
 * connected to `address:port`, trying each address the name resolves to,
 * optionally from `locaddr:locport` (`locport` alone is ignored, as in
 * LuaSocket). `family` is `'inet'`, `'inet6'` or `'unspec'` (the default).
 *
 * @returns `[client, null]`, or `[null, err]` (`'connection refused'`,
 *   `'host or service not provided, or not known'`, …)
 * @throws TypeError / RangeError for bad arguments
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c, err] = await socket.connect('localhost', 8080);
 * if (c === null) console.error(err);
 * else c.close();
 * ```
 */
export function connect(
  address: string,
  port: number | string,
  locaddr?: string | null,
  locport?: number | string | null,
  family?: 'inet' | 'inet6' | 'unspec' | null,
  options?: CompatOptions,
): Promise<Result<TcpObject>> {
  const host = checkString(address, 1, 'connect');
  const p = checkPort(port, 2, 'connect');
  const local =
    locaddr === undefined || locaddr === null ? undefined : checkString(locaddr, 3, 'connect');
  const localPort =
    local === undefined || locport === undefined || locport === null
      ? 0
      : checkPort(locport, 4, 'connect');
  const fam =
    FAMILIES[checkOption(family, ['unspec', 'inet', 'inet6'] as const, 5, 'connect', 'unspec')];
  const encoding = encodingOf(options, 'socket.connect()');
  const settings = {
    encoding,
    maxLineLength: Infinity,
    ...(fam !== undefined && { family: fam }),
    ...(local !== undefined && { localAddress: local, localPort }),
  };
  const connecting = resolvable(() => coreConnect<CompatEncoding>(host, p, settings), host, local);
  return connecting.then((client): Result<TcpObject> => {
    const init = { encoding, family: client.getsockname().family };
    return [new TcpObject({ state: 'client', client }, init), null];
  }, failure);
}

/**
 * `socket.connect4(...)`: {@link connect} over IPv4 only.
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c] = await socket.connect4('localhost', 8080);
 * c?.close();
 * ```
 */
export function connect4(
  address: string,
  port: number | string,
  locaddr?: string | null,
  locport?: number | string | null,
): Promise<Result<TcpObject>> {
  return connect(address, port, locaddr, locport, 'inet');
}

/**
 * `socket.connect6(...)`: {@link connect} over IPv6 only.
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c] = await socket.connect6('::1', 8080);
 * c?.close();
 * ```
 */
export function connect6(
  address: string,
  port: number | string,
  locaddr?: string | null,
  locport?: number | string | null,
): Promise<Result<TcpObject>> {
  return connect(address, port, locaddr, locport, 'inet6');
}

/**
 * `socket.bind(address, port[, backlog])`: a server listening on
 * `address:port` (`'*'` for every IPv4 interface, port 0 for any free port),
 * trying each address the name resolves to. The backlog defaults to 32.
 * An IPv6 server takes no IPv4 peers, as in LuaSocket (IPV6_V6ONLY).
 *
 * @returns `[server, null]`, or `[null, err]` (`'address already in use'`, …)
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [server, err] = await socket.bind('*', 0);
 * if (server !== null) {
 *   const [ip, port] = server.getsockname();
 *   console.log(`listening on ${ip}:${port}`);
 *   server.close();
 * }
 * ```
 */
export function bind(
  address: string,
  port: number | string,
  backlog?: number | string | null,
  options?: CompatOptions,
): Promise<Result<TcpObject>> {
  // socket.bind is Lua code in LuaSocket: its errors name the calls it makes, and get nil.
  const host = checkString(address ?? null, 1, 'getaddrinfo');
  const p = checkPort(port ?? null, 2, 'bind');
  const size =
    backlog === undefined || backlog === null ? 32 : Math.trunc(checkNumber(backlog, 1, 'listen'));
  const encoding = encodingOf(options, 'socket.bind()');
  // IPV6_V6ONLY, as LuaSocket sets it on every IPv6 socket: '::' takes no IPv4 peers.
  const settings = { backlog: size, encoding, maxLineLength: Infinity, ipv6Only: true };
  return resolvable(() => coreBind<CompatEncoding>(host, p, settings), host).then(
    (server): Result<TcpObject> => {
      const init = { encoding, family: server.getsockname().family };
      return [new TcpObject({ state: 'server', server }, init), null];
    },
    failure,
  );
}

/**
 * `socket.gettime()`: seconds since the epoch, with fractions.
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const t0 = socket.gettime();
 * await socket.sleep(0.1);
 * console.log(socket.gettime() - t0 >= 0.1);
 * ```
 */
export function gettime(): number {
  return coreGettime();
}

/**
 * `socket.sleep(seconds)`: waits, letting the event loop run; zero or a
 * negative value returns at once (after a turn of the event loop).
 * @throws TypeError when `seconds` is not a number or numeric string
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * await socket.sleep(0.25);
 * ```
 */
export function sleep(seconds: number | string): Promise<void> {
  const s = checkNumber(seconds, 1, 'sleep');
  return coreSleep(s < 0 ? 0 : s);
}

/**
 * `socket.udp()`: an unconnected UDP object. As in LuaSocket, its family
 * is picked by the first address it is given (`setsockname`, `setpeername`
 * or `sendto`); until then `getfamily()` says `'inet4'`.
 *
 * @returns `[udp, null]` (LuaSocket's `[null, err]` cannot happen here)
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [u, err] = socket.udp();
 * if (u !== null) {
 *   await u.setsockname('*', 0);
 *   console.log(u.getsockname()); // ['0.0.0.0', <port>, 'inet']
 *   u.close();
 * }
 * ```
 */
export function udp(options?: CompatOptions): Result<UdpObject> {
  return [new UdpObject(undefined, encodingOf(options, 'socket.udp()')), null];
}

/**
 * `socket.udp4()`: an IPv4 UDP object.
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [u] = socket.udp4();
 * console.log(u?.getfamily()); // 'inet4'
 * ```
 */
export function udp4(options?: CompatOptions): Result<UdpObject> {
  return [new UdpObject('inet', encodingOf(options, 'socket.udp4()')), null];
}

/**
 * `socket.udp6()`: an IPv6 UDP object (IPV6_V6ONLY, as LuaSocket makes it).
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [u] = socket.udp6();
 * console.log(u?.getfamily()); // 'inet6'
 * ```
 */
export function udp6(options?: CompatOptions): Result<UdpObject> {
  return [new UdpObject('inet6', encodingOf(options, 'socket.udp6()')), null];
}
