import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, test, vi } from 'vitest';
import { clock } from '../../../src/time/clock.js';
import { gettime, sleep } from '../../../src/time/sleep.js';
import { settledYet, timers } from '../../helpers/leaks.js';
import { failOnTimeoutOverflow, HUGE, stillWaiting } from '../../helpers/long-waits.js';

failOnTimeoutOverflow();

describe('gettime', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gettime() is seconds since the epoch, with fractions', () => {
    const before = Date.now() / 1000;
    const t = gettime();
    const after = Date.now() / 1000;
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(after);
    vi.useFakeTimers({ now: 1_700_000_000_123 });
    try {
      expect(gettime()).toBe(1_700_000_000.123);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gettime() reads the wall clock through clock.wallSeconds', () => {
    vi.spyOn(clock, 'wallSeconds').mockReturnValue(1234.5);
    expect(gettime()).toBe(1234.5);
  });
});

describe('sleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sleep(seconds) resolves to undefined once the seconds have passed, not before', async () => {
    vi.useFakeTimers();
    const done = sleep(0.25);
    await vi.advanceTimersByTimeAsync(249);
    expect(await settledYet(done)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(done).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sleep(0), sleep(-1) and sleep(null) return after a turn of the timers, never synchronously', async () => {
    vi.useFakeTimers();
    for (const seconds of [0, -1, null as unknown as number, undefined as unknown as number]) {
      const done = sleep(seconds);
      expect(await settledYet(done)).toBe(false);
      await vi.advanceTimersByTimeAsync(0);
      await expect(done).resolves.toBeUndefined();
    }
  });

  it('sleep() throws a TypeError at once for a value that is not a number, naming `seconds`', () => {
    expect(() => sleep('1' as unknown as number)).toThrow(
      new TypeError("Expected `seconds` to be a number, null or undefined, got `'1'`"),
    );
    expect(() => sleep(Number.NaN)).toThrow(
      new TypeError('Expected `seconds` to be a number, null or undefined, got `NaN`'),
    );
  });

  it("sleep() with an already aborted signal rejects with the signal's reason and arms no timer", async () => {
    const before = timers();
    const reason = new Error('never mind');
    const done = sleep(10, { signal: AbortSignal.abort(reason) });
    expect(timers()).toBe(before);
    await expect(done).rejects.toBe(reason);
  });

  it('sleep() aborted while it waits rejects with the reason unchanged and clears its timer', async () => {
    const stop = new AbortController();
    const reason = { why: 'not an Error' };
    const done = sleep(10, { signal: stop.signal });
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
    stop.abort(reason);
    await expect(done).rejects.toBe(reason);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('sleep() that runs its course removes its abort listener from the signal', async () => {
    const stop = new AbortController();
    for (let i = 0; i < 20; i++) await sleep(0, { signal: stop.signal });
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    stop.abort();
  });

  test('sleep(1e7), sleep(Infinity) and sleep(1e300) wait until aborted', async () => {
    for (const seconds of [HUGE, Infinity, 1e300]) {
      const stop = new AbortController();
      const reason = new Error('stop');
      expect(
        await stillWaiting(sleep(seconds, { signal: stop.signal }), () => stop.abort(reason)),
      ).toBe(reason);
    }
  });
});
