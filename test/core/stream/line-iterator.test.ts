import { describe, expect, it, test } from 'vitest';
import { SocketError } from '../../../src/errors/socket-error.js';
import { LineIterator } from '../../../src/stream/line-iterator.js';
import { loopback, socketError, until, write } from '../../helpers/loopback.js';

/** Every item an iteration yields until it ends, and how it ended. */
async function drain<T>(it: AsyncIterator<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for (;;) {
      const step = await it.next();
      if (step.done === true) return { items, error: undefined };
      items.push(step.value);
    }
  } catch (error) {
    return { items, error };
  }
}

describe('LineIterator', () => {
  test("lines({ timeout }) throws 'timeout' with the partial line from the iteration", async () => {
    await using lb = await loopback();
    await write(lb.peer, 'one\ntw');
    const seen: string[] = [];
    const err = await socketError(
      (async () => {
        for await (const line of lb.client.lines({ timeout: 0.1 })) seen.push(line);
      })(),
    );
    expect(seen).toEqual(['one']);
    expect(err.code).toBe('timeout');
    expect(err.partial).toBe('tw');
    lb.peer.write('o\n');
    expect(await lb.client.receive('*l')).toBe('o');
  });

  it('lines() and the client itself give LineIterators that are their own async iterators', async () => {
    await using lb = await loopback();
    const lines = lb.client.lines();
    expect(lines).toBeInstanceOf(LineIterator);
    expect(lines[Symbol.asyncIterator]()).toBe(lines);
    const chunks = lb.client[Symbol.asyncIterator]();
    expect(chunks).toBeInstanceOf(LineIterator);
    expect(chunks[Symbol.asyncIterator]()).toBe(chunks);
  });

  it('next() calls made before any byte arrives get the lines in call order', async () => {
    await using lb = await loopback();
    const lines = lb.client.lines();
    const pending = [lines.next(), lines.next(), lines.next()];
    await write(lb.peer, 'x\r\ny\n');
    await write(lb.peer, 'z\n');
    expect(await Promise.all(pending)).toEqual([
      { done: false, value: 'x' },
      { done: false, value: 'y' },
      { done: false, value: 'z' },
    ]);
  });

  it('once the peer has closed, the unterminated last line comes, then done, and done again', async () => {
    await using lb = await loopback();
    const lines = lb.client.lines();
    lb.peer.end('one\nlast');
    expect(await drain(lines)).toEqual({ items: ['one', 'last'], error: undefined });
    expect(await lines.next()).toEqual({ done: true, value: undefined });
    expect(await lines.next()).toEqual({ done: true, value: undefined });
  });

  it('after a failure was thrown, next() answers done and reads nothing more', async () => {
    await using lb = await loopback();
    await write(lb.peer, 'part');
    const lines = lb.client.lines({ timeout: 0.02 });
    const err = await socketError(lines.next());
    expect([err.code, err.partial]).toEqual(['timeout', 'part']);
    await write(lb.peer, 'ial\nnext\n');
    await until(() => lb.client.buffered === 9, 10_000, 'the rest of the line');
    expect(await lines.next()).toEqual({ done: true, value: undefined });
    expect(lb.client.buffered).toBe(9);
    expect(await lb.client.receive()).toBe('ial');
  });

  it('return() ends the iteration at once and leaves the buffered lines for the next receive', async () => {
    await using lb = await loopback();
    await write(lb.peer, 'a\nb\nc\n');
    await until(() => lb.client.buffered === 6, 10_000, 'three lines');
    const seen: string[] = [];
    for await (const line of lb.client.lines()) {
      seen.push(line);
      if (line === 'a') break;
    }
    expect(seen).toEqual(['a']);
    const lines = lb.client.lines() as LineIterator<string>;
    expect(await lines.return()).toEqual({ done: true, value: undefined });
    expect(await lines.next()).toEqual({ done: true, value: undefined });
    expect(await lb.client.receive()).toBe('b');
    expect(await lb.client.receive()).toBe('c');
  });

  it("lines({ signal }) aborted throws 'aborted' with the reason and the line so far, and ends", async () => {
    await using lb = await loopback();
    const stop = new AbortController();
    const reason = new Error('enough');
    const lines = lb.client.lines({ signal: stop.signal });
    await write(lb.peer, 'done\nhal\rf');
    expect(await lines.next()).toEqual({ done: false, value: 'done' });
    const pending = lines.next();
    await until(() => lb.client.buffered === 5, 10_000, 'the half line');
    stop.abort(reason);
    const err = await socketError(pending);
    expect([err.code, err.cause, err.partial]).toEqual(['aborted', reason, 'half']);
    expect(await lines.next()).toEqual({ done: true, value: undefined });
  });

  it("a line past maxLineLength is thrown as 'linetoolong' with its start; the rest stays for the next call", async () => {
    await using lb = await loopback({ maxLineLength: 8 });
    await write(lb.peer, 'short\n0123456789abc\n');
    const { items, error } = await drain(lb.client.lines());
    expect(items).toEqual(['short']);
    expect(error).toBeInstanceOf(SocketError);
    expect((error as SocketError).code).toBe('linetoolong');
    expect((error as SocketError).partial).toBe('01234567');
    expect(await lb.client.receive()).toBe('89abc');
  });

  it('the client as an iterator yields chunks of at most 64 KiB, and nothing after the end', async () => {
    await using lb = await loopback({ encoding: 'buffer' });
    const big = Buffer.alloc(150_000, 0x5a);
    lb.peer.end(big);
    await until(() => lb.client.buffered === big.length, 10_000, 'every byte');
    const chunks = lb.client[Symbol.asyncIterator]();
    const { items, error } = await drain(chunks);
    expect(error).toBeUndefined();
    expect(Math.max(...items.map((c) => c.length))).toBe(65_536);
    expect(Buffer.concat(items).equals(big)).toBe(true);
    expect(await chunks.next()).toEqual({ done: true, value: undefined });
  });
});

describe('LineIterator and a reset', () => {
  test("lines() throws 'closed' on a reset, with the truncated line as its partial", async () => {
    await using lb = await loopback();
    await write(lb.peer, 'a\nb\ntrunc');
    await until(() => lb.client.buffered === 9);
    lb.peer.resetAndDestroy();
    const { items, error } = await drain(lb.client.lines());
    expect(items).toEqual(['a', 'b']);
    expect(error).toBeInstanceOf(SocketError);
    expect(error).toMatchObject({ code: 'closed', partial: 'trunc' });
    expect((error as SocketError).cause).toMatchObject({ code: 'ECONNRESET' });
  });

  test('chunk iteration throws on a reset too, after every byte that arrived', async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    await write(lb.peer, 'all that came');
    await until(() => lb.client.buffered === 13);
    lb.peer.resetAndDestroy();
    const { items, error } = await drain(lb.client[Symbol.asyncIterator]());
    expect(items.join('')).toBe('all that came');
    expect(error).toMatchObject({ code: 'closed' });
  });

  test("the peer's clean end still ends lines() quietly, with its unterminated last line", async () => {
    await using lb = await loopback();
    lb.peer.end('x\nlast');
    expect(await drain(lb.client.lines())).toEqual({ items: ['x', 'last'], error: undefined });
  });

  test('a close here ends lines() quietly', async () => {
    await using lb = await loopback();
    await write(lb.peer, 'one\n');
    const it = lb.client.lines();
    expect(await it.next()).toEqual({ done: false, value: 'one' });
    const pending = it.next();
    lb.client.close();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
