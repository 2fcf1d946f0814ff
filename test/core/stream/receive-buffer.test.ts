import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ReceiveBuffer, stripCR, type Decode } from '../../../src/stream/receive-buffer.js';

const latin1: Decode<string> = (bytes, start, end) => bytes.toString('latin1', start, end);
const view: Decode<Buffer> = (bytes, start, end) => bytes.subarray(start, end);

function bufferOf(...chunks: (string | number[])[]): ReceiveBuffer {
  const buffer = new ReceiveBuffer();
  for (const chunk of chunks)
    buffer.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk));
  return buffer;
}

/** Reads the next complete line, or undefined when no LF is buffered. */
function nextLine(buffer: ReceiveBuffer): string | undefined {
  const pos = buffer.findLF();
  return pos === -1 ? undefined : buffer.readLine(pos, latin1);
}

describe('ReceiveBuffer', () => {
  it('push counts bytes and ignores empty chunks', () => {
    const buffer = new ReceiveBuffer();
    expect(buffer.length).toBe(0);
    buffer.push(Buffer.alloc(0));
    expect(buffer.length).toBe(0);
    buffer.push(Buffer.from('abc'));
    buffer.push(Buffer.alloc(0));
    buffer.push(Buffer.from('de'));
    expect(buffer.length).toBe(5);
    expect(buffer.peek(5).toString('latin1')).toBe('abcde');
  });

  it('findLF returns -1 on an empty buffer and on bytes without LF', () => {
    expect(new ReceiveBuffer().findLF()).toBe(-1);
    const buffer = bufferOf('abc\r', 'def');
    expect(buffer.findLF()).toBe(-1);
    expect(buffer.findLF()).toBe(-1);
  });

  it('findLF finds an LF in a later chunk after earlier scans found none', () => {
    const buffer = bufferOf('abc');
    expect(buffer.findLF()).toBe(-1);
    buffer.push(Buffer.from('de'));
    expect(buffer.findLF()).toBe(-1);
    buffer.push(Buffer.from('f\ng'));
    expect(buffer.findLF()).toBe(6);
    expect(buffer.findLF()).toBe(6);
  });

  it('findLF counts from the read position after reads and skips', () => {
    const buffer = bufferOf('abcd');
    expect(buffer.findLF()).toBe(-1);
    expect(buffer.read(2, latin1)).toBe('ab');
    buffer.push(Buffer.from('e\nf'));
    expect(buffer.findLF()).toBe(3);
    buffer.skip(1);
    expect(buffer.findLF()).toBe(2);
    expect(buffer.readLine(2, latin1)).toBe('de');
    expect(buffer.findLF()).toBe(-1);
    expect(buffer.length).toBe(1);
  });

  it('readLine drops every CR, not only the one before LF', () => {
    const buffer = bufferOf('a\rb\r\rc\r\n', '\r\rx\ry\r\n', 'plain\r\r\n');
    expect(nextLine(buffer)).toBe('abc');
    expect(nextLine(buffer)).toBe('xy');
    expect(nextLine(buffer)).toBe('plain');
    expect(buffer.length).toBe(0);
  });

  it('readLine drops CRs that span chunk boundaries', () => {
    const buffer = bufferOf('a\r', '\rb', '\r', '\n');
    expect(nextLine(buffer)).toBe('ab');
    expect(buffer.length).toBe(0);
  });

  it('readLine returns empty lines for bare LFs and for CR-only lines', () => {
    const buffer = bufferOf('\n\n\r\n\r\r\r\n', 'x\n');
    expect(nextLine(buffer)).toBe('');
    expect(nextLine(buffer)).toBe('');
    expect(nextLine(buffer)).toBe('');
    expect(nextLine(buffer)).toBe('');
    expect(nextLine(buffer)).toBe('x');
    expect(nextLine(buffer)).toBeUndefined();
  });

  it('readLine handles CRLF-terminated lines, several per chunk', () => {
    const buffer = bufferOf('hello\r\nworld\r\n', 'third\r\nfour');
    expect(nextLine(buffer)).toBe('hello');
    expect(nextLine(buffer)).toBe('world');
    expect(nextLine(buffer)).toBe('third');
    expect(nextLine(buffer)).toBeUndefined();
    expect(buffer.read(4, latin1)).toBe('four');
  });

  it('readLine keeps NUL and 0x80-0xFF bytes exact', () => {
    const bytes = [0, 1, 0x7f, 0x80, 0x9f, 0xa0, 0xc3, 0xff, 0, 0xfe, 0xef, 0xbb, 0xbf];
    const buffer = bufferOf([...bytes, 13, 10], [...bytes.slice(0, 4)], [...bytes.slice(4), 10]);
    const first = buffer.readLine(buffer.findLF(), view);
    expect([...first]).toEqual(bytes);
    const second = buffer.readLine(buffer.findLF(), view);
    expect([...second]).toEqual(bytes);
    expect(buffer.length).toBe(0);
  });

  it('readLine reads a line spread over many one-byte chunks', () => {
    const text = 'a line\rthat arrives\r one byte at a time\r';
    const buffer = new ReceiveBuffer();
    for (const ch of text) {
      buffer.push(Buffer.from(ch, 'latin1'));
      expect(buffer.findLF()).toBe(-1);
    }
    buffer.push(Buffer.from('\nnext', 'latin1'));
    expect(nextLine(buffer)).toBe(text.replaceAll('\r', ''));
    expect(buffer.read(4, latin1)).toBe('next');
  });

  it('readLine finds a 10 MB line fed in 16 KB chunks and returns it exactly', () => {
    const size = 10 * 1024 * 1024;
    const chunkSize = 16 * 1024;
    // NUL and high bytes, but no LF and no CR: the only copy joins the chunks.
    const line = Buffer.alloc(size, Buffer.from('a\0\x80\xfftext', 'latin1'));
    const buffer = new ReceiveBuffer();
    for (let at = 0; at < size; at += chunkSize) {
      buffer.push(line.subarray(at, Math.min(size, at + chunkSize)));
      // As the reader does: look for the LF after every chunk.
      expect(buffer.findLF()).toBe(-1);
    }
    buffer.push(Buffer.from('\nrest'));
    expect(buffer.findLF()).toBe(size);
    const got = buffer.readLine(size, view);
    expect(got.length).toBe(size);
    expect(got.equals(line)).toBe(true);
    expect(buffer.read(4, latin1)).toBe('rest');
    expect(buffer.length).toBe(0);
  });

  it('readLine decodes a line inside one chunk without copying it', () => {
    const chunk = Buffer.from('first\nsecond\r\nthird\n');
    const buffer = new ReceiveBuffer();
    buffer.push(chunk);
    const a = buffer.readLine(buffer.findLF(), view);
    const b = buffer.readLine(buffer.findLF(), view);
    const c = buffer.readLine(buffer.findLF(), view);
    expect(a.toString()).toBe('first');
    expect(b.toString()).toBe('second');
    expect(c.toString()).toBe('third');
    for (const [line, offset] of [
      [a, 0],
      [b, 6],
      [c, 14],
    ] as const) {
      expect(line.buffer).toBe(chunk.buffer);
      expect(line.byteOffset).toBe(chunk.byteOffset + offset);
    }
  });

  it('readLine never writes into the chunks it was given', () => {
    const chunk = Buffer.from('a\rb\rc\r\nd\re\n');
    const copy = Buffer.from(chunk);
    const buffer = new ReceiveBuffer();
    buffer.push(chunk);
    expect(nextLine(buffer)).toBe('abc');
    expect(nextLine(buffer)).toBe('de');
    expect(chunk.equals(copy)).toBe(true);
  });

  it('read returns a view inside one chunk and joins bytes across chunks', () => {
    const one = Buffer.from('abcdef');
    const two = Buffer.from('ghij');
    const buffer = new ReceiveBuffer();
    buffer.push(one);
    buffer.push(two);
    const inside = buffer.read(3, view);
    expect(inside.toString()).toBe('abc');
    expect(inside.buffer).toBe(one.buffer);
    expect(buffer.read(5, latin1)).toBe('defgh');
    expect(buffer.read(0, latin1)).toBe('');
    expect(buffer.read(2, latin1)).toBe('ij');
    expect(buffer.length).toBe(0);
    expect(buffer.read(0, latin1)).toBe('');
  });

  it('peek returns the first bytes without consuming them', () => {
    const buffer = bufferOf('ab', 'cd', 'ef');
    expect(buffer.peek(0).length).toBe(0);
    expect(buffer.peek(1).toString()).toBe('a');
    expect(buffer.peek(5).toString()).toBe('abcde');
    expect(buffer.peek(6).toString()).toBe('abcdef');
    expect(buffer.length).toBe(6);
    buffer.skip(3);
    expect(buffer.peek(3).toString()).toBe('def');
    expect(new ReceiveBuffer().peek(0).length).toBe(0);
  });

  it('skip drops bytes across chunk boundaries and leaves the buffer reusable', () => {
    const buffer = bufferOf('abc', 'def', 'ghi');
    buffer.skip(0);
    expect(buffer.length).toBe(9);
    buffer.skip(4);
    expect(buffer.read(2, latin1)).toBe('ef');
    buffer.skip(3);
    expect(buffer.length).toBe(0);
    buffer.push(Buffer.from('x\ny'));
    expect(nextLine(buffer)).toBe('x');
    expect(buffer.read(1, latin1)).toBe('y');
  });

  it('ReceiveBuffer stays correct after thousands of consumed chunks', () => {
    // Enough chunks that consumed slots are compacted away more than once.
    const buffer = new ReceiveBuffer();
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      buffer.push(Buffer.from(i % 3 === 0 ? `${i}\r\n` : `${i}`, 'latin1'));
      const line = nextLine(buffer);
      if (line !== undefined) lines.push(line);
    }
    let expected = '';
    const want: string[] = [];
    for (let i = 0; i < 5000; i++) {
      expected += String(i);
      if (i % 3 === 0) {
        want.push(expected);
        expected = '';
      }
    }
    expect(lines).toEqual(want);
    expect(buffer.read(buffer.length, latin1)).toBe(expected);
  });
});

describe('stripCR', () => {
  it('stripCR returns the same Buffer when there is no CR', () => {
    const bytes = Buffer.from('no carriage returns');
    expect(stripCR(bytes)).toBe(bytes);
  });

  it('stripCR returns a view when the only CR is the last byte', () => {
    const bytes = Buffer.from('line\r');
    const out = stripCR(bytes);
    expect(out.toString()).toBe('line');
    expect(out.buffer).toBe(bytes.buffer);
  });

  it('stripCR drops every CR and leaves the input unchanged', () => {
    const bytes = Buffer.from('\ra\r\rb\r');
    expect(stripCR(bytes).toString()).toBe('ab');
    expect(stripCR(Buffer.from('\r\r\r')).length).toBe(0);
    expect(bytes.toString()).toBe('\ra\r\rb\r');
  });
});

// ---------------------------------------------------------------------------
// Properties: the same bytes, delivered in any chunking, give the same reads.

type Op =
  | { readonly kind: 'line' }
  | { readonly kind: 'count'; readonly n: number }
  | { readonly kind: 'peek'; readonly n: number }
  | { readonly kind: 'skip'; readonly n: number }
  | { readonly kind: 'feed' };

/** What one op produced, with `V` where the op decoded bytes. */
type Outcome<V> =
  | { readonly line: V }
  | { readonly lineAtEof: string }
  | { readonly count: V }
  | { readonly countAtEof: V }
  | { readonly peek: string }
  | { readonly skip: number }
  | { readonly feed: true }
  | { readonly rest: string };

/** Bytes weighted toward LF, CR, NUL and the high half. */
const byte = fc.oneof(
  { arbitrary: fc.constantFrom(10, 13, 0), weight: 4 },
  { arbitrary: fc.integer({ min: 0x80, max: 0xff }), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 0xff }), weight: 2 },
);
const bytesArb = fc.array(byte, { maxLength: 300, size: 'medium' }).map((a) => Buffer.from(a));
/** Bytes and the points to cut them at. */
const chunkedArb = bytesArb.chain((bytes) =>
  fc.tuple(
    fc.constant(bytes),
    fc.array(fc.nat({ max: bytes.length }), { maxLength: 60, size: 'medium' }),
  ),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'line' } as const), weight: 5 },
  { arbitrary: fc.nat({ max: 40 }).map((n) => ({ kind: 'count', n }) as const), weight: 3 },
  { arbitrary: fc.nat({ max: 40 }).map((n) => ({ kind: 'peek', n }) as const), weight: 1 },
  { arbitrary: fc.nat({ max: 40 }).map((n) => ({ kind: 'skip', n }) as const), weight: 1 },
  { arbitrary: fc.constant({ kind: 'feed' } as const), weight: 2 },
);

/** `bytes` cut at the given points (in any order, duplicates allowed). */
function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    // Each chunk is its own allocation, as socket reads are.
    chunks.push(Buffer.from(bytes.subarray(from, p)));
    from = p;
  }
  return chunks;
}

/**
 * Applies the ops to a ReceiveBuffer, pushing the next chunk only when an op
 * cannot be answered (or on `feed`), the way the reader does.
 */
function drive<T>(chunks: readonly Buffer[], ops: readonly Op[], decode: Decode<T>): Outcome<T>[] {
  const buffer = new ReceiveBuffer();
  let next = 0;
  const feed = (): boolean => {
    const chunk = chunks[next];
    if (chunk === undefined) return false;
    next++;
    buffer.push(chunk);
    return true;
  };
  const fill = (n: number): void => {
    while (buffer.length < n && feed());
  };
  const out: Outcome<T>[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case 'feed':
        feed();
        out.push({ feed: true });
        break;
      case 'line': {
        let pos = buffer.findLF();
        while (pos === -1 && feed()) pos = buffer.findLF();
        if (pos !== -1) {
          out.push({ line: buffer.readLine(pos, decode) });
        } else {
          const rest = stripCR(buffer.peek(buffer.length)).toString('latin1');
          buffer.skip(buffer.length);
          out.push({ lineAtEof: rest });
        }
        break;
      }
      case 'count':
        fill(op.n);
        if (buffer.length >= op.n) out.push({ count: buffer.read(op.n, decode) });
        else out.push({ countAtEof: buffer.read(buffer.length, decode) });
        break;
      case 'peek':
        fill(op.n);
        out.push({ peek: buffer.peek(Math.min(op.n, buffer.length)).toString('latin1') });
        break;
      case 'skip': {
        fill(op.n);
        const n = Math.min(op.n, buffer.length);
        buffer.skip(n);
        out.push({ skip: n });
        break;
      }
    }
  }
  // Whatever is left must still be exactly the unread bytes.
  while (feed());
  out.push({ rest: buffer.read(buffer.length, latin1) });
  return out;
}

/** Turns decoded Buffers into latin1 text, after every op has run. */
function asText(outcomes: readonly Outcome<Buffer | string>[]): Outcome<string>[] {
  const text = (v: Buffer | string): string => (typeof v === 'string' ? v : v.toString('latin1'));
  return outcomes.map((o) => {
    if ('line' in o) return { line: text(o.line) };
    if ('count' in o) return { count: text(o.count) };
    if ('countAtEof' in o) return { countAtEof: text(o.countAtEof) };
    return o;
  });
}

/** LuaSocket's buffer semantics on a whole byte array. */
function reference(bytes: Buffer, ops: readonly Op[]): Outcome<string>[] {
  let pos = 0;
  const text = (from: number, to: number): string => bytes.toString('latin1', from, to);
  const out: Outcome<string>[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case 'feed':
        out.push({ feed: true });
        break;
      case 'line': {
        const lf = bytes.indexOf(10, pos);
        const end = lf === -1 ? bytes.length : lf;
        const line = text(pos, end).replaceAll('\r', '');
        pos = lf === -1 ? end : end + 1;
        out.push(lf === -1 ? { lineAtEof: line } : { line });
        break;
      }
      case 'count': {
        const end = Math.min(bytes.length, pos + op.n);
        out.push(end - pos === op.n ? { count: text(pos, end) } : { countAtEof: text(pos, end) });
        pos = end;
        break;
      }
      case 'peek':
        out.push({ peek: text(pos, Math.min(bytes.length, pos + op.n)) });
        break;
      case 'skip': {
        const end = Math.min(bytes.length, pos + op.n);
        out.push({ skip: end - pos });
        pos = end;
        break;
      }
    }
  }
  out.push({ rest: text(pos, bytes.length) });
  return out;
}

describe('ReceiveBuffer properties', () => {
  const opsArb = fc.array(opArb, { maxLength: 60, size: 'medium' });

  it('ReceiveBuffer gives the same reads for every chunking as for one whole delivery', () => {
    fc.assert(
      fc.property(chunkedArb, opsArb, ([bytes, cuts], ops) => {
        const whole = drive([bytes], ops, latin1);
        const chunked = drive(split(bytes, cuts), ops, latin1);
        expect(chunked).toEqual(whole);
        expect(whole).toEqual(reference(bytes, ops));
      }),
      { numRuns: 500 },
    );
  });

  it('ReceiveBuffer views stay valid after later reads, for every chunking', () => {
    fc.assert(
      fc.property(chunkedArb, opsArb, ([bytes, cuts], ops) => {
        // The views become text only after every op ran, so a view that a
        // later read overwrote or moved would show up as a mismatch.
        expect(asText(drive(split(bytes, cuts), ops, view))).toEqual(reference(bytes, ops));
      }),
      { numRuns: 300 },
    );
  });

  it('ReceiveBuffer reads every line alike when the bytes are cut at every single position', () => {
    const bytes = Buffer.from([
      0x61, 13, 0, 10, 13, 13, 10, 0xff, 0x80, 13, 0x62, 10, 10, 0xc3, 0xa9, 13, 10, 0x7a,
    ]);
    const ops: Op[] = Array.from({ length: 6 }, () => ({ kind: 'line' }) as const);
    const expected = reference(bytes, ops);
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b++) {
        expect(drive(split(bytes, [a, b]), ops, latin1)).toEqual(expected);
      }
    }
  });
});

describe('ReceiveBuffer.textLine', () => {
  /** Every line, by the text fast path where it applies and by bytes otherwise, as the reader does. */
  function linesBy(
    chunks: readonly Buffer[],
    encoding: 'latin1' | 'utf8',
    fast: boolean,
  ): string[] {
    const buffer = new ReceiveBuffer();
    const decode: Decode<string> = (b, s, e) => b.toString(encoding, s, e);
    const out: string[] = [];
    const drain = (): void => {
      for (;;) {
        const line = fast ? buffer.textLine(encoding, Infinity) : undefined;
        if (line !== undefined) {
          out.push(line);
          continue;
        }
        const pos = buffer.findLF();
        if (pos === -1) return;
        out.push(buffer.readLine(pos, decode));
      }
    };
    for (const chunk of chunks) {
      buffer.push(chunk);
      drain();
    }
    return out;
  }

  it('textLine gives the same lines as decoding each line, for every chunking and both text encodings', () => {
    const mixed = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
    const utf8ish = fc
      .array(fc.constantFrom('a', 'é', '€', '😀', '\n', '\r', '\r\n', '\u0000', 'xyz'), {
        maxLength: 80,
      })
      .map((parts) => Buffer.from(parts.join(''), 'utf8'));
    const bytesAndCuts = fc
      .oneof(mixed, utf8ish)
      .chain((bytes) =>
        fc.tuple(fc.constant(bytes), fc.array(fc.nat({ max: bytes.length }), { maxLength: 20 })),
      );
    fc.assert(
      fc.property(
        bytesAndCuts,
        fc.constantFrom('latin1' as const, 'utf8' as const),
        ([bytes, cuts], encoding) => {
          const chunks = split(bytes, cuts);
          expect(linesBy(chunks, encoding, true)).toEqual(linesBy(chunks, encoding, false));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('textRead gives the same strings as decoding the bytes, mixed with lines, for every chunking', () => {
    const utf8ish = fc
      .array(fc.constantFrom('a', 'é', '€', '😀', '\n', '\r\n', '\u0000', 'xyz', '\udc00'), {
        maxLength: 60,
      })
      .map((parts) => Buffer.from(parts.join(''), 'utf8'));
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
      utf8ish,
    );
    const input = bytes.chain((b) =>
      fc.tuple(
        fc.constant(b),
        fc.array(fc.nat({ max: b.length }), { maxLength: 12 }),
        // A count, or -1 for a line.
        fc.array(fc.integer({ min: -1, max: 20 }), { minLength: 1, maxLength: 40 }),
      ),
    );
    const run = (
      chunks: readonly Buffer[],
      ops: readonly number[],
      encoding: 'latin1' | 'utf8',
      fast: boolean,
    ): string[] => {
      const buffer = new ReceiveBuffer();
      for (const chunk of chunks) buffer.push(chunk);
      const decode: Decode<string> = (b, s, e) => b.toString(encoding, s, e);
      const out: string[] = [];
      for (const op of ops) {
        if (op === -1) {
          const line = fast ? buffer.textLine(encoding, Infinity) : undefined;
          if (line !== undefined) out.push(`L${line}`);
          else {
            const pos = buffer.findLF();
            out.push(pos === -1 ? 'none' : `L${buffer.readLine(pos, decode)}`);
          }
        } else if (op > buffer.length) out.push('short');
        else
          out.push(
            `C${(fast ? buffer.textRead(encoding, op) : undefined) ?? buffer.read(op, decode)}`,
          );
      }
      return out;
    };
    fc.assert(
      fc.property(
        input,
        fc.constantFrom('latin1' as const, 'utf8' as const),
        ([b, cuts, ops], encoding) => {
          const chunks = split(b, cuts);
          expect(run(chunks, ops, encoding, true)).toEqual(run([b], ops, encoding, false));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('textRead joins counts across one-to-one chunks, and leaves a multi-byte chunk to the byte path', () => {
    const buffer = new ReceiveBuffer();
    for (const piece of ['abc', 'def', 'g', 'hij']) buffer.push(Buffer.from(piece));
    expect(buffer.textRead('latin1', 2)).toBe('ab');
    expect(buffer.textRead('latin1', 6)).toBe('cdefgh');
    expect(buffer.textRead('utf8', 2)).toBe('ij');
    expect(buffer.textRead('latin1', 1)).toBeUndefined();
    const wide = new ReceiveBuffer();
    wide.push(Buffer.from('é!', 'utf8'));
    expect(wide.textRead('utf8', 1)).toBeUndefined();
    expect(wide.textRead('latin1', 2)).toBe('Ã©');
  });

  it('textRead never joins UTF-8 chunks where a character could straddle them', () => {
    // 'é' is C3 A9: each half alone decodes to one U+FFFD, so each chunk looks one to one.
    const buffer = new ReceiveBuffer();
    buffer.push(Buffer.from([0x61, 0xc3]));
    buffer.push(Buffer.from([0xa9, 0x62]));
    expect(buffer.textRead('utf8', 4)).toBeUndefined();
    expect(buffer.length).toBe(4);
    expect(buffer.read(4, (bytes, start, end) => bytes.toString('utf8', start, end))).toBe('aéb');
    // In latin1 every byte is a character: the same chunks join.
    const bytes = new ReceiveBuffer();
    bytes.push(Buffer.from([0x61, 0xc3]));
    bytes.push(Buffer.from([0xa9, 0x62]));
    expect(bytes.textRead('latin1', 4)).toBe('a\xc3\xa9b');
  });

  it('textLine counts the bytes it consumed, CRs and the LF included', () => {
    const buffer = bufferOf('ab\r\ncd\n');
    expect(buffer.textLine('utf8', Infinity)).toBe('ab');
    expect(buffer.lineBytes).toBe(4);
    expect(buffer.textLine('utf8', Infinity)).toBe('cd');
    expect(buffer.lineBytes).toBe(3);
    expect(buffer.length).toBe(0);
  });

  it('textLine leaves a line longer than max, or a chunk with multi-byte characters, to the byte path', () => {
    expect(bufferOf('abcdef\n').textLine('latin1', 3)).toBeUndefined();
    const buffer = new ReceiveBuffer();
    buffer.push(Buffer.from('é\n', 'utf8'));
    expect(buffer.textLine('utf8', Infinity)).toBeUndefined();
    expect(buffer.length).toBe(3);
    expect(buffer.textLine('latin1', Infinity)).toBe('Ã©');
  });
});
