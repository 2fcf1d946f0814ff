import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { completeUtf8Length } from '../../../src/stream/utf8.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const complete = (b: Uint8Array): number => completeUtf8Length(b, 0, b.length);

/** Characters of every encoded length, including the edges of each range. */
const CHARS = [
  'A',
  '\x7f',
  'é',
  '\u0080',
  '\u07ff',
  '€',
  '\u0800',
  '\ud7ff',
  '\ue000',
  '\uffff',
  '𝄞',
  '\u{10000}',
  '\u{10ffff}',
];

describe('completeUtf8Length', () => {
  it('completeUtf8Length is 0 for an empty range', () => {
    expect(completeUtf8Length(bytes(), 0, 0)).toBe(0);
    expect(completeUtf8Length(bytes(0xe2, 0x82), 1, 1)).toBe(0);
  });

  it('completeUtf8Length keeps whole ASCII, NUL included', () => {
    expect(complete(bytes(0x61, 0, 0x7f, 0x0a))).toBe(4);
  });

  it('completeUtf8Length holds back a 1-4 byte character cut at every position', () => {
    for (const ch of CHARS) {
      const encoded = Buffer.from(ch, 'utf8');
      const whole = Buffer.concat([Buffer.from('ab'), encoded]);
      for (let cut = 0; cut <= encoded.length; cut++) {
        const end = 2 + cut;
        const expected = cut === 0 || cut === encoded.length ? end : 2;
        expect(completeUtf8Length(whole, 0, end), `${JSON.stringify(ch)} cut after ${cut}`).toBe(
          expected,
        );
        // The same, counted from an offset.
        expect(
          completeUtf8Length(whole, 1, end),
          `${JSON.stringify(ch)} from 1, cut after ${cut}`,
        ).toBe(expected - 1);
      }
    }
  });

  it('completeUtf8Length holds back only the last, incomplete character', () => {
    const text = Buffer.from('é€𝄞x€', 'utf8');
    expect(complete(text)).toBe(text.length);
    expect(completeUtf8Length(text, 0, text.length - 1)).toBe(text.length - 3);
    expect(completeUtf8Length(text, 0, text.length - 2)).toBe(text.length - 3);
  });

  it('completeUtf8Length holds back the prefixes of valid sequences at the edges of their ranges', () => {
    for (const tail of [
      [0xc2],
      [0xdf],
      [0xe0, 0xa0],
      [0xe1],
      [0xed, 0x9f],
      [0xef, 0xbf],
      [0xf0, 0x90],
      [0xf0, 0xbf, 0xbf],
      [0xf1, 0x80, 0x80],
      [0xf4, 0x8f, 0xbf],
    ]) {
      expect(complete(bytes(0x61, ...tail)), tail.map((b) => b.toString(16)).join(' ')).toBe(1);
    }
  });

  it('completeUtf8Length never holds back malformed bytes', () => {
    for (const tail of [
      [0x80],
      [0xbf],
      [0x80, 0x80, 0x80],
      [0xc0],
      [0xc1],
      [0xf5],
      [0xf8],
      [0xfe],
      [0xff],
      [0xe0, 0x80], // overlong
      [0xe0, 0x9f],
      [0xed, 0xa0], // surrogate
      [0xf0, 0x80], // overlong
      [0xf0, 0x8f, 0xbf],
      [0xf4, 0x90], // above U+10FFFF
      [0xc3, 0x41], // lead, then ASCII
      [0xe2, 0x82, 0x41],
      [0xc3, 0xa9, 0xa9], // one continuation too many
      [0xf0, 0x9d, 0x84, 0x9e, 0x80],
    ]) {
      const b = bytes(0x61, ...tail);
      expect(complete(b), tail.map((x) => x.toString(16)).join(' ')).toBe(b.length);
    }
  });

  it('completeUtf8Length cuts exactly where a streaming UTF-8 decoder stops', () => {
    const byte = fc.oneof(
      { arbitrary: fc.integer({ min: 0x80, max: 0xbf }), weight: 4 },
      { arbitrary: fc.integer({ min: 0xc0, max: 0xff }), weight: 3 },
      { arbitrary: fc.constantFrom(0xe0, 0xed, 0xf0, 0xf4), weight: 1 },
      { arbitrary: fc.integer({ min: 0, max: 0x7f }), weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 12 }), fc.nat(), (list, at) => {
        const b = Uint8Array.from(list);
        const start = list.length === 0 ? 0 : at % (list.length + 1);
        const range = b.subarray(start);
        const n = completeUtf8Length(b, start, b.length);
        // What a streaming decoder emits is exactly the decoding of the first n bytes.
        const streamed = new TextDecoder().decode(range, { stream: true });
        expect(new TextDecoder().decode(range.subarray(0, n))).toBe(streamed);
        // And what is held back is only ever the start of one character.
        expect(range.length - n).toBeLessThanOrEqual(3);
      }),
      { numRuns: 5000 },
    );
  });

  it('completeUtf8Length never splits text cut at any position', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 20 }),
        fc.nat(),
        (text, at) => {
          const encoded = Buffer.from(text, 'utf8');
          const end = encoded.length === 0 ? 0 : at % (encoded.length + 1);
          const n = completeUtf8Length(encoded, 0, end);
          const head = encoded.toString('utf8', 0, n);
          expect(head).not.toContain('\ufffd');
          expect(text.startsWith(head)).toBe(true);
          expect(end - n).toBeLessThanOrEqual(3);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
