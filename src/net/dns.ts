/**
 * Name resolution the LuaSocket way (`socket.dns`): `toip`, `tohostname`
 * (and `gethost`, the lookup behind both), `getaddrinfo`, `getnameinfo` and
 * `gethostname`, over `node:dns` lookups
 * (the system resolver, `/etc/hosts` included), with LuaSocket's messages.
 *
 * @module
 */

import { lookup, lookupService } from 'node:dns/promises';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { checkPort, familyName, type Family } from './address.js';
import { SocketError, toSocketError, type SocketErrorCode } from '../errors/socket-error.js';
import { describe } from '../errors/describe.js';
import { withDeadline as deadline } from '../time/deadline.js';
import type { WaitOptions } from '../time/wait.js';

/** The numbers-and-dots forms inet_aton accepts: 1 to 4 parts, decimal, octal or hex. */
const INET_ATON = /^(?:0x[0-9a-f]+|\d+)(?:\.(?:0x[0-9a-f]+|\d+)){0,3}$/i;

/** What `gethost` learns about a host: LuaSocket's "resolved" table. */
export interface HostInfo {
  /** The host's official name. */
  name: string;
  /** Other names; Node.js's resolver does not report them, so this is empty. */
  alias: string[];
  /** Its IPv4 addresses, in the resolver's order. */
  ip: string[];
}

/** One address of `getaddrinfo`, with LuaSocket's key names. */
export interface AddrInfo {
  family: Family;
  addr: string;
}

/** The answer of `getnameinfo`. */
export interface NameInfo {
  /** One name per address the host resolves to; the numeric address when it has no name. */
  names: string[];
  /** The service name of the port (`'http'` for 80), when a port was given. */
  service: string | undefined;
}

/** Options of the lookups: `timeout` (seconds) bounds the whole call, `signal` aborts it. */
export type DnsOptions = WaitOptions;

/**
 * Resolves a host the way LuaSocket's `toip`/`tohostname` do (`gethostbyname`,
 * or `gethostbyaddr` for an IPv4 address): IPv4 only.
 *
 * @param host - a host name or an IPv4 address (reverse lookup)
 * @param options - `timeout` (seconds) and `signal`
 * @returns the host's name and IPv4 addresses
 * @throws SocketError `hostnotfound` when nothing is found (an IPv6 address
 *   included), `again` on a temporary resolver failure, `timeout`; the
 *   signal's reason on abort; TypeError when `host` is not a string
 * @example Both directions
 * ```ts
 * import { dns } from 'luasocket-async';
 *
 * const byName = await dns.gethost('localhost');   // { name: 'localhost', alias: [], ip: ['127.0.0.1'] }
 * const byAddr = await dns.gethost('127.0.0.1', { timeout: 2 });
 * console.log(byName.ip[0], byAddr.name);
 * ```
 */
export function gethost(host: string, options?: DnsOptions): Promise<HostInfo> {
  checkName(host, 'host');
  return deadline(options, 'dns', async () => {
    // LuaSocket's inet_gethost: what inet_aton reads as an IPv4 address
    // ('127.0.0.1', but also '123' or '0x7f.1') is looked up in reverse.
    if (isIP(host) === 4 || INET_ATON.test(host)) {
      const [numeric] =
        isIP(host) === 4
          ? [{ address: host }]
          : await lookup(host, { family: 4, all: true }).catch(rethrow('hostnotfound'));
      const address = numeric?.address ?? host;
      const { hostname: name } = await lookupService(address, 0).catch(rethrow('hostnotfound'));
      return { name, alias: [], ip: [address] };
    }
    // gethostbyname knows IPv4 only; an IPv6 literal (which Node.js would
    // hand back as it is) or an empty name finds nothing.
    if (host === '' || isIP(host) === 6) throw new SocketError('hostnotfound');
    const found = await lookup(host, { family: 4, all: true }).catch(rethrow('hostnotfound'));
    if (found.length === 0) throw new SocketError('hostnotfound');
    return { name: host, alias: [], ip: found.map((a) => a.address) };
  });
}

/**
 * The first IPv4 address of a host (LuaSocket's `socket.dns.toip`).
 *
 * @throws SocketError `hostnotfound`, `again`, `timeout`; see {@link gethost}
 * @example
 * ```ts
 * import { dns } from 'luasocket-async';
 *
 * console.log(await dns.toip('localhost')); // '127.0.0.1'
 * ```
 */
export function toip(host: string, options?: DnsOptions): Promise<string> {
  return gethost(host, options).then((info) => info.ip[0] as string);
}

/**
 * The official name of a host or IPv4 address (LuaSocket's `socket.dns.tohostname`).
 *
 * @throws SocketError `hostnotfound` for an address without a name, `again`, `timeout`
 * @example
 * ```ts
 * import { dns } from 'luasocket-async';
 *
 * console.log(await dns.tohostname('127.0.0.1')); // 'localhost'
 * ```
 */
export function tohostname(address: string, options?: DnsOptions): Promise<string> {
  return gethost(address, options).then((info) => info.name);
}

/**
 * Every address a host resolves to, both families, in the resolver's order
 * (LuaSocket's `socket.dns.getaddrinfo`).
 *
 * @throws SocketError `noname` (`host or service not provided, or not known`),
 *   `again`, `timeout`; the signal's reason on abort
 * @example
 * ```ts
 * import { dns } from 'luasocket-async';
 *
 * for (const { family, addr } of await dns.getaddrinfo('localhost')) console.log(family, addr);
 * ```
 */
export function getaddrinfo(host: string, options?: DnsOptions): Promise<AddrInfo[]> {
  checkName(host, 'host');
  return deadline(options, 'dns', async () => {
    // '' would reach the resolver only with a deprecation warning; it names nothing.
    if (host === '') throw new SocketError('noname');
    const found = await lookup(host, { all: true, verbatim: true }).catch(rethrow('noname'));
    const seen = new Set<string>();
    const result: AddrInfo[] = [];
    for (const a of found) {
      const entry = { family: familyName(a.family), addr: a.address };
      const key = `${entry.family} ${entry.addr}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.push(entry);
    }
    if (result.length === 0) throw new SocketError('noname');
    return result;
  });
}

/**
 * The names of a host's addresses and the service name of a port
 * (LuaSocket's `socket.dns.getnameinfo`). An address without a name is
 * reported as the address itself, as `getnameinfo` does without `NI_NAMEREQD`.
 *
 * @param host - a host name or address; `undefined` to look up the port only
 * @param port - a port number (or numeric string), for the service name
 * @throws SocketError `noname`, `again`, `timeout`; TypeError when both are
 *   missing; RangeError for a port outside 0..65535
 * @example
 * ```ts
 * import { dns } from 'luasocket-async';
 *
 * const { names, service } = await dns.getnameinfo('127.0.0.1', 80); // ['localhost'], 'http'
 * ```
 */
export function getnameinfo(
  host: string | undefined,
  port?: number | string,
  options?: DnsOptions,
): Promise<NameInfo> {
  if (host === undefined && port === undefined) {
    throw new TypeError('Expected `host` or `port`, got neither');
  }
  if (host !== undefined) checkName(host, 'host');
  const p = port === undefined ? undefined : checkPort(port);
  return deadline(options, 'dns', async () => {
    if (host === undefined) {
      // As getaddrinfo(NULL, port) does: the service is named on loopback.
      const info = await lookupService('127.0.0.1', p ?? 0).catch(() => undefined);
      return { names: [], service: info?.service ?? String(p) };
    }
    if (host === '') throw new SocketError('noname');
    const found = await lookup(host, { all: true, verbatim: true }).catch(rethrow('noname'));
    const names: string[] = [];
    let service: string | undefined;
    for (const { address } of found) {
      const info = await lookupService(address, p ?? 0).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw toSocketError(err);
      });
      names.push(info?.hostname ?? address);
      if (p !== undefined) service = info?.service ?? String(p);
    }
    if (found.length === 0) throw new SocketError('noname');
    return { names, service };
  });
}

/**
 * This machine's host name (LuaSocket's `socket.dns.gethostname`).
 *
 * @example
 * ```ts
 * import { dns } from 'luasocket-async';
 *
 * console.log(dns.gethostname());
 * ```
 */
export function gethostname(): string {
  return hostname();
}

function checkName(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(`Expected \`${name}\` to be a string, got \`${describe(value)}\``);
  }
}

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'EAI_NODATA';
}

/** Maps "found nothing" to `code`, anything else through the core's table. */
function rethrow(code: SocketErrorCode): (err: unknown) => never {
  return (err) => {
    throw isNotFound(err) ? new SocketError(code, { cause: err }) : toSocketError(err);
  };
}
