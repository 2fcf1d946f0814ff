/**
 * The life of a master (`tcp()`, `unix()`): usable until `listen` or
 * `connect` turns it into a server or a client, or until it is closed.
 *
 * @module
 */

import { SocketError } from '../errors/socket-error.js';

/** @internal A master's state and the checks its methods start with. */
export class MasterState {
  state: 'master' | 'used' | 'closed' = 'master';
  /** Made by the first connect only: most masters never connect. */
  #closing: AbortController | undefined;

  /**
   * The signal a connect runs under: the caller's, and the master's close,
   * which ends a connect in progress with `closed` rather than leave it to
   * the kernel's retries.
   */
  connectSignal(signal: AbortSignal | undefined): AbortSignal {
    const closing = (this.#closing ??= new AbortController()).signal;
    return signal === undefined ? closing : AbortSignal.any([signal, closing]);
  }

  /** Marks the master closed; a connect in progress fails with `closed`. */
  close(): void {
    this.state = 'closed';
    this.#closing?.abort(new SocketError('closed'));
  }

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
