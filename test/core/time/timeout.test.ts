import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  isZeroTimeout,
  luaTimeouts,
  normalizeTimeout,
  waitDeadline,
} from '../../../src/time/timeout.js';

const none = { block: undefined, total: undefined };

describe('normalizeTimeout', () => {
  it('normalizeTimeout reads null, undefined and negatives as wait forever', () => {
    expect(normalizeTimeout(null)).toBeUndefined();
    expect(normalizeTimeout(undefined)).toBeUndefined();
    expect(normalizeTimeout(-1)).toBeUndefined();
    expect(normalizeTimeout(-0.001)).toBeUndefined();
    expect(normalizeTimeout(-Infinity)).toBeUndefined();
  });

  it('normalizeTimeout keeps zero, fractions and large values', () => {
    expect(normalizeTimeout(0)).toBe(0);
    expect(normalizeTimeout(0.25)).toBe(0.25);
    expect(normalizeTimeout(3)).toBe(3);
    expect(normalizeTimeout(86400)).toBe(86400);
  });

  it('normalizeTimeout throws TypeError for a non-number, naming the setting', () => {
    expect(() => normalizeTimeout('1')).toThrow(TypeError);
    expect(() => normalizeTimeout(NaN)).toThrow(TypeError);
    expect(() => normalizeTimeout({})).toThrow(TypeError);
    expect(() => normalizeTimeout(true, 'value')).toThrow(
      'Expected `value` to be a number, null or undefined, got `true`',
    );
    expect(() => normalizeTimeout('x')).toThrow('Expected `timeout` to be');
  });
});

describe('waitDeadline', () => {
  it('waitDeadline is Infinity when nothing is set', () => {
    expect(waitDeadline(none, undefined, 1000, 5000)).toBe(Infinity);
  });

  it('waitDeadline measures the block timeout from the last progress, as an idle timeout', () => {
    const settings = { block: 2, total: undefined };
    expect(waitDeadline(settings, undefined, 1000, 1000)).toBe(3000);
    expect(waitDeadline(settings, undefined, 1000, 2500)).toBe(4500);
    expect(waitDeadline(settings, undefined, 1000, 90_000)).toBe(92_000);
  });

  it('waitDeadline measures the total timeout from the start of the call', () => {
    const settings = { block: undefined, total: 2 };
    expect(waitDeadline(settings, undefined, 1000, 1000)).toBe(3000);
    expect(waitDeadline(settings, undefined, 1000, 2900)).toBe(3000);
  });

  it('waitDeadline measures the per-call timeout from the start of the call', () => {
    expect(waitDeadline(none, 0.5, 1000, 1400)).toBe(1500);
  });

  it('waitDeadline lets the earliest deadline win', () => {
    // Block expires first: idle since 1500.
    expect(waitDeadline({ block: 1, total: 10 }, 5, 1000, 1500)).toBe(2500);
    // Total expires first: progress keeps the block timeout away.
    expect(waitDeadline({ block: 1, total: 10 }, undefined, 1000, 10_500)).toBe(11_000);
    // The per-call timeout expires first.
    expect(waitDeadline({ block: 1, total: 10 }, 0.2, 1000, 1100)).toBe(1200);
  });

  it('waitDeadline treats a zero timeout as already due', () => {
    expect(waitDeadline({ block: 0, total: undefined }, undefined, 1000, 1000)).toBe(1000);
    expect(waitDeadline({ block: undefined, total: 0 }, undefined, 1000, 1200)).toBe(1000);
    expect(waitDeadline(none, 0, 1000, 1200)).toBe(1000);
  });

  it('waitDeadline is the minimum of every deadline that is set', () => {
    const seconds = fc.option(fc.double({ min: 0, max: 1e4, noNaN: true }), { nil: undefined });
    fc.assert(
      fc.property(
        seconds,
        seconds,
        seconds,
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (block, total, call, start, idle) => {
          const last = start + idle;
          const candidates = [
            block === undefined ? Infinity : last + block * 1000,
            total === undefined ? Infinity : start + total * 1000,
            call === undefined ? Infinity : start + call * 1000,
          ];
          expect(waitDeadline({ block, total }, call, start, last)).toBe(Math.min(...candidates));
        },
      ),
    );
  });
});

describe('isZeroTimeout', () => {
  it('isZeroTimeout is true when any of the timeouts is zero', () => {
    expect(isZeroTimeout({ block: 0, total: undefined }, undefined)).toBe(true);
    expect(isZeroTimeout({ block: undefined, total: 0 }, undefined)).toBe(true);
    expect(isZeroTimeout(none, 0)).toBe(true);
    expect(isZeroTimeout({ block: 5, total: 0 }, 3)).toBe(true);
  });

  it('isZeroTimeout is false for unset and positive timeouts', () => {
    expect(isZeroTimeout(none, undefined)).toBe(false);
    expect(isZeroTimeout({ block: 0.001, total: 1 }, 2)).toBe(false);
  });
});

describe('luaTimeouts', () => {
  it('luaTimeouts turns a lone block timeout into a total, as LuaSocket 3 measures it', () => {
    expect(luaTimeouts(2, undefined)).toEqual({ block: undefined, total: 2 });
    expect(luaTimeouts(0, undefined)).toEqual({ block: undefined, total: 0 });
  });

  it('luaTimeouts keeps both when both are set', () => {
    expect(luaTimeouts(2, 30)).toEqual({ block: 2, total: 30 });
    expect(luaTimeouts(0, 30)).toEqual({ block: 0, total: 30 });
  });

  it('luaTimeouts keeps a lone total and leaves nothing set as nothing', () => {
    expect(luaTimeouts(undefined, 30)).toEqual({ block: undefined, total: 30 });
    expect(luaTimeouts(undefined, undefined)).toEqual({ block: undefined, total: undefined });
  });

  it('luaTimeouts with a lone block timeout bounds the call however bytes trickle in', () => {
    const settings = luaTimeouts(2, undefined);
    // Progress at 1.9 s would restart an idle timeout; LuaSocket's does not restart.
    expect(waitDeadline(settings, undefined, 0, 1900)).toBe(2000);
  });
});
