/**
 * End-of-test cleanups for a test file: `const defer = deferrals()` at the
 * top, then `defer(fn)` inside a test; they run after it, latest first, so
 * sockets close before the Lua peer they talk to is told to exit.
 */

import { afterEach } from 'vitest';

/** Registers `fn` to run when the current test ends. */
export type Defer = (fn: () => unknown) => void;

/** One cleanup list for the calling test file, drained after each test. */
export function deferrals(): Defer {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (let fn = cleanups.pop(); fn !== undefined; fn = cleanups.pop()) await fn();
  });
  return (fn) => {
    cleanups.push(fn);
  };
}
