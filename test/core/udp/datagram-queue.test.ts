import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { getEventListeners } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SocketError } from '../../../src/errors/socket-error.js';
import { ReadyState } from '../../../src/select/readiness.js';
import { codecFor, type DataOf, type Encoding } from '../../../src/stream/codec.js';
import { TIMEOUT_CHANNEL } from '../../../src/trace/diagnostics.js';
import type { TimeoutSettings } from '../../../src/time/timeout.js';
import { DatagramIterator, DatagramQueue } from '../../../src/udp/datagram-queue.js';
import { settledYet, timers } from '../../helpers/leaks.js';
import { rejection, socketError } from '../../helpers/loopback.js';

const A = { address: '127.0.0.1', port: 5001 };
const B = { address: '::1', port: 5002 };
const DONE = { done: true, value: undefined };

function make<E extends Encoding = 'utf8'>(
  options: { encoding?: E; limit?: number; settings?: TimeoutSettings } = {},
): { queue: DatagramQueue<DataOf<E>>; ready: ReadyState; notified: () => number } {
  const ready = new ReadyState();
  let notes = 0;
  ready.watch(() => notes++);
  const queue = new DatagramQueue<DataOf<E>>(
    options.limit ?? 1024,
    options.settings ?? { block: undefined, total: undefined },
    codecFor((options.encoding ?? 'utf8') as E),
    ready,
  );
  return { queue, ready, notified: () => notes };
}

describe('DatagramQueue', () => {
  it('a datagram that nobody waits for is queued: readable, select told, then taken whole', async () => {
    const { queue, ready, notified } = make();
    queue.push(Buffer.from('hello'), A);
    expect(queue.length).toBe(1);
    expect(ready.readable).toBe(true);
    expect(notified()).toBe(1);
    expect(await queue.take(Infinity, undefined)).toEqual({
      data: 'hello',
      address: '127.0.0.1',
      port: 5001,
    });
    expect(queue.length).toBe(0);
    expect(ready.readable).toBe(false);
    expect(queue.received).toBe(5);
  });

  it('take(size) cuts the datagram to size bytes, drops the rest, and counts only what it gave', async () => {
    const { queue } = make();
    queue.push(Buffer.from('abcdef'), A);
    queue.push(Buffer.from('next'), B);
    expect((await queue.take(2, undefined)).data).toBe('ab');
    expect(await queue.take(0, undefined)).toEqual({ data: '', ...B });
    expect(queue.received).toBe(2);
    expect(queue.length).toBe(0);
  });

  it('with the buffer encoding a whole datagram is the Buffer dgram made, a cut one a view of it', async () => {
    const { queue } = make({ encoding: 'buffer' });
    const whole = Buffer.from([0, 1, 2, 0xff]);
    const cut = Buffer.from([9, 8, 7]);
    queue.push(whole, A);
    queue.push(cut, A);
    expect((await queue.take(8192, undefined)).data).toBe(whole);
    const part = (await queue.take(2, undefined)).data;
    expect(part).toEqual(Buffer.from([9, 8]));
    expect(part.buffer).toBe(cut.buffer);
  });

  it('the encoding decides the data: utf8 and latin1 strings', async () => {
    const bytes = Buffer.from('é', 'utf8');
    const utf8 = make();
    const latin1 = make({ encoding: 'latin1' });
    utf8.queue.push(bytes, A);
    latin1.queue.push(bytes, A);
    expect((await utf8.queue.take(Infinity, undefined)).data).toBe('é');
    expect((await latin1.queue.take(Infinity, undefined)).data).toBe('\xc3\xa9');
  });

  it('a full queue drops the newest datagram and counts it; the oldest stay, in order', async () => {
    const { queue } = make({ limit: 2 });
    for (const word of ['one', 'two', 'three', 'four']) queue.push(Buffer.from(word), A);
    expect([queue.length, queue.dropped]).toEqual([2, 2]);
    expect((await queue.take(Infinity, undefined)).data).toBe('one');
    queue.push(Buffer.from('five'), A);
    expect((await queue.take(Infinity, undefined)).data).toBe('two');
    expect((await queue.take(Infinity, undefined)).data).toBe('five');
    expect(queue.dropped).toBe(2);
  });

  it('a waiting take gets the next datagram directly, so a limit of 1 drops nothing', async () => {
    const { queue, ready } = make({ limit: 1 });
    const first = queue.take(Infinity, undefined);
    const second = queue.take(3, undefined);
    queue.push(Buffer.from('x'), A);
    queue.push(Buffer.from('yyyy'), B);
    expect(await first).toEqual({ data: 'x', ...A });
    expect(await second).toEqual({ data: 'yyy', ...B });
    expect([queue.length, queue.dropped, ready.readable]).toEqual([0, 0, false]);
  });

  it('datagrams come out in arrival order, whatever the interleaving, past every growth of the ring', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 70 }),
        fc.array(fc.oneof(fc.constant(-1), fc.nat({ max: 6 })), { maxLength: 300 }),
        async (limit, ops) => {
          const { queue, ready } = make({ limit });
          const model: string[] = [];
          let dropped = 0;
          let received = 0;
          let n = 0;
          for (const op of ops) {
            if (op === -1) {
              const word = `d${n++}`;
              queue.push(Buffer.from(word), A);
              if (model.length < limit) model.push(word);
              else dropped++;
            } else if (model.length > 0) {
              const want = (model.shift() as string).slice(0, op);
              received += want.length;
              expect((await queue.take(op, undefined)).data).toBe(want);
            }
            expect(queue.length).toBe(model.length);
            expect(ready.readable).toBe(model.length > 0);
          }
          expect([queue.dropped, queue.received]).toEqual([dropped, received]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an error with nobody waiting fails the next take, once; datagrams already queued come first', async () => {
    const { queue, ready } = make();
    queue.push(Buffer.from('before'), A);
    const refused = new SocketError('refused');
    queue.error(refused);
    expect([queue.failing, ready.readable]).toEqual([true, true]);
    expect((await queue.take(Infinity, undefined)).data).toBe('before');
    expect(await rejection(queue.take(Infinity, undefined))).toBe(refused);
    expect([queue.failing, ready.readable]).toEqual([false, false]);
    queue.push(Buffer.from('after'), A);
    expect((await queue.take(Infinity, undefined)).data).toBe('after');
  });

  it('an error goes to the take already waiting; takeError() hands a reported one over once', async () => {
    const { queue } = make();
    const waiting = queue.take(Infinity, undefined);
    const first = new SocketError('refused');
    queue.error(first);
    expect(await rejection(waiting)).toBe(first);
    expect(queue.failing).toBe(false);
    const second = new SocketError('refused');
    queue.error(second);
    expect(queue.takeError()).toBe(second);
    expect(queue.takeError()).toBeUndefined();
    expect(queue.failing).toBe(false);
  });

  it('fail() ends every waiting take and every later one with the first failure', async () => {
    const { queue } = make();
    const waiting = [queue.take(Infinity, undefined), queue.take(1, undefined)];
    const closed = new SocketError('closed');
    queue.fail(closed);
    queue.fail(new SocketError('system', { message: 'later' }));
    for (const w of waiting) expect(await rejection(w)).toBe(closed);
    queue.push(Buffer.from('late'), A);
    expect(await rejection(queue.take(Infinity, undefined))).toBe(closed);
  });

  it("take() with an aborted signal fails with 'aborted' and the reason as cause, consuming nothing", async () => {
    const { queue } = make();
    queue.push(Buffer.from('kept'), A);
    const reason = new Error('no');
    const err = await socketError(queue.take(Infinity, { signal: AbortSignal.abort(reason) }));
    expect([err.code, err.cause]).toEqual(['aborted', reason]);
    expect(queue.length).toBe(1);
  });

  it("take() aborted while it waits fails with 'aborted', releases its listener, and the next datagram is queued", async () => {
    const { queue } = make();
    const stop = new AbortController();
    const reason = new Error('stop');
    const waiting = queue.take(Infinity, { signal: stop.signal });
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
    stop.abort(reason);
    const err = await socketError(waiting);
    expect([err.code, err.cause]).toEqual(['aborted', reason]);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    queue.push(Buffer.from('not lost'), A);
    expect(queue.length).toBe(1);
  });

  it("take() under a timeout fails with 'timeout' after a turn of the event loop, and says so on the timeout channel", async () => {
    const seen: unknown[] = [];
    const listener = (message: unknown): void => void seen.push(message);
    subscribe(TIMEOUT_CHANNEL, listener);
    try {
      for (const [settings, options] of [
        [{ block: undefined, total: undefined }, { timeout: 0.01 }],
        [{ block: 0, total: undefined }, undefined],
        [{ block: undefined, total: 0 }, undefined],
      ] as const) {
        const { queue } = make({ settings: { ...settings } });
        const waiting = queue.take(Infinity, options);
        expect(await settledYet(waiting)).toBe(false);
        const err = await socketError(waiting);
        expect(err.code).toBe('timeout');
        queue.push(Buffer.from('queued, not lost'), A);
        expect(queue.length).toBe(1);
      }
    } finally {
      unsubscribe(TIMEOUT_CHANNEL, listener);
    }
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatchObject({ operation: 'receive', error: { code: 'timeout' } });
  });

  it('a take that nothing can end early arms no timer; one with a timeout clears its timer on delivery', async () => {
    const before = timers();
    const { queue } = make();
    const plain = queue.take(Infinity, undefined);
    expect(timers()).toBe(before);
    const timed = queue.take(Infinity, { timeout: 30 });
    expect(timers()).toBe(before + 1);
    queue.push(Buffer.from('1'), A);
    queue.push(Buffer.from('2'), A);
    expect((await plain).data).toBe('1');
    expect((await timed).data).toBe('2');
    expect(timers()).toBe(before);
  });
});

describe('DatagramIterator', () => {
  it('next() gives the queued datagrams whole, then waits for the next one', async () => {
    const { queue } = make();
    const it = new DatagramIterator(queue);
    expect(it[Symbol.asyncIterator]()).toBe(it);
    queue.push(Buffer.from('x'.repeat(9000)), A);
    expect(await it.next()).toEqual({ done: false, value: { data: 'x'.repeat(9000), ...A } });
    const waiting = it.next();
    expect(await settledYet(waiting)).toBe(false);
    queue.push(Buffer.from('later'), B);
    expect(await waiting).toEqual({ done: false, value: { data: 'later', ...B } });
  });

  it("a close ('closed') ends the iteration: waiting and later next() calls answer done", async () => {
    const { queue } = make();
    const it = new DatagramIterator(queue);
    const waiting = [it.next(), it.next()];
    queue.fail(new SocketError('closed'));
    expect(await Promise.all(waiting)).toEqual([DONE, DONE]);
    expect(await it.next()).toEqual(DONE);
  });

  it('another failure is thrown into the loop once, and the iteration ends', async () => {
    const { queue } = make();
    const it = new DatagramIterator(queue);
    const refused = new SocketError('refused');
    queue.error(refused);
    expect(await rejection(it.next())).toBe(refused);
    queue.push(Buffer.from('after'), A);
    expect(await it.next()).toEqual(DONE);
    // The datagram is still there for a receive.
    expect((await queue.take(Infinity, undefined)).data).toBe('after');
  });

  it('a timeout of the socket fails the waiting next() and ends that iteration’s other waiting calls', async () => {
    const { queue } = make({ settings: { block: undefined, total: 0.01 } });
    const it = new DatagramIterator(queue);
    const first = it.next();
    const second = it.next();
    const other = queue.take(Infinity, { timeout: 30 });
    expect((await socketError(first)).code).toBe('timeout');
    expect(await second).toEqual(DONE);
    queue.push(Buffer.from('for the receive'), A);
    expect((await other).data).toBe('for the receive');
  });

  it('return() ends only its own waiting calls; a receive and another iterator go on', async () => {
    const { queue } = make();
    const mine = new DatagramIterator(queue);
    const theirs = new DatagramIterator(queue);
    const mineWaiting = mine.next();
    const receive = queue.take(Infinity, undefined);
    const theirsWaiting = theirs.next();
    expect(await mine.return()).toEqual(DONE);
    expect(await mineWaiting).toEqual(DONE);
    expect(await mine.next()).toEqual(DONE);
    queue.push(Buffer.from('1'), A);
    queue.push(Buffer.from('2'), A);
    expect((await receive).data).toBe('1');
    expect(await theirsWaiting).toEqual({ done: false, value: { data: '2', ...A } });
  });
});
