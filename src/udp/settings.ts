/**
 * What a UDP socket is created with and what it reports: its options, its
 * counters and LuaSocket's datagram size. No I/O.
 *
 * @module
 */

import { isIP } from 'node:net';
import type { Family } from '../net/address.js';
import type { Encoding } from '../stream/codec.js';
import { describe } from '../errors/describe.js';

/** LuaSocket's default (and documented maximum) datagram size for `receive`. */
export const DATAGRAM_SIZE = 8192;

/**
 * Options of {@link udp}.
 *
 * @example A receiver that can take a burst while the program is busy
 * ```ts
 * import { udp } from 'luasocket-async';
 *
 * const u = udp({ rcvbuf: 4 * 1024 * 1024, queueLimit: 20_000 });
 * await u.setsockname('127.0.0.1', 0);
 * // Linux reports double what was asked, capped at net.core.rmem_max (doubled).
 * console.log(u.getoption('recv-buffer-size')); // 8388608 where rmem_max is 4194304
 * u.close();
 * ```
 */
export interface UdpOptions<E extends Encoding = 'utf8'> {
  /** `'inet'` (default) or `'inet6'` (created with `ipv6-v6only` on, as LuaSocket does). */
  family?: Family;
  /** How datagrams are returned: `'utf8'` (default), `'latin1'` or `'buffer'`. */
  encoding?: E;
  /**
   * Datagrams kept unread (default 1024). When the queue is full the newest
   * datagram is dropped — as a full kernel buffer does — and counted in
   * `getstats().dropped`.
   */
  queueLimit?: number;
  /**
   * The kernel's receive buffer (SO_RCVBUF) to ask for, in bytes
   * (1..2147483647): datagrams that arrive while the program is busy wait
   * there, and past it the kernel drops them. Node.js sets it only on a
   * bound socket, so it is applied at the bind (`setsockname`, `setpeername`
   * or the first `sendto`), as `setoption('recv-buffer-size', n)` before it
   * would be. `getoption('recv-buffer-size')` then reports what the kernel
   * made of it: Linux doubles it, caps it at twice `net.core.rmem_max` and
   * raises it to its own minimum. Default: the system's
   * (`net.core.rmem_default`).
   */
  rcvbuf?: number;
  /**
   * The kernel's send buffer (SO_SNDBUF) to ask for, in bytes, as
   * {@link UdpOptions.rcvbuf} (`send-buffer-size`; the cap is
   * `net.core.wmem_max`).
   */
  sndbuf?: number;
}

/** @internal The keys of {@link UdpOptions}. */
export const UDP_KEYS: readonly string[] = ['family', 'encoding', 'queueLimit', 'rcvbuf', 'sndbuf'];

/** Datagram counters of a UDP socket. */
export interface UdpStats {
  /** Bytes of the datagrams the program received. */
  received: number;
  /** Bytes of the datagrams the program sent. */
  sent: number;
  /** Datagrams dropped because the queue was full. */
  dropped: number;
  /** Seconds since the socket was created. */
  age: number;
}

/**
 * @internal Validates a receive size; a fractional size is truncated.
 * @throws TypeError when not a number, RangeError when negative
 */
export function checkSize(size: unknown): number {
  if (typeof size !== 'number') {
    throw new TypeError(`Expected \`size\` to be a number, got \`${describe(size)}\``);
  }
  if (!(size >= 0)) {
    throw new RangeError(`Expected \`size\` to be a number >= 0, got \`${describe(size)}\``);
  }
  return Math.trunc(size);
}

/**
 * @internal Validates the address of `sendto`: an IP address, never a host
 * name (LuaSocket's rule, "for performance reasons").
 * @throws TypeError otherwise
 */
export function checkIp(ip: unknown): string {
  if (typeof ip !== 'string' || isIP(ip) === 0) {
    throw new TypeError(
      `Expected \`ip\` to be an IP address (sendto takes no host names), got \`${describe(ip)}\``,
    );
  }
  return ip;
}

/**
 * @internal The usage check of LuaSocket's UDP classes: `method` needs a
 * connected (or an unconnected) socket. A closed socket is not refused here:
 * it answers `closed` later, as a rejection.
 * @throws TypeError when the socket is in the other mode
 */
export function checkMode(connected: boolean, wanted: boolean, method: string): void {
  if (connected !== wanted) {
    const want = wanted ? 'connected' : 'unconnected';
    throw new TypeError(`Expected an ${want} UDP socket for \`${method}\` (see setpeername)`);
  }
}
