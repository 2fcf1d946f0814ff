/**
 * How a socket turns bytes into results and data into bytes, per encoding.
 *
 * @module
 */

import type { Decode } from './receive-buffer.js';
import { completeUtf8Length } from './utf8.js';

/**
 * A socket's encoding: `'utf8'` (the default) and `'latin1'` give strings,
 * `'buffer'` gives `Buffer`s. `'latin1'` is one character per byte, the way
 * Lua strings are, so every byte survives as it is.
 */
export type Encoding = 'utf8' | 'latin1' | 'buffer';

/** What a receive resolves to under an encoding. */
export type DataOf<E extends Encoding> = E extends 'buffer' ? Buffer : string;

/** @internal The per-encoding operations the reader and writer need. */
export interface Codec<T> {
  readonly encoding: Encoding;
  readonly decode: Decode<T>;
  readonly empty: T;
  /** Bytes of `bytes[start, end)` that end on a character boundary. */
  complete(bytes: Buffer, start: number, end: number): number;
  concat(prefix: T, value: T): T;
  /** Validates a caller's prefix and converts it to the result type. */
  prefix(value: unknown): T;
  byteLength(value: T): number;
  encode(data: string | Uint8Array): Buffer;
  /**
   * What a stream send hands to its writer: bytes, or a string — under
   * `'latin1'` the checked byte string, which Node.js writes as it is, one
   * byte per character, with no Buffer made for it; otherwise the text, which
   * the writer encodes as UTF-8 only when its turn to be written comes.
   */
  sendable(data: string | Uint8Array): Buffer | string;
}

function textCodec(encoding: 'utf8' | 'latin1'): Codec<string> {
  return {
    encoding,
    decode: (bytes, start, end) => bytes.toString(encoding, start, end),
    empty: '',
    complete: encoding === 'utf8' ? completeUtf8Length : (_bytes, start, end) => end - start,
    concat: (prefix, value) => (prefix === '' ? value : prefix + value),
    prefix: (value) => {
      if (typeof value === 'string') return value;
      if (value instanceof Uint8Array) return Buffer.from(value).toString(encoding);
      throw new TypeError(
        `Expected \`prefix\` to be a string or Uint8Array, got \`${typeof value}\``,
      );
    },
    byteLength: (value) => Buffer.byteLength(value, encoding),
    encode:
      encoding === 'latin1'
        ? (data) => (typeof data === 'string' ? latin1Bytes(data) : toBuffer(data))
        : utf8Bytes,
    sendable:
      encoding === 'latin1'
        ? (data) => (typeof data === 'string' ? byteString(data) : toBuffer(data))
        : utf8Text,
  };
}

/** Anything above U+00FF: not a byte string. */
const WIDE = /[\u0100-\uffff]/;

/** @internal True when every character of `data` is one byte (U+0000 to U+00FF). */
export function isByteString(data: string): boolean {
  return !WIDE.test(data);
}

/**
 * @internal The first character of `data` above U+00FF, described for an
 * error message: `U+20AC '€' at string index 5` (the index counts UTF-16 code
 * units, as `data[5]` does). Undefined for a byte string.
 */
export function wideCharacter(data: string): string | undefined {
  const wide = WIDE.exec(data);
  if (wide === null) return undefined;
  // A surrogate pair is one character: name the code point, not its halves.
  const point = data.codePointAt(wide.index) ?? 0;
  const char = String.fromCodePoint(point);
  const hex = point.toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex} '${char}' at string index ${wide.index}`;
}

/**
 * A byte string's bytes. Node would keep only the low byte of a wider
 * character ('€' would go out as 0xAC): refuse it instead of sending
 * something else than what was asked.
 */
function latin1Bytes(data: string): Buffer {
  return Buffer.from(byteString(data), 'latin1');
}

/** `data` when it is a byte string; see {@link latin1Bytes}. */
function byteString(data: string): string {
  const wide = wideCharacter(data);
  if (wide !== undefined) {
    throw new RangeError(
      `Expected \`data\` to hold only characters up to U+00FF on a 'latin1' socket, got ${wide}; send a Buffer, or use encoding 'utf8'`,
    );
  }
  return data;
}

const EMPTY = Buffer.alloc(0);

const bufferCodec: Codec<Buffer> = {
  encoding: 'buffer',
  decode: (bytes, start, end) => bytes.subarray(start, end),
  empty: EMPTY,
  complete: (_bytes, start, end) => end - start,
  concat: (prefix, value) => (prefix.length === 0 ? value : Buffer.concat([prefix, value])),
  prefix: (value) => {
    if (typeof value === 'string') return Buffer.from(value, 'utf8');
    if (value instanceof Uint8Array) return toBuffer(value);
    throw new TypeError(
      `Expected \`prefix\` to be a string or Uint8Array, got \`${typeof value}\``,
    );
  },
  byteLength: (value) => value.length,
  encode: utf8Bytes,
  sendable: utf8Text,
};

/** A string kept as it is, for the writer to encode as UTF-8 when its turn comes; bytes as they are. */
function utf8Text(data: string | Uint8Array): Buffer | string {
  return typeof data === 'string' ? data : toBuffer(data);
}

/** A string as UTF-8, bytes as they are. */
function utf8Bytes(data: string | Uint8Array): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : toBuffer(data);
}

function toBuffer(data: Uint8Array): Buffer {
  if (Buffer.isBuffer(data)) return data;
  // Sends reach here with whatever the caller passed: refuse it by name.
  if (!(data instanceof Uint8Array)) {
    throw new TypeError(`Expected \`data\` to be a string or Uint8Array, got \`${typeof data}\``);
  }
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

const codecs = {
  utf8: textCodec('utf8'),
  latin1: textCodec('latin1'),
  buffer: bufferCodec,
} as const;

/**
 * @internal The codec of an encoding.
 * @throws TypeError for an unknown encoding
 */
export function codecFor<E extends Encoding>(encoding: E): Codec<DataOf<E>> {
  // Own keys only: `toString` or `constructor` must not pass for an encoding.
  const codec = Object.hasOwn(codecs, encoding)
    ? (codecs as Record<string, Codec<unknown>>)[encoding]
    : undefined;
  if (codec === undefined) {
    throw new TypeError(
      `Expected \`encoding\` to be 'utf8', 'latin1' or 'buffer', got \`${String(encoding)}\``,
    );
  }
  return codec as Codec<DataOf<E>>;
}
