import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { bind, connect, udp } from 'luasocket-async';
import {
  codecFor,
  isByteString,
  wideCharacter,
  type Codec,
  type Encoding,
} from '../../../src/stream/codec.js';

/** Bytes biased towards UTF-8's edges: continuations, lead bytes, NUL, CR, LF. */
const byte = fc.oneof(
  { arbitrary: fc.integer({ min: 0x80, max: 0xbf }), weight: 4 },
  { arbitrary: fc.integer({ min: 0xc0, max: 0xff }), weight: 3 },
  { arbitrary: fc.constantFrom(0x00, 0x0a, 0x0d, 0xe0, 0xed, 0xf0, 0xf4), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 0x7f }), weight: 2 },
);

/** Characters of every UTF-8 length, and of each side of U+00FF. */
const char = fc
  .oneof(
    fc.integer({ min: 0, max: 0xff }),
    fc.integer({ min: 0x100, max: 0x7ff }),
    fc.integer({ min: 0x800, max: 0xd7ff }),
    fc.integer({ min: 0xe000, max: 0xffff }),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  )
  .map((point) => String.fromCodePoint(point));

/** The bytes, cut at the given positions (sorted, each taken modulo the length + 1). */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const cut of [...at, bytes.length]) {
    chunks.push(bytes.subarray(from, cut));
    from = cut;
  }
  return chunks;
}

/**
 * Decodes chunks as a socket does: each time only what `complete` says ends
 * on a character boundary, the rest held for the next chunk; at the end, the
 * rest as it is.
 */
function streamed<T>(codec: Codec<T>, chunks: Buffer[]): T {
  let held = Buffer.alloc(0);
  let out = codec.empty;
  for (const chunk of chunks) {
    const bytes = Buffer.concat([held, chunk]);
    const n = codec.complete(bytes, 0, bytes.length);
    out = codec.concat(out, codec.decode(bytes, 0, n));
    held = bytes.subarray(n);
  }
  return codec.concat(out, codec.decode(held, 0, held.length));
}

// Node would send only the low byte of a character above U+00FF ('€' as
// 0xAC): a 'latin1' socket refuses such a string at once instead.
describe("a 'latin1' socket sends byte strings only", () => {
  test('TCP send() of a character above U+00FF throws a RangeError at once and sends nothing', async () => {
    await using server = await bind('127.0.0.1', 0, { encoding: 'buffer' });
    await using client = await connect('127.0.0.1', server.getsockname().port, {
      encoding: 'latin1',
    });
    await using conn = await server.accept({ timeout: 5 });
    expect(() => client.send('a€b')).toThrow(RangeError);
    expect(() => client.send('a€b')).toThrow(/U\+20AC '€' at string index 1/);
    // What can be a byte string goes out one byte per character, U+00FF included.
    await client.send('é\xff\n');
    expect(await conn.receive('*l', { timeout: 5 })).toEqual(Buffer.from([0xe9, 0xff]));
    expect(client.getstats().sent).toBe(3);
  });

  test('UDP sendto() of a character above U+00FF throws a RangeError at once', async () => {
    await using receiver = udp({ encoding: 'latin1' });
    await receiver.setsockname('127.0.0.1', 0);
    const { port } = receiver.getsockname();
    await using sender = udp({ encoding: 'latin1' });
    expect(() => sender.sendto('😀', '127.0.0.1', port)).toThrow(RangeError);
    // A character outside the BMP is named by its code point, not its surrogates.
    expect(() => sender.sendto('ab😀', '127.0.0.1', port)).toThrow(
      /U\+1F600 '😀' at string index 2/,
    );
    await sender.sendto('\xe9', '127.0.0.1', port);
    const { data } = await receiver.receivefrom(8192, { timeout: 5 });
    expect(data).toBe('\xe9');
  });

  test("a 'utf8' socket sends the same string as UTF-8", async () => {
    await using server = await bind('127.0.0.1', 0, { encoding: 'buffer' });
    await using client = await connect('127.0.0.1', server.getsockname().port);
    await using conn = await server.accept({ timeout: 5 });
    await client.send('€\n');
    expect(await conn.receive('*l', { timeout: 5 })).toEqual(Buffer.from('€', 'utf8'));
  });
});

const ENCODINGS: readonly Encoding[] = ['utf8', 'latin1', 'buffer'];

describe('codecFor', () => {
  it('codecFor gives the codec of each encoding, and the same one every time', () => {
    for (const encoding of ENCODINGS) {
      expect(codecFor(encoding).encoding).toBe(encoding);
      expect(codecFor(encoding)).toBe(codecFor(encoding));
    }
    expect(codecFor('utf8').empty).toBe('');
    expect(codecFor('latin1').empty).toBe('');
    expect(codecFor('buffer').empty).toEqual(Buffer.alloc(0));
  });

  it('codecFor throws a TypeError for an unknown encoding', () => {
    expect(() => codecFor('ascii' as Encoding)).toThrow(
      new TypeError("Expected `encoding` to be 'utf8', 'latin1' or 'buffer', got `ascii`"),
    );
    expect(() => codecFor(undefined as unknown as Encoding)).toThrow('got `undefined`');
  });

  // Bug: codecFor looks the name up on a plain object, so the names of
  // Object.prototype's members pass as encodings: connect(…, { encoding:
  // 'constructor' }) is accepted, and its first send() then fails with
  // "this[#codec].encode is not a function".
  it('codecFor throws a TypeError for the name of an Object.prototype member', () => {
    for (const name of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      expect(() => codecFor(name as Encoding), name).toThrow(
        new TypeError(`Expected \`encoding\` to be 'utf8', 'latin1' or 'buffer', got \`${name}\``),
      );
    }
  });
});

describe('Codec.decode and Codec.complete', () => {
  const euro = Buffer.from('a€b', 'utf8'); // 61 e2 82 ac 62

  it('decode reads bytes[start, end) as UTF-8, one character per byte, or a view of the bytes', () => {
    expect(codecFor('utf8').decode(euro, 1, 4)).toBe('€');
    expect(codecFor('latin1').decode(euro, 1, 4)).toBe('\xe2\x82\xac');
    const view = codecFor('buffer').decode(euro, 1, 4);
    expect(view).toEqual(Buffer.from([0xe2, 0x82, 0xac]));
    // A view, not a copy: it shares the received bytes.
    expect(view.buffer).toBe(euro.buffer);
    expect(view.byteOffset).toBe(euro.byteOffset + 1);
  });

  it('complete holds back a cut UTF-8 character on a utf8 codec only', () => {
    for (let end = 1; end <= euro.length; end++) {
      const whole = end === 2 || end === 3 ? 1 : end;
      expect(codecFor('utf8').complete(euro, 0, end), `end ${end}`).toBe(whole);
      expect(codecFor('latin1').complete(euro, 0, end)).toBe(end);
      expect(codecFor('buffer').complete(euro, 0, end)).toBe(end);
    }
    expect(codecFor('utf8').complete(euro, 1, 3)).toBe(0);
    expect(codecFor('latin1').complete(euro, 1, 3)).toBe(2);
  });

  it('every way of chunking the same bytes decodes to the same text, in each encoding', () => {
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (list, cuts) => {
          const bytes = Buffer.from(list);
          const chunks = chunked(bytes, cuts);
          for (const encoding of ENCODINGS) {
            const codec = codecFor(encoding);
            expect(streamed(codec, chunks)).toEqual(codec.decode(bytes, 0, bytes.length));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every one-byte-at-a-time delivery of UTF-8 text gives the text back', () => {
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 20 }), (text) => {
        const bytes = Buffer.from(text, 'utf8');
        const ones = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
        expect(streamed(codecFor('utf8'), ones)).toBe(bytes.toString('utf8'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('Codec.concat, Codec.prefix and Codec.byteLength', () => {
  it('concat joins a prefix and a value, and gives the value itself after an empty prefix', () => {
    const utf8 = codecFor('utf8');
    expect(utf8.concat('>', 'line')).toBe('>line');
    expect(utf8.concat('', 'line')).toBe('line');
    const buffer = codecFor('buffer');
    const value = Buffer.from('xy');
    expect(buffer.concat(Buffer.from('>'), value)).toEqual(Buffer.from('>xy'));
    expect(buffer.concat(buffer.empty, value)).toBe(value);
  });

  it('prefix takes a string or bytes and gives it in the result type of the encoding', () => {
    const bytes = Uint8Array.from([0xc3, 0xa9]);
    expect(codecFor('utf8').prefix('p')).toBe('p');
    expect(codecFor('utf8').prefix(bytes)).toBe('é');
    expect(codecFor('latin1').prefix(bytes)).toBe('\xc3\xa9');
    expect(codecFor('buffer').prefix('é')).toEqual(Buffer.from(bytes));
    const prefix = codecFor('buffer').prefix(bytes);
    expect(Buffer.isBuffer(prefix)).toBe(true);
    expect(prefix.buffer).toBe(bytes.buffer);
  });

  it('prefix throws a TypeError for anything else, naming its type', () => {
    for (const encoding of ENCODINGS) {
      expect(() => codecFor(encoding).prefix(42)).toThrow(
        new TypeError('Expected `prefix` to be a string or Uint8Array, got `number`'),
      );
      expect(() => codecFor(encoding).prefix(null)).toThrow('got `object`');
      expect(() => codecFor(encoding).prefix([0x41])).toThrow(TypeError);
    }
  });

  it('byteLength counts the bytes a value stands for in its encoding', () => {
    expect(codecFor('utf8').byteLength('a€')).toBe(4);
    expect(codecFor('latin1').byteLength('a\xe9')).toBe(2);
    expect(codecFor('buffer').byteLength(Buffer.alloc(7))).toBe(7);
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 30 }), (text) => {
        const utf8 = codecFor('utf8');
        expect(utf8.byteLength(text)).toBe(utf8.encode(text).length);
      }),
    );
  });
});

describe('Codec.encode', () => {
  it('encode gives a string as UTF-8 on utf8 and buffer codecs', () => {
    for (const encoding of ['utf8', 'buffer'] as const) {
      expect(codecFor(encoding).encode('é€')).toEqual(Buffer.from('é€', 'utf8'));
    }
  });

  it('encode gives a byte string one byte per character on a latin1 codec, every byte value', () => {
    const all = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    const bytes = codecFor('latin1').encode(all);
    expect(bytes).toEqual(Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (raw) => {
        const latin1 = codecFor('latin1');
        const text = latin1.decode(Buffer.from(raw), 0, raw.length);
        expect(latin1.encode(text)).toEqual(Buffer.from(raw));
      }),
    );
  });

  it('encode on a latin1 codec refuses a character above U+00FF with a RangeError that names it', () => {
    expect(() => codecFor('latin1').encode('a€b')).toThrow(
      new RangeError(
        "Expected `data` to hold only characters up to U+00FF on a 'latin1' socket, got U+20AC '€' at string index 1; send a Buffer, or use encoding 'utf8'",
      ),
    );
  });

  it('encode hands bytes over without copying: a Buffer as it is, a Uint8Array as a view', () => {
    const buffer = Buffer.from('abc');
    const plain = Uint8Array.from([1, 2, 3, 4]).subarray(1, 3);
    for (const encoding of ENCODINGS) {
      const codec = codecFor(encoding);
      expect(codec.encode(buffer)).toBe(buffer);
      const view = codec.encode(plain);
      expect(view).toEqual(Buffer.from([2, 3]));
      expect(view.buffer).toBe(plain.buffer);
      expect(view.byteOffset).toBe(1);
    }
  });

  it('encode throws a TypeError for data that is neither a string nor bytes', () => {
    for (const encoding of ENCODINGS) {
      expect(() => codecFor(encoding).encode(12 as unknown as string)).toThrow(
        new TypeError('Expected `data` to be a string or Uint8Array, got `number`'),
      );
      expect(() => codecFor(encoding).encode({} as Uint8Array)).toThrow('got `object`');
    }
  });
});

describe('isByteString and wideCharacter', () => {
  it('isByteString is true exactly when every character is at most U+00FF', () => {
    expect(isByteString('')).toBe(true);
    expect(isByteString('\0a\xe9\xff')).toBe(true);
    expect(isByteString('\u0100')).toBe(false);
    expect(isByteString('ab€')).toBe(false);
    expect(isByteString('😀')).toBe(false);
  });

  it('wideCharacter names the first wide character, its code point and its string index', () => {
    expect(wideCharacter('plain \xff bytes')).toBeUndefined();
    expect(wideCharacter('Ā')).toBe("U+0100 'Ā' at string index 0");
    expect(wideCharacter('a€b€')).toBe("U+20AC '€' at string index 1");
    // A surrogate pair is one character: named by its code point, at the index of its first half.
    expect(wideCharacter('ab😀')).toBe("U+1F600 '😀' at string index 2");
    expect(wideCharacter('x\uffff')).toBe("U+FFFF '\uffff' at string index 1");
  });

  it('wideCharacter is undefined exactly for byte strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 12 }), (text) => {
        expect(wideCharacter(text) === undefined).toBe(isByteString(text));
      }),
    );
  });
});
