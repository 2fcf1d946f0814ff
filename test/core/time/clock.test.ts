import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clock } from '../../../src/time/clock.js';
import { gettime, sleep } from '../../../src/time/sleep.js';
import { startTimer } from '../../../src/time/timer.js';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

/** Every `.ts` file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The code of a file, comments taken out (TSDoc examples may call setTimeout). */
function code(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

describe('clock', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('clock.now() is monotonic milliseconds on performance.now()’s scale', () => {
    const before = performance.now();
    let last = clock.now();
    for (let i = 0; i < 1000; i++) {
      const t = clock.now();
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
    const after = performance.now();
    expect(last).toBeGreaterThanOrEqual(before);
    expect(last).toBeLessThanOrEqual(after);
  });

  it('clock.wallSeconds() is Date.now() in seconds, fractions kept', () => {
    vi.useFakeTimers({ now: 86_400_250 });
    expect(clock.wallSeconds()).toBe(86_400.25);
    vi.setSystemTime(0);
    expect(clock.wallSeconds()).toBe(0);
  });

  it('clock.setTimeout() calls back once after the delay; clock.clearTimeout() cancels', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const cancelled = vi.fn();
    clock.setTimeout(fired, 50);
    const handle = clock.setTimeout(cancelled, 50);
    clock.clearTimeout(handle);
    vi.advanceTimersByTime(49);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(fired).toHaveBeenCalledTimes(1);
    expect(cancelled).not.toHaveBeenCalled();
  });

  it('clock is the seam: what a test puts on it, gettime, timers and sleep use', async () => {
    vi.spyOn(clock, 'wallSeconds').mockReturnValue(42.5);
    expect(gettime()).toBe(42.5);
    const armed: number[] = [];
    const realSetTimeout = clock.setTimeout;
    vi.spyOn(clock, 'setTimeout').mockImplementation((fn, ms) => {
      armed.push(ms);
      return realSetTimeout(fn, 0);
    });
    // The swapped clock fires at once, so a long sleep ends now: no real wait.
    await sleep(30);
    expect(armed).toEqual([30_000]);
    const clearing = vi.spyOn(clock, 'clearTimeout');
    startTimer(() => undefined, 5).cancel();
    expect(clearing).toHaveBeenCalledTimes(1);
  });

  it('no module of src/ reads the time or arms a timer but through clock', () => {
    const offenders = sources(SRC).flatMap((path) => {
      const name = relative(SRC, path);
      if (name === join('time', 'clock.ts')) return [];
      const found = code(path).match(
        /\bDate\.now\(|\bperformance\.now\(|(?<![\w.])set(?:Timeout|Interval|Immediate)\(|\bglobalThis\.set(?:Timeout|Interval|Immediate)\(|\bnew Date\(\)|'node:timers(?:\/promises)?'/g,
      );
      return found === null ? [] : [`${name}: ${found.join(', ')}`];
    });
    expect(sources(SRC).length).toBeGreaterThan(40);
    expect(offenders).toEqual([]);
  });
});
