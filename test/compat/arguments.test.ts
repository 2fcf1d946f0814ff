import { describe, expect, it } from 'vitest';
import { checkOption, optString, receivePattern } from '../../compat/arguments.js';
import { hasLua } from '../helpers/lua.js';
import { luaOutcomes, type Outcome } from '../helpers/lua-raises.js';

const INVALID = "bad argument #1 to 'receive' (invalid receive pattern)";

/** What `run` threw: its class and message. */
function thrown(run: () => unknown): [string, string] | 'no throw' {
  try {
    run();
  } catch (err) {
    return [(err as Error).constructor.name, (err as Error).message];
  }
  return 'no throw';
}

describe('receivePattern', () => {
  it("receivePattern reads nil as a line and any string starting with '*l' or '*a' as LuaSocket 3.0 does", () => {
    expect(receivePattern(undefined)).toBe('*l');
    expect(receivePattern(null)).toBe('*l');
    for (const p of ['*l', '*line', '*lx']) expect(receivePattern(p)).toBe('*l');
    for (const p of ['*a', '*all', '*abc']) expect(receivePattern(p)).toBe('*a');
  });

  it('receivePattern takes counts as numbers and as Lua numeric strings, truncated', () => {
    expect(receivePattern(0)).toBe(0);
    expect(receivePattern(5)).toBe(5);
    expect(receivePattern('5')).toBe(5);
    expect(receivePattern(' 7 ')).toBe(7);
    expect(receivePattern('0x0A')).toBe(10);
    expect(receivePattern('3.9')).toBe(3);
    expect(receivePattern('1e1')).toBe(10);
    // A fractional number goes to the core as it is: the core truncates it.
    expect(Math.trunc(receivePattern(2.7) as number)).toBe(2);
  });

  it("receivePattern throws Lua's 'invalid receive pattern', a RangeError for a negative count", () => {
    for (const p of ['*x', 'l', 'a', '2x', '', '*', ' *l', 'inf', 'nan', '0x']) {
      expect(
        thrown(() => receivePattern(p)),
        JSON.stringify(p),
      ).toEqual(['TypeError', INVALID]);
    }
    for (const p of [-1, '-1', -0.5, Infinity, -Infinity, Number.NaN]) {
      expect(
        thrown(() => receivePattern(p)),
        String(p),
      ).toEqual(['RangeError', INVALID]);
    }
  });

  it("receivePattern throws Lua's 'string expected' for a pattern of another type", () => {
    expect(thrown(() => receivePattern(true))).toEqual([
      'TypeError',
      "bad argument #1 to 'receive' (string expected, got boolean)",
    ]);
    expect(thrown(() => receivePattern({}))).toEqual([
      'TypeError',
      "bad argument #1 to 'receive' (string expected, got table)",
    ]);
  });
});

describe('optString', () => {
  it('optString gives the fallback for nil, a string as it is, a number as Lua prints it', () => {
    expect(optString(undefined, 'b', 2, 'settimeout')).toBe('b');
    expect(optString(null, 'b', 2, 'settimeout')).toBe('b');
    expect(optString('t', 'b', 2, 'settimeout')).toBe('t');
    expect(optString('', 'b', 2, 'settimeout')).toBe('');
    expect(optString(12, 'b', 2, 'settimeout')).toBe('12');
    expect(optString(0.1, 'b', 2, 'settimeout')).toBe('0.1');
  });

  it("optString throws Lua's 'string expected' for another type, naming the argument", () => {
    expect(thrown(() => optString(true, 'b', 2, 'settimeout'))).toEqual([
      'TypeError',
      "bad argument #2 to 'settimeout' (string expected, got boolean)",
    ]);
    expect(thrown(() => optString([], 'x', 3, 'f'))).toEqual([
      'TypeError',
      "bad argument #3 to 'f' (string expected, got table)",
    ]);
  });
});

describe('checkOption', () => {
  const HOW = ['both', 'send', 'receive'] as const;

  it('checkOption returns one of the options, a number as its string, the fallback for nil', () => {
    expect(checkOption('send', HOW, 1, 'shutdown', 'both')).toBe('send');
    expect(checkOption(undefined, HOW, 1, 'shutdown', 'both')).toBe('both');
    expect(checkOption(null, HOW, 1, 'shutdown', 'both')).toBe('both');
    expect(checkOption(4, ['4', '6'] as const, 1, 'f')).toBe('4');
  });

  it("checkOption throws Lua's 'invalid option' for a value not among them, exact case", () => {
    for (const value of ['x', 'BOTH', 'sen', 'both ', 1]) {
      expect(thrown(() => checkOption(value, HOW, 1, 'shutdown', 'both'))).toEqual([
        'TypeError',
        `bad argument #1 to 'shutdown' (invalid option '${String(value)}')`,
      ]);
    }
  });

  it("checkOption without a fallback throws 'string expected' for nil, and for another type always", () => {
    expect(thrown(() => checkOption(undefined, HOW, 2, 'f'))).toEqual([
      'TypeError',
      "bad argument #2 to 'f' (string expected, got no value)",
    ]);
    expect(thrown(() => checkOption(null, HOW, 2, 'f'))).toEqual([
      'TypeError',
      "bad argument #2 to 'f' (string expected, got nil)",
    ]);
    expect(thrown(() => checkOption({}, HOW, 1, 'shutdown', 'both'))).toEqual([
      'TypeError',
      "bad argument #1 to 'shutdown' (string expected, got table)",
    ]);
  });
});

/** The bytes the Lua peer sends before each receive: a line, then more. */
const DATA = '0123456789\nABCDEFGHIJ';
const show = (s: string): string => s.replaceAll('\n', '|');

/** A pattern as a Lua literal. */
const lua = (p: string | number | undefined): string =>
  p === undefined ? 'nil' : typeof p === 'number' ? String(p) : JSON.stringify(p);

/**
 * One receive on raises.lua's client `c`, after its peer `a` sent DATA:
 * what was buffered before is drained first, and newlines are shown as `|`.
 */
const receiveRow = (p: string | number | undefined): string =>
  `(function() c:settimeout(0) c:receive('*a') a:send(${JSON.stringify(DATA)}) c:settimeout(0.05) ` +
  `local d, e, p = c:receive(${lua(p)}) return d and (d:gsub('\\n', '|')) or 'nil', e, p and (p:gsub('\\n', '|')) end)()`;

/** What that receive returns under the pattern compat reads, shown as raises.lua shows it. */
function expected(p: string | number | undefined): Outcome {
  let pattern;
  try {
    pattern = receivePattern(p);
  } catch (err) {
    return { raised: true, message: (err as Error).message };
  }
  if (pattern === '*a') return { raised: false, values: ['nil', 'timeout', show(DATA)] };
  const line =
    typeof pattern === 'number'
      ? DATA.slice(0, Math.trunc(pattern))
      : DATA.slice(0, DATA.indexOf('\n'));
  expect(typeof pattern === 'number' || pattern === '*l').toBe(true);
  return { raised: false, values: [show(line), 'nil', 'nil'] };
}

describe.skipIf(!hasLua)('the receive patterns against LuaSocket', () => {
  it('each pattern reads what it reads in lua5.4, and each refused one raises the same message', () => {
    // Not 0: LuaSocket waits there (lunarmodules/luasocket#427), compat does not.
    const patterns: (string | number | undefined)[] = [
      undefined,
      '*l',
      '*line',
      '*lx',
      '*a',
      '*all',
      '*abc',
      5,
      2.7,
      21,
      '5',
      ' 7 ',
      '0x0A',
      '3.9',
      '1e1',
      '+4',
      '.5e1',
      '12\t',
      '*x',
      'l',
      'a',
      '',
      '*',
      ' *l',
      '-1',
      -1,
      '0x',
      'inf',
    ];
    const outcomes = luaOutcomes(patterns.map(receiveRow));
    expect(outcomes).toEqual(patterns.map(expected));
  });

  it("shutdown's options are exact in lua5.4 too", () => {
    const values = ["'BOTH'", "'sen'", "'both '", "'x'", '1'];
    const outcomes = luaOutcomes(values.map((v) => `a:shutdown(${v})`));
    const mine = ['BOTH', 'sen', 'both ', 'x', 1].map((v): Outcome => {
      const t = thrown(() => checkOption(v, ['both', 'send', 'receive'], 1, 'shutdown', 'both'));
      return t === 'no throw' ? { raised: false, values: [] } : { raised: true, message: t[1] };
    });
    expect(outcomes).toEqual(mine);
  });
});
