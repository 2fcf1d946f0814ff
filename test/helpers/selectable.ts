/**
 * Objects for testing the readiness protocol from the outside: a custom
 * selectable whose state the test sets by hand, and a view of a real socket
 * that counts the watchers `select` leaves on it.
 */

import { clock, type TimerHandle } from '../../src/time/clock.js';
import { readiness, type Readiness, type Selectable, type Watcher } from '../../src/index.js';

/** The state a {@link Flag} reports. */
export interface FlagState {
  readable?: boolean;
  writable?: boolean;
  closed?: boolean;
}

/**
 * A hand-driven selectable: `set()` changes its state and tells its
 * watchers. Counts how often `select` reads and watches it.
 */
export class Flag implements Selectable, Readiness {
  readonly name: string;
  #readable = false;
  #writable = false;
  #closed = false;
  readonly #watchers = new Set<Watcher>();
  /** Reads of `readable`. */
  reads = 0;
  /** Calls of `watch` and `unwatch`. */
  watches = 0;
  unwatches = 0;

  constructor(name = 'flag', state: FlagState = {}) {
    this.name = name;
    this.#apply(state);
  }

  get readable(): boolean {
    this.reads++;
    return this.#readable;
  }

  get writable(): boolean {
    return this.#writable;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Watchers registered now. */
  get watching(): number {
    return this.#watchers.size;
  }

  get [readiness](): Readiness {
    return this;
  }

  watch(watcher: Watcher): void {
    this.watches++;
    this.#watchers.add(watcher);
  }

  unwatch(watcher: Watcher): void {
    this.unwatches++;
    this.#watchers.delete(watcher);
  }

  /** Changes the state, then tells every watcher. */
  set(state: FlagState): void {
    this.#apply(state);
    this.notify();
  }

  /** Tells every watcher, whether or not anything changed. */
  notify(): void {
    for (const watcher of [...this.#watchers]) watcher();
  }

  #apply(state: FlagState): void {
    if (state.readable !== undefined) this.#readable = state.readable;
    if (state.writable !== undefined) this.#writable = state.writable;
    if (state.closed !== undefined) this.#closed = state.closed;
  }
}

/**
 * A real socket seen through a readiness that counts watchers: `active` is
 * the number of watchers `select` registered and has not removed yet.
 */
export class Counted<S extends Selectable> implements Selectable, Readiness {
  readonly socket: S;
  readonly #inner: Readiness;
  /** Watchers registered and not yet removed. */
  active = 0;
  /** Calls of `watch`. */
  watches = 0;

  constructor(socket: S) {
    this.socket = socket;
    this.#inner = socket[readiness];
  }

  get readable(): boolean {
    return this.#inner.readable;
  }

  get writable(): boolean {
    return this.#inner.writable;
  }

  get closed(): boolean {
    return this.#inner.closed;
  }

  get [readiness](): Readiness {
    return this;
  }

  watch(watcher: Watcher): void {
    this.active++;
    this.watches++;
    this.#inner.watch(watcher);
  }

  unwatch(watcher: Watcher): void {
    this.active--;
    this.#inner.unwatch(watcher);
  }
}

/** Sums `active` over many counted sockets. */
export function activeWatchers(list: Iterable<{ active: number }>): number {
  let sum = 0;
  for (const c of list) sum += c.active;
  return sum;
}

/**
 * How many timers are active in the process now. Other code (the test
 * runner's own) may hold one too, briefly: compare with `<=`, not `===`.
 */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

/** The package's timers that are still pending, counted exactly. */
export interface TimerTracker extends Disposable {
  /** Timers set and neither fired nor cleared yet. */
  readonly live: number;
  /** Timers set since tracking began. */
  readonly created: number;
}

/** Tracks the timers the package sets through its clock, until disposed (`using`). */
export function trackTimers(): TimerTracker {
  const live = new Set<TimerHandle>();
  let created = 0;
  const { setTimeout: set, clearTimeout: clear } = clock;
  clock.setTimeout = (fn, ms) => {
    created++;
    const handle = set(() => {
      live.delete(handle);
      fn();
    }, ms);
    live.add(handle);
    return handle;
  };
  clock.clearTimeout = (handle) => {
    live.delete(handle);
    clear(handle);
  };
  return {
    get live() {
      return live.size;
    },
    get created() {
      return created;
    },
    [Symbol.dispose]() {
      clock.setTimeout = set;
      clock.clearTimeout = clear;
    },
  };
}
