/**
 * UTF-8 boundary arithmetic, so that text-mode partial results never split a
 * multi-byte character.
 *
 * @module
 */

/**
 * @internal The length of the longest prefix of `bytes[start, end)` that does
 * not end inside a UTF-8 sequence. Malformed input is never held back: only a
 * lead byte whose promised continuation bytes have not all arrived yet is.
 */
export function completeUtf8Length(bytes: Uint8Array, start: number, end: number): number {
  // A sequence is at most 4 bytes, so only the last 3 can be an incomplete tail.
  const floor = Math.max(start, end - 3);
  for (let i = end - 1; i >= floor; i--) {
    const b = bytes[i] as number;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    // C0, C1 and F5-FF never start a sequence: a decoder replaces them at once.
    const need = b >= 0xf5 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 1;
    if (end - i >= need) return end - start;
    // A second byte outside the lead's range is already malformed (overlong, surrogate, > U+10FFFF).
    if (i + 1 < end && !secondByteFits(b, bytes[i + 1] as number)) return end - start;
    return i - start;
  }
  return end - start;
}

/** The range WHATWG's UTF-8 decoder allows for the byte after `lead`. */
function secondByteFits(lead: number, b: number): boolean {
  if (lead === 0xe0) return b >= 0xa0;
  if (lead === 0xed) return b <= 0x9f;
  if (lead === 0xf0) return b >= 0x90;
  if (lead === 0xf4) return b <= 0x8f;
  return true;
}

/**
 * @internal How many of the first `size` buffered bytes a `receiveany` may
 * take without splitting a character; 0 when it must wait for more bytes.
 * A `max` shorter than the next character gets that character whole, rather
 * than a split one or a wait for bytes that are already here. A malformed
 * sequence is a character as long as the decoder takes it to be (the lead
 * and the continuation bytes that fit it, one U+FFFD), never the length its
 * lead promised.
 *
 * @param buffered - the unread bytes (`peek(n)` never asks beyond `length`)
 * @param size - the bytes on offer: min(length, max), at least 1
 */
export function utf8AnySize(
  buffered: { readonly length: number; peek(n: number): Uint8Array },
  size: number,
): number {
  const whole = completeUtf8Length(buffered.peek(size), 0, size);
  if (whole > 0) return whole;
  return firstCharLength(buffered.peek(Math.min(buffered.length, 4)));
}

/**
 * The length of the character `bytes` starts with, as the decoder reads it:
 * a malformed sequence ends at the first byte that cannot continue it. 0 when
 * its other bytes have not arrived yet.
 */
function firstCharLength(bytes: Uint8Array): number {
  const lead = bytes[0] ?? 0;
  const need = lead >= 0xf5 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 1;
  for (let n = 1; n < need; n++) {
    if (n >= bytes.length) return 0;
    const b = bytes[n] as number;
    if ((b & 0xc0) !== 0x80 || (n === 1 && !secondByteFits(lead, b))) return n;
  }
  return need;
}
