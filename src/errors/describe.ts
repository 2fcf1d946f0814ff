/**
 * How a value a caller passed appears in a usage error: a string in quotes,
 * an object by its tag, anything else as `String` writes it. One rule, so
 * every `TypeError` and `RangeError` of the library names values alike.
 *
 * @module
 */

/** @internal How a value appears in a usage error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value);
  return String(value);
}
