import { describe, expect, it, test } from 'vitest';
import {
  checkShutdown,
  DEFAULT_HIGH_WATER_MARK,
  DEFAULT_MAX_LINE_LENGTH,
  inheritTimeouts,
  positive,
  readLimits,
  setTimeouts,
} from '../../../src/stream/options.js';
import type { TimeoutMode, TimeoutSettings } from '../../../src/time/timeout.js';
import { loopback } from '../../helpers/loopback.js';

const unset = (): TimeoutSettings => ({ block: undefined, total: undefined });

describe('defaults', () => {
  it('a line may be 1 MiB long and 256 KiB may wait unread by default', () => {
    expect(DEFAULT_MAX_LINE_LENGTH).toBe(1_048_576);
    expect(DEFAULT_HIGH_WATER_MARK).toBe(262_144);
  });
});

describe('positive and readLimits', () => {
  it('positive gives the fallback for undefined and any number >= 1 as it is', () => {
    expect(positive(undefined, 'n', 7)).toBe(7);
    expect(positive(1, 'n', 7)).toBe(1);
    expect(positive(1.5, 'n', 7)).toBe(1.5);
    expect(positive(Infinity, 'n', 7)).toBe(Infinity);
  });

  it('positive throws a RangeError naming the option for anything below 1 or not a number', () => {
    expect(() => positive(0, 'maxLineLength', 7)).toThrow(
      new RangeError('Expected `maxLineLength` to be a number >= 1, got `0`'),
    );
    expect(() => positive(Number.NaN, 'n', 7)).toThrow('got `NaN`');
    expect(() => positive(-5, 'n', 7)).toThrow('got `-5`');
    expect(() => positive(0.5, 'n', 7)).toThrow(RangeError);
    expect(() => positive('5' as unknown as number, 'n', 7)).toThrow(
      new RangeError('Expected `n` to be a number >= 1, got `5`'),
    );
    expect(() => positive(null as unknown as number, 'n', 7)).toThrow('got `null`');
  });

  it('readLimits fills in the defaults and keeps what was given', () => {
    expect(readLimits({})).toEqual({
      maxLineLength: DEFAULT_MAX_LINE_LENGTH,
      highWaterMark: DEFAULT_HIGH_WATER_MARK,
    });
    expect(readLimits({ maxLineLength: Infinity, highWaterMark: 16 })).toEqual({
      maxLineLength: Infinity,
      highWaterMark: 16,
    });
    expect(readLimits({ encoding: 'buffer', highWaterMark: 1 })).toEqual({
      maxLineLength: DEFAULT_MAX_LINE_LENGTH,
      highWaterMark: 1,
    });
  });

  it('readLimits throws a RangeError naming the limit that is wrong', () => {
    expect(() => readLimits({ maxLineLength: 0 })).toThrow(/^Expected `maxLineLength`/);
    expect(() => readLimits({ highWaterMark: -1 })).toThrow(/^Expected `highWaterMark`/);
  });
});

describe('checkShutdown', () => {
  it("checkShutdown takes 'both', 'send' and 'receive'", () => {
    for (const how of ['both', 'send', 'receive']) expect(() => checkShutdown(how)).not.toThrow();
  });

  it('checkShutdown throws a TypeError for anything else', () => {
    expect(() => checkShutdown('read')).toThrow(
      new TypeError("Expected `how` to be 'both', 'send' or 'receive', got `read`"),
    );
    expect(() => checkShutdown(undefined)).toThrow('got `undefined`');
    expect(() => checkShutdown('SEND')).toThrow(TypeError);
  });
});

describe('setTimeouts', () => {
  it("setTimeouts sets the block timeout for 'b', the total for 't' and LuaSocket's 'r'", () => {
    const settings = unset();
    setTimeouts(settings, 2, 'b');
    expect(settings).toEqual({ block: 2, total: undefined });
    setTimeouts(settings, 0.5, 't');
    expect(settings).toEqual({ block: 2, total: 0.5 });
    setTimeouts(settings, 0, 'r');
    expect(settings).toEqual({ block: 2, total: 0 });
  });

  it('setTimeouts reads null, undefined and negative values as no timeout', () => {
    const settings: TimeoutSettings = { block: 1, total: 1 };
    setTimeouts(settings, null, 'b');
    setTimeouts(settings, -0.5, 't');
    expect(settings).toEqual({ block: undefined, total: undefined });
    setTimeouts(settings, 3, 'b');
    setTimeouts(settings, undefined, 'b');
    expect(settings.block).toBeUndefined();
  });

  it('setTimeouts throws a TypeError for a bad value or mode and changes nothing', () => {
    const settings: TimeoutSettings = { block: 1, total: 2 };
    expect(() => setTimeouts(settings, '1', 'b')).toThrow(
      new TypeError("Expected `value` to be a number, null or undefined, got `'1'`"),
    );
    expect(() => setTimeouts(settings, 5, 'x')).toThrow(
      new TypeError("Expected `mode` to be 'b' or 't', got `x`"),
    );
    expect(() => setTimeouts(settings, 5, undefined)).toThrow('got `undefined`');
    expect(() => setTimeouts(settings, 5, 'block')).toThrow(TypeError);
    expect(settings).toEqual({ block: 1, total: 2 });
  });

  test('settimeout() throws TypeError for a bad value or mode', async () => {
    await using lb = await loopback();
    expect(() => lb.client.settimeout('1' as unknown as number)).toThrow(TypeError);
    expect(() => lb.client.settimeout(1, 'x' as 'b')).toThrow(TypeError);
  });
});

describe('inheritTimeouts', () => {
  /** A target that records what it was told. */
  const recorder = (): {
    calls: [number, TimeoutMode][];
    settimeout(v: number, m: TimeoutMode): void;
  } => {
    const calls: [number, TimeoutMode][] = [];
    return { calls, settimeout: (value, mode) => void calls.push([value, mode]) };
  };

  it('inheritTimeouts passes on each timeout that is set, in its mode, and returns the target', () => {
    const both = recorder();
    expect(inheritTimeouts(both, { block: 0.25, total: 10 })).toBe(both);
    expect(both.calls).toEqual([
      [0.25, 'b'],
      [10, 't'],
    ]);
    const total = recorder();
    inheritTimeouts(total, { block: undefined, total: 0 });
    expect(total.calls).toEqual([[0, 't']]);
  });

  it('inheritTimeouts leaves a target alone when the master has no timeouts', () => {
    const none = recorder();
    inheritTimeouts(none, unset());
    expect(none.calls).toEqual([]);
  });

  it("inheritTimeouts gives a real client the master's settings", async () => {
    await using lb = await loopback();
    inheritTimeouts(lb.client, { block: 0.5, total: undefined });
    expect(lb.client.gettimeout()).toEqual({ block: 0.5, total: undefined });
    inheritTimeouts(lb.client, { block: undefined, total: 3 });
    expect(lb.client.gettimeout()).toEqual({ block: 0.5, total: 3 });
  });
});
