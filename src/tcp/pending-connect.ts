/**
 * LuaSocket's non-blocking connect: a connect whose call ends at its
 * deadline while the attempt itself goes on, as a socket's connect does
 * after `settimeout(0)` in LuaSocket. The core's own users simply leave a
 * `connect()` promise pending; this is for layers that must answer
 * `nil, 'timeout'` now and the outcome later (compat's `connect` and
 * `select`).
 *
 * @internal
 * @module
 */

import { SocketError } from '../errors/socket-error.js';
import { readiness, type Readiness, type Selectable, type Watcher } from '../select/readiness.js';
import type { TimeoutSettings } from '../time/timeout.js';
import { Wait } from '../time/wait.js';

/** @internal How a connect ended: the client, or the error. */
export type ConnectOutcome<C> = { readonly client: C } | { readonly error: SocketError };

/**
 * @internal Takes over an attempt whose call timed out: `rest` settles when
 * the attempt itself ends (connected, refused, or ended by the signal).
 */
export type Keep<T> = (rest: Promise<T>) => void;

/** @internal What a background connect yields: a client that `select` can watch. */
export type Connection = Readiness & { close(): void };

/**
 * @internal The key of a master's background connect (see
 * `TcpMaster[connectInBackground]`): a symbol, so that it stays off the
 * master's public names.
 */
export const connectInBackground: unique symbol = Symbol('connectInBackground');

/**
 * @internal A connect that may outlive the call that started it. Its call
 * ({@link PendingConnect.result}) ends as a blocking connect's would, except
 * that when the deadline passes first the attempt goes on, and
 * {@link PendingConnect.settled} tells how it ended. For `select` it is not
 * ready while it runs, readable and writable once it failed (a socket whose
 * connect failed polls ready both ways, so that the next call learns the
 * error), and once connected it answers as the client does.
 *
 * @example A connect that does not wait, LuaSocket's way
 * ```ts
 * import { select, tcp } from 'luasocket-async';
 * import { connectInBackground } from '../../../src/internal.js';
 *
 * const master = tcp();
 * master.settimeout(0);
 * const pending = master[connectInBackground]('127.0.0.1', 8080);
 * try {
 *   const client = await pending.result; // at once, or...
 *   client.close();
 * } catch {
 *   // ...'timeout' at once, while the connect goes on:
 *   await select(null, [pending], { timeout: 5 });
 *   const outcome = await pending.settled;
 *   if ('client' in outcome) outcome.client.close();
 * } finally {
 *   pending.close();
 * }
 * ```
 */
export class PendingConnect<C extends Connection> implements Readiness, Selectable {
  readonly #cancel = new AbortController();
  readonly #watchers = new Set<Watcher>();
  #outcome: ConnectOutcome<C> | undefined;
  #resolve!: (outcome: ConnectOutcome<C>) => void;

  /**
   * What the call answers: the client, or the error the connect failed with
   * (`timeout` when its deadline passed first: then {@link outcome} is still
   * undefined and the attempt goes on). When it settles, {@link outcome} is
   * already set for every answer but that timeout.
   */
  readonly result: Promise<C>;
  /** How the connect ended, once it has, either way; never rejects. */
  readonly settled: Promise<ConnectOutcome<C>>;

  /**
   * @param start - starts the connect under `signal` (this object's
   *   {@link close}); a timeout that leaves the attempt running hands what
   *   remains of it to `keep` before the call rejects
   */
  constructor(start: (keep: Keep<C>, signal: AbortSignal) => Promise<C>) {
    this.settled = new Promise((resolve) => (this.#resolve = resolve));
    let kept: Promise<C> | undefined;
    this.result = start((rest) => {
      kept = rest;
    }, this.#cancel.signal).then(
      (client) => {
        const outcome = this.#end({ client });
        return 'client' in outcome ? outcome.client : Promise.reject(outcome.error);
      },
      (err: unknown) => {
        if (kept === undefined) this.#end({ error: failureOf(err) });
        else
          kept.then(
            (client) => this.#end({ client }),
            (e: unknown) => this.#end({ error: failureOf(e) }),
          );
        return Promise.reject(err);
      },
    );
    // A caller may look at `settled` only: an unread rejection here is no crash.
    this.result.catch(() => undefined);
  }

  /** How the connect ended, or undefined while it runs. */
  get outcome(): ConnectOutcome<C> | undefined {
    return this.#outcome;
  }

  /**
   * Waits for the outcome again, up to `settings`: the client, the error,
   * or `timeout` (from `syscall`) while the attempt still goes on.
   */
  wait(settings: TimeoutSettings, syscall = 'connect'): Promise<C> {
    const outcome = this.#outcome;
    if (outcome !== undefined)
      return 'client' in outcome ? Promise.resolve(outcome.client) : Promise.reject(outcome.error);
    return new Promise<C>((resolve, reject) => {
      const wait = new Wait(settings, undefined, () =>
        reject(new SocketError('timeout', { syscall })),
      );
      void this.settled.then((ended) => {
        wait.dispose();
        if ('client' in ended) resolve(ended.client);
        else reject(ended.error);
      });
    });
  }

  /** Once connected, the client's; once failed, true. */
  get readable(): boolean {
    const outcome = this.#outcome;
    return outcome !== undefined && ('error' in outcome || outcome.client.readable);
  }

  /** Once connected, the client's; once failed, true. */
  get writable(): boolean {
    const outcome = this.#outcome;
    return outcome !== undefined && ('error' in outcome || outcome.client.writable);
  }

  /** True once {@link close} was called, or the client closed: `select` lets it go. */
  get closed(): boolean {
    const outcome = this.#outcome;
    return (
      this.#cancel.signal.aborted ||
      (outcome !== undefined && 'client' in outcome && outcome.client.closed)
    );
  }

  /** For `select`: the pending connect is its own readiness. */
  get [readiness](): Readiness {
    return this;
  }

  watch(watcher: Watcher): void {
    this.#watchers.add(watcher);
    this.#connected()?.watch(watcher);
  }

  unwatch(watcher: Watcher): void {
    this.#watchers.delete(watcher);
    this.#connected()?.unwatch(watcher);
  }

  /**
   * Gives the connect up: one still running ends with `closed` and leaves
   * no socket behind, a client it made is closed, and a `select` watching
   * is told. Idempotent.
   */
  close(): void {
    if (this.#cancel.signal.aborted) return;
    this.#cancel.abort(new SocketError('closed'));
    this.#connected()?.close();
    this.#notify();
  }

  #connected(): C | undefined {
    const outcome = this.#outcome;
    return outcome !== undefined && 'client' in outcome ? outcome.client : undefined;
  }

  #end(outcome: ConnectOutcome<C>): ConnectOutcome<C> {
    if ('client' in outcome && this.#cancel.signal.aborted) {
      // Given up meanwhile: the client it made has nobody to go to.
      outcome.client.close();
      outcome = { error: new SocketError('closed') };
    }
    // From now on the client tells the watchers itself.
    if ('client' in outcome) for (const watcher of this.#watchers) outcome.client.watch(watcher);
    this.#outcome = outcome;
    this.#resolve(outcome);
    this.#notify();
    return outcome;
  }

  #notify(): void {
    // Over a copy: a watcher may unwatch (and watch again) while it is told.
    for (const watcher of [...this.#watchers]) if (this.#watchers.has(watcher)) watcher();
  }
}

/** A failure as an outcome: a signal's reason becomes `aborted`, with the reason as its cause. */
function failureOf(err: unknown): SocketError {
  return err instanceof SocketError
    ? (err as SocketError)
    : new SocketError('aborted', { cause: err });
}
