import { setImmediate as turn } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import {
  bind,
  connect,
  readiness,
  select,
  udp,
  type Readiness,
  type Selectable,
  type Watcher,
} from '../../../src/index.js';
// Notifier is internal: the watcher set every socket of the package embeds.
import { Notifier } from '../../../src/select/readiness.js';
import { rejection } from '../../helpers/loopback.js';
import { Flag } from '../../helpers/selectable.js';

// ---------------------------------------------------------------- the documented example

// The `Selectable` example of src/select/readiness.ts, as documented (plus a lint note).
class Alarm implements Selectable {
  #fired = false;
  #watchers = new Set<Watcher>();
  constructor(ms: number) {
    setTimeout(() => {
      this.#fired = true;
      for (const w of this.#watchers) w();
    }, ms);
  }
  get [readiness](): Readiness {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- as in the documented example
    const self = this;
    return {
      get readable() {
        return self.#fired;
      },
      writable: false,
      closed: false,
      watch: (w) => void self.#watchers.add(w),
      unwatch: (w) => void self.#watchers.delete(w),
    };
  }
}

describe('readiness protocol', () => {
  test('readiness is the shared symbol, so copies of the package agree', () => {
    expect(readiness).toBe(Symbol.for('luasocket-async.readiness'));
  });

  test('readiness: the documented Alarm example takes part in select()', async () => {
    const alarm = new Alarm(10);
    const { readable } = await select([alarm], null);
    expect(readable).toEqual([alarm]);
    expect(readable[0]).toBe(alarm);
  });

  test('readiness: a custom object and real sockets are watched by one select()', async () => {
    await using server = await bind('127.0.0.1', 0);
    await using u = udp();
    await u.setsockname('127.0.0.1', 0);
    const flag = new Flag();
    const waiting = select([server, u, flag], null);
    expect(flag.watching).toBe(1);
    flag.set({ readable: true });
    const result = await waiting;
    expect(result.readable).toHaveLength(1);
    expect(result.readable[0]).toBe(flag);
    expect(flag.watching).toBe(0);

    // …and the sockets' own readiness still reaches a later select().
    const later = select([server, u, new Flag()], null);
    await using client = await connect('127.0.0.1', server.getsockname().port);
    const next = await later;
    expect(next.readable).toHaveLength(1);
    expect(next.readable[0]).toBe(server);
    (await server.accept({ timeout: 0 })).close();
    client.close();
  });

  test('readiness: select() watches a custom object only while it waits', async () => {
    const ready = new Flag('ready', { readable: true });
    const idle = new Flag('idle');
    // Something ready at once: nothing is watched.
    expect((await select([idle, ready], null)).readable).toEqual([ready]);
    expect(idle.watches + ready.watches).toBe(0);

    ready.set({ readable: false });
    const waiting = select([idle, ready], [idle]);
    // Listed twice, watched twice (once per list), released as often.
    expect([idle.watches, ready.watches]).toEqual([2, 1]);
    idle.set({ writable: true });
    const result = await waiting;
    expect(result).toEqual({ readable: [], writable: [idle], timedOut: false });
    expect([idle.unwatches, ready.unwatches]).toEqual([2, 1]);
    expect(idle.watching + ready.watching).toBe(0);
  });

  test('readiness: a watcher call that changes nothing leaves select() waiting', async () => {
    const flag = new Flag();
    const waiting = select([flag], null);
    let settled = false;
    void waiting.then(() => (settled = true));
    flag.notify();
    flag.notify();
    await turn();
    expect(settled).toBe(false);
    expect(flag.watching).toBe(1);
    flag.set({ readable: true });
    expect((await waiting).readable).toEqual([flag]);
  });

  test('readiness: many objects turning ready in one tick cost select() one scan', async () => {
    const flags = Array.from({ length: 100 }, (_, i) => new Flag(`f${i}`));
    const waiting = select(flags, null);
    for (const f of flags) f.set({ readable: true });
    const { readable } = await waiting;
    expect(readable).toEqual(flags);
    // One read by the first scan, one by the single rescan.
    expect(flags.map((f) => f.reads)).toEqual(flags.map(() => 2));
  });

  test('readiness: a custom object closed while watched is ignored and still released', async () => {
    const closing = new Flag('closing');
    const other = new Flag('other');
    const waiting = select([closing, other], null, { timeout: 5 });
    closing.set({ closed: true, readable: true });
    await turn();
    other.set({ readable: true });
    expect((await waiting).readable).toEqual([other]);
    expect(closing.watching + other.watching).toBe(0);
  });

  test('readiness: objects without a usable [readiness] are not selectable', async () => {
    const entries = [
      { [readiness]: 5 },
      { [readiness]: null },
      { [readiness]: 'x' },
      { readable: true },
    ];
    expect(await select(entries, entries, { timeout: 0 })).toEqual({
      readable: [],
      writable: [],
      timedOut: true,
    });
  });

  test('readiness: a watcher called from inside watch() is handled', async () => {
    const eager: Selectable & Readiness = {
      readable: true,
      writable: false,
      closed: false,
      get [readiness]() {
        return eager;
      },
      watch: (w) => w(),
      unwatch: () => undefined,
    };
    const idle = new Flag();
    // Not ready during the first scan: `readable` turns true as select watches.
    let first = true;
    const late: Selectable & Readiness = {
      get readable() {
        const was = !first;
        first = false;
        return was;
      },
      writable: false,
      closed: false,
      get [readiness]() {
        return late;
      },
      watch: (w) => w(),
      unwatch: () => undefined,
    };
    expect((await select([idle, eager], null)).readable).toEqual([eager]);
    expect((await select([idle, late], null)).readable).toEqual([late]);
    expect(idle.watching).toBe(0);
  });

  test('readiness: select() never reads an object again once it returned, even if called back', async () => {
    const flag = new Flag();
    const kept: Watcher[] = [];
    const sticky: Selectable & Readiness = {
      get readable() {
        return flag.readable;
      },
      writable: false,
      closed: false,
      get [readiness]() {
        return sticky;
      },
      // Keeps every watcher, and ignores unwatch: a badly behaved object.
      watch: (w) => void kept.push(w),
      unwatch: () => undefined,
    };
    const waiting = select([sticky, flag], null);
    flag.set({ readable: true });
    await waiting;
    const reads = flag.reads;
    for (const w of kept) w();
    await turn();
    expect(flag.reads).toBe(reads);
  });

  test('readiness: select() rejects, and releases everything, when an object throws', async () => {
    const boom = new Error('broken object');
    const idle = new Flag('idle');
    let armed = false;
    const throwing: Selectable & Readiness = {
      get readable() {
        if (armed) throw boom;
        return false;
      },
      writable: false,
      closed: false,
      get [readiness]() {
        return throwing;
      },
      watch: () => undefined,
      unwatch: () => undefined,
    };
    // From the first scan: a rejection, not a synchronous throw.
    armed = true;
    const early = select([throwing], null);
    expect(await rejection(early)).toBe(boom);

    // From a later scan.
    armed = false;
    const waiting = select([idle, throwing], null, { timeout: 30 });
    armed = true;
    idle.notify();
    expect(await rejection(waiting)).toBe(boom);
    expect(idle.watching).toBe(0);
  });

  test('readiness: select() rejects, and releases what it watched, when watch() throws', async () => {
    const boom = new Error('cannot watch');
    const before = new Flag('before');
    const after = new Flag('after');
    const refusing: Selectable & Readiness = {
      readable: false,
      writable: false,
      closed: false,
      get [readiness]() {
        return refusing;
      },
      watch: () => {
        throw boom;
      },
      unwatch: () => undefined,
    };
    const controller = new AbortController();
    const waiting = select([before, refusing, after], null, {
      signal: controller.signal,
      timeout: 30,
    });
    expect(await rejection(waiting)).toBe(boom);
    expect(before.watching + after.watching).toBe(0);
  });
});

// ---------------------------------------------------------------- Notifier

describe('Notifier', () => {
  test('Notifier.notify() with no watchers does nothing', () => {
    expect(() => new Notifier().notify()).not.toThrow();
  });

  test('Notifier.notify() calls each watcher once, in the order they came, however often added', () => {
    const n = new Notifier();
    const calls: string[] = [];
    const a = (): void => void calls.push('a');
    const b = (): void => void calls.push('b');
    n.watch(a);
    n.watch(b);
    n.watch(a);
    n.notify();
    expect(calls).toEqual(['a', 'b']);
  });

  test('Notifier.unwatch() stops the calls; an unknown watcher is ignored', () => {
    const n = new Notifier();
    let calls = 0;
    const w = (): void => void calls++;
    n.unwatch(w);
    n.watch(w);
    n.notify();
    n.unwatch(w);
    n.unwatch(w);
    n.notify();
    expect(calls).toBe(1);
  });

  test('Notifier.notify() calls a watcher that re-registers itself once per round', () => {
    for (const others of [0, 1]) {
      const n = new Notifier();
      let calls = 0;
      const again = (): void => {
        calls++;
        // A guard, so that a regression fails instead of spinning forever.
        if (calls > 10) return;
        n.unwatch(again);
        n.watch(again);
      };
      if (others > 0) n.watch(() => undefined);
      n.watch(again);
      n.notify();
      expect(calls).toBe(1);
      n.notify();
      expect(calls).toBe(2);
    }
  });

  test('Notifier.notify() calls a watcher added during a round from the next round on', () => {
    const n = new Notifier();
    const calls: string[] = [];
    const late = (): void => void calls.push('late');
    n.watch(() => {
      calls.push('first');
      n.watch(late);
    });
    n.watch(() => void calls.push('second'));
    n.notify();
    expect(calls).toEqual(['first', 'second']);
    n.notify();
    expect(calls).toEqual(['first', 'second', 'first', 'second', 'late']);
  });

  test('Notifier.notify() skips a watcher removed earlier in the same round', () => {
    const n = new Notifier();
    const calls: string[] = [];
    const second = (): void => void calls.push('second');
    n.watch(() => {
      calls.push('first');
      n.unwatch(second);
    });
    n.watch(second);
    n.notify();
    expect(calls).toEqual(['first']);
  });
});
