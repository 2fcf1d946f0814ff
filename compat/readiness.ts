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
import type { PendingConnect } from '../src/internal.js';

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

/**
 * @internal A handshake's readiness: ready both ways once it has ended, either way,
 * so that a `select` in LuaSec's `wantread` loop wakes for the next
 * `dohandshake` (a handshake that ends with no data to read would leave
 * the connection unreadable).
 */
export function handshakeReadiness<C extends Readiness & { close(): void }>(
  pending: PendingConnect<C>,
): Readiness {
  return {
    get readable() {
      return pending.outcome !== undefined;
    },
    get writable() {
      return pending.outcome !== undefined;
    },
    get closed() {
      return pending.closed;
    },
    watch: (watcher) => pending.watch(watcher),
    unwatch: (watcher) => pending.unwatch(watcher),
  };
}
