/**
 * `socket.dns`: LuaSocket's resolver functions over the core's `dns`
 * module, with LuaSocket's result shapes and error strings. Like LuaSocket,
 * they take no timeout; the system resolver decides how long a lookup lasts.
 *
 * @module
 */

import { dns as core } from '../src/index.js';
import type { AddrInfo, HostInfo } from '../src/internal.js';
import { failure } from './errors.js';
import { checkString, luaType } from './lua.js';
import type { Result } from './tuples.js';

export type { AddrInfo, HostInfo };

/** `toip`/`tohostname`: the answer and LuaSocket's "resolved" table, or `[null, err]`. */
export type HostResult = [answer: string, resolved: HostInfo] | [answer: null, err: string];

/** `getnameinfo`: the names and the service name (`null` without a port), or `[null, err]`. */
export type NameInfoResult = [names: string[], service: string | null] | [names: null, err: string];

/**
 * `socket.dns.toip(host)`: the first IPv4 address of a host, and what the
 * resolver said about it. An IPv4 address is looked up in reverse, as
 * LuaSocket does.
 *
 * @returns `[ip, { name, alias, ip }]`, or `[null, 'host not found']`
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [ip, resolved] = await socket.dns.toip('localhost');
 * if (ip !== null) console.log(ip, resolved.name); // 127.0.0.1 localhost
 * ```
 */
export function toip(host: string | number): Promise<HostResult> {
  return core
    .gethost(checkString(host, 1, 'toip'))
    .then((info): HostResult => [info.ip[0] as string, info], failure);
}

/**
 * `socket.dns.tohostname(address)`: the official name of an IPv4 address
 * or a host name.
 *
 * @returns `[name, { name, alias, ip }]`, or `[null, 'host not found']`
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [name] = await socket.dns.tohostname('127.0.0.1'); // 'localhost'
 * ```
 */
export function tohostname(address: string | number): Promise<HostResult> {
  return core
    .gethost(checkString(address, 1, 'tohostname'))
    .then((info): HostResult => [info.name, info], failure);
}

/**
 * `socket.dns.gethostname()`: this machine's name.
 *
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * console.log(socket.dns.gethostname());
 * ```
 */
export function gethostname(): string {
  return core.gethostname();
}

/**
 * `socket.dns.getaddrinfo(host)`: every address of a host, both families.
 *
 * @returns `[[{ family: 'inet' | 'inet6', addr }, …], null]`, or
 *   `[null, 'host or service not provided, or not known']`
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [addrs, err] = await socket.dns.getaddrinfo('localhost');
 * if (err === null) for (const { family, addr } of addrs) console.log(family, addr);
 * ```
 */
export function getaddrinfo(host: string | number): Promise<Result<AddrInfo[]>> {
  return core
    .getaddrinfo(checkString(host, 1, 'getaddrinfo'))
    .then((list): Result<AddrInfo[]> => [list, null], failure);
}

/**
 * `socket.dns.getnameinfo(host[, port])`: one name per address of the host
 * (the address itself when it has none), and the port's service name.
 * Service names as ports (`'http'`) are not resolved here; use numbers.
 *
 * @returns `[names, service]` (`service` is `null` without a port), or `[null, err]`
 * @throws TypeError when both are missing, as LuaSocket raises
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [names, service] = await socket.dns.getnameinfo('127.0.0.1', 80); // ['localhost'], 'http'
 * ```
 */
export function getnameinfo(
  host?: string | number | null,
  port?: number | string | null,
): Promise<NameInfoResult> {
  const h = host === undefined || host === null ? undefined : checkString(host, 1, 'getnameinfo');
  let p: number | string | undefined;
  if (port === undefined || port === null) p = undefined;
  else if (typeof port === 'number') p = port;
  else if (typeof port === 'string') p = port;
  else
    throw new TypeError(`bad argument #2 to 'getnameinfo' (string expected, got ${luaType(port)})`);
  if (h === undefined && p === undefined) throw new TypeError('host and serv cannot be both nil');
  return core
    .getnameinfo(h, p)
    .then(({ names, service }): NameInfoResult => [names, service ?? null], failure);
}

/**
 * `socket.dns`, as one object.
 *
 * @example
 * ```ts
 * import { dns } from 'luasocket-async/compat';
 *
 * const [ip, err] = await dns.toip('localhost');
 * ```
 */
export const dns: DnsModule = Object.freeze({
  toip,
  tohostname,
  gethostname,
  getaddrinfo,
  getnameinfo,
});

/** The functions of `socket.dns`; each is the module-level function of the same name. */
export interface DnsModule {
  /** `socket.dns.toip(address)`: see {@link toip}. */
  readonly toip: typeof toip;
  /** `socket.dns.tohostname(address)`: see {@link tohostname}. */
  readonly tohostname: typeof tohostname;
  /** `socket.dns.gethostname()`: see {@link gethostname}. */
  readonly gethostname: typeof gethostname;
  /** `socket.dns.getaddrinfo(host)`: see {@link getaddrinfo}. */
  readonly getaddrinfo: typeof getaddrinfo;
  /** `socket.dns.getnameinfo(host, port)`: see {@link getnameinfo}. */
  readonly getnameinfo: typeof getnameinfo;
}
