/**
 * LuaSocket's `setoption`/`getoption` arguments (`options.c`), per object
 * kind: each kind has its own tables of names (`tcp.c`, `udp.c`,
 * `unixstream.c`; a TCP master, server and client share one), and a name
 * outside its kind's table raises, as LuaSocket does:
 * `bad argument #1 to 'setoption' (unsupported option `broadcast')`. A value
 * LuaSocket would refuse raises with LuaSocket's text too; a value it takes
 * is converted as LuaSocket converts it (numbers from numeric strings,
 * truncated), and handed to the core object.
 *
 * A name in the table that Node.js cannot act on is no usage error: the core
 * answers `[null, '<name>: not supported …']`.
 *
 * @internal
 * @module
 */

import { SocketError, type OptionName } from '../src/index.js';
import { ipFamily, MAX_BUFFER_SIZE } from '../src/internal.js';
import { failure } from './errors.js';
import { badArgument, checkString, luaType, stringToNumber } from './lua.js';
import type { Result } from './tuples.js';

/** The object kinds whose option tables differ. */
export type OptionKind = 'tcp' | 'udp' | 'unix';

/** The names each kind's `setoption` and `getoption` take, as LuaSocket 3.1's tables list them. */
export const OPTION_TABLES: Readonly<
  Record<OptionKind, { readonly set: readonly OptionName[]; readonly get: readonly OptionName[] }>
> = {
  tcp: {
    set: [
      'keepalive',
      'reuseaddr',
      'reuseport',
      'tcp-nodelay',
      'tcp-keepidle',
      'tcp-keepcnt',
      'tcp-keepintvl',
      'ipv6-v6only',
      'linger',
      'recv-buffer-size',
      'send-buffer-size',
      'tcp-defer-accept',
      'tcp-fastopen',
      'tcp-fastopen-connect',
    ],
    // No `ipv6-v6only` here: LuaSocket's TCP objects can set it but not read it.
    get: [
      'keepalive',
      'reuseaddr',
      'reuseport',
      'tcp-nodelay',
      'tcp-keepidle',
      'tcp-keepcnt',
      'tcp-keepintvl',
      'linger',
      'error',
      'recv-buffer-size',
      'send-buffer-size',
    ],
  },
  udp: {
    set: [
      'dontroute',
      'broadcast',
      'reuseaddr',
      'reuseport',
      'ip-multicast-if',
      'ip-multicast-ttl',
      'ip-multicast-loop',
      'ip-add-membership',
      'ip-drop-membership',
      'ipv6-unicast-hops',
      'ipv6-multicast-hops',
      'ipv6-multicast-loop',
      'ipv6-add-membership',
      'ipv6-drop-membership',
      'ipv6-v6only',
      'recv-buffer-size',
      'send-buffer-size',
    ],
    // No `ip-multicast-ttl` and no memberships: LuaSocket cannot read those back.
    get: [
      'dontroute',
      'broadcast',
      'reuseaddr',
      'reuseport',
      'ip-multicast-if',
      'ip-multicast-loop',
      'error',
      'ipv6-unicast-hops',
      'ipv6-multicast-hops',
      'ipv6-multicast-loop',
      'ipv6-v6only',
      'recv-buffer-size',
      'send-buffer-size',
    ],
  },
  unix: { set: ['keepalive', 'reuseaddr', 'linger'], get: [] },
};

/** Options set from an `int` (`opt_setint`), with the range the kernel takes. */
const INTEGER_RANGES: Readonly<Partial<Record<OptionName, readonly [number, number]>>> = {
  'tcp-keepidle': [1, 32767],
  'tcp-keepintvl': [1, 32767],
  'tcp-keepcnt': [1, 127],
  'ip-multicast-ttl': [0, 255],
  'ipv6-unicast-hops': [0, 255],
  'ipv6-multicast-hops': [0, 255],
  'tcp-defer-accept': [0, 2 ** 31 - 1],
  'tcp-fastopen': [0, 2 ** 31 - 1],
  'tcp-fastopen-connect': [0, 1],
};

/**
 * `(int) lua_tonumber(L, 3)` of a buffer size, as the kernel takes it. Lua
 * makes anything that is not a number 0 (a missing value, `true`, `'abc'`),
 * and Linux raises 0 to its minimum; Node.js cannot send 0 (it reads the size
 * when given 0), so 0 goes as 1, which Linux raises to the same minimum. A
 * negative int, or a number past an int (C's cast turns it negative), is
 * capped by Linux at `rmem_max` / `wmem_max`: it goes as the largest int,
 * which Linux caps alike. LuaSocket answers `1` to all of them, and so does
 * compat; the size read back afterwards is the same too.
 */
function bufferSize(value: unknown): number {
  const n = Math.trunc(toNumber(value) ?? 0);
  if (!(n >= 0 && n <= MAX_BUFFER_SIZE)) return MAX_BUFFER_SIZE;
  return n === 0 ? 1 : n;
}

const FN_SET = 'setoption';

/**
 * `luaL_checkstring` of the name, and the kind's table.
 * @throws TypeError `bad argument #1 to '<fn>' (unsupported option `<name>')`
 */
function optionName(kind: OptionKind, name: unknown, fn: 'setoption' | 'getoption'): OptionName {
  const n = checkString(name, 1, fn);
  const table = fn === FN_SET ? OPTION_TABLES[kind].set : OPTION_TABLES[kind].get;
  if (!(table as readonly string[]).includes(n)) {
    // LuaSocket prints at most 35 characters of the name (`%.35s`).
    throw badArgument(1, fn, `unsupported option \`${n.slice(0, 35)}'`);
  }
  return n as OptionName;
}

/** `lua_tonumber`: a number, or a numeric string's, else undefined. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? stringToNumber(value) : undefined;
}

/** `lua_isstring`: strings and numbers, the latter as Lua prints them. */
function field(table: Record<string, unknown>, key: string): string | undefined {
  const v = table[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** `luaL_checktype(L, 3, LUA_TTABLE)`. */
function checkTable(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) {
    throw badArgument(2, FN_SET, `table expected, got ${luaType(value)}`);
  }
  return value as Record<string, unknown>;
}

/** A `{ multiaddr, interface }` value, checked field by field in LuaSocket's order. */
function membership(name: OptionName, value: unknown): { multiaddr: string; interface: string } {
  const t = checkTable(value);
  const multiaddr = field(t, 'multiaddr');
  if (multiaddr === undefined) throw badArgument(2, FN_SET, "string 'multiaddr' field expected");
  if (ipFamily(multiaddr) === undefined)
    throw badArgument(2, FN_SET, "invalid 'multiaddr' ip address");
  const iface = field(t, 'interface');
  if (name.startsWith('ipv6-')) {
    // LuaSocket's IPv6 form takes an interface index, and says so with an odd argument number.
    if (iface === undefined) throw badArgument(-2, FN_SET, "number 'interface' field expected");
    return { multiaddr, interface: iface === '0' ? '*' : iface };
  }
  if (iface === undefined) throw badArgument(2, FN_SET, "string 'interface' field expected");
  if (iface !== '*' && ipFamily(iface) === undefined)
    throw badArgument(2, FN_SET, "invalid 'interface' ip address");
  return { multiaddr, interface: iface };
}

/**
 * The value LuaSocket's setter takes, converted, or `undefined` when the
 * setter would pass it to the kernel and fail (an integer out of range).
 * @throws TypeError with Lua's text where LuaSocket's setter raises
 */
function optionValue(name: OptionName, value: unknown): unknown {
  const range = INTEGER_RANGES[name];
  if (range !== undefined) {
    // `(int) lua_tonumber(L, 3)`: anything that is not a number becomes 0.
    const n = Math.trunc(toNumber(value) ?? 0);
    return n >= range[0] && n <= range[1] ? n : undefined;
  }
  switch (name) {
    case 'recv-buffer-size':
    case 'send-buffer-size':
      return bufferSize(value);
    case 'linger': {
      const t = checkTable(value);
      if (typeof t.on !== 'boolean') throw badArgument(2, FN_SET, "boolean 'on' field expected");
      const timeout = toNumber(t.timeout);
      if (timeout === undefined) throw badArgument(2, FN_SET, "number 'timeout' field expected");
      return { on: t.on, timeout: Math.trunc(timeout) };
    }
    case 'ip-multicast-if': {
      const ip = checkString(value, 2, FN_SET);
      if (ipFamily(ip) === undefined) throw badArgument(2, FN_SET, 'ip expected');
      return ip;
    }
    case 'ip-add-membership':
    case 'ip-drop-membership':
    case 'ipv6-add-membership':
    case 'ipv6-drop-membership':
      return membership(name, value);
    default:
      if (typeof value !== 'boolean')
        throw badArgument(2, FN_SET, `boolean expected, got ${luaType(value)}`);
      return value;
  }
}

/**
 * `object:setoption(name, value)` of a `kind` object: Lua's checks, then
 * `set` with the converted value.
 * @returns `[1, null]`, or `[null, err]` (`'setsockopt failed'` for a
 *   number the kernel would refuse, the core's failure otherwise)
 * @throws TypeError with LuaSocket's text for a name the kind lacks or a bad value
 */
export function setoption(
  kind: OptionKind,
  name: unknown,
  value: unknown,
  set: (name: OptionName, value: never) => void,
): Result<1> {
  const n = optionName(kind, name, 'setoption');
  const v = optionValue(n, value);
  if (v === undefined) return [null, 'setsockopt failed'];
  try {
    set(n, v as never);
    return [1, null];
  } catch (err) {
    return optionFailure(err, 'setsockopt failed');
  }
}

/** LuaSocket names no errno for an option the system refuses: it says which call failed. */
function optionFailure(err: unknown, refused: string): [null, string] {
  if (err instanceof SocketError && err.code === 'system') return [null, refused];
  return failure(err);
}

/**
 * `object:getoption(name)` of a `kind` object: the name checked, then `get`.
 * @returns `[value, null]` or `[null, err]`
 * @throws TypeError with LuaSocket's text for a name the kind lacks
 */
export function getoption<T>(
  kind: OptionKind,
  name: unknown,
  get: (name: OptionName) => T,
): Result<T> {
  const n = optionName(kind, name, 'getoption');
  try {
    return [get(n), null];
  } catch (err) {
    return optionFailure(err, 'getsockopt failed');
  }
}
