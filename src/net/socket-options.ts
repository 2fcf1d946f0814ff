/**
 * Socket options by LuaSocket's names: which each object kind can set through
 * Node.js, and the honest "not supported" answer where it cannot.
 *
 * @module
 */

import { SocketError } from '../errors/socket-error.js';
import { describe } from '../errors/describe.js';

/** LuaSocket's `linger` value. */
export interface Linger {
  on: boolean;
  /** Seconds. */
  timeout: number;
}

/** LuaSocket's multicast membership value. */
export interface Membership {
  multiaddr: string;
  interface: string;
}

/** The value type of each option, by LuaSocket's name. */
export interface OptionValues {
  keepalive: boolean;
  linger: Linger;
  reuseaddr: boolean;
  reuseport: boolean;
  'tcp-nodelay': boolean;
  /** TCP_KEEPIDLE: seconds of silence before the first keepalive probe. */
  'tcp-keepidle': number;
  'tcp-keepcnt': number;
  'tcp-keepintvl': number;
  'tcp-defer-accept': number;
  'tcp-fastopen': number;
  'tcp-fastopen-connect': number;
  /**
   * SO_RCVBUF in bytes, 1..2147483647 (UDP only). Read back, it is what the
   * kernel reports: Linux doubles the size asked for (for its bookkeeping),
   * caps it at `net.core.rmem_max` (doubled) and raises it to a minimum of
   * its own, so 65536 reads back as 131072.
   */
  'recv-buffer-size': number;
  /** SO_SNDBUF in bytes, as `recv-buffer-size` (the cap is `net.core.wmem_max`). */
  'send-buffer-size': number;
  /** SO_ERROR, read only: the pending error, `null` for none. */
  error: string | null;
  'ipv6-v6only': boolean;
  broadcast: boolean;
  dontroute: boolean;
  'ip-multicast-loop': boolean;
  'ip-multicast-if': string;
  'ip-multicast-ttl': number;
  'ip-add-membership': Membership;
  'ip-drop-membership': Membership;
  'ipv6-unicast-hops': number;
  'ipv6-multicast-hops': number;
  'ipv6-multicast-loop': boolean;
  'ipv6-add-membership': Membership;
  'ipv6-drop-membership': Membership;
}

/** Every option name LuaSocket knows. */
export type OptionName = keyof OptionValues;

/** The option names in LuaSocket's tables (`tcp.c`, `udp.c`). */
export const OPTION_NAMES: readonly OptionName[] = [
  'keepalive',
  'linger',
  'reuseaddr',
  'reuseport',
  'tcp-nodelay',
  'tcp-keepidle',
  'tcp-keepcnt',
  'tcp-keepintvl',
  'tcp-defer-accept',
  'tcp-fastopen',
  'tcp-fastopen-connect',
  'recv-buffer-size',
  'send-buffer-size',
  'error',
  'ipv6-v6only',
  'broadcast',
  'dontroute',
  'ip-multicast-loop',
  'ip-multicast-if',
  'ip-multicast-ttl',
  'ip-add-membership',
  'ip-drop-membership',
  'ipv6-unicast-hops',
  'ipv6-multicast-hops',
  'ipv6-multicast-loop',
  'ipv6-add-membership',
  'ipv6-drop-membership',
];

/**
 * @internal How one object kind handles one option: `set` applies a checked
 * value (and may refuse it), `get` reports the value. A missing entry means
 * Node.js cannot do it for this kind.
 */
export interface OptionHandler<V> {
  readonly set?: (value: V) => void;
  readonly get?: () => V;
}

/** @internal An object kind's table of handlers. */
export type OptionTable = { readonly [K in OptionName]?: OptionHandler<OptionValues[K]> };

/** @internal The largest buffer size: setsockopt takes an `int`. */
export const MAX_BUFFER_SIZE = 2 ** 31 - 1;

/** @internal True for a buffer size Node.js can set: an integer 1..{@link MAX_BUFFER_SIZE}. */
export function isBufferSize(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_BUFFER_SIZE;
}

/** @internal The "not supported" failure, with the option's name first. */
export function unsupported(
  name: string,
  why = 'not supported by Node.js for this socket',
): SocketError {
  return new SocketError('unsupported', { message: `${name}: ${why}` });
}

/**
 * @internal Validates an option name and value against its type.
 * @throws TypeError for an unknown name or a value of the wrong type
 */
export function checkOption(
  name: unknown,
  value: unknown,
  setting: boolean,
): asserts name is OptionName {
  if (typeof name !== 'string' || !(OPTION_NAMES as readonly string[]).includes(name)) {
    throw new TypeError(`Expected \`name\` to be a socket option name, got \`${describe(name)}\``);
  }
  if (!setting) return;
  const bad = (what: string): never => {
    throw new TypeError(
      `Expected \`value\` of '${name}' to be ${what}, got \`${describe(value)}\``,
    );
  };
  switch (name as OptionName) {
    case 'linger': {
      const v = value as Partial<Linger> | null;
      if (
        typeof v !== 'object' ||
        v === null ||
        typeof v.on !== 'boolean' ||
        typeof v.timeout !== 'number'
      ) {
        bad('{ on: boolean, timeout: number }');
      }
      return;
    }
    case 'ip-add-membership':
    case 'ip-drop-membership':
    case 'ipv6-add-membership':
    case 'ipv6-drop-membership': {
      const v = value as Partial<Membership> | null;
      if (
        typeof v !== 'object' ||
        v === null ||
        typeof v.multiaddr !== 'string' ||
        typeof v.interface !== 'string'
      ) {
        bad('{ multiaddr: string, interface: string }');
      }
      return;
    }
    case 'ip-multicast-if':
      if (typeof value !== 'string') bad('an address string');
      return;
    case 'ip-multicast-ttl':
    case 'ipv6-unicast-hops':
    case 'ipv6-multicast-hops':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255)
        bad('an integer 0..255');
      return;
    case 'tcp-keepidle':
    case 'tcp-keepintvl':
      // Linux's bounds (MAX_TCP_KEEPIDLE): 0 would mean "leave it" to Node.js.
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 32767)
        bad('an integer 1..32767');
      return;
    case 'tcp-keepcnt':
    case 'tcp-defer-accept':
    case 'tcp-fastopen':
    case 'tcp-fastopen-connect':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
        bad('an integer >= 0');
      return;
    case 'recv-buffer-size':
    case 'send-buffer-size':
      // setsockopt takes an int, and Node.js reads the size instead of setting it when given 0.
      if (!isBufferSize(value)) bad(`an integer 1..${MAX_BUFFER_SIZE}`);
      return;
    case 'error':
      // Read only: no value makes a set of it succeed.
      return;
    default:
      if (typeof value !== 'boolean') bad('a boolean');
  }
}

/**
 * @internal Applies `setoption` through a table.
 * @throws SocketError `unsupported` where the table has no setter
 */
export function setOption(table: OptionTable, name: unknown, value: unknown): void {
  checkOption(name, value, true);
  const handler = table[name] as OptionHandler<unknown> | undefined;
  if (handler?.set === undefined) throw unsupported(name);
  handler.set(value);
}

/**
 * @internal Reads `getoption` through a table.
 * @throws SocketError `unsupported` where the table has no getter
 */
export function getOption(table: OptionTable, name: unknown): unknown {
  checkOption(name, undefined, false);
  const handler = table[name] as OptionHandler<unknown> | undefined;
  if (handler?.get === undefined) throw unsupported(name);
  return handler.get();
}
