import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_DELAY, startTimer } from '../../../src/time/timer.js';

describe('startTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('startTimer fires a short delay once, on time', () => {
    const fn = vi.fn();
    startTimer(fn, 100);
    vi.advanceTimersByTime(99);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('startTimer re-arms a delay above 2^31-1 ms and fires at its end, not after 1 ms', () => {
    const fn = vi.fn();
    const ms = 3 * MAX_TIMER_DELAY + 12_345;
    startTimer(fn, ms);
    vi.advanceTimersByTime(100);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MAX_TIMER_DELAY);
    expect(fn).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(ms - MAX_TIMER_DELAY - 101);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('startTimer waits 1e7 s (seconds × 1000 of a long sleep) in full', () => {
    const fn = vi.fn();
    startTimer(fn, 1e10);
    vi.advanceTimersByTime(1e10 - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('startTimer with Infinity keeps re-arming and never fires', () => {
    const fn = vi.fn();
    const timer = startTimer(fn, Infinity);
    vi.advanceTimersByTime(10 * MAX_TIMER_DELAY);
    expect(fn).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1);
    timer.cancel();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('startTimer.cancel() stops a chained timer between steps, and twice is harmless', () => {
    const fn = vi.fn();
    const timer = startTimer(fn, 2 * MAX_TIMER_DELAY);
    vi.advanceTimersByTime(MAX_TIMER_DELAY + 5);
    timer.cancel();
    timer.cancel();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(2 * MAX_TIMER_DELAY);
    expect(fn).not.toHaveBeenCalled();
  });

  it('startTimer fires a zero, negative or NaN delay on the next timer turn, not synchronously', () => {
    const fn = vi.fn();
    startTimer(fn, 0);
    startTimer(fn, -5);
    startTimer(fn, Number.NaN);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(fn).toHaveBeenCalledTimes(3);
  });
});
