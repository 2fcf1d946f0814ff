import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { setImmediate as turn } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { DEFAULT_HIGH_WATER_MARK, SocketError } from '../../../src/index.js';
import { collect, loopback, pause, socketError, until } from '../../helpers/loopback.js';
import { settledYet } from '../../helpers/leaks.js';

/** The most one socket read hands over: libuv reads at most 64 KiB at a time. */
const READ_CHUNK = 64 * 1024;
const MiB = 1024 * 1024;

/**
 * Writes `total` bytes (a multiple of 1 MiB) from a few distinct random
 * blocks, honouring 'drain', then ends; resolves to the SHA-1 of the stream.
 */
async function flood(socket: Socket, total: number): Promise<string> {
  const blocks = Array.from({ length: 7 }, () => randomBytes(MiB));
  const hash = createHash('sha1');
  for (let i = 0; i < total / MiB; i++) {
    const block = blocks[i % blocks.length] as Buffer;
    hash.update(block);
    if (!socket.write(block)) await once(socket, 'drain');
  }
  socket.end();
  return hash.digest('hex');
}

/** Waits until `read()` has not changed for `turns` consecutive short pauses. */
async function settled(read: () => number, turns = 20): Promise<number> {
  let last = read();
  for (let same = 0; same < turns;) {
    await pause(5);
    const now = read();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}

describe('TcpClient read backpressure', () => {
  test.each([
    { total: 200 * MiB, highWaterMark: undefined },
    { total: 16 * MiB, highWaterMark: 16 * 1024 },
  ])(
    'receive(65536) by a slow reader of $total bytes keeps `buffered` within one chunk of highWaterMark $highWaterMark and gets every byte intact',
    async ({ total, highWaterMark }) => {
      const mark = highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
      await using lb = await loopback({
        encoding: 'buffer',
        ...(highWaterMark !== undefined && { highWaterMark }),
      });
      const sent = flood(lb.peer, total);

      let maxBuffered = 0;
      let done = false;
      // Samples `buffered` on every turn of the event loop, that is after every socket read.
      const sampler = (async () => {
        while (!done) {
          maxBuffered = Math.max(maxBuffered, lb.client.buffered);
          await turn();
        }
      })();
      const baseline = process.memoryUsage().arrayBuffers;
      let peakMemory = 0;

      const hash = createHash('sha1');
      let received = 0;
      try {
        for (let step = 0; ; step++) {
          maxBuffered = Math.max(maxBuffered, lb.client.buffered);
          let chunk: Buffer;
          try {
            chunk = await lb.client.receive(65536);
          } catch (err) {
            if (!(err instanceof SocketError) || err.code !== 'closed') throw err;
            chunk = err.partial as Buffer;
            hash.update(chunk);
            received += chunk.length;
            break;
          }
          hash.update(chunk);
          received += chunk.length;
          // The slow part: the reader stops now and then and lets the peer run ahead.
          if (step % 4 === 3) await pause(1);
          else await turn();
          if (step % 64 === 0)
            peakMemory = Math.max(peakMemory, process.memoryUsage().arrayBuffers - baseline);
        }
      } finally {
        done = true;
        await sampler;
      }

      expect(received).toBe(total);
      expect(hash.digest('hex')).toBe(await sent);
      expect(maxBuffered).toBeLessThanOrEqual(mark + READ_CHUNK);
      // The stream is never held in memory: a small fraction of it at most, garbage included.
      expect(peakMemory).toBeLessThan(Math.max(total / 2, 64 * MiB));
    },
  );
  test('receive() calls the buffer answers at once let a paused socket read again', async () => {
    await using lb = await loopback({ encoding: 'buffer', highWaterMark: 16 * 1024 });
    const data = randomBytes(4 * MiB);
    lb.peer.end(data);
    const got: Buffer[] = [];
    let received = 0;
    while (received < data.length) {
      // Only ever read what is already buffered: no receive here waits for the peer.
      await until(() => lb.client.buffered > 0, 10_000, 'more bytes after the buffer was drained');
      while (lb.client.buffered > 0) {
        const chunk = await lb.client.receive(Math.min(lb.client.buffered, 1024));
        got.push(chunk);
        received += chunk.length;
      }
    }
    expect(Buffer.concat(got).equals(data)).toBe(true);
  });
});

describe('TcpClient send backpressure', () => {
  test("send() waits for 'drain' while the peer does not read, and completes once it does", async () => {
    await using lb = await loopback();
    lb.peer.pause();
    // Larger than the loopback's socket buffers on both ends.
    const data = randomBytes(48 * MiB);
    let finished = false;
    const sending = lb.client.send(data).finally(() => (finished = true));
    const stalled = await settled(() => lb.client.getstats().sent);
    expect(finished).toBe(false);
    expect(stalled).toBeLessThan(data.length);

    const got = collect(lb.peer);
    lb.peer.resume();
    expect(await sending).toBe(data.length);
    lb.client.shutdown('send');
    const received = await got;
    expect(received.length).toBe(data.length);
    expect(received.equals(data)).toBe(true);
  });

  test("send() under settimeout(0.2) fails with 'timeout' and `sent` < length; resending from `sent` delivers every byte exactly once", async () => {
    await using lb = await loopback();
    lb.client.settimeout(0.2);
    lb.peer.pause();
    const data = randomBytes(48 * MiB);
    const err = await socketError(lb.client.send(data));
    expect(err.code).toBe('timeout');
    expect(err.sent).toBeGreaterThan(0);
    expect(err.sent).toBeLessThan(data.length);
    expect(lb.client.getstats().sent).toBe(err.sent);

    // The socket is still usable: the peer starts reading, the rest goes out.
    const got = collect(lb.peer);
    lb.peer.resume();
    let offset = err.sent ?? 0;
    while (offset < data.length) {
      try {
        offset += await lb.client.send(data.subarray(offset));
      } catch (e) {
        if (!(e instanceof SocketError) || e.code !== 'timeout') throw e;
        offset += e.sent ?? 0;
      }
    }
    lb.client.shutdown('send');
    const received = await got;
    expect(received.length).toBe(data.length);
    expect(received.equals(data)).toBe(true);
    expect(lb.client.getstats().sent).toBe(data.length);
  });

  test("send(…, { signal }) aborted while waiting for 'drain' fails with 'aborted', the reason and `sent`", async () => {
    await using lb = await loopback();
    lb.peer.pause();
    const data = randomBytes(48 * MiB);
    const controller = new AbortController();
    const sending = lb.client.send(data, { signal: controller.signal });
    await settled(() => lb.client.getstats().sent);
    const reason = new Error('enough');
    controller.abort(reason);
    const err = await socketError(sending);
    expect(err.code).toBe('aborted');
    expect(err.cause).toBe(reason);
    expect(err.sent).toBe(lb.client.getstats().sent);
    expect(err.sent).toBeLessThan(data.length);

    const got = collect(lb.peer);
    lb.peer.resume();
    expect(await lb.client.send(data.subarray(err.sent))).toBe(data.length - (err.sent ?? 0));
    lb.client.shutdown('send');
    expect((await got).equals(data)).toBe(true);
  });

  test("send(…, { signal }) aborted while queued behind a waiting send fails at once and hands over nothing: 'aborted', `sent` 0", async () => {
    await using lb = await loopback();
    lb.peer.pause();
    const first = randomBytes(48 * MiB);
    const sending = lb.client.send(first);
    await settled(() => lb.client.getstats().sent);
    const controller = new AbortController();
    const queued = lb.client.send(randomBytes(MiB), { signal: controller.signal });
    expect(lb.client.bufferedAmount).toBeGreaterThan(first.length - lb.client.getstats().sent);
    const reason = new Error('never mind');
    controller.abort(reason);

    // The send ahead is still stuck: the abort does not wait for its turn.
    const err = await socketError(queued);
    expect(err.code).toBe('aborted');
    expect(err.cause).toBe(reason);
    expect(err.sent).toBe(0);
    expect(await settledYet(sending)).toBe(false);

    const got = collect(lb.peer);
    lb.peer.resume();
    expect(await sending).toBe(first.length);
    lb.client.shutdown('send');
    expect((await got).equals(first)).toBe(true);
    expect(lb.client.getstats().sent).toBe(first.length);
  });

  test('send() hands pieces larger than the high-water mark over whole, and `sent` counts each byte once', async () => {
    await using lb = await loopback({ encoding: 'buffer' });
    const got = collect(lb.peer);
    // Sizes around the 16 KiB mark and the 64 KiB piece, in one stream.
    const parts = [16383, 16384, 16385, 65535, 65536, 65537, 3 * MiB + 1].map((n) =>
      randomBytes(n),
    );
    let total = 0;
    for (const part of parts) total += await lb.client.send(part);
    lb.client.shutdown('send');
    expect((await got).equals(Buffer.concat(parts))).toBe(true);
    expect(lb.client.getstats().sent).toBe(total);
    expect(total).toBe(Buffer.concat(parts).length);
  });
});
