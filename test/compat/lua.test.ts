import { describe, expect, it } from 'vitest';
import {
  checkNumber,
  checkPort,
  checkString,
  luaType,
  numberToString,
  stringToNumber,
} from '../../compat/lua.js';

describe('Lua coercions', () => {
  it.each([
    [3, '3'],
    [-7, '-7'],
    [0.1, '0.1'],
    [1.5, '1.5'],
    [1 / 3, '0.33333333333333'],
    [123.456, '123.456'],
    [1e20, '1e+20'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [-2.5e-10, '-2.5e-10'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ])('numberToString(%s) is Lua 5.4’s tostring: %s', (n, s) => {
    expect(numberToString(n)).toBe(s);
  });

  it.each([
    ['10', 10],
    [' 2', 2],
    ['0x2', 2],
    ['-0x10', -16],
    ['1e3', 1000],
    ['.5', 0.5],
    ['2x', undefined],
    ['', undefined],
    ['abc', undefined],
  ])('stringToNumber(%j) accepts what lua_isnumber accepts: %s', (s, n) => {
    expect(stringToNumber(s)).toBe(n);
  });

  it('checkString() turns numbers into strings and refuses the rest with Lua’s message', () => {
    expect(checkString('x', 1, 'f')).toBe('x');
    expect(checkString(12, 1, 'f')).toBe('12');
    expect(() => checkString(true, 2, 'f')).toThrow(
      "bad argument #2 to 'f' (string expected, got boolean)",
    );
    expect(() => checkString(null, 1, 'f')).toThrow('got nil');
    expect(() => checkString(undefined, 1, 'f')).toThrow('got no value');
  });

  it('checkNumber() and checkPort() take numeric strings', () => {
    expect(checkNumber('2.5', 1, 'f')).toBe(2.5);
    expect(() => checkNumber('x', 1, 'f')).toThrow(
      "bad argument #1 to 'f' (number expected, got string)",
    );
    expect(checkPort('8080', 2, 'f')).toBe(8080);
    expect(() => checkPort('http', 2, 'f')).toThrow(TypeError);
    expect(luaType({})).toBe('table');
  });
});
