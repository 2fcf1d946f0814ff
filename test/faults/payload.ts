/**
 * Seeded byte streams for the fault scenarios: text (lines of UTF-8 with LF,
 * CR LF, empty lines and stray CRs) and binary (every byte value, LF and CR
 * often).
 */

/** A small seeded generator (mulberry32): the same seed, the same scenario. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (r: () => number, min: number, max: number): number =>
  min + Math.floor(r() * (max - min + 1));

export function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)] as T;
}

export interface Payload {
  readonly bytes: Buffer;
  /** Offsets where a character starts (every offset for binary). */
  boundary(at: number): number;
}

const WORDS = ['a', 'line', 'é', 'naïve', '€uro', '日本語', '𝄞', 'x', '', 'ok', 'ß', 'Ωmega'];

/** UTF-8 text of about `size` bytes. */
export function textPayload(r: () => number, size: number): Payload {
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const words = Array.from({ length: int(r, 0, 8) }, () => pick(r, WORDS));
    // A stray CR inside a line now and then: '*l' drops every CR, not only the last.
    if (r() < 0.1) words.splice(int(r, 0, words.length), 0, '\r');
    const line = words.join(' ') + pick(r, ['\n', '\r\n', '\r\n', '\n\n', '\r\r\n']);
    parts.push(line);
    length += Buffer.byteLength(line);
  }
  const bytes = Buffer.from(parts.join(''), 'utf8');
  return {
    bytes,
    boundary: (at) => {
      let i = Math.min(at, bytes.length);
      while (i > 0 && i < bytes.length && ((bytes[i] as number) & 0xc0) === 0x80) i--;
      return i;
    },
  };
}

/** Random bytes 0x00–0xFF of `size`, with LF, CR and CR LF much more often than by chance. */
export function binaryPayload(r: () => number, size: number): Payload {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) {
    const x = r();
    bytes[i] = x < 0.06 ? 0x0a : x < 0.1 ? 0x0d : Math.floor(r() * 256);
  }
  return { bytes, boundary: (at) => Math.min(at, size) };
}
