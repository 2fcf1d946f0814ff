/**
 * Durations far above what Node.js timers hold (2^31−1 ms): every call that
 * waits must still wait, and no `TimeoutOverflowWarning` may fire.
 */
import { describe, expect, test } from 'vitest';
import { bind, connect, dns, select, tcp, udp, type SocketError } from '../../../src/index.js';
import { fullListener } from '../../helpers/full-listener.js';
import { loopback } from '../../helpers/loopback.js';
import { failOnTimeoutOverflow, HUGE, stillWaiting } from '../../helpers/long-waits.js';

failOnTimeoutOverflow();

describe('long durations', () => {
  test.each([
    [
      'a block timeout of 1e7 s',
      (c: { settimeout(v: number, m?: 'b' | 't'): void }) => c.settimeout(HUGE),
    ],
    [
      'a total timeout of 1e7 s',
      (c: { settimeout(v: number, m?: 'b' | 't'): void }) => c.settimeout(HUGE, 't'),
    ],
    [
      'a block timeout of 1e300 s',
      (c: { settimeout(v: number, m?: 'b' | 't'): void }) => c.settimeout(1e300),
    ],
    [
      'total Infinity',
      (c: { settimeout(v: number, m?: 'b' | 't'): void }) => c.settimeout(Infinity, 't'),
    ],
  ])('receive() under %s waits until the socket closes', async (_, set) => {
    await using lo = await loopback();
    set(lo.client);
    const err = (await stillWaiting(lo.client.receive('*l'), () =>
      lo.client.close(),
    )) as SocketError;
    expect(err.code).toBe('closed');
  });

  test('receive({ timeout: 1e7 }) and receiveany({ timeout: 1e7 }) wait until aborted', async () => {
    await using lo = await loopback();
    for (const call of [
      (signal: AbortSignal) => lo.client.receive(4, { timeout: HUGE, signal }),
      (signal: AbortSignal) => lo.client.receiveany(4, { timeout: HUGE, signal }),
    ]) {
      const stop = new AbortController();
      const reason = new Error('stop');
      const err = (await stillWaiting(call(stop.signal), () => stop.abort(reason))) as SocketError;
      expect(err.cause ?? err).toBe(reason);
    }
    expect(await lo.client.receive(0)).toBe('');
  });

  test('send() to a peer that does not read, under settimeout(1e7) and { timeout: 1e7 }, waits until aborted', async () => {
    await using lo = await loopback({ encoding: 'buffer' });
    lo.peer.pause();
    lo.client.settimeout(HUGE);
    const stop = new AbortController();
    // More than the kernel's buffers on both ends hold: the send must wait.
    const big = Buffer.alloc(64 * 1024 * 1024);
    const pending = lo.client.send(big, { timeout: HUGE, signal: stop.signal });
    const err = (await stillWaiting(pending, () => stop.abort(new Error('stop')))) as SocketError;
    expect(err.code).toBe('aborted');
    expect(err.sent).toBeGreaterThan(0);
    expect(err.sent).toBeLessThan(big.length);
  });

  test('accept({ timeout: 1e7 }) and settimeout(1e7) accept wait until the server closes', async () => {
    const server = await bind('127.0.0.1', 0);
    server.settimeout(HUGE);
    const err = (await stillWaiting(server.accept({ timeout: HUGE }), () =>
      server.close(),
    )) as SocketError;
    expect(err.code).toBe('closed');
  });

  test('connect({ timeout: 1e7 }) to a listener that never answers waits until aborted', async () => {
    await using silent = await fullListener();
    const stop = new AbortController();
    const reason = new Error('stop');
    const pending = connect('127.0.0.1', silent.port, { timeout: HUGE, signal: stop.signal });
    expect(await stillWaiting(pending, () => stop.abort(reason))).toBe(reason);
  });

  test("tcp().connect() under settimeout(1e7) waits until the master closes, then fails with 'closed'", async () => {
    await using silent = await fullListener();
    const master = tcp();
    master.settimeout(HUGE);
    const err = (await stillWaiting(master.connect('127.0.0.1', silent.port), () =>
      master.close(),
    )) as SocketError;
    expect(err.code).toBe('closed');
  });

  test('select({ timeout: 1e7 }) waits until a socket becomes readable', async () => {
    await using lo = await loopback();
    const result = (await stillWaiting(select([lo.client], null, { timeout: HUGE }), () =>
      lo.peer.write('x'),
    )) as Awaited<ReturnType<typeof select>>;
    expect(result.readable).toEqual([lo.client]);
    expect(result.timedOut).toBe(false);
  });

  test('udp receive() under settimeout(1e7) and { timeout: 1e7 } waits until the socket closes', async () => {
    const u = udp();
    await u.setsockname('127.0.0.1', 0);
    u.settimeout(HUGE);
    const err = (await stillWaiting(u.receive(undefined, { timeout: HUGE }), () =>
      u.close(),
    )) as SocketError;
    expect(err.code).toBe('closed');
  });

  test('dns lookups under { timeout: 1e7 } answer and leave no timer behind', async () => {
    expect(await dns.toip('127.0.0.1', { timeout: HUGE })).toBe('127.0.0.1');
    const stop = new AbortController();
    const [first] = await dns.getaddrinfo('localhost', { timeout: HUGE, signal: stop.signal });
    expect(first).toBeDefined();
  });
});
