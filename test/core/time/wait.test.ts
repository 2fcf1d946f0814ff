import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { getEventListeners } from 'node:events';
import { setImmediate as turn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { clock } from '../../../src/time/clock.js';
import { checkWaitOptions, mayEnd, Wait, type WaitEnd } from '../../../src/time/wait.js';
import type { TimeoutSettings } from '../../../src/time/timeout.js';

const settings = (block?: number, total?: number): TimeoutSettings => ({ block, total });

/** A Wait whose end is recorded, for tests to inspect. */
function track(s: TimeoutSettings, options?: ConstructorParameters<typeof Wait>[1]) {
  const ends: WaitEnd[] = [];
  const wait = new Wait(s, options, (end) => ends.push(end));
  return { wait, ends };
}

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

describe('Wait', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('Wait ends with timeout once the block timeout passes without progress', () => {
    const { ends } = track(settings(1));
    vi.advanceTimersByTime(990);
    expect(ends).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(ends).toEqual([{ kind: 'timeout' }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('Wait restarts the block timeout on progress()', () => {
    const { wait, ends } = track(settings(1));
    vi.advanceTimersByTime(800);
    wait.progress();
    vi.advanceTimersByTime(800);
    wait.progress();
    vi.advanceTimersByTime(800);
    // 2.4 s in, but never idle for 1 s.
    expect(ends).toEqual([]);
    vi.advanceTimersByTime(180);
    expect(ends).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(ends).toEqual([{ kind: 'timeout' }]);
  });

  it('Wait does not restart the total timeout on progress()', () => {
    const { wait, ends } = track(settings(undefined, 1));
    vi.advanceTimersByTime(800);
    wait.progress();
    vi.advanceTimersByTime(180);
    wait.progress();
    expect(ends).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(ends).toEqual([{ kind: 'timeout' }]);
  });

  it('Wait bounds the call by the per-call timeout, which progress() does not restart', () => {
    const { wait, ends } = track(settings(), { timeout: 0.5 });
    vi.advanceTimersByTime(400);
    wait.progress();
    vi.advanceTimersByTime(80);
    expect(ends).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(ends).toEqual([{ kind: 'timeout' }]);
  });

  it('Wait ends at the earliest of block, total and per-call deadlines', () => {
    // Steady progress keeps the block timeout away; the total ends the wait.
    const a = track(settings(1, 2.5));
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(600);
      a.wait.progress();
    }
    expect(a.ends).toEqual([]);
    vi.advanceTimersByTime(120);
    expect(a.ends).toEqual([{ kind: 'timeout' }]);

    // No progress: the block timeout comes before the total.
    const b = track(settings(1, 30));
    vi.advanceTimersByTime(1020);
    expect(b.ends).toEqual([{ kind: 'timeout' }]);

    // The per-call timeout comes before both.
    const c = track(settings(5, 30), { timeout: 0.2 });
    vi.advanceTimersByTime(220);
    expect(c.ends).toEqual([{ kind: 'timeout' }]);
  });

  it('Wait never ends on its own when no timeout is set', () => {
    const { wait, ends } = track(settings());
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(24 * 3600 * 1000);
    expect(ends).toEqual([]);
    wait.dispose();
  });

  it('Wait without a deadline never reads the clock, progress() included', () => {
    const now = clock.now;
    let reads = 0;
    Object.assign(clock, { now: () => (reads++, now()) });
    try {
      const { wait } = track(settings(), { signal: new AbortController().signal });
      wait.progress();
      wait.progress();
      wait.dispose();
      expect(reads).toBe(0);
      track(settings(1)).wait.dispose();
      expect(reads).toBeGreaterThan(0);
    } finally {
      Object.assign(clock, { now });
    }
  });

  it('Wait with a zero timeout ends only after a macrotask, not synchronously or in a microtask', async () => {
    for (const [s, options] of [
      [settings(0), undefined],
      [settings(undefined, 0), undefined],
      [settings(5, 30), { timeout: 0 }],
    ] as const) {
      const { ends } = track(s, options);
      expect(ends).toEqual([]);
      for (let i = 0; i < 10; i++) await Promise.resolve();
      await new Promise<void>((resolve) => queueMicrotask(resolve));
      expect(ends).toEqual([]);
      // It is a timer: the event loop turns before it fires.
      expect(vi.getTimerCount()).toBe(1);
      vi.advanceTimersToNextTimer();
      expect(ends).toEqual([{ kind: 'timeout' }]);
      expect(vi.getTimerCount()).toBe(0);
    }
  });

  it('Wait ends with the abort reason when its signal aborts', () => {
    const controller = new AbortController();
    const { ends } = track(settings(10), { signal: controller.signal });
    const reason = new Error('stop');
    controller.abort(reason);
    expect(ends).toHaveLength(1);
    expect(ends[0]).toEqual({ kind: 'abort', reason });
    expect((ends[0] as { reason: unknown }).reason).toBe(reason);
    // The end released both the timer and the listener.
    expect(vi.getTimerCount()).toBe(0);
    expect(listeners(controller.signal)).toBe(0);
  });

  it("Wait passes the signal's default reason on an abort without one", () => {
    const controller = new AbortController();
    const { ends } = track(settings(), { signal: controller.signal });
    controller.abort();
    const reason: unknown = controller.signal.reason;
    expect(reason).toBeInstanceOf(DOMException);
    expect(ends).toHaveLength(1);
    expect((ends[0] as { reason: unknown }).reason).toBe(reason);
  });

  it('Wait ends with abort for a signal that was already aborted', async () => {
    const reason = new Error('early');
    const { ends } = track(settings(), { signal: AbortSignal.abort(reason) });
    await Promise.resolve();
    expect(ends).toEqual([{ kind: 'abort', reason }]);
  });

  it('Wait ends once: a timeout after an abort changes nothing', () => {
    const controller = new AbortController();
    const { ends } = track(settings(1), { signal: controller.signal });
    controller.abort('first');
    vi.advanceTimersByTime(5000);
    expect(ends).toEqual([{ kind: 'abort', reason: 'first' }]);
  });

  it('Wait.dispose removes the abort listener and clears the timer', () => {
    const controller = new AbortController();
    const { wait, ends } = track(settings(1, 5), { signal: controller.signal, timeout: 3 });
    expect(listeners(controller.signal)).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    wait.dispose();
    expect(listeners(controller.signal)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    controller.abort();
    vi.advanceTimersByTime(10_000);
    expect(ends).toEqual([]);
    // Idempotent.
    wait.dispose();
    expect(listeners(controller.signal)).toBe(0);
  });

  it('Wait.dispose after a progress-driven re-arm clears the new timer', () => {
    const { wait, ends } = track(settings(1));
    vi.advanceTimersByTime(500);
    wait.progress();
    // The first timer fires at 1 s and re-arms for 1.5 s.
    vi.advanceTimersByTime(600);
    expect(vi.getTimerCount()).toBe(1);
    wait.dispose();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(ends).toEqual([]);
  });

  it('Wait.onEnd after the wait already ended calls back at once', () => {
    const { wait } = track(settings(1));
    vi.advanceTimersByTime(1100);
    const late: WaitEnd[] = [];
    wait.onEnd((end) => late.push(end));
    expect(late).toEqual([{ kind: 'timeout' }]);
  });

  it('Wait.onEnd before the end replaces the callback', () => {
    const controller = new AbortController();
    const { wait, ends } = track(settings(), { signal: controller.signal });
    const replaced: WaitEnd[] = [];
    wait.onEnd((end) => replaced.push(end));
    controller.abort('why');
    expect(ends).toEqual([]);
    expect(replaced).toEqual([{ kind: 'abort', reason: 'why' }]);
  });

  it('Wait releases the abort listener when it ends by timeout', () => {
    const controller = new AbortController();
    const { ends } = track(settings(0.1), { signal: controller.signal });
    vi.advanceTimersByTime(200);
    expect(ends).toEqual([{ kind: 'timeout' }]);
    expect(listeners(controller.signal)).toBe(0);
  });
});

describe('Wait on a long-lived signal', () => {
  it('Wait leaves no listener and no MaxListenersExceededWarning after 10,000 disposed waits on one signal', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      for (let i = 0; i < 10_000; i++) {
        const wait = new Wait(settings(30, 60), { signal: controller.signal, timeout: 90 }, () => {
          throw new Error('a disposed wait must not end');
        });
        if (i % 2 === 0) wait.progress();
        wait.dispose();
      }
      expect(listeners(controller.signal)).toBe(0);
      // Warnings are emitted on a later tick: let them arrive.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
      // The signal still works for a new wait.
      const ends: WaitEnd[] = [];
      const last = new Wait(settings(), { signal: controller.signal }, (end) => ends.push(end));
      controller.abort('done');
      expect(ends).toEqual([{ kind: 'abort', reason: 'done' }]);
      last.dispose();
      expect(listeners(controller.signal)).toBe(0);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('Wait would trip MaxListenersExceededWarning if listeners piled up (control)', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    // This warning is expected: keep it off stderr while the test provokes it.
    const printers = process.listeners('warning');
    process.removeAllListeners('warning');
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const waits = Array.from(
        { length: 20 },
        () => new Wait(settings(), { signal: controller.signal }, () => {}),
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.some((w) => w.name === 'MaxListenersExceededWarning')).toBe(true);
      for (const wait of waits) wait.dispose();
      expect(listeners(controller.signal)).toBe(0);
    } finally {
      process.off('warning', onWarning);
      for (const printer of printers) process.on('warning', printer);
    }
  });
});

describe('Wait memory', () => {
  it('Wait that nothing can end (no timeout, no signal) keeps no reference to its callback', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const make = (s: TimeoutSettings): [Wait, WeakRef<object>] => {
      const onEnd = (): void => undefined;
      return [new Wait(s, undefined, onEnd), new WeakRef(onEnd)];
    };
    const [never, dropped] = make(settings());
    const [timed, kept] = make(settings(60));
    // A WeakRef keeps its target alive until the current job ends.
    await turn();
    gc();
    expect(dropped.deref()).toBeUndefined();
    expect(kept.deref()).toBeDefined();
    never.dispose();
    timed.dispose();
  });
});

describe('mayEnd', () => {
  it('mayEnd is true exactly when a timeout (zero included) or a signal is set', () => {
    expect(mayEnd(settings(), undefined)).toBe(false);
    expect(mayEnd(settings(), { timeout: null })).toBe(false);
    expect(mayEnd(settings(), { timeout: -1 })).toBe(false);
    expect(mayEnd(settings(0), undefined)).toBe(true);
    expect(mayEnd(settings(undefined, 2), undefined)).toBe(true);
    expect(mayEnd(settings(), { timeout: 0 })).toBe(true);
    expect(mayEnd(settings(), { signal: new AbortController().signal })).toBe(true);
  });
});

describe('checkWaitOptions', () => {
  it('checkWaitOptions accepts undefined and well-formed options', () => {
    expect(() => checkWaitOptions(undefined)).not.toThrow();
    expect(() => checkWaitOptions({})).not.toThrow();
    expect(() =>
      checkWaitOptions({ timeout: 1, signal: new AbortController().signal }),
    ).not.toThrow();
    expect(() => checkWaitOptions({ timeout: null })).not.toThrow();
  });

  it('checkWaitOptions throws TypeError for a bad timeout, signal or options value', () => {
    expect(() => checkWaitOptions({ timeout: '1' as unknown as number })).toThrow(
      /^Expected `options.timeout` to be a number, null or undefined, got `.*1.*`$/,
    );
    expect(() => checkWaitOptions({ signal: {} as AbortSignal })).toThrow(TypeError);
    expect(() => checkWaitOptions(5 as unknown as undefined)).toThrow(TypeError);
  });
});
