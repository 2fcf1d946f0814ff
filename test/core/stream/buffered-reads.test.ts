import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BufferedReads, Kind, NOT_YET } from '../../../src/stream/buffered-reads.js';
import { codecFor, type DataOf, type Encoding } from '../../../src/stream/codec.js';
import { SocketError } from '../../../src/errors/socket-error.js';
import { socketErrorOf } from '../../helpers/thrown.js';

/** A reader over `encoding` and the readiness record it publishes. */
function reads<E extends Encoding = 'latin1'>(
  encoding: E = 'latin1' as E,
  maxLine = Infinity,
): { r: BufferedReads<DataOf<E>>; ready: { readable: boolean } } {
  const ready = { readable: false };
  return { r: new BufferedReads(codecFor(encoding), maxLine, ready), ready };
}

const b = (text: string): Buffer => Buffer.from(text, 'latin1');

type Step =
  | { readonly kind: 'line'; readonly prefix: string }
  | { readonly kind: 'count'; readonly n: number; readonly prefix: string }
  | { readonly kind: 'all'; readonly prefix: string }
  | { readonly kind: 'any'; readonly max: number };

type Result = { readonly value: string } | { readonly error: string; readonly partial: unknown };

/** One step on the reader: its result, or NOT_YET. */
function attempt(r: BufferedReads<string>, step: Step): Result | typeof NOT_YET {
  try {
    let value: string | typeof NOT_YET;
    if (step.kind === 'line') value = r.attempt(Kind.Line, 0, step.prefix);
    else if (step.kind === 'count') value = r.attempt(Kind.Count, step.n, step.prefix);
    else if (step.kind === 'all') value = r.attempt(Kind.All, 0, step.prefix);
    else value = r.attempt(Kind.Any, step.max, '');
    return value === NOT_YET ? NOT_YET : { value };
  } catch (err) {
    if (!(err instanceof SocketError)) throw err;
    return { error: err.code, partial: err.partial };
  }
}

/**
 * Runs `steps` while `chunks` arrive one by one and then the peer closes:
 * each step is tried after every chunk until the buffer answers it.
 */
function incremental(chunks: readonly Buffer[], steps: readonly Step[]): Result[] {
  const { r } = reads();
  const out: Result[] = [];
  const drain = (): void => {
    while (out.length < steps.length) {
      const result = attempt(r, steps[out.length] as Step);
      if (result === NOT_YET) return;
      out.push(result);
    }
  };
  drain();
  for (const chunk of chunks) {
    r.push(chunk);
    drain();
  }
  r.end();
  drain();
  // After the peer's FIN nothing more can come: every read is decided.
  expect(out).toHaveLength(steps.length);
  return out;
}

/** LuaSocket's `buffer.c` over the whole closed stream, one character per byte. */
function model(bytes: Buffer, steps: readonly Step[], got: readonly Result[]): Result[] {
  const text = bytes.toString('latin1');
  let pos = 0;
  const take = (n: number): string => {
    const out = text.slice(pos, pos + n);
    pos += out.length;
    return out;
  };
  return steps.map((step, i): Result => {
    switch (step.kind) {
      case 'line': {
        const lf = text.indexOf('\n', pos);
        if (lf === -1) {
          return { error: 'closed', partial: step.prefix + take(Infinity).replaceAll('\r', '') };
        }
        const line = take(lf - pos).replaceAll('\r', '');
        take(1);
        return { value: step.prefix + line };
      }
      case 'count': {
        const read = take(step.n);
        return read.length === step.n
          ? { value: step.prefix + read }
          : { error: 'closed', partial: step.prefix + read };
      }
      case 'all': {
        const read = take(Infinity);
        return read.length > 0
          ? { value: step.prefix + read }
          : { error: 'closed', partial: step.prefix };
      }
      case 'any': {
        // How much a read of what has arrived returns depends on the chunks:
        // it must be 1..max bytes, and the very next ones.
        const actual = got[i];
        if (actual === undefined || !('value' in actual)) {
          return pos < text.length ? { value: take(step.max) } : { error: 'closed', partial: '' };
        }
        const size = actual.value.length;
        if (size < 1 || size > step.max) return { value: `<${size} bytes, max ${step.max}>` };
        return { value: take(size) };
      }
    }
  });
}

/** `bytes` cut at the given points. */
function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts)].sort((x, y) => x - y);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) chunks.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  return chunks;
}

/** Bytes weighted toward LF, CR, NUL and the high half. */
const byte = fc.oneof(
  { arbitrary: fc.constantFrom(10, 13, 0), weight: 4 },
  { arbitrary: fc.integer({ min: 0x80, max: 0xff }), weight: 2 },
  { arbitrary: fc.integer({ min: 0x20, max: 0x7e }), weight: 3 },
);
const prefix = fc.string({ unit: fc.constantFrom('P', '\r', '\0', '\xff'), maxLength: 3 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: prefix.map((p) => ({ kind: 'line', prefix: p }) as const), weight: 5 },
  {
    arbitrary: fc
      .record({ n: fc.integer({ min: 1, max: 30 }), prefix })
      .map(({ n, prefix: p }) => ({ kind: 'count', n, prefix: p }) as const),
    weight: 3,
  },
  {
    arbitrary: fc.integer({ min: 1, max: 20 }).map((max) => ({ kind: 'any', max }) as const),
    weight: 2,
  },
  { arbitrary: prefix.map((p) => ({ kind: 'all', prefix: p }) as const), weight: 1 },
);
const stream = fc
  .array(byte, { maxLength: 300 })
  .map((a) => Buffer.from(a))
  .chain((bytes) =>
    fc.tuple(fc.constant(bytes), fc.array(fc.nat({ max: bytes.length }), { maxLength: 30 })),
  );

describe('BufferedReads patterns', () => {
  it("BufferedReads gives LuaSocket's results for any chunking and any sequence of reads", () => {
    fc.assert(
      fc.property(stream, fc.array(step, { maxLength: 25 }), ([bytes, cuts], steps) => {
        const got = incremental(split(bytes, cuts), steps);
        expect(got).toEqual(model(bytes, steps, got));
      }),
      { numRuns: 400 },
    );
  });

  it('BufferedReads reads the same lines for every split point, NUL, CR and 0x80-0xFF included', () => {
    const bytes = Buffer.from([...b('a\0b\r\n'), 0x80, 0xff, 0x0d, 0x0a, ...b('\r\r\n\nlast')]);
    const steps: Step[] = Array.from({ length: 5 }, () => ({ kind: 'line', prefix: '' }));
    const whole = incremental([bytes], steps);
    expect(whole).toEqual([
      { value: 'a\0b' },
      { value: '\x80\xff' },
      { value: '' },
      { value: '' },
      { error: 'closed', partial: 'last' },
    ]);
    for (let at = 0; at <= bytes.length; at++) {
      expect(incremental(split(bytes, [at]), steps), `split at ${at}`).toEqual(whole);
      expect(incremental(split(bytes, [at, at + 1]), steps), `split at ${at}, ${at + 1}`).toEqual(
        whole,
      );
    }
  });

  it('BufferedReads decodes UTF-8 lines cut inside a character at every byte', () => {
    const bytes = Buffer.from('é€\r\n𝄞x\n', 'utf8');
    for (let at = 0; at <= bytes.length; at++) {
      const { r } = reads('utf8');
      const lines: string[] = [];
      for (const chunk of split(bytes, [at])) {
        r.push(chunk);
        let line = r.lineNow();
        while (line !== undefined) {
          lines.push(line);
          line = r.lineNow();
        }
      }
      expect(lines, `split at ${at}`).toEqual(['é€', '𝄞x']);
    }
  });

  it("BufferedReads.attempt(Count, 0) answers '' while the stream is open, 'closed' once it ended empty", () => {
    const { r } = reads();
    expect(r.attempt(Kind.Count, 0, '')).toBe('');
    r.end();
    expect(socketErrorOf(() => r.attempt(Kind.Count, 0, 'P'))).toMatchObject({
      code: 'closed',
      partial: 'P',
    });
  });

  it('BufferedReads.attempt(All) waits for the peer to close, then fails when it read nothing', () => {
    const { r } = reads();
    r.push(b('abc'));
    expect(r.attempt(Kind.All, 0, '')).toBe(NOT_YET);
    r.end();
    expect(r.attempt(Kind.All, 0, '>')).toBe('>abc');
    expect(socketErrorOf(() => r.attempt(Kind.All, 0, '>'))).toMatchObject({
      code: 'closed',
      partial: '>',
    });
  });

  it("BufferedReads.attempt(Any) returns what is buffered up to max, and in 'utf8' never splits a character", () => {
    const { r } = reads('utf8');
    expect(r.attempt(Kind.Any, 10, '')).toBe(NOT_YET);
    const euro = Buffer.from('a€', 'utf8');
    r.push(euro.subarray(0, 3));
    expect(r.attempt(Kind.Any, 10, '')).toBe('a');
    expect(r.attempt(Kind.Any, 10, '')).toBe(NOT_YET);
    r.push(euro.subarray(3));
    expect(r.attempt(Kind.Any, 10, '')).toBe('€');
  });

  it("BufferedReads in 'buffer' mode returns Buffers with every byte exact", () => {
    const { r } = reads('buffer');
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    r.push(all);
    const line = r.attempt(Kind.Line, 0, Buffer.alloc(0));
    expect(line).toEqual(Buffer.from(Array.from({ length: 10 }, (_, i) => i)));
    expect(r.attempt(Kind.Count, 245, Buffer.from('P'))).toEqual(
      Buffer.concat([Buffer.from('P'), all.subarray(11)]),
    );
  });
});

describe('BufferedReads failures and partials', () => {
  it('BufferedReads fails a line past maxLineLength with the bytes so far, and keeps the rest of the line', () => {
    const { r } = reads('latin1', 4);
    r.push(b('ab\rcdef\nnext\n'));
    const err = socketErrorOf(() => r.attempt(Kind.Line, 0, '>'));
    expect(err.code).toBe('linetoolong');
    // Four bytes were the line's so far; its CR is dropped from the partial.
    expect(err.partial).toBe('>abc');
    expect(r.attempt(Kind.Line, 0, '')).toBe('def');
    expect(r.lineNow()).toBe('next');
  });

  it('BufferedReads.lineNow answers only a whole line within maxLineLength, and never fails', () => {
    const { r } = reads('latin1', 3);
    r.push(b('abcdef'));
    expect(r.lineNow()).toBeUndefined();
    r.end();
    expect(r.lineNow()).toBeUndefined();
    expect(r.buffered).toBe(6);
  });

  it('BufferedReads.failed consumes the partial, but an incomplete UTF-8 character stays while more may come', () => {
    const { r } = reads('utf8', 3);
    const euro = Buffer.from('€', 'utf8');
    r.push(Buffer.concat([b('ab'), euro.subarray(0, 2)]));
    const err = socketErrorOf(() => r.attempt(Kind.Line, 0, ''));
    expect(err).toMatchObject({ code: 'linetoolong', partial: 'ab' });
    expect(r.buffered).toBe(2);
    r.push(Buffer.concat([euro.subarray(2), b('\n')]));
    expect(r.attempt(Kind.Line, 0, '')).toBe('€');
  });

  it("BufferedReads.failed makes a timeout's partial of a count: the bytes read so far, after the prefix", () => {
    const { r } = reads();
    r.push(b('xyz'));
    expect(r.attempt(Kind.Count, 5, 'P')).toBe(NOT_YET);
    const err = r.failed({ code: 'timeout' }, Kind.Count, 5, 'P');
    expect(err).toBeInstanceOf(SocketError);
    expect(err).toMatchObject({ code: 'timeout', partial: 'Pxyz' });
    expect(r.buffered).toBe(0);
    expect(r.received).toBe(3);
  });

  it('BufferedReads.failed keeps the cause and message of the failure it copies', () => {
    const { r } = reads();
    const cause = new Error('reason');
    expect(r.failed({ code: 'aborted', cause }, Kind.Line, 0, '')).toMatchObject({
      code: 'aborted',
      cause,
      partial: '',
    });
  });

  it('BufferedReads fails every read with the first failure given, after what is buffered', () => {
    const { r } = reads();
    r.push(b('ab\ncd'));
    r.fail(new SocketError('system', { message: 'Connection reset by peer' }));
    r.fail(new SocketError('closed'));
    expect(r.attempt(Kind.Line, 0, '')).toBe('ab');
    expect(socketErrorOf(() => r.attempt(Kind.Count, 5, ''))).toMatchObject({
      code: 'system',
      message: 'Connection reset by peer',
      partial: 'cd',
    });
  });

  it('BufferedReads.attempt(All) succeeds with what the peer sent before a later reset', () => {
    const { r } = reads();
    r.push(b('all'));
    r.end();
    r.fail(new SocketError('closed'));
    expect(r.attempt(Kind.All, 0, '')).toBe('all');
  });
});

describe('BufferedReads state', () => {
  it('BufferedReads counts the bytes it hands out, results and partials alike, LF included', () => {
    const { r } = reads();
    r.push(b('one\r\ntwo'));
    expect(r.lineNow()).toBe('one');
    expect(r.received).toBe(5);
    r.end();
    socketErrorOf(() => r.attempt(Kind.Line, 0, ''));
    expect(r.received).toBe(8);
  });

  it('BufferedReads publishes readable while bytes wait or once the stream ended', () => {
    const { r, ready } = reads();
    r.push(b('x'));
    expect(ready.readable).toBe(true);
    expect(r.attempt(Kind.Count, 1, '')).toBe('x');
    expect(ready.readable).toBe(false);
    r.end();
    expect(ready.readable).toBe(true);
    expect(r.finished).toBe(true);
  });

  it('BufferedReads.discard drops what is buffered and whatever arrives later', () => {
    const { r } = reads();
    r.push(b('dropped'));
    r.fail(new SocketError('closed'));
    r.discard();
    expect(r.buffered).toBe(0);
    expect(r.push(b('late'))).toBe(false);
    expect(r.buffered).toBe(0);
    expect(r.received).toBe(0);
  });
});

describe('BufferedReads reads that cannot fail', () => {
  it('countNow takes n bytes across chunks, or nothing while fewer are buffered', () => {
    for (const encoding of ['latin1', 'utf8', 'buffer'] as const) {
      const { r, ready } = reads(encoding);
      r.push(b('ab'));
      expect(r.countNow(3)).toBe(NOT_YET);
      r.push(b('cd'));
      const value = r.countNow(3);
      expect(Buffer.from(value as string | Buffer).toString('latin1')).toBe('abc');
      expect(r.received).toBe(3);
      expect(ready.readable).toBe(true);
      r.end();
      expect(r.countNow(2)).toBe(NOT_YET);
      expect(r.buffered).toBe(1);
    }
  });

  it('allNow answers only after the end, and only when something is left', () => {
    const { r } = reads();
    r.push(b('xyz'));
    expect(r.allNow()).toBe(NOT_YET);
    r.end();
    expect(r.allNow()).toBe('xyz');
    expect(r.allNow()).toBe(NOT_YET);
    expect(r.received).toBe(3);
  });

  it('emptyNow is empty until nothing is buffered and nothing more can come', () => {
    const { r } = reads('buffer');
    expect(r.emptyNow()).toEqual(Buffer.alloc(0));
    r.push(b('q'));
    r.fail(new SocketError('closed'));
    expect(r.emptyNow()).toEqual(Buffer.alloc(0));
    r.countNow(1);
    expect(r.emptyNow()).toBe(NOT_YET);
  });
});

/** Every `attempt(Any, max)` until `closed`, joined. */
function drainAny(r: BufferedReads<string>, maxes: readonly number[]): string {
  let out = '';
  for (let i = 0; ; i++) {
    let got: string | typeof NOT_YET;
    try {
      got = r.attempt(Kind.Any, maxes[i % maxes.length] ?? 1, '');
    } catch (err) {
      if (err instanceof SocketError && err.code === 'closed') return out;
      throw err;
    }
    if (got === NOT_YET) throw new Error('receiveany waited after the end of the stream');
    out += got;
  }
}

describe("BufferedReads.attempt(Any) in 'utf8' once the stream has ended", () => {
  it('never splits a character that is all buffered', () => {
    const { r } = reads('utf8');
    r.push(Buffer.from('€€', 'utf8'));
    r.end();
    expect(r.attempt(Kind.Any, 4, '')).toBe('€');
    expect(r.attempt(Kind.Any, 4, '')).toBe('€');
    expect(socketErrorOf(() => r.attempt(Kind.Any, 4, '')).code).toBe('closed');
  });

  it('gives a character whose other bytes never came as it is, once the stream ended', () => {
    const { r } = reads('utf8');
    r.push(Buffer.from([0x61, 0xe2, 0x82]));
    expect(r.attempt(Kind.Any, 8, '')).toBe('a');
    expect(r.attempt(Kind.Any, 8, '')).toBe(NOT_YET);
    r.end();
    expect(r.attempt(Kind.Any, 8, '')).toBe('\ufffd');
    expect(r.buffered).toBe(0);
  });

  it('after a failure or a close here, an incomplete character is not handed out: receiveany fails', () => {
    for (const failure of [
      new SocketError('closed'),
      new SocketError('closed', {
        cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      }),
    ]) {
      const { r } = reads('utf8');
      r.push(Buffer.from([0x61, 0xf0, 0x9d]));
      expect(r.attempt(Kind.Any, 100, '')).toBe('a');
      expect(r.attempt(Kind.Any, 100, '')).toBe(NOT_YET);
      r.fail(failure);
      expect(socketErrorOf(() => r.attempt(Kind.Any, 100, '')).code).toBe('closed');
      // The bytes stay for a read that has a partial to give them in.
      expect(socketErrorOf(() => r.attempt(Kind.All, 0, '')).partial).toBe('\ufffd');
    }
  });

  it('gives back exactly the text sent, for every chunking, max and moment of the end', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'é', '€', '😀', '\n', 'z'),
      maxLength: 60,
    });
    fc.assert(
      fc.property(
        text,
        fc.array(fc.nat({ max: 200 }), { maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (sent, cuts, maxes, endFirst) => {
          const bytes = Buffer.from(sent, 'utf8');
          const { r } = reads('utf8');
          let got = '';
          for (const chunk of split(bytes, cuts)) {
            r.push(chunk);
            // Without the end first, read what each chunk makes available.
            if (!endFirst) {
              for (let v = r.attempt(Kind.Any, maxes[0] ?? 1, ''); v !== NOT_YET;) {
                got += v;
                v = r.buffered > 0 ? r.attempt(Kind.Any, maxes[0] ?? 1, '') : NOT_YET;
              }
            }
          }
          r.end();
          got += drainAny(r, maxes);
          expect(got).toBe(sent);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("BufferedReads.attempt(Any) in 'utf8' over malformed bytes", () => {
  it('a lead byte followed by ASCII is one character: receiveany(1) takes that byte alone', () => {
    const { r } = reads('utf8');
    r.push(Buffer.from([0xe2, 0x41, 0x42, 0x43]));
    expect(r.attempt(Kind.Any, 1, '')).toBe('\ufffd');
    expect(r.attempt(Kind.Any, 1, '')).toBe('A');
    r.push(Buffer.from([0xf0, 0x9f, 0x41]));
    // A lead and one continuation that fits it, cut short: one U+FFFD for both.
    expect(r.attempt(Kind.Any, 1, '')).toBe('B');
    expect(r.attempt(Kind.Any, 1, '')).toBe('C');
    expect(r.attempt(Kind.Any, 1, '')).toBe('\ufffd');
    expect(r.attempt(Kind.Any, 1, '')).toBe('A');
  });

  it('gives what the decoder makes of all the bytes, for any bytes, chunking and max', () => {
    // Bytes around UTF-8's boundaries: ASCII, continuations, every kind of lead.
    const byte = fc.oneof(
      fc.constantFrom(0x41, 0x0a, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf),
      fc.constantFrom(0xc0, 0xc2, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff),
      fc.integer({ min: 0, max: 255 }),
    );
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 40 }),
        fc.array(fc.nat({ max: 40 }), { maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
        (values, cuts, maxes) => {
          const bytes = Buffer.from(values);
          const { r } = reads('utf8');
          let got = '';
          let i = 0;
          for (const chunk of split(bytes, cuts)) {
            r.push(chunk);
            for (;;) {
              const max = maxes[i++ % maxes.length] ?? 1;
              if (r.buffered === 0) break;
              const before = r.buffered;
              const v = r.attempt(Kind.Any, max, '');
              if (v === NOT_YET) break;
              const taken = before - r.buffered;
              // More than max only for one character longer than max.
              if (taken > max) expect([...v]).toHaveLength(1);
              got += v;
            }
          }
          r.end();
          got += drainAny(r, maxes);
          expect(got).toBe(bytes.toString('utf8'));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('BufferedReads and a reset', () => {
  const reset = (): SocketError =>
    new SocketError('closed', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });

  it('a reset before the end is what reads fail with, its cause kept', () => {
    const { r } = reads();
    r.push(b('part'));
    r.fail(reset());
    const err = socketErrorOf(() => r.attempt(Kind.Line, 0, ''));
    expect(err).toMatchObject({ code: 'closed', partial: 'part' });
    expect(err.cause).toMatchObject({ code: 'ECONNRESET' });
  });

  it("a reset after the peer's FIN truncated nothing: reads end as at a clean end", () => {
    const { r } = reads();
    r.push(b('done\nrest'));
    r.end();
    r.fail(reset());
    expect(r.attempt(Kind.Line, 0, '')).toBe('done');
    const err = socketErrorOf(() => r.attempt(Kind.Line, 0, ''));
    expect(err).toMatchObject({ code: 'closed', partial: 'rest' });
    expect(err.cause).toBeUndefined();
  });
});
