/**
 * Receive patterns: validation and parsing, no I/O.
 *
 * @module
 */

import { describe } from '../errors/describe.js';

/**
 * What a receive reads: `'*l'` a line (the default), `'*a'` everything until
 * the peer closes, or a byte count (the prefix counts towards it). The core
 * also takes Lua 5.3's `'l'` and `'a'`.
 */
export type ReceivePattern = '*l' | '*a' | 'l' | 'a' | number;

/** @internal A validated pattern. */
export type ParsedPattern =
  | { readonly kind: 'line' }
  | { readonly kind: 'all' }
  | { readonly kind: 'count'; readonly n: number };

const LINE: ParsedPattern = { kind: 'line' };
const ALL: ParsedPattern = { kind: 'all' };

/** Lua's numeric-string syntax, as `lua_isnumber` accepts it for a pattern (C's `isspace` blanks only). */
const LUA_NUMBER =
  /^[\t\n\v\f\r ]*([-+]?)(0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)[\t\n\v\f\r ]*$/;

/**
 * @internal Validates a receive pattern.
 *
 * @param lua - LuaSocket 3.0's rules: any string starting with `*l` or `*a`,
 *   numeric strings as counts, and no `'l'`/`'a'`
 * @throws TypeError for an unknown pattern, RangeError for a negative count
 */
export function parsePattern(pattern: unknown, lua = false): ParsedPattern {
  if (pattern === undefined || pattern === null || pattern === '*l') return LINE;
  if (typeof pattern === 'number') return countPattern(pattern);
  if (typeof pattern === 'string') {
    if (pattern === '*a') return ALL;
    if (lua) {
      if (pattern.startsWith('*l')) return LINE;
      if (pattern.startsWith('*a')) return ALL;
      const number = LUA_NUMBER.exec(pattern);
      if (number !== null) {
        // The sign is applied apart: Number() refuses a signed hex string ('+0x2').
        const value = Number(number[2]);
        return countPattern(number[1] === '-' ? 0 - value : value);
      }
    } else {
      if (pattern === 'l') return LINE;
      if (pattern === 'a') return ALL;
    }
  }
  throw new TypeError(
    `Expected \`pattern\` to be '*l', '*a' or a number >= 0, got \`${describe(pattern)}\``,
  );
}

/** @internal What {@link needed} answers for a line, for everything, and for a prefix that is the whole result. */
export const UNTIL_LF = -1;
/** @internal See {@link UNTIL_LF}. */
export const UNTIL_CLOSE = -2;
/** @internal See {@link UNTIL_LF}. */
export const PREFIX_ONLY = -3;

/**
 * @internal The bytes a receive still needs after a prefix of `have` bytes
 * (the prefix counts towards a count), or {@link UNTIL_LF} / {@link UNTIL_CLOSE}, or
 * {@link PREFIX_ONLY} when the prefix alone is the result.
 * @throws TypeError / RangeError as {@link parsePattern}
 */
export function needed(pattern: unknown, have: number): number {
  let n: number;
  // Counts skip the parser: a small receive is on the hot path.
  if (typeof pattern === 'number' && pattern >= 0 && pattern !== Infinity) n = Math.trunc(pattern);
  else {
    const parsed = parsePattern(pattern);
    if (parsed.kind !== 'count') return parsed.kind === 'line' ? UNTIL_LF : UNTIL_CLOSE;
    n = parsed.n;
  }
  return remaining(n, have);
}

/** @internal {@link needed} for a pattern parsed already (by Lua's rules, say): no second parse. */
export function neededFor(parsed: ParsedPattern, have: number): number {
  if (parsed.kind !== 'count') return parsed.kind === 'line' ? UNTIL_LF : UNTIL_CLOSE;
  return remaining(parsed.n, have);
}

function remaining(n: number, have: number): number {
  return have >= n && have > 0 ? PREFIX_ONLY : n - have;
}

/**
 * Small counts are parsed to shared objects: compat parses its pattern on
 * every `receive(n)`, and there a fresh object per call is measurable.
 */
const SHARED_COUNTS = 1024;
const counts: (ParsedPattern | undefined)[] = new Array<undefined>(SHARED_COUNTS).fill(undefined);

/**
 * @internal A byte count as a pattern, truncated; the parser's answer for a
 * number, for callers that already know they hold one.
 * @throws RangeError for a negative, infinite or NaN count
 */
export function countPattern(n: number): ParsedPattern {
  if (!(n >= 0) || n === Infinity) {
    throw new RangeError(`Expected \`pattern\` to be a finite number >= 0, got \`${n}\``);
  }
  const whole = Math.trunc(n);
  if (whole >= SHARED_COUNTS) return { kind: 'count', n: whole };
  return (counts[whole] ??= { kind: 'count', n: whole });
}
