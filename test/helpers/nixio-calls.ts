/**
 * nixio results in tests: the value of a call that must succeed, and sockets
 * closed when the test ends.
 */

import type { NixioSocket } from '../../nixio/index.js';
import type { Defer } from './deferred.js';

/** The value of a successful call; the errno and text of a failed one, as the failure. */
export function value<T>(r: readonly [T | null | false, unknown, unknown]): T {
  if (r[0] === null || r[0] === false) throw new Error(`nixio: ${String(r[1])} ${String(r[2])}`);
  return r[0];
}

/** `own(sock)` closes `sock` at the end of the test, unless the test closed it already. */
export function owner(defer: Defer): (sock: NixioSocket) => NixioSocket {
  return (sock) => {
    defer(() => {
      try {
        sock.close();
      } catch (err) {
        // nixio raises on a closed socket: the test closed it itself.
        if (!(err instanceof TypeError)) throw err;
      }
    });
    return sock;
  };
}
