import { once } from 'node:events';
import { describe, expect, test } from 'vitest';
import { connect, SocketError, type OptionName, type TcpClient } from '../../../src/index.js';
import {
  ALL_BYTES,
  collect,
  hasIPv6,
  loopback,
  rawServer,
  socketError,
  until,
  write,
} from '../../helpers/loopback.js';

/** Every byte but LF and CR, the bytes a line can carry back unchanged. */
const LINE_BYTES = Buffer.from(ALL_BYTES.filter((b) => b !== 10 && b !== 13));

describe('TcpClient.receive lines', () => {
  test("receive('*l') returns each line without its LF", async () => {
    await using lb = await loopback();
    lb.peer.write('one\ntwo\n');
    expect(await lb.client.receive('*l')).toBe('one');
    expect(await lb.client.receive()).toBe('two');
  });

  test("receive('*l') drops the CR of a CRLF", async () => {
    await using lb = await loopback();
    lb.peer.write('hello\r\nworld\r\n');
    expect(await lb.client.receive('*l')).toBe('hello');
    expect(await lb.client.receive('*l')).toBe('world');
  });

  test("receive('*l') drops every CR, not only the one before LF", async () => {
    await using lb = await loopback();
    lb.peer.write('\ra\rb\r\rc\r\n');
    expect(await lb.client.receive('*l')).toBe('abc');
  });

  test("receive('*l') returns empty lines as ''", async () => {
    await using lb = await loopback();
    lb.peer.write('\n\r\n\r\r\nx\n');
    expect(await lb.client.receive('*l')).toBe('');
    expect(await lb.client.receive('*l')).toBe('');
    expect(await lb.client.receive('*l')).toBe('');
    expect(await lb.client.receive('*l')).toBe('x');
  });

  test("receive('*l') joins a line split across many writes", async () => {
    await using lb = await loopback();
    const pending = lb.client.receive('*l');
    for (const piece of ['sp', 'lit ', 'li', 'ne\r', '\nnext\n']) await write(lb.peer, piece);
    expect(await pending).toBe('split line');
    expect(await lb.client.receive('*l')).toBe('next');
  });

  test("receive('*l') keeps NUL and 0x80–0xFF bytes exact with encoding 'latin1'", async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    lb.peer.write(Buffer.concat([LINE_BYTES, Buffer.from('\n'), LINE_BYTES, Buffer.from('\r\n')]));
    const first = await lb.client.receive('*l');
    expect(typeof first).toBe('string');
    expect(Buffer.from(first, 'latin1')).toEqual(LINE_BYTES);
    expect(Buffer.from(await lb.client.receive('*l'), 'latin1')).toEqual(LINE_BYTES);
  });

  test("receive('*l') keeps NUL and 0x80–0xFF bytes exact with encoding 'buffer'", async () => {
    await using lb = await loopback({ encoding: 'buffer' });
    lb.peer.write(
      Buffer.concat([LINE_BYTES, Buffer.from('\r\n'), Buffer.from([0, 0xff, 0x80, 10])]),
    );
    const first = await lb.client.receive('*l');
    expect(Buffer.isBuffer(first)).toBe(true);
    expect(first).toEqual(LINE_BYTES);
    expect(await lb.client.receive('*l')).toEqual(Buffer.from([0, 0xff, 0x80]));
  });

  test("receive('*l') returns strings with encoding 'utf8', whole characters across writes", async () => {
    await using lb = await loopback();
    const text = 'héllo wörld ✓ 😀';
    const bytes = Buffer.from(`${text}\n`);
    const pending = lb.client.receive('*l');
    // Split inside the 4-byte emoji and inside 'é'.
    await write(lb.peer, bytes.subarray(0, 2));
    await write(lb.peer, bytes.subarray(2, bytes.length - 3));
    await write(lb.peer, bytes.subarray(bytes.length - 3));
    const line = await pending;
    expect(typeof line).toBe('string');
    expect(line).toBe(text);
  });

  test("receive('*l') reads a 10 MB line", async () => {
    await using lb = await loopback({ maxLineLength: 16 * 1024 * 1024 });
    const line = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(Math.ceil((10 * 1024 * 1024) / 36));
    const bytes = Buffer.from(`${line}\r\n`);
    const pending = lb.client.receive('*l');
    for (let off = 0; off < bytes.length; off += 1 << 20)
      lb.peer.write(bytes.subarray(off, off + (1 << 20)));
    const got = await pending;
    expect(got.length).toBe(line.length);
    expect(got === line).toBe(true);
    expect(lb.client.getstats().received).toBe(bytes.length);
  });

  test("receive('*l') fails with 'linetoolong' past maxLineLength and keeps the rest of the line", async () => {
    await using lb = await loopback({ maxLineLength: 8 });
    lb.peer.write('abcdefghijkl\nnext\n');
    const err = await socketError(lb.client.receive('*l'));
    expect(err.code).toBe('linetoolong');
    expect(err.partial).toBe('abcdefgh');
    expect(await lb.client.receive('*l')).toBe('ijkl');
    expect(await lb.client.receive('*l')).toBe('next');
  });
});

describe("TcpClient.receive('*a')", () => {
  test("receive('*a') returns everything until the peer closes, CRs and LFs included", async () => {
    await using lb = await loopback();
    const pending = lb.client.receive('*a');
    await write(lb.peer, 'abc\r\n');
    await write(lb.peer, 'def');
    lb.peer.end();
    expect(await pending).toBe('abc\r\ndef');
  });

  test("receive('*a') keeps every byte exact with encoding 'buffer' and 'latin1'", async () => {
    const data = Buffer.concat([ALL_BYTES, Buffer.from(ALL_BYTES).reverse(), ALL_BYTES]);
    {
      await using lb = await loopback({ encoding: 'buffer' });
      lb.peer.end(data);
      expect(await lb.client.receive('*a')).toEqual(data);
    }
    {
      await using lb = await loopback({ encoding: 'latin1' });
      lb.peer.end(data);
      expect(Buffer.from(await lb.client.receive('*a'), 'latin1')).toEqual(data);
    }
  });

  test("receive('*a') fails with 'closed' and partial '' when the peer closes without data", async () => {
    await using lb = await loopback();
    lb.peer.end();
    const err = await socketError(lb.client.receive('*a'));
    expect(err.code).toBe('closed');
    expect(err.message).toBe('closed');
    expect(err.partial).toBe('');
  });

  test("receive('*a') keeps its prefix on the result", async () => {
    await using lb = await loopback();
    lb.peer.end('tail');
    expect(await lb.client.receive('*a', { prefix: 'head:' })).toBe('head:tail');
  });
});

describe('TcpClient.receive(n)', () => {
  test('receive(n) returns exactly n bytes, across writes', async () => {
    await using lb = await loopback();
    const pending = lb.client.receive(5);
    for (const piece of ['hel', 'lo wor', 'ld']) await write(lb.peer, piece);
    expect(await pending).toBe('hello');
    expect(await lb.client.receive(6)).toBe(' world');
  });

  test('receive(n) counts a shorter prefix towards n', async () => {
    await using lb = await loopback();
    lb.peer.write('cdefg');
    expect(await lb.client.receive(5, { prefix: 'ab' })).toBe('abcde');
    expect(await lb.client.receive(2)).toBe('fg');
  });

  test('receive(n) returns a prefix of n bytes or more as it is, reading nothing', async () => {
    await using lb = await loopback();
    await write(lb.peer, 'xyz');
    await until(() => lb.client.buffered === 3, 10_000, 'the bytes to arrive');
    expect(await lb.client.receive(2, { prefix: 'abcd' })).toBe('abcd');
    expect(await lb.client.receive(2, { prefix: 'ab' })).toBe('ab');
    expect(lb.client.getstats().received).toBe(0);
    expect(await lb.client.receive(3)).toBe('xyz');
  });

  test('receive(n) truncates a fractional count', async () => {
    await using lb = await loopback();
    lb.peer.write('abcdef');
    expect(await lb.client.receive(2.9)).toBe('ab');
    expect(await lb.client.receive(3.5, { prefix: 'x' })).toBe('xcd');
    expect(await lb.client.receive(2)).toBe('ef');
  });

  test("receive(0) returns '' at once on an open socket", async () => {
    await using lb = await loopback();
    await expect(lb.client.receive(0)).resolves.toBe('');
    await write(lb.peer, 'x');
    await until(() => lb.client.buffered === 1, 10_000, 'the byte to arrive');
    expect(await lb.client.receive(0)).toBe('');
    expect(await lb.client.receive(1)).toBe('x');
    await using lb2 = await loopback({ encoding: 'buffer' });
    await expect(lb2.client.receive(0)).resolves.toEqual(Buffer.alloc(0));
  });

  test('receive(n) keeps NUL and 0x80–0xFF bytes exact with encoding latin1 and buffer', async () => {
    {
      await using lb = await loopback({ encoding: 'latin1' });
      lb.peer.write(ALL_BYTES);
      const got = await lb.client.receive(256);
      expect(got).toHaveLength(256);
      expect(Buffer.from(got, 'latin1')).toEqual(ALL_BYTES);
    }
    {
      await using lb = await loopback({ encoding: 'buffer' });
      lb.peer.write(ALL_BYTES);
      expect(await lb.client.receive(200)).toEqual(ALL_BYTES.subarray(0, 200));
      expect(await lb.client.receive(56)).toEqual(ALL_BYTES.subarray(200));
    }
  });

  test('receive() throws synchronously for a bad pattern', async () => {
    await using lb = await loopback();
    expect(() => lb.client.receive('*x' as '*l')).toThrow(TypeError);
    expect(() => lb.client.receive(-1)).toThrow(RangeError);
  });
});

describe('TcpClient.receiveBuffered', () => {
  test('takes a count the buffer holds, synchronously, and nothing when it holds less', async () => {
    await using lb = await loopback();
    await write(lb.peer, 'abcdefg');
    await until(() => lb.client.buffered === 7);
    expect(lb.client.receiveBuffered(3)).toBe('abc');
    expect(lb.client.receiveBuffered(5)).toBeUndefined();
    expect(lb.client.buffered).toBe(4);
    expect(lb.client.receiveBuffered(4.9)).toBe('defg');
    expect(lb.client.getstats().received).toBe(7);
    expect(lb.client.receiveBuffered(1)).toBeUndefined();
  });

  test('takes whole lines without their CRs, never a partial one', async () => {
    await using lb = await loopback();
    await write(lb.peer, 'one\r\ntw');
    await until(() => lb.client.buffered === 7);
    expect(lb.client.receiveBuffered()).toBe('one');
    expect(lb.client.receiveBuffered('*l')).toBeUndefined();
    await write(lb.peer, 'o\r\r\n');
    await until(() => lb.client.buffered === 6);
    expect(lb.client.receiveBuffered('l')).toBe('two');
    expect(lb.client.buffered).toBe(0);
  });

  test('answers nothing for what would fail, and receive then reports it with the partial', async () => {
    await using lb = await loopback();
    lb.peer.end('tail');
    await until(() => lb.client.buffered === 4);
    expect(lb.client.receiveBuffered('*l')).toBeUndefined();
    expect(lb.client.receiveBuffered(5)).toBeUndefined();
    expect(lb.client.buffered).toBe(4);
    const err = await socketError(lb.client.receive('*l'));
    expect(err.code).toBe('closed');
    expect(err.partial).toBe('tail');
    expect(lb.client.receiveBuffered('*a')).toBeUndefined();
    expect(lb.client.receiveBuffered(0)).toBeUndefined();
  });

  test("'*a' is there only after the peer's FIN", async () => {
    await using lb = await loopback();
    await write(lb.peer, 'all of it');
    await until(() => lb.client.buffered === 9);
    expect(lb.client.receiveBuffered('*a')).toBeUndefined();
    expect(lb.client.receiveBuffered(0)).toBe('');
    lb.peer.end();
    let all: string | undefined;
    await until(() => (all = lb.client.receiveBuffered('*a')) !== undefined, 10_000, 'the FIN');
    expect(all).toBe('all of it');
    expect(lb.client.receiveBuffered('*a')).toBeUndefined();
  });

  test('a line over maxLineLength is left to receive, which fails with linetoolong', async () => {
    await using lb = await loopback({ maxLineLength: 4 });
    await write(lb.peer, 'toolong\n');
    await until(() => lb.client.buffered === 8);
    expect(lb.client.receiveBuffered()).toBeUndefined();
    expect((await socketError(lb.client.receive())).code).toBe('linetoolong');
  });

  test('answers nothing while a receive waits, so reads stay in order', async () => {
    await using lb = await loopback();
    const pending = lb.client.receive(4);
    await write(lb.peer, 'ab');
    await until(() => lb.client.buffered === 2);
    expect(lb.client.receiveBuffered(1)).toBeUndefined();
    await write(lb.peer, 'cdef');
    expect(await pending).toBe('abcd');
    await until(() => lb.client.buffered === 2);
    expect(lb.client.receiveBuffered(2)).toBe('ef');
  });

  test('gives Buffers in buffer mode', async () => {
    await using lb = await loopback({ encoding: 'buffer' });
    await write(lb.peer, Buffer.from([0, 255, 10]));
    await until(() => lb.client.buffered === 3);
    expect(lb.client.receiveBuffered(2)).toEqual(Buffer.from([0, 255]));
    expect(lb.client.receiveBuffered()).toEqual(Buffer.alloc(0));
  });

  test('reads a paused socket dry and resumes it, losing no byte', async () => {
    await using lb = await loopback({ highWaterMark: 64 });
    const sent = Buffer.from(Array.from({ length: 100_000 }, (_, i) => 97 + (i % 26)));
    lb.peer.end(sent);
    const parts: string[] = [];
    for (let got = 0; got < sent.length; got += 10) {
      parts.push(lb.client.receiveBuffered(10) ?? (await lb.client.receive(10)));
    }
    expect(parts.join('')).toBe(sent.toString('latin1'));
  });

  test('refuses a bad pattern at once, naming it', async () => {
    await using lb = await loopback();
    expect(() => lb.client.receiveBuffered(-1)).toThrow(RangeError);
    expect(() => lb.client.receiveBuffered(Infinity)).toThrow(/pattern/);
    expect(() => lb.client.receiveBuffered('*x' as never)).toThrow(TypeError);
    expect(() => lb.client.receiveBuffered(NaN)).toThrow(/pattern/);
  });

  test('answers nothing once the client is closed', async () => {
    await using lb = await loopback();
    await write(lb.peer, 'data\n');
    await until(() => lb.client.buffered === 5);
    lb.client.close();
    expect(lb.client.receiveBuffered()).toBeUndefined();
    expect(lb.client.receiveBuffered(1)).toBeUndefined();
  });
});

describe('TcpClient.receiveany', () => {
  test("never splits a buffered character in 'utf8', even after the peer closed", async () => {
    await using lb = await loopback();
    lb.peer.end('€€');
    await until(() => lb.client.buffered === 6);
    // Whether or not the FIN is in by now, the answer is the same; give it time to be.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await lb.client.receiveany(4)).toBe('€');
    expect(await lb.client.receiveany(4)).toBe('€');
    expect((await socketError(lb.client.receiveany(4))).code).toBe('closed');
  });

  test("chunk iteration in 'utf8' gives back the text sent when the close came before the reads", async () => {
    await using lb = await loopback();
    // A '€' across the 64 KiB boundary of the iterator's chunks.
    const sent = 'a'.repeat(65535) + '€b€';
    lb.peer.end(sent);
    await until(() => lb.client.buffered === Buffer.byteLength(sent));
    await new Promise((resolve) => setTimeout(resolve, 50));
    let got = '';
    for await (const chunk of lb.client) got += chunk;
    expect(got).toBe(sent);
  });

  test('receiveany(max) returns what is buffered, up to max, and waits only when nothing is', async () => {
    await using lb = await loopback();
    await write(lb.peer, 'hello world');
    await until(() => lb.client.buffered === 11, 10_000, 'the bytes to arrive');
    expect(await lb.client.receiveany(5)).toBe('hello');
    expect(await lb.client.receiveany(100)).toBe(' world');
    const pending = lb.client.receiveany(100);
    lb.peer.write('x');
    expect(await pending).toBe('x');
  });

  test('receiveany() in utf8 mode never splits a multi-byte character', async () => {
    await using lb = await loopback();
    await write(lb.peer, Buffer.from([0x61, 0xc3]));
    await until(() => lb.client.buffered === 2, 10_000, 'the bytes to arrive');
    expect(await lb.client.receiveany(10)).toBe('a');
    const pending = lb.client.receiveany(10);
    lb.peer.write(Buffer.from([0xa9, 0x62]));
    expect(await pending).toBe('éb');

    // 'é€' is 2 + 3 bytes: a max of 3 must stop after 'é'.
    await write(lb.peer, 'é€');
    await until(() => lb.client.buffered === 5, 10_000, 'the bytes to arrive');
    expect(await lb.client.receiveany(3)).toBe('é');
    expect(await lb.client.receiveany(3)).toBe('€');
  });

  test('receiveany(max) with max shorter than the next character returns that character whole', async () => {
    await using lb = await loopback();
    await write(lb.peer, 'é€x');
    await until(() => lb.client.buffered === 6, 10_000, 'the bytes to arrive');
    expect(await lb.client.receiveany(1)).toBe('é');
    expect(await lb.client.receiveany(2)).toBe('€');
    expect(await lb.client.receiveany(1)).toBe('x');
  });

  test("receiveany() with encoding 'buffer' returns exact bytes", async () => {
    await using lb = await loopback({ encoding: 'buffer' });
    await write(lb.peer, ALL_BYTES);
    await until(() => lb.client.buffered === 256, 10_000, 'the bytes to arrive');
    expect(await lb.client.receiveany(0x81)).toEqual(ALL_BYTES.subarray(0, 0x81));
    expect(await lb.client.receiveany()).toEqual(ALL_BYTES.subarray(0x81));
  });
});

describe('TcpClient iterators', () => {
  test('lines() yields every line, from data that arrived before it was called to an unterminated last line', async () => {
    await using lb = await loopback();
    const data = 'first\nsecond\r\n\nlast';
    lb.peer.end(data);
    await until(() => lb.client.buffered === data.length, 10_000, 'the bytes to arrive');
    const lines: string[] = [];
    for await (const line of lb.client.lines()) lines.push(line);
    expect(lines).toEqual(['first', 'second', '', 'last']);
  });

  test('lines() ends without an extra item after a terminated last line', async () => {
    await using lb = await loopback();
    const lines: string[] = [];
    const done = (async () => {
      for await (const line of lb.client.lines()) lines.push(line);
    })();
    await write(lb.peer, 'a\n');
    await write(lb.peer, 'b\r\n');
    lb.peer.end();
    await done;
    expect(lines).toEqual(['a', 'b']);
  });

  test('for await (const chunk of client) yields every byte until the peer closes', async () => {
    await using lb = await loopback({ encoding: 'buffer' });
    const early = Buffer.from('early ');
    await write(lb.peer, early);
    await until(() => lb.client.buffered === early.length, 10_000, 'the bytes to arrive');
    const sent = [early];
    const chunks: Buffer[] = [];
    const done = (async () => {
      for await (const chunk of lb.client) chunks.push(chunk);
    })();
    for (let i = 0; i < 20; i++) {
      const piece = Buffer.concat([ALL_BYTES, Buffer.from(String(i))]);
      sent.push(piece);
      await write(lb.peer, piece);
    }
    lb.peer.end();
    await done;
    expect(Buffer.concat(chunks)).toEqual(Buffer.concat(sent));
  });
});

describe('TcpClient.send', () => {
  test('send() resolves to the number of bytes sent', async () => {
    await using lb = await loopback();
    const got = collect(lb.peer);
    expect(await lb.client.send('héllo')).toBe(6);
    expect(await lb.client.send(new Uint8Array([0, 0xff, 10]))).toBe(3);
    expect(await lb.client.send('')).toBe(0);
    lb.client.shutdown('send');
    expect(await got).toEqual(Buffer.concat([Buffer.from('héllo'), Buffer.from([0, 0xff, 10])]));
    expect(lb.client.getstats().sent).toBe(9);
  });

  test('send() never interleaves concurrent sends', async () => {
    await using lb = await loopback();
    const got = collect(lb.peer);
    const parts = [
      Buffer.alloc(3 << 20, 'a'),
      Buffer.from('small-1|'),
      Buffer.alloc(2 << 20, 'b'),
      Buffer.from('small-2|'),
      Buffer.alloc(1 << 20, 'c'),
      Buffer.alloc(100, 'd'),
    ];
    const counts = await Promise.all(parts.map((p) => lb.client.send(p)));
    expect(counts).toEqual(parts.map((p) => p.length));
    lb.client.shutdown('send');
    const received = await got;
    expect(received.length).toBe(Buffer.concat(parts).length);
    expect(received.equals(Buffer.concat(parts))).toBe(true);
  });

  test('send() throws TypeError for data that is not a string or bytes', async () => {
    await using lb = await loopback();
    expect(() => lb.client.send(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('TcpClient stats', () => {
  test('getstats() counts consumed bytes, LF and CR included, never the prefix', async () => {
    await using lb = await loopback();
    lb.peer.write('ab\r\ncd\nrest');
    expect(await lb.client.receive('*l', { prefix: 'PP' })).toBe('PPab');
    expect(lb.client.getstats().received).toBe(4);
    expect(await lb.client.receive('*l')).toBe('cd');
    await until(() => lb.client.buffered === 4, 10_000, 'the bytes to arrive');
    // Buffered but unread bytes are not received yet.
    expect(lb.client.getstats().received).toBe(7);
    expect(await lb.client.receive(6, { prefix: 'zz' })).toBe('zzrest');
    expect(lb.client.getstats().received).toBe(11);
    await lb.client.send('xyz');
    const stats = lb.client.getstats();
    expect(stats.sent).toBe(3);
    expect(stats.age).toBeGreaterThanOrEqual(0);
  });

  test('setstats() resets the counters and the age; omitted values stay', async () => {
    await using lb = await loopback();
    lb.peer.write('abc\n');
    await lb.client.receive('*l');
    await lb.client.send('12345');
    lb.client.setstats(100, 200, 0);
    expect(lb.client.getstats()).toMatchObject({ received: 100, sent: 200 });
    lb.peer.write('de');
    await lb.client.receive(2);
    await lb.client.send('x');
    expect(lb.client.getstats()).toMatchObject({ received: 102, sent: 201 });
    lb.client.setstats(undefined, undefined, 1000);
    const stats = lb.client.getstats();
    expect(stats).toMatchObject({ received: 102, sent: 201 });
    expect(stats.age).toBeGreaterThanOrEqual(1000);
  });
});

describe('TcpClient addresses', () => {
  test("getsockname() and getpeername() report { address, port, family: 'inet' }", async () => {
    await using lb = await loopback();
    expect(lb.client.getsockname()).toEqual({
      address: '127.0.0.1',
      port: lb.peer.remotePort,
      family: 'inet',
    });
    expect(lb.client.getpeername()).toEqual({
      address: '127.0.0.1',
      port: lb.raw.port,
      family: 'inet',
    });
  });

  test.skipIf(!hasIPv6)(
    "getsockname() and getpeername() report family 'inet6' on ::1",
    async () => {
      await using lb = await loopback({}, '::1');
      expect(lb.client.getsockname()).toEqual({
        address: '::1',
        port: lb.peer.remotePort,
        family: 'inet6',
      });
      expect(lb.client.getpeername()).toEqual({
        address: '::1',
        port: lb.raw.port,
        family: 'inet6',
      });
    },
  );

  test("getsockname() and getpeername() fail with 'closed' after close()", async () => {
    await using lb = await loopback();
    lb.client.close();
    expect(() => lb.client.getsockname()).toThrow(SocketError);
    expect(() => lb.client.getpeername()).toThrow(
      expect.objectContaining({ code: 'closed' }) as Error,
    );
  });

  test('getsockname() and getpeername() asked before a reset still answer after it', async () => {
    await using lb = await loopback();
    const local = lb.client.getsockname();
    const remote = lb.client.getpeername();
    lb.peer.resetAndDestroy();
    expect((await socketError(lb.client.receive('*l'))).code).toBe('closed');
    expect(lb.client.getsockname()).toEqual(local);
    expect(lb.client.getpeername()).toEqual(remote);
  });

  test("getsockname() and getpeername() first asked after a reset fail with 'closed'", async () => {
    await using lb = await loopback();
    lb.peer.resetAndDestroy();
    expect((await socketError(lb.client.receive('*l'))).code).toBe('closed');
    expect(() => lb.client.getsockname()).toThrow(
      expect.objectContaining({ code: 'closed' }) as Error,
    );
    expect(() => lb.client.getpeername()).toThrow(
      expect.objectContaining({ code: 'closed' }) as Error,
    );
  });

  test("getsockname() and getpeername() answer after the peer's EOF, until close()", async () => {
    await using lb = await loopback();
    lb.peer.end();
    expect((await socketError(lb.client.receive('*l'))).code).toBe('closed');
    expect(lb.client.getpeername()).toMatchObject({ address: '127.0.0.1', port: lb.raw.port });
    expect(lb.client.getsockname()).toMatchObject({ port: lb.peer.remotePort });
  });
});

describe('TcpClient options', () => {
  test("setoption('keepalive') and getoption('keepalive') round-trip", async () => {
    await using lb = await loopback();
    expect(lb.client.getoption('keepalive')).toBe(false);
    lb.client.setoption('keepalive', true);
    expect(lb.client.getoption('keepalive')).toBe(true);
    lb.client.setoption('keepalive', false);
    expect(lb.client.getoption('keepalive')).toBe(false);
  });

  test("setoption('tcp-nodelay') and getoption('tcp-nodelay') round-trip", async () => {
    await using lb = await loopback();
    expect(lb.client.getoption('tcp-nodelay')).toBe(false);
    lb.client.setoption('tcp-nodelay', true);
    expect(lb.client.getoption('tcp-nodelay')).toBe(true);
  });

  test("setoption('linger', { on: true, timeout: 0 }) makes close() reset the peer", async () => {
    await using lb = await loopback();
    expect(lb.client.getoption('linger')).toEqual({ on: false, timeout: 0 });
    lb.client.setoption('linger', { on: true, timeout: 0 });
    expect(lb.client.getoption('linger')).toEqual({ on: true, timeout: 0 });
    const errored = once(lb.peer, 'error') as Promise<[NodeJS.ErrnoException]>;
    lb.client.close();
    const [err] = await errored;
    expect(err.code).toBe('ECONNRESET');
  });

  test("close() without linger ends the peer's stream cleanly", async () => {
    await using lb = await loopback();
    const got = collect(lb.peer);
    await lb.client.send('bye');
    lb.client.close();
    expect((await got).toString()).toBe('bye');
  });

  test("setoption('linger') fails with 'unsupported' for any other value it cannot honour", async () => {
    await using lb = await loopback();
    for (const timeout of [1, 5, 0.5]) {
      let caught: unknown;
      try {
        lb.client.setoption('linger', { on: true, timeout });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(SocketError);
      expect(caught).toMatchObject({ code: 'unsupported' });
      expect((caught as Error).message).toMatch(/^linger: /);
    }
    expect(lb.client.getoption('linger')).toEqual({ on: false, timeout: 0 });
  });

  test("getoption('reuseaddr') answers on a client; setoption('reuseaddr') fails with 'unsupported'", async () => {
    await using lb = await loopback();
    expect(lb.client.getoption('reuseaddr')).toBe(false);
    expect(() => lb.client.setoption('reuseaddr', true)).toThrow(
      expect.objectContaining({ code: 'unsupported' }) as Error,
    );
  });

  test("setoption('ipv6-v6only') and getoption('ipv6-v6only') fail with 'unsupported' on a client", async () => {
    await using lb = await loopback();
    expect(() => lb.client.setoption('ipv6-v6only', true)).toThrow(
      expect.objectContaining({
        code: 'unsupported',
        message: expect.stringMatching(/^ipv6-v6only: /) as string,
      }) as Error,
    );
    expect(() => lb.client.getoption('ipv6-v6only')).toThrow(
      expect.objectContaining({ code: 'unsupported' }) as Error,
    );
  });

  test('setoption() and getoption() throw TypeError for an unknown name or a wrong value', async () => {
    await using lb = await loopback();
    expect(() => lb.client.setoption('no-such-option' as OptionName, true)).toThrow(TypeError);
    expect(() => lb.client.getoption('no-such-option' as OptionName)).toThrow(TypeError);
    expect(() => lb.client.setoption('keepalive', 'yes' as unknown as boolean)).toThrow(TypeError);
  });
});

describe('TcpClient state', () => {
  test('dirty() is true exactly while unread bytes wait', async () => {
    await using lb = await loopback();
    expect(lb.client.dirty()).toBe(false);
    await write(lb.peer, 'ab');
    await until(() => lb.client.dirty(), 10_000, 'the bytes to arrive');
    expect(await lb.client.receive(1)).toBe('a');
    expect(lb.client.dirty()).toBe(true);
    expect(await lb.client.receive(1)).toBe('b');
    expect(lb.client.dirty()).toBe(false);
  });

  test("shutdown('send') sends EOF and keeps the read side working until the peer's EOF", async () => {
    await using lb = await loopback();
    const got = collect(lb.peer);
    await lb.client.send('request');
    lb.client.shutdown('send');
    expect((await got).toString()).toBe('request');
    const err = await socketError(lb.client.send('more'));
    expect(err.code).toBe('closed');
    expect(err.sent).toBe(0);
    await write(lb.peer, 'reply\n');
    expect(await lb.client.receive('*l')).toBe('reply');
    lb.peer.end('rest of it');
    expect(await lb.client.receive('*a')).toBe('rest of it');
    expect((await socketError(lb.client.receive('*a'))).code).toBe('closed');
  });

  test("shutdown('send') then the peer's EOF still lets '*a' return what was buffered", async () => {
    await using lb = await loopback();
    const got = collect(lb.peer);
    lb.client.shutdown('send');
    await got;
    lb.peer.end('all of it');
    await once(lb.peer, 'close');
    // The connection is fully closed now; the buffered bytes are still the peer's data.
    await until(() => lb.client.buffered === 9, 10_000, 'the bytes to arrive');
    expect(await lb.client.receive('*a')).toBe('all of it');
  });

  test("shutdown('receive') discards what arrives and fails receives with 'closed'", async () => {
    await using lb = await loopback();
    await write(lb.peer, 'before\n');
    await until(() => lb.client.dirty(), 10_000, 'the bytes to arrive');
    lb.client.shutdown('receive');
    expect(lb.client.dirty()).toBe(false);
    expect((await socketError(lb.client.receive('*l'))).code).toBe('closed');
    await write(lb.peer, 'late\n');
    // The send side still works, and its round trip lets 'late' arrive first.
    const got = collect(lb.peer);
    await lb.client.send('still here');
    lb.client.shutdown('send');
    expect((await got).toString()).toBe('still here');
    expect(lb.client.dirty()).toBe(false);
    const err = await socketError(lb.client.receive('*l'));
    expect(err.code).toBe('closed');
    expect(err.partial).toBe('');
  });

  test('shutdown() throws TypeError for an unknown mode', async () => {
    await using lb = await loopback();
    expect(() => lb.client.shutdown('sideways' as 'send')).toThrow(TypeError);
  });

  test("close() during a pending receive fails it with 'closed' and the partial", async () => {
    await using lb = await loopback();
    const pending = lb.client.receive('*l', { prefix: '>' });
    await write(lb.peer, 'par\rt');
    await until(() => lb.client.buffered === 5, 10_000, 'the bytes to arrive');
    lb.client.close();
    const err = await socketError(pending);
    expect(err.code).toBe('closed');
    expect(err.partial).toBe('>part');
    expect(lb.client.closed).toBe(true);
    const next = await socketError(lb.client.receive(1));
    expect(next.code).toBe('closed');
    expect(next.partial).toBe('');
    expect((await socketError(lb.client.send('x'))).code).toBe('closed');
    lb.client.close();
  });

  test("a peer reset fails the pending receive with 'closed' and the partial, and never crashes the process", async () => {
    await using lb = await loopback();
    const pending = lb.client.receive('*l');
    await write(lb.peer, 'abc');
    await until(() => lb.client.buffered === 3, 10_000, 'the bytes to arrive');
    lb.peer.resetAndDestroy();
    const err = await socketError(pending);
    expect(err.code).toBe('closed');
    expect(err.partial).toBe('abc');
    expect((await socketError(lb.client.receive('*l'))).code).toBe('closed');
    expect((await socketError(lb.client.send('x'))).code).toBe('closed');
  });

  test("a peer reset fails the next call with 'closed'", async () => {
    await using lb = await loopback();
    lb.peer.resetAndDestroy();
    const err = await socketError(lb.client.receive('*a'));
    expect(err.code).toBe('closed');
    expect((await socketError(lb.client.send('after reset'))).code).toBe('closed');
  });

  test('await using closes the client at the end of its scope', async () => {
    await using raw = await rawServer();
    const accepted = raw.accepted();
    let seen: TcpClient | undefined;
    let got: Promise<Buffer> | undefined;
    {
      await using client = await connect('127.0.0.1', raw.port);
      seen = client;
      got = collect(await accepted);
      await client.send('scoped');
      expect(client.closed).toBe(false);
    }
    expect(seen.closed).toBe(true);
    expect((await got).toString()).toBe('scoped');
  });
});
