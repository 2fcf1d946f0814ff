import { getEventListeners } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, test, vi } from 'vitest';
import { clock } from '../../../src/time/clock.js';
import { SocketError } from '../../../src/index.js';
import { loopback, pause, socketError, until, write } from '../../helpers/loopback.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/**
 * A peer that writes one byte of the alphabet (repeating) every `gapMs`,
 * `count` times or until stopped, and then `tail`. Timing only paces the
 * peer; the tests assert codes, partials and continuity, never durations.
 */
function trickle(socket: Socket, gapMs: number, count = Infinity, tail = '') {
  let sent = '';
  let stopped = false;
  const done = (async () => {
    for (let i = 0; i < count && !stopped; i++) {
      const byte = ALPHABET[i % ALPHABET.length] as string;
      sent += byte;
      await write(socket, byte);
      await pause(gapMs);
    }
    if (!stopped && tail !== '') {
      sent += tail;
      await write(socket, tail);
    }
  })();
  return {
    /** Everything written so far. */
    sent: () => sent,
    /** Stops the peer and waits until its last write is flushed. */
    stop: async (): Promise<string> => {
      stopped = true;
      await done;
      return sent;
    },
    done,
  };
}

describe('TcpClient block and total timeouts', () => {
  test('settimeout(block) lets a call survive a slow trickle while every gap stays under it', async () => {
    await using lb = await loopback();
    lb.client.settimeout(0.6);
    expect(lb.client.gettimeout()).toEqual({ block: 0.6, total: undefined });
    // Eight gaps of 0.15 s: the call lasts longer than the block timeout, no single wait does.
    const peer = trickle(lb.peer, 150, 8, '\n');
    expect(await lb.client.receive('*l')).toBe('abcdefgh');
    await peer.done;
  });

  test("settimeout(block) fails a call with 'timeout' and the partial when the peer goes silent", async () => {
    await using lb = await loopback();
    lb.client.settimeout(0.1);
    await write(lb.peer, 'half a li');
    const err = await socketError(lb.client.receive('*l'));
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('timeout');
    expect(err.partial).toBe('half a li');
    lb.peer.write('ne\n');
    expect(await lb.client.receive('*l')).toBe('ne');
  });

  test("settimeout(total, 't') fails a trickled call with 'timeout', and the partial holds what arrived", async () => {
    await using lb = await loopback();
    lb.client.settimeout(0.4, 't');
    const peer = trickle(lb.peer, 40);
    let err: SocketError;
    try {
      err = await socketError(lb.client.receive('*l'));
    } finally {
      await peer.stop();
    }
    expect(err.code).toBe('timeout');
    const partial = err.partial as string;
    const sent = peer.sent();
    expect(partial.length).toBeGreaterThan(0);
    expect(sent.startsWith(partial)).toBe(true);
    // The partial was consumed: the next receive starts right after it.
    const rest = sent.length - partial.length;
    await until(() => lb.client.buffered === rest, 10_000, 'the rest of the trickle');
    lb.client.settimeout(null, 't');
    expect(rest === 0 ? '' : await lb.client.receive(rest)).toBe(sent.slice(partial.length));
  });

  test('settimeout(block) and settimeout(total) together: the earlier deadline wins', async () => {
    await using lb = await loopback();
    lb.client.settimeout(0.1);
    lb.client.settimeout(60, 't');
    await write(lb.peer, 'x');
    const err = await socketError(lb.client.receive(2));
    expect(err.code).toBe('timeout');
    expect(err.partial).toBe('x');

    lb.client.settimeout(60);
    lb.client.settimeout(0.2, 't');
    const peer = trickle(lb.peer, 30);
    try {
      expect((await socketError(lb.client.receive('*l'))).code).toBe('timeout');
    } finally {
      await peer.stop();
    }
  });

  test('settimeout(null) and negative values wait forever', async () => {
    await using lb = await loopback();
    lb.client.settimeout(0.05);
    lb.client.settimeout(-1);
    expect(lb.client.gettimeout().block).toBeUndefined();
    lb.client.settimeout(0.05, 't');
    lb.client.settimeout(null, 't');
    expect(lb.client.gettimeout()).toEqual({ block: undefined, total: undefined });
    const pending = lb.client.receive('*l');
    await pause(150);
    lb.peer.write('late\n');
    expect(await pending).toBe('late');
  });
});

describe('TcpClient per-call timeout and signal', () => {
  test("receive(…, { timeout }) fails with 'timeout' and the partial, and the socket works at once", async () => {
    await using lb = await loopback();
    await write(lb.peer, 'abc');
    const err = await socketError(lb.client.receive(5, { timeout: 0.05, prefix: '>' }));
    expect(err.code).toBe('timeout');
    expect(err.partial).toBe('>abc');
    // No waiting left behind: a send and a receive work straight away.
    expect(await lb.client.send('ping')).toBe(4);
    lb.peer.write('de\n');
    expect(await lb.client.receive('*l')).toBe('de');
  });

  test('receive(…, { timeout }) bounds the call even when the socket timeouts would not', async () => {
    await using lb = await loopback();
    lb.client.settimeout(60);
    const peer = trickle(lb.peer, 30);
    let err: SocketError;
    try {
      err = await socketError(lb.client.receive('*l', { timeout: 0.2 }));
    } finally {
      await peer.stop();
    }
    expect(err.code).toBe('timeout');
    expect(peer.sent().startsWith(err.partial as string)).toBe(true);
  });

  test("receive(…, { signal }) aborted mid-call fails with 'aborted', the reason as cause and the bytes read as partial", async () => {
    await using lb = await loopback();
    const controller = new AbortController();
    const pending = lb.client.receive(10, { signal: controller.signal, prefix: '>' });
    await write(lb.peer, 'abc');
    await until(() => lb.client.buffered === 3, 10_000, 'the bytes to arrive');
    const reason = new Error('user gave up');
    controller.abort(reason);
    const err = await socketError(pending);
    expect(err.code).toBe('aborted');
    expect(err.cause).toBe(reason);
    expect(err.partial).toBe('>abc');
    // No byte lost or repeated: the next receive continues right after 'abc'.
    lb.peer.write('defg');
    expect(await lb.client.receive(4)).toBe('defg');
    expect(lb.client.getstats().received).toBe(7);
  });

  test("receive('*l', { signal }) aborted mid-line keeps the partial without its CRs", async () => {
    await using lb = await loopback({ encoding: 'buffer' });
    const controller = new AbortController();
    const pending = lb.client.receive('*l', { signal: controller.signal });
    await write(lb.peer, Buffer.from([0x00, 0x0d, 0xff, 0x80]));
    await until(() => lb.client.buffered === 4, 10_000, 'the bytes to arrive');
    controller.abort('stop');
    const err = await socketError(pending);
    expect(err.code).toBe('aborted');
    expect(err.cause).toBe('stop');
    expect(err.partial).toEqual(Buffer.from([0x00, 0xff, 0x80]));
    lb.peer.write('\r\nnext\n');
    expect(await lb.client.receive('*l')).toEqual(Buffer.alloc(0));
    expect(await lb.client.receive('*l')).toEqual(Buffer.from('next'));
  });

  test('a timeout in utf8 mode keeps an incomplete character for the next receive', async () => {
    await using lb = await loopback();
    await write(lb.peer, Buffer.from([0x61, 0x62, 0xc3]));
    await until(() => lb.client.buffered === 3, 10_000, 'the bytes to arrive');
    const err = await socketError(lb.client.receive('*l', { timeout: 0.05 }));
    expect(err.code).toBe('timeout');
    expect(err.partial).toBe('ab');
    expect(lb.client.getstats().received).toBe(2);
    lb.peer.write(Buffer.from([0xa9, 0x0a]));
    expect(await lb.client.receive('*l')).toBe('é');
  });

  test('receive(…, { signal }) aborted while queued behind another receive fails with its prefix only', async () => {
    await using lb = await loopback();
    const controller = new AbortController();
    const first = lb.client.receive(4);
    const second = lb.client.receive(4, { signal: controller.signal, prefix: 'p:' });
    await write(lb.peer, 'ab');
    await until(() => lb.client.buffered === 2, 10_000, 'the bytes to arrive');
    controller.abort('not this one');
    const err = await socketError(second);
    expect(err.code).toBe('aborted');
    expect(err.partial).toBe('p:');
    lb.peer.write('cdef');
    expect(await first).toBe('abcd');
    expect(await lb.client.receive(2)).toBe('ef');
  });

  test("receive(…, { signal }) with an already aborted signal fails with 'aborted' and consumes nothing", async () => {
    await using lb = await loopback();
    await write(lb.peer, 'data\n');
    await until(() => lb.client.buffered === 5, 10_000, 'the bytes to arrive');
    const reason = new Error('too late');
    const err = await socketError(
      lb.client.receive('*l', { signal: AbortSignal.abort(reason), prefix: 'p' }),
    );
    expect(err.code).toBe('aborted');
    expect(err.cause).toBe(reason);
    expect(err.partial).toBe('p');
    expect(await lb.client.receive('*l')).toBe('data');
  });

  test("receive(…, { signal: AbortSignal.timeout() }) fails with 'aborted' whose cause is a TimeoutError", async () => {
    await using lb = await loopback();
    const err = await socketError(lb.client.receive('*a', { signal: AbortSignal.timeout(50) }));
    expect(err.code).toBe('aborted');
    expect(err.cause).toMatchObject({ name: 'TimeoutError' });
  });

  test('receive() throws TypeError for bad wait options', async () => {
    await using lb = await loopback();
    expect(() => lb.client.receive('*l', { timeout: 'soon' as unknown as number })).toThrow(
      TypeError,
    );
    expect(() => lb.client.receive('*l', { signal: {} as AbortSignal })).toThrow(TypeError);
  });
});

describe('TcpClient zero timeout', () => {
  test('settimeout(0) returns what the buffer has, else fails with timeout', async () => {
    await using lb = await loopback();
    lb.client.settimeout(0);
    expect((await socketError(lb.client.receive('*l'))).code).toBe('timeout');
    await write(lb.peer, 'ready\npart');
    await until(() => lb.client.buffered === 10, 10_000, 'the bytes to arrive');
    expect(await lb.client.receive('*l')).toBe('ready');
    const err = await socketError(lb.client.receive('*l'));
    expect(err.code).toBe('timeout');
    expect(err.partial).toBe('part');
  });

  test('a Lua-style polling loop with settimeout(0) completes while the peer trickles bytes', async () => {
    await using lb = await loopback();
    lb.client.settimeout(0);
    const peer = trickle(lb.peer, 5, 12, '\r\n');
    let part = '';
    let line: string;
    let polls = 0;
    for (;;) {
      try {
        line = await lb.client.receive('*l', { prefix: part });
        break;
      } catch (e) {
        if (!(e instanceof SocketError) || e.code !== 'timeout') throw e;
        part = e.partial as string;
        polls++;
      }
    }
    await peer.done;
    expect(line).toBe('abcdefghijkl');
    expect(polls).toBeGreaterThan(0);
  });
});

describe('TcpClient wait resources', () => {
  test('10,000 receive calls on one long-lived signal leave no abort listener and raise no MaxListenersExceededWarning', async () => {
    await using lb = await loopback();
    lb.peer.on('data', (chunk: Buffer) => lb.peer.write(chunk));
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    const controller = new AbortController();
    const { signal } = controller;
    try {
      // A receive that waits holds exactly one listener while it waits.
      const waiting = lb.client.receive(1, { signal });
      expect(getEventListeners(signal, 'abort')).toHaveLength(1);
      await lb.client.send('!');
      expect(await waiting).toBe('!');
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);

      for (let i = 0; i < 10_000; i++) {
        const byte = ALPHABET[i % 26] as string;
        await lb.client.send(byte);
        const options = i % 2 === 0 ? { signal } : { signal, timeout: 30 };
        expect(await lb.client.receive(1, options)).toBe(byte);
      }
      await new Promise<void>((r) => setImmediate(r));
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('a receive the buffer already satisfies creates no timer', async () => {
    await using lb = await loopback();
    lb.client.settimeout(5);
    lb.client.settimeout(10, 't');
    await write(lb.peer, 'line\r\nabcdefg');
    await until(() => lb.client.buffered === 13, 10_000, 'the bytes to arrive');
    const signal = new AbortController().signal;
    const spy = vi.spyOn(clock, 'setTimeout');
    try {
      expect(await lb.client.receive('*l', { timeout: 5, signal })).toBe('line');
      expect(await lb.client.receive(3, { signal })).toBe('abc');
      expect(await lb.client.receiveany(2, { timeout: 1 })).toBe('de');
      lb.client.settimeout(0);
      expect(await lb.client.receive(2)).toBe('fg');
      expect(spy).not.toHaveBeenCalled();
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);

      // The spy does see the timer of a receive that must wait.
      lb.client.settimeout(5);
      const pending = lb.client.receive(1);
      expect(spy).toHaveBeenCalled();
      lb.peer.write('z');
      expect(await pending).toBe('z');
    } finally {
      spy.mockRestore();
    }
  });
});
