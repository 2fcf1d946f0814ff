/**
 * How compat objects take part in `select`: each exposes the core's
 * readiness protocol (`[readiness]`), answered by the core object it wraps
 * at that moment (a connect in progress is the core's `PendingConnect`).
 * What has no core object to answer is {@link IGNORED}.
 *
 * @internal
 * @module
 */

import type { Readiness } from '../src/index.js';

/**
 * @internal What `select` ignores, as LuaSocket ignores an entry whose
 * `getfd()` is -1: a master, a closed object, a `socket.udp()` with no
 * socket yet.
 */
export const IGNORED: Readiness = Object.freeze({
  readable: false,
  writable: false,
  closed: true,
  watch(): void {},
  unwatch(): void {},
});
