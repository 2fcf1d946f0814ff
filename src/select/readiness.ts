/**
 * The readiness protocol: how `select` learns that an object can be read or
 * written without waiting. Every socket of this package implements it, and
 * any other object can take part in `select` by implementing it too.
 *
 * @module
 */

/**
 * The key under which an object exposes its {@link Readiness}.
 * `Symbol.for`, so that copies of the package (ESM and CJS) agree.
 */
export const readiness: unique symbol = Symbol.for('luasocket-async.readiness') as never;

/** Called when an object may have become readable or writable. */
export type Watcher = () => void;

/**
 * What `select` asks of an object: its state now, and a way to be told when
 * it changes. `watch`/`unwatch` take the same function, so a `select` that
 * returns leaves nothing behind on the objects it watched.
 */
export interface Readiness {
  /** A receive (or accept) would answer without waiting. */
  readonly readable: boolean;
  /** A send would not wait. */
  readonly writable: boolean;
  /** Closed objects are ignored by `select`. */
  readonly closed: boolean;
  /** Calls `watcher` whenever `readable` or `writable` may have turned true. */
  watch(watcher: Watcher): void;
  /** Stops calling `watcher`. */
  unwatch(watcher: Watcher): void;
}

/**
 * An object `select` can watch.
 *
 * @example A timer that becomes readable after a delay
 * ```ts
 * import { readiness, select, type Readiness, type Selectable, type Watcher } from 'luasocket-async';
 *
 * class Alarm implements Selectable {
 *   #fired = false;
 *   #watchers = new Set<Watcher>();
 *   constructor(ms: number) {
 *     setTimeout(() => {
 *       this.#fired = true;
 *       for (const w of this.#watchers) w();
 *     }, ms);
 *   }
 *   get [readiness](): Readiness {
 *     const self = this;
 *     return {
 *       get readable() { return self.#fired; },
 *       writable: false,
 *       closed: false,
 *       watch: (w) => void self.#watchers.add(w),
 *       unwatch: (w) => void self.#watchers.delete(w),
 *     };
 *   }
 * }
 *
 * const { readable } = await select([new Alarm(10)], null);
 * ```
 */
export interface Selectable {
  readonly [readiness]: Readiness;
}

/**
 * @internal The watcher set a socket embeds. Allocated on first watch, so a
 * socket that is never selected pays nothing.
 */
export class Notifier {
  #watchers: Set<Watcher> | undefined;

  watch(watcher: Watcher): void {
    (this.#watchers ??= new Set()).add(watcher);
  }

  unwatch(watcher: Watcher): void {
    this.#watchers?.delete(watcher);
  }

  /** Tells every watcher that readiness may have changed. */
  notify(): void {
    const watchers = this.#watchers;
    if (watchers === undefined || watchers.size === 0) return;
    if (watchers.size === 1) {
      // The usual case, one select watching: one call, nothing to copy.
      watchers.values().next().value?.();
      return;
    }
    // Over a copy: a Set visits entries added while it is iterated, so a
    // watcher that unwatches and watches again would be called forever.
    // Watchers added during the round wait for the next one; removed ones
    // are skipped.
    for (const watcher of [...watchers]) if (watchers.has(watcher)) watcher();
  }
}

/**
 * @internal A socket's readiness as plain fields, kept current by the socket
 * where its state changes (bytes arrive or are consumed, a send starts or
 * ends, a close), so that `select` reads three data properties per object
 * and calls nothing. Also the socket's watcher set.
 */
export class ReadyState extends Notifier implements Readiness {
  readable = false;
  writable = false;
  closed = false;
}

/** @internal The readiness of an object, or undefined for anything else. */
export function readinessOf(value: unknown): Readiness | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = (value as Partial<Selectable>)[readiness];
  return typeof r === 'object' && r !== null ? r : undefined;
}
