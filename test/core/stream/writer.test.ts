/**
 * StreamWriter through a TcpClient on real loopback sockets: what a send
 * answers once the peer has gone, by reset or by FIN, and that a peer's
 * half-close leaves sending alone.
 */
import { once } from 'node:events';
import { describe, expect, test } from 'vitest';
import { collect, loopback, pause, socketError } from '../../helpers/loopback.js';

describe('StreamWriter after the peer went away', () => {
  test("send() after the peer reset fails with 'closed' and sent 0, and keeps failing", async () => {
    await using lo = await loopback();
    await lo.client.send('unread\n');
    lo.peer.resetAndDestroy();
    // The reset reaches the reader first: the next receive sees it.
    expect((await socketError(lo.client.receive())).code).toBe('closed');
    for (const data of ['ab', 'cd']) {
      const err = await socketError(lo.client.send(data));
      expect(err.code).toBe('closed');
      expect(err.sent).toBe(0);
    }
    expect(lo.client.getstats().sent).toBe(7);
  });

  test("send() right after a reset, before any receive, fails with 'closed'", async () => {
    await using lo = await loopback();
    lo.peer.resetAndDestroy();
    await pause(50); // pacing the peer: its RST is on the wire
    const err = await socketError(lo.client.send('ab'));
    expect(err.code).toBe('closed');
    expect(err.sent).toBe(0);
  });

  test("send() after the peer closed succeeds once (its kernel answers with a reset), then fails with 'closed'", async () => {
    await using lo = await loopback();
    lo.peer.destroy();
    expect((await socketError(lo.client.receive())).code).toBe('closed');
    expect(await lo.client.send('ab')).toBe(2);
    await pause(50); // pacing the peer: its RST is on the wire
    const second = await socketError(lo.client.send('cd'));
    expect(second.code).toBe('closed');
    expect(second.message).toBe('closed');
    expect(second.sent).toBe(0);
    expect((await socketError(lo.client.send('ef'))).sent).toBe(0);
    expect(lo.client.getstats().sent).toBe(2);
    expect(lo.client.writable).toBe(true); // a send would not wait: it fails at once
  });

  test("send() after the peer's half-close (FIN only) keeps working", async () => {
    await using lo = await loopback();
    const received = collect(lo.peer);
    lo.peer.end();
    expect((await socketError(lo.client.receive())).code).toBe('closed');
    expect(await lo.client.send('ab\n')).toBe(3);
    await pause(50);
    expect(await lo.client.send('cd\n')).toBe(3);
    lo.client.shutdown('send');
    expect((await received).toString()).toBe('ab\ncd\n');
    await once(lo.peer, 'close');
  });
});

describe('StreamWriter byte strings', () => {
  /** Every byte value, over and over: `size` bytes as a latin1 string. */
  const byteString = (size: number): string =>
    Array.from({ length: size }, (_, i) => String.fromCharCode(i % 256)).join('');

  test('a latin1 string goes out one byte per character, through backpressure, in order', async () => {
    await using lo = await loopback({ encoding: 'latin1' });
    const received = collect(lo.peer);
    const big = byteString(3 * 1024 * 1024 + 17);
    // Un-awaited sends queue behind each other; the peer reads only later.
    const sends = [
      lo.client.send(big),
      lo.client.send('tail\xff'),
      lo.client.send(Buffer.from([0])),
    ];
    expect(await Promise.all(sends)).toEqual([big.length, 5, 1]);
    lo.client.shutdown('send');
    const bytes = await received;
    expect(bytes.equals(Buffer.from(big + 'tail\xff\0', 'latin1'))).toBe(true);
    expect(lo.client.getstats().sent).toBe(big.length + 6);
  });

  test('a send of a byte string that times out reports exactly the bytes that went out', async () => {
    await using lo = await loopback({ encoding: 'latin1' });
    lo.peer.pause();
    const big = byteString(32 * 1024 * 1024);
    const err = await socketError(lo.client.send(big, { timeout: 0.2 }));
    expect(err.code).toBe('timeout');
    expect(err.sent).toBeGreaterThan(0);
    expect(err.sent).toBeLessThan(big.length);
    expect(lo.client.getstats().sent).toBe(err.sent);
    const received = collect(lo.peer);
    lo.peer.resume();
    lo.client.shutdown('send');
    const bytes = await received;
    expect(bytes.length).toBe(err.sent);
    expect(bytes.equals(Buffer.from(big.slice(0, err.sent), 'latin1'))).toBe(true);
  });

  test('a character above U+00FF is refused before anything is sent', async () => {
    await using lo = await loopback({ encoding: 'latin1' });
    expect(() => lo.client.send('ok €')).toThrow(/U\+20AC/);
    expect(lo.client.getstats().sent).toBe(0);
  });
});
