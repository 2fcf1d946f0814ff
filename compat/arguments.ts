/**
 * LuaSocket's argument checks that take more than one Lua coercion: the
 * receive pattern (`buffer.c`), `luaL_checkoption` (shutdown's `how`,
 * connect's family) and `luaL_optstring`. Each raises Lua's text, as
 * LuaSocket does, where the core would raise its own.
 *
 * @internal
 * @module
 */

import type { ReceivePattern } from '../src/index.js';
import { parsePattern } from '../src/internal.js';
import { badArgument, checkString, luaType } from './lua.js';

const INVALID_PATTERN = 'invalid receive pattern';

/**
 * `client:receive`'s pattern as the core takes it: `nil` a line, a number
 * or numeric string a count (truncated), a string starting `*l` or `*a`.
 * @throws TypeError `bad argument #1 to 'receive' (invalid receive pattern)`
 *   (a RangeError for a negative count), or `(string expected, got …)`
 */
export function receivePattern(pattern: unknown): ReceivePattern {
  // A count needs no parsing: a small receive is on the hot path.
  if (typeof pattern === 'number' && pattern >= 0 && pattern !== Infinity) return pattern;
  if (pattern !== undefined && pattern !== null && typeof pattern !== 'number')
    checkString(pattern, 1, 'receive');
  let parsed;
  try {
    parsed = parsePattern(pattern, true);
  } catch (err) {
    const Class = err instanceof RangeError ? RangeError : TypeError;
    throw new Class(badArgument(1, 'receive', INVALID_PATTERN).message);
  }
  return parsed.kind === 'line' ? '*l' : parsed.kind === 'all' ? '*a' : parsed.n;
}

/**
 * `luaL_optstring`: `fallback` for nil, a string, or a number as Lua prints it.
 * @throws TypeError `bad argument #n to 'fn' (string expected, got …)`
 */
export function optString(value: unknown, fallback: string, arg: number, fn: string): string {
  return value === undefined || value === null ? fallback : checkString(value, arg, fn);
}

/**
 * `luaL_checkoption`: one of `options` (a number is its string), or
 * `fallback` for nil when there is one.
 * @throws TypeError `bad argument #n to 'fn' (invalid option '<value>')`, or
 *   `(string expected, got …)` for another type
 */
export function checkOption<T extends string>(
  value: unknown,
  options: readonly T[],
  arg: number,
  fn: string,
  fallback?: T,
): T {
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  if (value === undefined || value === null)
    throw badArgument(arg, fn, `string expected, got ${luaType(value)}`);
  const s = checkString(value, arg, fn);
  if (!(options as readonly string[]).includes(s))
    throw badArgument(arg, fn, `invalid option '${s}'`);
  return s as T;
}
