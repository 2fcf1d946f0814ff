/**
 * fast-check generators shared by the buffer fuzzers: byte streams rich in
 * what a line reader must get right (LF, CR LF, a lone CR, NUL, high bytes,
 * multi-byte UTF-8), and receive requests with their prefixes.
 */

import fc from 'fast-check';
import type { Request } from './model.js';

/** Bytes that matter to a line reader, mixed with any byte at all. */
const byte = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0x61, 0x62, 0x0a, 0x0d, 0x00, 0xff, 0x80) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
);

/** A piece of a binary stream. */
export const binaryPiece = (maxLength = 24): fc.Arbitrary<Buffer> =>
  fc.array(byte, { maxLength }).map((bytes) => Buffer.from(bytes));

/**
 * A long piece (50 bytes to `maxLength`), lines of random lengths, made
 * from a seed rather than byte by byte so that it costs the generator little.
 */
export const bulkPiece = (maxLength = 2000): fc.Arbitrary<Buffer> =>
  fc.tuple(fc.integer({ min: 50, max: maxLength }), fc.integer()).map(([length, seed]) => {
    const out = Buffer.allocUnsafe(length);
    let x = seed | 1;
    for (let i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const r = (x >>> 0) % 97;
      out[i] = r === 0 ? 0x0a : r === 1 ? 0x0d : (x >>> 8) & 0xff;
    }
    return out;
  });

/** Text that is valid UTF-8: ASCII, line ends, NUL, and characters of 2, 3 and 4 bytes. */
const textUnit = fc.constantFrom('a', 'b', '\n', '\r\n', '\r', '\0', 'é', '€', '✓', '😀', 'ü\n');

/** A piece of a text stream, as its UTF-8 bytes (whole characters; a cut may split them). */
export const textPiece = (maxUnits = 12): fc.Arbitrary<Buffer> =>
  fc.array(textUnit, { maxLength: maxUnits }).map((units) => Buffer.from(units.join(''), 'utf8'));

/**
 * A whole stream cut into pieces. Text is cut anywhere, characters included,
 * so that a character can arrive in two pieces.
 */
export function cutStream(
  piece: fc.Arbitrary<Buffer>,
  maxPieces = 8,
): fc.Arbitrary<{ stream: Buffer; cuts: number[] }> {
  return fc.array(piece, { minLength: 1, maxLength: maxPieces, size: 'medium' }).chain((pieces) => {
    const stream = Buffer.concat(pieces);
    return fc
      .uniqueArray(fc.integer({ min: 1, max: Math.max(1, stream.length - 1) }), {
        maxLength: maxPieces,
      })
      .map((inner) => ({
        stream,
        cuts: [...new Set([...inner.filter((c) => c < stream.length), stream.length])].sort(
          (x, y) => x - y,
        ),
      }));
  });
}

/** The pieces of a stream at its cuts (each cut is where a piece ends). */
export function piecesOf(stream: Buffer, cuts: readonly number[]): Buffer[] {
  let from = 0;
  return cuts.map((to) => {
    const piece = stream.subarray(from, to);
    from = to;
    return piece;
  });
}

/** A prefix: usually none, sometimes a few bytes (ASCII, so it is the same text in any encoding). */
const prefix = fc.option(
  fc.stringMatching(/^[a-z>]{0,4}$/).map((s) => Buffer.from(s, 'latin1')),
  { nil: undefined, freq: 2 },
);

/** A receive request; `any` only where the rules have `receiveany`. */
export function request(options: { any: boolean; maxCount?: number }): fc.Arbitrary<Request> {
  const maxCount = options.maxCount ?? 20;
  const kinds: fc.Arbitrary<Request>[] = [
    prefix.map((p): Request => ({ kind: 'line', prefix: p })),
    prefix.map((p): Request => ({ kind: 'line', prefix: p })),
    prefix.map((p): Request => ({ kind: 'all', prefix: p })),
    fc
      .tuple(fc.integer({ min: 0, max: maxCount }), prefix)
      .map(([n, p]): Request => ({ kind: 'count', n, prefix: p })),
  ];
  if (options.any)
    kinds.push(fc.integer({ min: 1, max: maxCount }).map((max): Request => ({ kind: 'any', max })));
  return fc.oneof(...kinds);
}

/** A request as one short word, for failure reports. */
export function describeRequest(r: Request): string {
  const p =
    r.kind !== 'any' && r.prefix !== undefined
      ? `+${Buffer.from(r.prefix).toString('latin1')}`
      : '';
  if (r.kind === 'count') return `${r.n}${p}`;
  if (r.kind === 'any') return `any(${r.max})`;
  return `*${r.kind === 'line' ? 'l' : 'a'}${p}`;
}
