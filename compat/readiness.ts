/**
 * How compat objects take part in `select`: each exposes the core's
 * readiness protocol (`[readiness]`), answered by the core object it wraps
 * at that moment. Two states have no core object to answer: an object
 * `select` ignores ({@link IGNORED}: a master, a closed object, a
 * `socket.udp()` with no socket yet) and a TCP client whose connect is still
 * in progress ({@link PendingConnect}).
 *
 * @internal
 * @module
 */

import {
  type Readiness,
  sleep,
  type SocketError,
  type TcpClient,
  type Watcher,
} from '../src/index.js';
import { Notifier, toSocketError } from '../src/internal.js';

/**
 * @internal What `select` ignores, as LuaSocket ignores an entry whose
 * `getfd()` is -1.
 */
export const IGNORED: Readiness = Object.freeze({
  readable: false,
  writable: false,
  closed: true,
  watch(): void {},
  unwatch(): void {},
});

/** @internal How a connect ended: the client, or the error. */
export type ConnectOutcome =
  { readonly client: TcpClient<string> } | { readonly error: SocketError };

/**
 * @internal A connect that goes on after the call that started it timed out,
 * as LuaSocket leaves a non-blocking connect in progress. Not ready while
 * it runs; once it fails, readable and writable, as `select` reports a
 * socket whose connect failed, so that the next `connect` (or receive)
 * learns the error. A success is adopted by the object through `onClient`,
 * which then answers `select` through the client itself.
 */
export class PendingConnect implements Readiness {
  readonly #notifier = new Notifier();
  #outcome: ConnectOutcome | undefined;
  /** Resolves when the connect has ended, either way; never rejects. */
  readonly settled: Promise<ConnectOutcome>;

  constructor(
    connecting: Promise<TcpClient<string>>,
    onClient: (client: TcpClient<string>) => void,
  ) {
    this.settled = connecting.then(
      (client) => {
        this.#outcome = { client };
        onClient(client);
        this.#notifier.notify();
        return this.#outcome;
      },
      (err: unknown) => {
        // Usage errors were thrown before the connect started: this is a network failure.
        this.#outcome = { error: toSocketError(err) };
        this.#notifier.notify();
        return this.#outcome;
      },
    );
  }

  /** How the connect ended, or undefined while it runs. */
  get outcome(): ConnectOutcome | undefined {
    return this.#outcome;
  }

  get readable(): boolean {
    return this.#outcome !== undefined;
  }

  get writable(): boolean {
    return this.#outcome !== undefined;
  }

  get closed(): boolean {
    return false;
  }

  watch(watcher: Watcher): void {
    this.#notifier.watch(watcher);
  }

  unwatch(watcher: Watcher): void {
    this.#notifier.unwatch(watcher);
  }

  /** Tells a `select` watching the object that it was closed. */
  abandon(): void {
    this.#notifier.notify();
  }

  /**
   * Waits for the outcome at most `seconds` (forever when undefined):
   * the outcome, or undefined when the time ran out first. A zero wait
   * still lets the event loop turn once.
   */
  async within(seconds: number | undefined): Promise<ConnectOutcome | undefined> {
    if (this.#outcome !== undefined || seconds === undefined) return this.settled;
    const stop = new AbortController();
    const timeout = sleep(seconds, { signal: stop.signal }).then(
      () => undefined,
      () => undefined,
    );
    try {
      return await Promise.race([this.settled, timeout]);
    } finally {
      stop.abort();
    }
  }
}
