/**
 * The buffered reader's byte store: chunks in, patterns out, no I/O.
 *
 * Chunks are kept as they arrived and never copied until a result needs bytes
 * from more than one of them, so a 10 MB line that arrives in 16 KB chunks is
 * copied once, and a line inside one chunk is decoded straight from it.
 *
 * @module
 */

/** Turns `bytes[start, end)` into a result (a string or a Buffer view). */
export type Decode<T> = (bytes: Buffer, start: number, end: number) => T;

const LF = 10;
const CR = 13;

/**
 * @internal Unread bytes, in arrival order. LuaSocket's `buffer.c` over a
 * chunk list instead of one fixed 8 KB array.
 */
export class ReceiveBuffer {
  #chunks: Buffer[] = [];
  /** Index of the first live chunk: consumed chunks are dropped in batches. */
  #first = 0;
  /** Read position inside `#chunks[#first]`. */
  #offset = 0;
  /** The first live chunk's length, 0 when there is none: `skip` inside it reads no Buffer. */
  #headEnd = 0;
  #length = 0;
  /** How many unread bytes are known to hold no LF, so no byte is scanned twice. */
  #scanned = 0;
  /** Position of the next CR at or after `#offset` in the first chunk (its length if none). */
  #nextCR = -1;
  /** The first chunk decoded whole, for text lines (see `textLine`). */
  #textOf: Buffer | undefined;
  #textEncoding: 'latin1' | 'utf8' = 'latin1';
  #text = '';
  /** True when every byte of `#textOf` became exactly one UTF-16 unit. */
  #textExact = false;
  #textCR = -1;
  /** The last chunk after the first that `#textSpan` decoded, and its text. */
  #spanOf: Buffer | undefined;
  #spanEncoding: 'latin1' | 'utf8' = 'latin1';
  #spanText = '';
  /** Bytes the last successful `textLine` consumed, LF included. */
  lineBytes = 0;

  /** Unread bytes. */
  get length(): number {
    return this.#length;
  }

  /** Appends a chunk; the buffer keeps a reference and never writes into it. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    if (this.#length === chunk.length) this.#headEnd = chunk.length;
  }

  /** Position of the first LF among the unread bytes, or -1. */
  findLF(): number {
    if (this.#scanned >= this.#length) return -1;
    // Walk to the chunk where the previous scan stopped.
    let seen = 0;
    let i = this.#first;
    let from = this.#offset;
    for (; i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i] as Buffer;
      const size = chunk.length - from;
      if (seen + size > this.#scanned) {
        from += this.#scanned - seen;
        seen = this.#scanned;
        break;
      }
      seen += size;
      from = 0;
    }
    for (; i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i] as Buffer;
      const at = chunk.indexOf(LF, from);
      if (at !== -1) {
        const pos = seen + (at - from);
        this.#scanned = pos;
        return pos;
      }
      seen += chunk.length - from;
      from = 0;
    }
    this.#scanned = this.#length;
    return -1;
  }

  /** Consumes `n` bytes (n ≤ length) and decodes them. */
  read<T>(n: number, decode: Decode<T>): T {
    const chunk = this.#chunks[this.#first];
    if (chunk !== undefined && this.#offset + n <= chunk.length) {
      const start = this.#offset;
      const value = decode(chunk, start, start + n);
      this.skip(n);
      return value;
    }
    const bytes = this.peek(n);
    this.skip(n);
    return decode(bytes, 0, bytes.length);
  }

  /**
   * Consumes a line of `pos` bytes and the LF after it, and decodes the line
   * without any of its CRs (LuaSocket drops every CR, not only the last).
   */
  readLine<T>(pos: number, decode: Decode<T>): T {
    const chunk = this.#chunks[this.#first];
    const start = this.#offset;
    if (chunk !== undefined && start + pos < chunk.length) {
      if (this.#nextCR < start) this.#nextCR = indexOrEnd(chunk, CR, start);
      const end = start + pos;
      let value: T;
      if (this.#nextCR >= end) value = decode(chunk, start, end);
      else if (this.#nextCR === end - 1) value = decode(chunk, start, end - 1);
      else {
        const line = stripCR(chunk.subarray(start, end));
        value = decode(line, 0, line.length);
      }
      this.skip(pos + 1);
      return value;
    }
    const line = stripCR(this.peek(pos));
    this.skip(pos + 1);
    return decode(line, 0, line.length);
  }

  /**
   * A line that ends inside the first chunk, as a string, when that chunk's
   * bytes map one to one onto UTF-16 units (always for latin1; for utf8 when
   * it holds no multi-byte character): then the chunk is decoded once and
   * every line is a slice of it, which is several times cheaper than
   * decoding each line. Undefined when the fast path does not apply (no LF
   * in the first chunk, a line over `max`, a multi-byte chunk).
   */
  textLine(encoding: 'latin1' | 'utf8', max: number): string | undefined {
    const text = this.#textOfFirst(encoding);
    if (text === undefined) return undefined;
    const start = this.#offset;
    const at = text.indexOf('\n', start);
    if (at === -1 || at - start > max) return undefined;
    if (this.#textCR < start) {
      const cr = text.indexOf('\r', start);
      this.#textCR = cr === -1 ? text.length : cr;
    }
    const line =
      this.#textCR >= at
        ? text.slice(start, at)
        : this.#textCR === at - 1
          ? text.slice(start, at - 1)
          : text.slice(start, at).replaceAll('\r', '');
    this.lineBytes = at - start + 1;
    this.skip(this.lineBytes);
    return line;
  }

  /**
   * Consumes `n` bytes (n ≤ length) as a string by the same fast path as
   * `textLine`: a slice of the first chunk decoded once. Undefined, with
   * nothing consumed, when the bytes do not all lie in a one-to-one chunk.
   */
  textRead(encoding: 'latin1' | 'utf8', n: number): string | undefined {
    const start = this.#offset;
    if (start + n > this.#headEnd)
      return n <= this.#length ? this.#textSpan(encoding, n) : undefined;
    const text = this.#textOfFirst(encoding);
    if (text === undefined) return undefined;
    this.skip(n);
    return text.slice(start, start + n);
  }

  /**
   * `textRead` across chunks: the pieces of each chunk's text joined, when
   * every chunk it touches maps one to one and, in UTF-8, ends on an ASCII
   * byte (so that no character straddles two of them). A 64 KiB count then
   * costs no copy of its bytes: each chunk is decoded once, as for lines.
   */
  #textSpan(encoding: 'latin1' | 'utf8', n: number): string | undefined {
    const head = this.#textOfFirst(encoding);
    if (head === undefined || !this.#endsClean(this.#first, encoding)) return undefined;
    let out = head.slice(this.#offset);
    let left = n - out.length;
    for (let i = this.#first + 1; left > 0; i++) {
      const chunk = this.#chunks[i] as Buffer;
      if (this.#spanOf !== chunk || this.#spanEncoding !== encoding) {
        this.#spanOf = chunk;
        this.#spanEncoding = encoding;
        this.#spanText = chunk.toString(encoding);
      }
      const text = this.#spanText;
      if (text.length !== chunk.length) return undefined;
      if (left >= text.length) {
        if (!this.#endsClean(i, encoding)) return undefined;
        out += text;
        left -= text.length;
      } else {
        out += text.slice(0, left);
        left = 0;
      }
    }
    this.skip(n);
    return out;
  }

  /** True when chunk `i` cannot end inside a character of `encoding`. */
  #endsClean(i: number, encoding: 'latin1' | 'utf8'): boolean {
    const chunk = this.#chunks[i] as Buffer;
    return encoding === 'latin1' || (chunk[chunk.length - 1] as number) < 0x80;
  }

  /** The first chunk as one string when its bytes map one to one onto UTF-16 units. */
  #textOfFirst(encoding: 'latin1' | 'utf8'): string | undefined {
    const chunk = this.#chunks[this.#first];
    if (chunk === undefined) return undefined;
    if (this.#textOf !== chunk || this.#textEncoding !== encoding) {
      this.#textOf = chunk;
      this.#textEncoding = encoding;
      // A chunk a span decoded already is not decoded again.
      this.#text =
        this.#spanOf === chunk && this.#spanEncoding === encoding
          ? this.#spanText
          : chunk.toString(encoding);
      // A multi-byte character shortens the string; a malformed byte becomes one U+FFFD.
      this.#textExact = this.#text.length === chunk.length;
      this.#textCR = -1;
    }
    return this.#textExact ? this.#text : undefined;
  }

  /** The first `n` unread bytes (n ≤ length) without consuming them. */
  peek(n: number): Buffer {
    const first = this.#chunks[this.#first];
    if (first === undefined || n === 0) return Buffer.alloc(0);
    if (this.#offset + n <= first.length) return first.subarray(this.#offset, this.#offset + n);
    const out = Buffer.allocUnsafe(n);
    let filled = first.copy(out, 0, this.#offset);
    for (let i = this.#first + 1; filled < n; i++) {
      const chunk = this.#chunks[i] as Buffer;
      filled += chunk.copy(out, filled, 0, Math.min(chunk.length, n - filled));
    }
    return out;
  }

  /** Drops `n` unread bytes (n ≤ length). */
  skip(n: number): void {
    const end = this.#offset + n;
    if (end < this.#headEnd) {
      // The common case, inside the first chunk: no chunk is dropped.
      this.#offset = end;
      this.#length -= n;
      if (this.#scanned !== 0) this.#scanned = this.#scanned > n ? this.#scanned - n : 0;
      return;
    }
    this.#length -= n;
    this.#scanned = Math.max(0, this.#scanned - n);
    let left = n;
    while (left > 0) {
      const chunk = this.#chunks[this.#first] as Buffer;
      const rest = chunk.length - this.#offset;
      if (left < rest) {
        this.#offset += left;
        this.#headEnd = chunk.length;
        return;
      }
      left -= rest;
      this.#chunks[this.#first] = EMPTY;
      this.#first++;
      this.#offset = 0;
      this.#nextCR = -1;
    }
    const head = this.#chunks[this.#first];
    if (head !== undefined && this.#offset === head.length) {
      this.#first++;
      this.#offset = 0;
      this.#nextCR = -1;
    }
    if (this.#textOf !== undefined && this.#textOf !== this.#chunks[this.#first]) {
      this.#textOf = undefined;
      this.#text = '';
    }
    if (this.#first === this.#chunks.length) {
      this.#chunks.length = 0;
      this.#first = 0;
    } else if (this.#first > 1024 && this.#first * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#first);
      this.#first = 0;
    }
    this.#headEnd = this.#chunks[this.#first]?.length ?? 0;
  }
}

const EMPTY = Buffer.alloc(0);

function indexOrEnd(chunk: Buffer, byte: number, from: number): number {
  const at = chunk.indexOf(byte, from);
  return at === -1 ? chunk.length : at;
}

/** @internal `bytes` without any CR; the same Buffer when it has none. */
export function stripCR(bytes: Buffer): Buffer {
  let at = bytes.indexOf(CR);
  if (at === -1) return bytes;
  if (at === bytes.length - 1) return bytes.subarray(0, at);
  const out = Buffer.allocUnsafe(bytes.length);
  let filled = 0;
  let from = 0;
  while (at !== -1) {
    filled += bytes.copy(out, filled, from, at);
    from = at + 1;
    at = bytes.indexOf(CR, from);
  }
  filled += bytes.copy(out, filled, from);
  return out.subarray(0, filled);
}
