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
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return end - i < need && b >= 0xc0 ? i - start : end - start;
  }
  return end - start;
}
