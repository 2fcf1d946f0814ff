/**
 * The writer's queue of sends waiting for room, on real loopback sockets: it
 * holds the callers' data and no copy, `bufferedAmount` counts it, and each
 * waiting send is under its own timeouts and signal from the moment it was
 * called, not from when its turn came.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { SocketError } from '../../../src/index.js';
import { settledYet } from '../../helpers/leaks.js';
import { collect, loopback, pause, socketError, until } from '../../helpers/loopback.js';

const KiB = 1024;
const MiB = 1024 * KiB;

const sha1 = (data: Buffer): string => createHash('sha1').update(data).digest('hex');

describe('StreamWriter queue', () => {
  test('bufferedAmount counts what Node.js holds and what waiting sends hold, and falls to 0 as the peer reads', async () => {
    await using lb = await loopback({ encoding: 'buffer' });
    expect(lb.client.bufferedAmount).toBe(0);
    expect(await lb.client.send('abc')).toBe(3);
    lb.peer.pause();
    const data = randomBytes(8 * MiB);
    const first = lb.client.send(data);
    const second = lb.client.send('€€'); // counted in bytes, not characters
    await pause(20);
    const { sent } = lb.client.getstats();
    expect(sent).toBeLessThan(3 + data.length);
    expect(lb.client.bufferedAmount).toBeGreaterThanOrEqual(3 + data.length + 6 - sent);
    // Node.js never holds more than a mark plus a piece; the rest waits in the queue.
    expect(lb.client.bufferedAmount - (3 + data.length + 6 - sent)).toBeLessThanOrEqual(
      16 * KiB + 64 * KiB,
    );
    const got = collect(lb.peer);
    lb.peer.resume();
    expect(await first).toBe(data.length);
    expect(await second).toBe(6);
    await until(() => lb.client.bufferedAmount === 0);
    lb.client.shutdown('send');
    expect(sha1(await got)).toBe(
      sha1(Buffer.concat([Buffer.from('abc'), data, Buffer.from('€€')])),
    );
  });

  test('a send queued behind a stuck one times out on its own clock: one block timeout after it was called', async () => {
    await using lb = await loopback();
    lb.peer.pause();
    lb.client.settimeout(0.5);
    const at = (p: Promise<number>): Promise<[SocketError, number]> =>
      socketError(p).then((err) => [err, performance.now()]);
    const ahead = at(lb.client.send(randomBytes(32 * MiB)));
    const queued = at(lb.client.send('queued'));
    const [[a, aEnd], [q, qEnd]] = await Promise.all([ahead, queued]);
    expect(a.code).toBe('timeout');
    expect(q.code).toBe('timeout');
    expect(q.sent).toBe(0);
    // Both waited for the same idle peer from the same moment: they end
    // together, not one timeout apart.
    expect(Math.abs(qEnd - aEnd)).toBeLessThan(250);
  });

  test('a queued send with { timeout } gives up while the one ahead still waits, and the bytes after it follow the first exactly', async () => {
    await using lb = await loopback({ encoding: 'buffer' });
    lb.peer.pause();
    const big = randomBytes(16 * MiB);
    const ahead = lb.client.send(big);
    const late = await socketError(lb.client.send(randomBytes(MiB), { timeout: 0.1 }));
    expect(late.code).toBe('timeout');
    expect(late.sent).toBe(0);
    expect(await settledYet(ahead)).toBe(false);
    const after = lb.client.send('tail');
    const got = collect(lb.peer);
    lb.peer.resume();
    expect(await ahead).toBe(big.length);
    expect(await after).toBe(4);
    lb.client.shutdown('send');
    expect(sha1(await got)).toBe(sha1(Buffer.concat([big, Buffer.from('tail')])));
  });

  test('a queued send is not idle while the send ahead moves bytes: its block timeout restarts with their progress', async () => {
    await using lb = await loopback({ encoding: 'buffer' });
    lb.client.settimeout(0.5, 'b');
    lb.client.settimeout(10, 't'); // a block timeout of its own, not one bounding the call
    lb.peer.pause();
    const big = randomBytes(24 * MiB);
    const ahead = lb.client.send(big);
    const queued = lb.client.send('after');
    // A reader that takes about 512 KiB every 50 ms: never idle for 500 ms,
    // and over a second before the 24 MiB are through.
    const got: Buffer[] = [];
    let tick = 0;
    lb.peer.on('data', (chunk: Buffer) => {
      got.push(chunk);
      tick += chunk.length;
      if (tick >= 512 * KiB) lb.peer.pause();
    });
    const ticker = setInterval(() => {
      tick = 0;
      lb.peer.resume();
    }, 50);
    try {
      await pause(1000);
      expect(await settledYet(queued)).toBe(false);
      clearInterval(ticker);
      lb.peer.resume();
      lb.peer.removeAllListeners('data');
      lb.peer.on('data', (chunk: Buffer) => got.push(chunk));
      expect(await ahead).toBe(big.length);
      expect(await queued).toBe(5);
    } finally {
      clearInterval(ticker);
    }
    lb.client.shutdown('send');
    await new Promise((resolve) => lb.peer.once('end', resolve));
    expect(sha1(Buffer.concat(got))).toBe(sha1(Buffer.concat([big, Buffer.from('after')])));
  });

  test('10,000 un-awaited sends of the same 64 KiB text to a peer that does not read hold no copies: RSS grows by less than 64 MiB', async () => {
    await using lb = await loopback();
    lb.peer.pause();
    const text = '€'.repeat(64 * KiB); // 192 KiB of UTF-8 per send, 1.9 GiB in all
    const sends: Promise<number>[] = [];
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 10_000; i++) sends.push(lb.client.send(text));
    const grown = process.memoryUsage().rss - before;
    expect(grown).toBeLessThan(64 * MiB);
    expect(lb.client.bufferedAmount).toBeGreaterThan(10_000 * Buffer.byteLength(text) - 4 * MiB);
    lb.client.close();
    const errors = await Promise.allSettled(sends);
    // Every send ends: the ones that got through with their length, the rest with 'closed'.
    for (const r of errors) {
      if (r.status === 'rejected') expect((r.reason as SocketError).code).toBe('closed');
    }
    expect(errors.filter((r) => r.status === 'rejected').length).toBeGreaterThan(9_900);
    expect(lb.client.bufferedAmount).toBeLessThanOrEqual(0 + 16 * KiB + 64 * KiB);
  });

  test('10,000 un-awaited sends of 64 KiB Buffers the caller reuses hold no copies, and every byte arrives in order once the peer reads', async () => {
    await using lb = await loopback({ encoding: 'buffer' });
    lb.peer.pause();
    const blocks = Array.from({ length: 4 }, () => randomBytes(64 * KiB));
    const before = process.memoryUsage().rss;
    const sends: Promise<number>[] = [];
    for (let i = 0; i < 10_000; i++) sends.push(lb.client.send(blocks[i % 4] as Buffer));
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * MiB);
    const hash = createHash('sha1');
    let received = 0;
    lb.peer.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      received += chunk.length;
    });
    lb.peer.resume();
    const sent = await Promise.all(sends);
    expect(sent.every((n) => n === 64 * KiB)).toBe(true);
    lb.client.shutdown('send');
    await new Promise((resolve) => lb.peer.once('end', resolve));
    const expected = createHash('sha1');
    for (let i = 0; i < 10_000; i++) expected.update(blocks[i % 4] as Buffer);
    expect(received).toBe(10_000 * 64 * KiB);
    expect(hash.digest('hex')).toBe(expected.digest('hex'));
  });

  test('close() fails every waiting send with closed and its sent, and releases their timers', async () => {
    await using lb = await loopback();
    lb.peer.pause();
    const waiting = [
      lb.client.send(randomBytes(16 * MiB), { timeout: 60 }),
      lb.client.send('x', { timeout: 60 }),
      lb.client.send('y', { signal: new AbortController().signal }),
    ];
    await pause(20);
    lb.client.close();
    const errors = await Promise.all(waiting.map((p) => socketError(p)));
    expect(errors.map((e) => e.code)).toEqual(['closed', 'closed', 'closed']);
    expect(errors[0]?.sent).toBeGreaterThan(0);
    expect(errors.slice(1).map((e) => e.sent)).toEqual([0, 0]);
  });
});
