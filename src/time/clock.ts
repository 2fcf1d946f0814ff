/**
 * The one place that reads time or schedules timers, so that tests can swap
 * it (`Object.assign(clock, …)`) and no module reads the wall clock on its own.
 *
 * @module
 */

/** A timer handle, as returned by {@link clock.setTimeout}. */
export type TimerHandle = ReturnType<typeof globalThis.setTimeout>;

/**
 * @internal Monotonic milliseconds for deadlines, wall-clock seconds for
 * `gettime`, and the timer functions every wait goes through.
 */
export const clock = {
  /** Monotonic milliseconds: deadlines never jump with the wall clock. */
  now: (): number => performance.now(),
  /** Seconds since the epoch, with fractions (LuaSocket's `gettime`). */
  wallSeconds: (): number => Date.now() / 1000,
  setTimeout: (fn: () => void, ms: number): TimerHandle => globalThis.setTimeout(fn, ms),
  clearTimeout: (t: TimerHandle): void => globalThis.clearTimeout(t),
};
