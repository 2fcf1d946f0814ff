/**
 * Lua's argument coercions, as LuaSocket's C functions apply them
 * (`luaL_checkstring`, `luaL_optnumber`): numbers where strings are wanted
 * become strings, numeric strings where numbers are wanted become numbers,
 * and anything else is a usage error, thrown as Lua raises it.
 *
 * @internal
 * @module
 */

/** Lua's numeral syntax (`lua_stringtonumber`): decimal with exponent, or hex. */
const DECIMAL = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;
const HEX = /^\s*([-+]?)0[xX]([0-9a-fA-F]+)\s*$/;

/** The name Lua gives a value's type in its error messages. */
export function luaType(value: unknown): string {
  if (value === undefined) return 'no value';
  if (value === null) return 'nil';
  if (typeof value === 'object') return 'table';
  if (typeof value === 'bigint') return 'number';
  return typeof value;
}

/**
 * `tostring` of a Lua number: integers as they are, other numbers as C's
 * `%.14g`, the format Lua 5.4 uses (`0.1`, `1e+20`, `0.33333333333333`).
 */
export function numberToString(n: number): string {
  if (Number.isSafeInteger(n)) return String(n);
  if (Number.isNaN(n)) return n > 0 ? 'nan' : '-nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const [mantissa = '0', exp = '0'] = n.toExponential(13).split('e');
  const x = Number(exp);
  if (x < -4 || x >= 14) {
    const digits = trimZeros(mantissa);
    const sign = x < 0 ? '-' : '+';
    return `${digits}e${sign}${String(Math.abs(x)).padStart(2, '0')}`;
  }
  return trimZeros(n.toFixed(Math.max(0, 13 - x)));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** `tonumber` of a string, as `lua_isnumber` accepts it; `undefined` when it is not one. */
export function stringToNumber(s: string): number | undefined {
  if (DECIMAL.test(s)) return Number(s.trim());
  const hex = HEX.exec(s);
  if (hex !== null) {
    const value = parseInt(hex[2] as string, 16);
    return hex[1] === '-' ? -value : value;
  }
  return undefined;
}

/**
 * `luaL_checkstring`: a string, or a number turned into one.
 * @throws TypeError `bad argument #n to 'fn' (string expected, got …)`
 */
export function checkString(value: unknown, arg: number, fn: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberToString(value);
  throw badArgument(arg, fn, `string expected, got ${luaType(value)}`);
}

/**
 * `luaL_optnumber`: `fallback` for nil, else a number or numeric string.
 * @throws TypeError `bad argument #n to 'fn' (number expected, got …)`
 */
export function optNumber(value: unknown, fallback: number, arg: number, fn: string): number {
  if (value === undefined || value === null) return fallback;
  return checkNumber(value, arg, fn);
}

/**
 * An optional integer (`(int) luaL_optnumber`): `undefined` for nil, else truncated.
 * @throws TypeError `bad argument #n to 'fn' (number expected, got …)`
 */
export function optInteger(value: unknown, arg: number, fn: string): number | undefined {
  return value === undefined || value === null
    ? undefined
    : Math.trunc(checkNumber(value, arg, fn));
}

/**
 * `luaL_checknumber`: a number or numeric string.
 * @throws TypeError `bad argument #n to 'fn' (number expected, got …)`
 */
export function checkNumber(value: unknown, arg: number, fn: string): number {
  if (typeof value === 'number') return value;
  const n = typeof value === 'string' ? stringToNumber(value) : undefined;
  if (n === undefined) throw badArgument(arg, fn, `number expected, got ${luaType(value)}`);
  return n;
}

/**
 * A port argument. Lua hands ports on as strings, so a numeric string is a
 * port too; service names (`'http'`) are not resolved here.
 * @throws TypeError for anything else (a RangeError comes from the core for 0..65535)
 */
export function checkPort(value: unknown, arg: number, fn: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  if (typeof value === 'string') {
    throw new TypeError(`Expected \`port\` to be a number or numeric string, got \`'${value}'\``);
  }
  throw badArgument(arg, fn, `string expected, got ${luaType(value)}`);
}

/** The usage error Lua raises for a bad argument, as a TypeError. */
export function badArgument(arg: number, fn: string, why: string): TypeError {
  return new TypeError(`bad argument #${arg} to '${fn}' (${why})`);
}
