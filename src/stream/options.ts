/**
 * Settings shared by the socket objects: the stream options and their
 * defaults, the stats shape, and the checks of `settimeout`, `shutdown` and
 * of numeric options. No I/O.
 *
 * @module
 */

import { codecFor, type Encoding } from './codec.js';
import { normalizeTimeout, type TimeoutMode, type TimeoutSettings } from '../time/timeout.js';
import type { WaitOptions } from '../time/wait.js';

/** Options of `receive`. */
export interface ReceiveOptions<T = string | Buffer> extends WaitOptions {
  /** Prepended to the result (and to the partial result on failure). */
  prefix?: T | string | Uint8Array | undefined;
}

/** Options that shape a stream socket's reads. */
export interface StreamOptions<E extends Encoding = Encoding> {
  /** How results are returned: `'utf8'` (default) and `'latin1'` strings, or `'buffer'`. */
  encoding?: E;
  /** Longest line `'*l'` accepts, in bytes (CRs included); default 1 MiB. `Infinity` for none. */
  maxLineLength?: number;
  /** Unread bytes above which the socket stops reading from the peer; default 256 KiB. */
  highWaterMark?: number;
}

/** Bytes moved by the program and the socket's age. */
export interface SocketStats {
  /** Bytes the program received (handed out by receives). */
  received: number;
  /** Bytes the program sent (handed to the system). */
  sent: number;
  /** Seconds since the socket was created. */
  age: number;
}

/** The default {@link StreamOptions.maxLineLength}. */
export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;
/** The default {@link StreamOptions.highWaterMark}. */
export const DEFAULT_HIGH_WATER_MARK = 256 * 1024;

/**
 * @internal Reads a positive integer option.
 * @throws RangeError when it is not one
 */
export function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 1)) {
    throw new RangeError(`Expected \`${name}\` to be a number >= 1, got \`${String(value)}\``);
  }
  return value;
}

/**
 * @internal The limits a stream socket's reader works with, defaults filled in.
 * @throws RangeError when one is not a number >= 1
 */
export function readLimits(options: StreamOptions): {
  maxLineLength: number;
  highWaterMark: number;
} {
  return {
    maxLineLength: positive(options.maxLineLength, 'maxLineLength', DEFAULT_MAX_LINE_LENGTH),
    highWaterMark: positive(options.highWaterMark, 'highWaterMark', DEFAULT_HIGH_WATER_MARK),
  };
}

/**
 * @internal Checks the stream options of a call that makes a socket
 * before it makes one: a bad `encoding` or limit found only once connected
 * would fail the call after the connection exists.
 * @throws TypeError / RangeError naming the option
 */
export function checkStreamOptions(options: StreamOptions): void {
  codecFor(options.encoding ?? 'utf8');
  readLimits(options);
}

/**
 * @internal Checks `shutdown`'s argument.
 * @throws TypeError for anything but 'both', 'send' or 'receive'
 */
export function checkShutdown(how: unknown): void {
  if (how !== 'both' && how !== 'send' && how !== 'receive') {
    throw new TypeError(
      `Expected \`how\` to be 'both', 'send' or 'receive', got \`${String(how)}\``,
    );
  }
}

/** @internal Applies `settimeout` to a settings record. */
export function setTimeouts(settings: TimeoutSettings, value: unknown, mode: unknown): void {
  const seconds = normalizeTimeout(value, 'value');
  if (mode === 'b') settings.block = seconds;
  else if (mode === 't' || mode === 'r') settings.total = seconds;
  else throw new TypeError(`Expected \`mode\` to be 'b' or 't', got \`${String(mode)}\``);
}

/**
 * @internal Gives `target` (what a master became: a client or a server)
 * the master's timeouts. In LuaSocket master, client and server are one
 * object in turn, so what `settimeout` set on the master still holds.
 */
export function inheritTimeouts<T extends { settimeout(value: number, mode: TimeoutMode): void }>(
  target: T,
  settings: Readonly<TimeoutSettings>,
): T {
  if (settings.block !== undefined) target.settimeout(settings.block, 'b');
  if (settings.total !== undefined) target.settimeout(settings.total, 't');
  return target;
}
