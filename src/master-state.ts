/**
 * The life of a master (`tcp()`, `unix()`): usable until `listen` or
 * `connect` turns it into a server or a client, or until it is closed.
 *
 * @module
 */

import { SocketError } from './errors.js';

/** @internal A master's state and the checks its methods start with. */
export class MasterState {
  state: 'master' | 'used' | 'closed' = 'master';

  get closed(): boolean {
    return this.state === 'closed';
  }

  /**
   * @throws SocketError `closed` when closed; TypeError once the master
   *   became a server or a client
   */
  check(method: string): void {
    if (this.state === 'closed') throw new SocketError('closed');
    if (this.state === 'used') {
      throw new TypeError(
        `Expected a master for \`${method}\`, but it was already used by listen or connect`,
      );
    }
  }

  /**
   * For the methods that wait: misuse throws at once, like a bad argument,
   * while a closed master answers `closed` through the promise, as a failed call does.
   */
  usable(method: string): Promise<never> | undefined {
    if (this.state === 'closed') return Promise.reject(new SocketError('closed'));
    this.check(method);
    return undefined;
  }
}
