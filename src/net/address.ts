/**
 * Addresses: validation, `'*'`, family names, and resolution in the
 * resolver's order (LuaSocket tries each resolved address in turn).
 *
 * @module
 */

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { withDeadline } from '../time/deadline.js';
import { toSocketError } from '../errors/socket-error.js';
import { describe } from '../errors/describe.js';
import type { WaitOptions } from '../time/wait.js';

/** LuaSocket's family names: `getsockname` says `'inet'` or `'inet6'`. */
export type Family = 'inet' | 'inet6';

/** A socket's address, as `getsockname`/`getpeername` give it. */
export interface SocketAddress {
  address: string;
  port: number;
  family: Family;
}

/**
 * A Unix domain socket's address, as `getsockname`/`getpeername` give it:
 * the socket file's path (`''` for an unnamed socket, such as the client end
 * of a connection), port 0, family `'unix'`. It is its own type, not a
 * {@link Family}, so that code written for IP addresses keeps its types.
 */
export interface UnixAddress {
  address: string;
  port: 0;
  family: 'unix';
}

/** One resolved address. */
export interface ResolvedAddress {
  address: string;
  family: Family;
}

/** @internal Converts Node's family (`'IPv4'`, `4`, …) to LuaSocket's name. */
export function familyName(family: string | number | undefined): Family {
  return family === 'IPv6' || family === 6 ? 'inet6' : 'inet';
}

/**
 * @internal Validates a port.
 * @throws TypeError when not a number (or numeric string), RangeError outside 0..65535
 */
export function checkPort(port: unknown, name = 'port'): number {
  const n = typeof port === 'string' && /^\s*\d+\s*$/.test(port) ? Number(port) : port;
  if (typeof n !== 'number' || Number.isNaN(n)) {
    throw new TypeError(`Expected \`${name}\` to be a number, got \`${describe(port)}\``);
  }
  if (n < 0 || n > 65535 || !Number.isFinite(n)) {
    throw new RangeError(`Expected \`${name}\` to be in 0..65535, got \`${n}\``);
  }
  return Math.trunc(n);
}

/**
 * @internal Validates a host argument.
 * @throws TypeError when not a non-empty string
 */
export function checkHost(host: unknown, name = 'address'): string {
  if (typeof host !== 'string' || host === '') {
    throw new TypeError(
      `Expected \`${name}\` to be a host name or address, got \`${describe(host)}\``,
    );
  }
  return host;
}

/**
 * @internal The family of an IP address literal, or undefined for anything
 * else (a host name, `'*'`). For callers that take numeric addresses only.
 */
export function ipFamily(host: string): Family | undefined {
  const kind = isIP(host);
  return kind === 4 ? 'inet' : kind === 6 ? 'inet6' : undefined;
}

/**
 * @internal The addresses a host stands for, in the resolver's order.
 * `'*'` is the wildcard of the family (IPv4 unless `inet6` is asked for).
 * The lookup is bounded by `options.timeout` and ends on `options.signal`.
 *
 * @throws SocketError `noname` / `again` when the resolver fails, `timeout`;
 *   the signal's reason on abort
 */
export async function resolve(
  host: string,
  family?: Family,
  options?: WaitOptions,
): Promise<ResolvedAddress[]> {
  if (host === '*')
    return [{ address: family === 'inet6' ? '::' : '0.0.0.0', family: family ?? 'inet' }];
  const literal = isIP(host);
  if (literal !== 0) {
    const found = literal === 6 ? 'inet6' : 'inet';
    if (family !== undefined && family !== found) {
      // LuaSocket's answer here is getaddrinfo's (EAI_ADDRFAMILY).
      throw toSocketError(
        Object.assign(new Error('Address family for hostname not supported'), {
          code: 'EAI_ADDRFAMILY',
        }),
      );
    }
    return [{ address: host, family: found }];
  }
  const found = await withDeadline(options, undefined, () =>
    lookup(host, {
      all: true,
      family: family === 'inet6' ? 6 : family === 'inet' ? 4 : 0,
      verbatim: true,
    }).catch((err: unknown) => {
      throw toSocketError(err);
    }),
  );
  return found.map((a) => ({ address: a.address, family: familyName(a.family) }));
}

/** @internal Node's `address()` result as LuaSocket's. */
export function addressOf(info: unknown): SocketAddress {
  const a = (info ?? {}) as { address?: string; port?: number; family?: string };
  return { address: a.address ?? '', port: a.port ?? 0, family: familyName(a.family) };
}

/**
 * @internal The OS file descriptor behind a Node.js socket or server, or -1.
 * Node.js keeps it on an internal handle; it is read defensively, for
 * display and for LuaSocket's `getfd`, never used for I/O.
 */
export function fdOf(handleOwner: object): number {
  const handle = (handleOwner as { _handle?: { fd?: unknown } | null })._handle;
  const fd = handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}
