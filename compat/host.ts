/**
 * LuaSocket's answer for an empty host. LuaSocket hands `''` to
 * `getaddrinfo`, which fails with EAI_NONAME, so `connect('', port)`,
 * `bind('', port)` and their UDP twins return
 * `nil, 'host or service not provided, or not known'`; the core refuses `''`
 * as a usage error (a TypeError) before any lookup. Compat answers as
 * LuaSocket, through the same failure path as a name that does not resolve.
 *
 * @internal
 * @module
 */

import { SocketError } from '../src/index.js';
import { failure } from './errors.js';

/**
 * Runs `call` (a call that resolves names), or fails as the lookup of an
 * empty host does when any of `hosts` is `''`.
 * @internal
 */
export function resolvable<T>(
  call: () => Promise<T>,
  ...hosts: (string | undefined)[]
): Promise<T> {
  return hosts.includes('') ? Promise.reject(new SocketError('noname')) : call();
}

/** The `[null, err]` a call answers for an empty host, for calls that check it first. @internal */
export function noHost(): Promise<[null, string]> {
  return Promise.resolve(failure(new SocketError('noname')));
}
