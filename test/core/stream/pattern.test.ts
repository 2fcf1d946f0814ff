import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  countPattern,
  needed,
  neededFor,
  parsePattern,
  PREFIX_ONLY,
  UNTIL_CLOSE,
  UNTIL_LF,
} from '../../../src/stream/pattern.js';

const LINE = { kind: 'line' };
const ALL = { kind: 'all' };
const count = (n: number) => ({ kind: 'count', n });

describe('parsePattern', () => {
  it("parsePattern reads '*l', undefined and null as a line", () => {
    expect(parsePattern('*l')).toEqual(LINE);
    expect(parsePattern(undefined)).toEqual(LINE);
    expect(parsePattern(null)).toEqual(LINE);
  });

  it("parsePattern reads '*a' as everything", () => {
    expect(parsePattern('*a')).toEqual(ALL);
  });

  it("parsePattern takes Lua 5.3's 'l' and 'a' in the core", () => {
    expect(parsePattern('l')).toEqual(LINE);
    expect(parsePattern('a')).toEqual(ALL);
  });

  it('parsePattern reads numbers >= 0 as byte counts', () => {
    expect(parsePattern(0)).toEqual(count(0));
    expect(parsePattern(1)).toEqual(count(1));
    expect(parsePattern(65536)).toEqual(count(65536));
    expect(parsePattern(Number.MAX_SAFE_INTEGER)).toEqual(count(Number.MAX_SAFE_INTEGER));
  });

  it('parsePattern truncates a fractional count, as LuaSocket does', () => {
    expect(parsePattern(2.9)).toEqual(count(2));
    expect(parsePattern(0.5)).toEqual(count(0));
    expect(parsePattern(10.0001)).toEqual(count(10));
  });

  it('parsePattern throws RangeError for a negative, infinite or NaN count', () => {
    expect(() => parsePattern(-1)).toThrow(RangeError);
    expect(() => parsePattern(-0.5)).toThrow(RangeError);
    expect(() => parsePattern(Infinity)).toThrow(RangeError);
    expect(() => parsePattern(NaN)).toThrow(RangeError);
    expect(() => parsePattern(-1)).toThrow(
      'Expected `pattern` to be a finite number >= 0, got `-1`',
    );
  });

  it('parsePattern throws TypeError with a fixed message for an unknown pattern', () => {
    expect(() => parsePattern('*x')).toThrow(TypeError);
    expect(() => parsePattern('*x')).toThrow(
      "Expected `pattern` to be '*l', '*a' or a number >= 0, got `'*x'`",
    );
  });

  it('parsePattern refuses strings the core does not know', () => {
    for (const p of ['*line', '*all', '*', '', 'L', '*L', '*A', '10', ' *l', '*l ']) {
      expect(() => parsePattern(p), p).toThrow(TypeError);
    }
  });

  it('parsePattern refuses values of other types with TypeError', () => {
    expect(() => parsePattern(true)).toThrow('got `true`');
    expect(() => parsePattern({})).toThrow('got `[object Object]`');
    expect(() => parsePattern([])).toThrow('got `[object Array]`');
    expect(() => parsePattern(10n)).toThrow(TypeError);
    expect(() => parsePattern(Symbol('x'))).toThrow(TypeError);
  });

  it('parsePattern error messages start with a capital and have no trailing period', () => {
    for (const bad of ['*x', -1, {}]) {
      let message = '';
      try {
        parsePattern(bad);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/^[A-Z]/);
      expect(message).not.toMatch(/\.$/);
    }
  });
});

describe('parsePattern with lua = true', () => {
  it("parsePattern(lua) reads any string starting with '*l' as a line, as LuaSocket 3.0 does", () => {
    for (const p of ['*l', '*line', '*lines', '*l ', '*l*a']) {
      expect(parsePattern(p, true), p).toEqual(LINE);
    }
    expect(parsePattern(undefined, true)).toEqual(LINE);
    expect(parsePattern(null, true)).toEqual(LINE);
  });

  it("parsePattern(lua) reads any string starting with '*a' as everything", () => {
    for (const p of ['*a', '*all', '*anything', '*a*l']) {
      expect(parsePattern(p, true), p).toEqual(ALL);
    }
  });

  it('parsePattern(lua) reads numeric strings as counts, as lua_isnumber does', () => {
    expect(parsePattern('10', true)).toEqual(count(10));
    expect(parsePattern(' 2', true)).toEqual(count(2));
    expect(parsePattern('2 ', true)).toEqual(count(2));
    expect(parsePattern('\t2\n', true)).toEqual(count(2));
    expect(parsePattern('0x2', true)).toEqual(count(2));
    expect(parsePattern('0X1f', true)).toEqual(count(31));
    expect(parsePattern('+0x2', true)).toEqual(count(2));
    expect(parsePattern('+3', true)).toEqual(count(3));
    expect(parsePattern('2.9', true)).toEqual(count(2));
    expect(parsePattern('.5', true)).toEqual(count(0));
    expect(parsePattern('5.', true)).toEqual(count(5));
    expect(parsePattern('1e1', true)).toEqual(count(10));
    expect(parsePattern('0', true)).toEqual(count(0));
  });

  it('parsePattern(lua) still takes numbers', () => {
    expect(parsePattern(7, true)).toEqual(count(7));
    expect(parsePattern(7.5, true)).toEqual(count(7));
    expect(() => parsePattern(-1, true)).toThrow(RangeError);
  });

  it('parsePattern(lua) throws RangeError for a negative numeric string', () => {
    expect(() => parsePattern('-1', true)).toThrow(RangeError);
    expect(() => parsePattern('-0x2', true)).toThrow(RangeError);
    expect(() => parsePattern(' -3 ', true)).toThrow('got `-3`');
  });

  it("parsePattern(lua) refuses 'l' and 'a', as LuaSocket 3.0 does", () => {
    expect(() => parsePattern('l', true)).toThrow(TypeError);
    expect(() => parsePattern('a', true)).toThrow(TypeError);
    expect(() => parsePattern('a', true)).toThrow(
      "Expected `pattern` to be '*l', '*a' or a number >= 0, got `'a'`",
    );
  });

  it('parsePattern(lua) refuses strings that are not Lua numbers', () => {
    for (const p of [
      '2x',
      '*x',
      '*',
      '',
      ' ',
      'x2',
      '0x',
      '1e',
      'inf',
      'nan',
      '2 2',
      '\u00a02',
      '*L',
    ]) {
      expect(() => parsePattern(p, true), JSON.stringify(p)).toThrow(TypeError);
    }
  });
});

describe('needed and neededFor', () => {
  it('needed answers UNTIL_LF and UNTIL_CLOSE for lines and everything, whatever the prefix', () => {
    expect(needed('*l', 0)).toBe(UNTIL_LF);
    expect(needed(undefined, 3)).toBe(UNTIL_LF);
    expect(needed('*a', 5)).toBe(UNTIL_CLOSE);
  });

  it('needed counts the prefix towards a count; a prefix of n bytes or more is the result', () => {
    expect(needed(5, 0)).toBe(5);
    expect(needed(5, 2)).toBe(3);
    expect(needed(5, 5)).toBe(PREFIX_ONLY);
    expect(needed(5, 9)).toBe(PREFIX_ONLY);
    expect(needed(2.9, 1)).toBe(1);
  });

  it("needed(0) with no prefix still reads: receive(0) answers '' from the buffer", () => {
    expect(needed(0, 0)).toBe(0);
    expect(needed(0, 1)).toBe(PREFIX_ONLY);
  });

  it('needed throws as parsePattern for a bad pattern', () => {
    expect(() => needed(-1, 0)).toThrow(RangeError);
    expect(() => needed('*x', 0)).toThrow(TypeError);
  });

  it('neededFor a parsed pattern answers what needed answers for the pattern itself', () => {
    const pattern = fc.oneof(
      fc.constantFrom('*l', '*a', 'l', 'a', undefined),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
    );
    fc.assert(
      fc.property(pattern, fc.nat({ max: 2e6 }), (p, have) => {
        expect(neededFor(parsePattern(p), have)).toBe(needed(p, have));
      }),
    );
  });
});

describe('countPattern', () => {
  it('countPattern answers what parsePattern answers for a number', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), (n) => {
        expect(countPattern(n)).toEqual(parsePattern(n));
      }),
    );
  });

  it('countPattern shares the objects of small counts, which are immutable', () => {
    expect(countPattern(10)).toBe(countPattern(10.7));
    expect(countPattern(10)).toEqual({ kind: 'count', n: 10 });
    expect(countPattern(1e6)).toEqual({ kind: 'count', n: 1e6 });
  });

  it('countPattern throws RangeError for a negative, infinite or NaN count', () => {
    for (const bad of [-1, -0.5, Infinity, NaN])
      expect(() => countPattern(bad)).toThrow(RangeError);
  });
});
