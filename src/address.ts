/**
 * Addresses: validation, `'*'`, family names, and resolution in the
 * resolver's order (LuaSocket tries each resolved address in turn).
 *
 * @module
 */

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { toSocketError } from './errors.js';
import { describe } from './pattern.js';

/** LuaSocket's family names: `getsockname` says `'inet'` or `'inet6'`. */
export type Family = 'inet' | 'inet6';

/** A socket's address, as `getsockname`/`getpeername` give it. */
export interface SocketAddress {
  address: string;
  port: number;
  family: Family;
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
    throw new TypeError(`Expected \`${name}\` to be a host name or address, got \`${describe(host)}\``);
  }
  return host;
}

/**
 * @internal The addresses a host stands for, in the resolver's order.
 * `'*'` is the wildcard of the family (IPv4 unless `inet6` is asked for).
 *
 * @throws SocketError `noname` / `again` when the resolver fails
 */
export async function resolve(
  host: string,
  family?: Family,
  signal?: AbortSignal,
): Promise<ResolvedAddress[]> {
  if (host === '*') return [{ address: family === 'inet6' ? '::' : '0.0.0.0', family: family ?? 'inet' }];
  const literal = isIP(host);
  if (literal !== 0) {
    const found = literal === 6 ? 'inet6' : 'inet';
    if (family !== undefined && family !== found) {
      throw toSocketError(Object.assign(new Error('address family mismatch'), { code: 'EAI_FAMILY' }));
    }
    return [{ address: host, family: found }];
  }
  signal?.throwIfAborted();
  try {
    const found = await lookup(host, {
      all: true,
      family: family === 'inet6' ? 6 : family === 'inet' ? 4 : 0,
      verbatim: true,
    });
    signal?.throwIfAborted();
    return found.map((a) => ({ address: a.address, family: familyName(a.family) }));
  } catch (err) {
    if (signal?.aborted === true) throw signal.reason;
    throw toSocketError(err);
  }
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
