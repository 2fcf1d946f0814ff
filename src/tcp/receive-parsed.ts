/**
 * The receives a layer over the core makes with a pattern it parsed by its
 * own rules (compat parses by LuaSocket 3.0's), reaching the client's reader
 * without a member on the public object.
 *
 * @internal
 * @module
 */

import type { ParsedPattern } from '../stream/pattern.js';
import type { StreamReader } from '../stream/reader.js';
import type { WaitOptions } from '../time/wait.js';

/**
 * A client as these functions take it: `TcpClient` by its shape, so that
 * this module needs no import of the class that imports it.
 */
interface AnyClient<T> {
  receive(...args: never[]): Promise<T>;
}
type ReaderOf = <T extends string | Buffer>(client: AnyClient<T>) => StreamReader<T>;

/** Set once, by `TcpClient`'s static block, before any client can exist. */
let readerOf!: ReaderOf;

/**
 * @internal Called by `TcpClient` alone, as its class is defined: how this
 * module reaches a client's reader, which stays a `#private` field.
 */
export function grantReader(get: ReaderOf): void {
  readerOf = get;
}

/**
 * @internal `client.receive` for a pattern parsed already, so that it is not
 * parsed twice, and a prefix of the client's result type (`''` for none).
 *
 * @param options - validated as wait options; their keys are the caller's to check
 * @returns the data, prefix first
 * @throws SocketError `timeout`, `closed`, `linetoolong`, `aborted` (with
 *   `partial`, consumed), as a rejection; TypeError for bad options, at once
 */
export function receiveParsed<T extends string | Buffer>(
  client: AnyClient<T>,
  parsed: ParsedPattern,
  prefix: T,
  options?: WaitOptions,
): Promise<T> {
  return readerOf(client).receiveParsed(parsed, prefix, options);
}

/**
 * @internal The synchronous fast path of {@link receiveParsed}: the data
 * when the buffer answers now, with no promise, no timer and no listener;
 * undefined when the call would have to wait (then nothing was consumed, and
 * `receiveParsed` makes the call).
 *
 * @throws SocketError `closed`, `linetoolong` or the connection's failure,
 *   with `partial` (consumed), when the buffer decides at once
 */
export function receiveParsedNow<T extends string | Buffer>(
  client: AnyClient<T>,
  parsed: ParsedPattern,
  prefix: T,
): T | undefined {
  return readerOf(client).receiveParsedNow(parsed, prefix);
}
