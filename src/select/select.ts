/**
 * `select`: wait until some objects can be read or written without waiting,
 * as LuaSocket's `socket.select`, without FD_SETSIZE and without leaks.
 *
 * @module
 */

import { describe } from '../errors/describe.js';
import { readinessOf, type Readiness, type Watcher } from './readiness.js';
import { checkWaitOptions, Wait, type WaitOptions } from '../time/wait.js';

/** What {@link select} resolves to. */
export interface SelectResult<R, W> {
  /** The objects of `recvt` that can be read without waiting, in the order given. */
  readable: R[];
  /** The objects of `sendt` that can be written without waiting, in the order given. */
  writable: W[];
  /** True when the call ended by its timeout with nothing ready. */
  timedOut: boolean;
}

const NEVER = { block: undefined, total: undefined };

/**
 * Waits until an object of `recvt` is readable or one of `sendt` writable.
 *
 * Readable: a client with buffered bytes or a closed peer, a server with a
 * connection waiting, a UDP socket with a datagram waiting. Writable: a
 * socket whose send would not wait. `null`/`undefined` lists, closed objects
 * and entries that are not selectable are ignored, as LuaSocket does.
 *
 * @param recvt - objects to watch for reading (any iterable), or null
 * @param sendt - objects to watch for writing (any iterable), or null
 * @param options - `timeout` in seconds (`0` polls, null/negative waits
 *   forever), `signal`
 * @returns the ready objects; on timeout both lists are empty and `timedOut` is true
 * @throws TypeError when a list is neither iterable nor null; the signal's reason on abort
 * @example A dispatcher step
 * ```ts
 * import { bind, select } from 'luasocket-async';
 *
 * const server = await bind('127.0.0.1', 0);
 * const { readable, timedOut } = await select([server], null, { timeout: 0.5 });
 * if (!timedOut) (await readable[0]!.accept()).close();
 * server.close();
 * ```
 */
export function select<R = unknown, W = unknown>(
  recvt: Iterable<R> | null | undefined,
  sendt: Iterable<W> | null | undefined,
  options?: WaitOptions,
): Promise<SelectResult<R, W>> {
  checkList(recvt, 'recvt');
  checkList(sendt, 'sendt');
  checkWaitOptions(options, 'select()');
  const signal = options?.signal;
  if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
  // Every scan must see the same entries: a one-shot iterable (a generator)
  // is read once, here.
  const reads = reusable(recvt);
  const writes = reusable(sendt);
  // The common case of a busy dispatcher: something is ready now, and the
  // call allocates nothing but its result and registers nothing at all.
  let watched: Readiness[];
  try {
    const now = scan(reads, writes, false);
    if (now !== undefined) return Promise.resolve(now);
    watched = options?.timeout === 0 ? [] : watchList(reads, watchList(writes, []));
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise<SelectResult<R, W>>((resolve, reject) => {
    let scheduled = false;
    let done = false;
    /** Releases everything once; false if that was done already. */
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      for (const r of watched) r.unwatch(watcher);
      wait.dispose();
      return true;
    };
    // Objects from elsewhere may throw from a getter or from watch(): the
    // call fails with that error rather than the process, and cleans up.
    const settle = (final: boolean): void => {
      let ready: SelectResult<R, W> | undefined;
      try {
        ready = scan(reads, writes, final);
      } catch (err) {
        if (finish()) reject(err);
        return;
      }
      if (ready !== undefined && finish()) resolve(ready);
    };
    const rescan = (): void => {
      scheduled = false;
      if (!done) settle(false);
    };
    // Several sockets may turn ready in one tick: scan once for all of them.
    // A call after the end (an object that kept the watcher) changes nothing.
    const watcher: Watcher = () => {
      if (scheduled || done) return;
      scheduled = true;
      queueMicrotask(rescan);
    };
    // A zero timeout still lets the event loop turn once before answering.
    const wait = new Wait(NEVER, options, (end) => {
      if (end.kind === 'abort') {
        if (finish()) reject(end.reason);
      } else {
        settle(true);
      }
    });
    try {
      for (const r of watched) r.watch(watcher);
    } catch (err) {
      if (finish()) reject(err);
    }
  });
}

/** The list itself when it can be iterated again (an array), else a copy. */
function reusable<T>(list: Iterable<T> | null | undefined): Iterable<T> | null | undefined {
  return list === null || list === undefined || Array.isArray(list) ? list : Array.from(list);
}

function checkList(list: unknown, name: string): void {
  if (list === null || list === undefined) return;
  if (
    typeof list === 'string' ||
    typeof (list as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(
      `Expected \`${name}\` to be an array, an iterable or null, got \`${describe(list)}\``,
    );
  }
}

/** Adds the readiness of every selectable, open entry of `list` to `out`. */
function watchList(list: Iterable<unknown> | null | undefined, out: Readiness[]): Readiness[] {
  if (list === null || list === undefined) return out;
  for (const item of list) {
    const r = readinessOf(item);
    if (r !== undefined && !r.closed) out.push(r);
  }
  return out;
}

/** The ready objects, or undefined when none is ready (unless `final`). */
function scan<R, W>(
  recvt: Iterable<R> | null | undefined,
  sendt: Iterable<W> | null | undefined,
  final: boolean,
): SelectResult<R, W> | undefined {
  const readable = collect(recvt, true);
  const writable = collect(sendt, false);
  if (readable.length === 0 && writable.length === 0) {
    return final ? { readable, writable, timedOut: true } : undefined;
  }
  return { readable, writable, timedOut: false };
}

function collect<T>(list: Iterable<T> | null | undefined, reading: boolean): T[] {
  const out: T[] = [];
  if (list === null || list === undefined) return out;
  // An array by now (see `reusable`): an indexed loop, no iterator per scan.
  const items = list as readonly T[];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    const r = readinessOf(item);
    if (r === undefined || r.closed || !(reading ? r.readable : r.writable)) continue;
    // A socket listed twice is reported once, as in LuaSocket's fd sets.
    if (out.length === 0 || !out.includes(item)) out.push(item);
  }
  return out;
}
