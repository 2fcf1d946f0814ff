/**
 * The one timer every wait, sleep and deadline arms: any duration, however
 * long, over {@link clock}'s seam.
 *
 * @module
 */

import { clock, type TimerHandle } from './clock.js';

/**
 * @internal The longest delay Node.js's `setTimeout` honours (2^31−1 ms,
 * ~24.8 days). Above it Node.js warns (`TimeoutOverflowWarning`) and fires
 * after 1 ms.
 */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** @internal A pending {@link startTimer}; `cancel` is idempotent. */
export interface Timer {
  cancel(): void;
}

/**
 * @internal Calls `fn` once `ms` milliseconds have passed on
 * {@link clock.now}. A delay above {@link MAX_TIMER_DELAY} is waited out in
 * steps, each re-armed for what is left, so it neither fires early nor
 * warns; `Infinity` re-arms forever (it keeps the event loop alive, as a
 * Lua program that sleeps forever stays alive). A zero, negative or NaN
 * delay fires on the next timer turn, never synchronously.
 */
export function startTimer(fn: () => void, ms: number): Timer {
  let handle: TimerHandle | undefined;
  if (!(ms > MAX_TIMER_DELAY)) {
    handle = clock.setTimeout(fn, ms > 0 ? ms : 0);
  } else {
    // Steps measure against the clock, so a late step does not add up.
    const deadline = clock.now() + ms;
    const step = (): void => {
      const left = deadline - clock.now();
      handle =
        left > MAX_TIMER_DELAY
          ? clock.setTimeout(step, MAX_TIMER_DELAY)
          : clock.setTimeout(fn, left > 0 ? left : 0);
    };
    step();
  }
  return {
    cancel(): void {
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = undefined;
    },
  };
}
