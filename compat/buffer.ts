/**
 * LuaSocket's `buffer.c` methods (`receive`, `send`) over a core client:
 * Lua's argument rules in, LuaSocket's result tuples out. The buffering,
 * the patterns and the waiting all happen in the core.
 *
 * Compat strings are Lua strings: one character per byte (the core sockets
 * use `'latin1'`), so lengths and `send` indices count bytes exactly as Lua
 * does. A string holding a character above U+00FF cannot be a byte string:
 * `send` refuses it with a TypeError naming the character, rather than
 * choose bytes for it that its neighbours would not get (`'é'` is one byte
 * on its own; as UTF-8 next to a `'€'` it would be two). The ways out: a
 * `Buffer`/`Uint8Array` (sent as it is, `i`/`j` counting its bytes), or an
 * object made with `{ encoding: 'utf8' }` (or after
 * `socket.setencoding('utf8')`), whose strings are always UTF-8.
 *
 * @internal
 * @module
 */

import { type SocketAddress, SocketError, type TcpClient, type UnixAddress } from '../src/index.js';
import {
  checkKeys,
  countPattern,
  parsePattern,
  receiveParsed,
  receiveParsedNow,
  unsupported,
  wideCharacter,
  type ParsedPattern,
} from '../src/internal.js';
import { checkOption, receivePattern } from './arguments.js';
import { message } from './errors.js';
import { badArgument, checkNumber, checkString, optInteger, optNumber } from './lua.js';
import type { ReceiveResult, SendResult, StatsResult } from './tuples.js';

/** Whether compat strings are byte strings (`'latin1'`, the default) or UTF-8 text. */
export type CompatEncoding = 'latin1' | 'utf8';

/**
 * @internal The encoding compat's options ask for (the module default when none),
 * after refusing any key but `encoding`.
 * @throws TypeError naming an unknown key
 */
export function encodingOf(
  options: { encoding?: CompatEncoding } | undefined,
  where: string,
): CompatEncoding {
  if (typeof options === 'object' && options !== null) checkKeys(options, ['encoding'], where);
  return options?.encoding ?? defaultEncoding;
}

/** The encoding of objects created without an `encoding` option (`socket.setencoding`). */
let defaultEncoding: CompatEncoding = 'latin1';

/** @internal Sets the encoding {@link encodingOf} falls back to; returns the one it replaces. */
export function setDefaultEncoding(encoding: CompatEncoding): CompatEncoding {
  const previous = defaultEncoding;
  defaultEncoding = encoding;
  return previous;
}

/**
 * A core connection a compat object reads and writes through: a TCP
 * client, or a Unix domain one (the same class over a path).
 *
 * @internal
 */
export type StreamClient = TcpClient<string, SocketAddress | UnixAddress>;

/**
 * The client a call reads or writes through: none when the object has no
 * connection, or a promise of it while a connect is still in progress (the
 * call then waits for that connect, as LuaSocket waits for the socket).
 *
 * @internal
 */
export type ClientRef = StreamClient | undefined | Promise<StreamClient | undefined>;

/** Runs `use` with the client, at once or once the connect in progress has ended. */
function withClient<R>(
  ref: ClientRef,
  use: (client: StreamClient | undefined) => Promise<R>,
): Promise<R> {
  return ref instanceof Promise ? ref.then(use) : use(ref);
}

/**
 * The bytes a send's data stands for: a `Buffer`/`Uint8Array` as it is; a
 * string one byte per character, or as UTF-8 on a `'utf8'` object; a number
 * as Lua turns it into a string.
 *
 * @throws TypeError for another type, or for a string with a character
 *   above U+00FF on a `'latin1'` object (never sent under another encoding
 *   than its neighbours'); the message names the character, its index and
 *   the ways out
 * @internal
 */
export function toBytes(data: unknown, encoding: CompatEncoding, arg: number, fn: string): Buffer {
  const payload = toPayload(data, encoding, arg, fn);
  return typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
}

/**
 * {@link toBytes}, except that a byte string stays a string: a stream send
 * hands it to Node.js as it is, which writes it one byte per character
 * without a Buffer made for it first.
 * @throws as {@link toBytes}
 */
function toPayload(
  data: unknown,
  encoding: CompatEncoding,
  arg: number,
  fn: string,
): Buffer | string {
  if (data instanceof Uint8Array) {
    return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
  }
  const text = checkString(data, arg, fn);
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  const wide = wideCharacter(text);
  if (wide !== undefined) {
    throw badArgument(
      arg,
      fn,
      `byte string expected, got ${wide}; a compat string holds one byte per character: ` +
        "pass a Buffer or Uint8Array, or use { encoding: 'utf8' } (or socket.setencoding('utf8'))",
    );
  }
  return text;
}

/**
 * `client:receive([pattern[, prefix]])`. The pattern follows LuaSocket 3.0:
 * `'*l'` (the default; any string starting `*l`), `'*a'` (any string
 * starting `*a`), or a byte count — a number or numeric string, truncated.
 * A number prefix becomes a string, as Lua converts it.
 *
 * One deliberate difference: `receive(0)` with no prefix returns `''` at
 * once on an open socket, where LuaSocket waits for a byte to arrive
 * (lunarmodules/luasocket#427).
 *
 * `fail` shapes a failure (LuaSec's objects name a timeout `'wantread'`).
 *
 * @throws TypeError / RangeError for a bad pattern or prefix
 * @internal
 */
export function receive(
  ref: ClientRef,
  pattern: unknown,
  prefix: unknown,
  fail: (err: unknown) => ReceiveResult = failed,
): Promise<ReceiveResult> {
  const parsed = luaPattern(pattern);
  const pre = prefix === undefined || prefix === null ? '' : checkString(prefix, 2, 'receive');
  if (ref !== undefined && !(ref instanceof Promise)) {
    // What the buffer answers at once costs one promise, not a chain of them.
    let data: string | undefined;
    try {
      data = receiveParsedNow(ref, parsed, pre);
    } catch (err) {
      return Promise.resolve(fail(err));
    }
    if (data !== undefined) return Promise.resolve([data, null, null]);
  }
  return withClient(ref, (client) => {
    // A client whose connect failed has nothing to read from, as in LuaSocket.
    if (client === undefined)
      return Promise.resolve([null, new SocketError('closed').message, pre]);
    return receiveParsed(client, parsed, pre).then(succeeded, fail);
  });
}

/**
 * The pattern by LuaSocket 3.0's rules, parsed once: the core takes it as it
 * is and does not parse it again.
 */
function luaPattern(pattern: unknown): ParsedPattern {
  try {
    // A count needs no parser: a small receive is on the hot path.
    return typeof pattern === 'number' ? countPattern(pattern) : parsePattern(pattern, true);
  } catch (err) {
    // The same rules refused it; `receivePattern` says so in Lua's words.
    receivePattern(pattern);
    throw err;
  }
}

// One function each for every receive, rather than new closures per call.
const succeeded = (data: string): ReceiveResult => [data, null, null];
const failed = (err: unknown): ReceiveResult => [null, message(err), partialOf(err)];

/** @internal A receive's failure, with `err` named by `name` (LuaSec's names for the same failures). */
export function receiveFailure(err: unknown, name: string): ReceiveResult {
  return [null, name, partialOf(err)];
}

/**
 * `client:receiveany(max)`: what has arrived, up to `max` bytes, waiting only
 * when nothing has (not in LuaSocket 3; OpenResty's name for this read).
 *
 * @internal
 */
export function receiveany(ref: ClientRef, max: unknown): Promise<ReceiveResult> {
  const n = optNumber(max, 65536, 1, 'receiveany');
  return withClient(ref, (client) => {
    if (client === undefined) return Promise.resolve([null, new SocketError('closed').message, '']);
    return client.receiveany(n).then(succeeded, failed);
  });
}

/**
 * `client:send(data[, i[, j]])`: sends `data:sub(i, j)`, with `string.sub`'s
 * index rules (negative indices count from the end; out-of-range indices are
 * clamped). Resolves to the index of the last byte sent — `i - 1` plus the
 * bytes sent, on success and on failure alike — as LuaSocket returns it.
 *
 * `name` names a failure (LuaSec's objects name a timeout `'wantwrite'`).
 *
 * @throws TypeError when `data` is not a string, number or Uint8Array (or
 *   a string that is not a byte string, see {@link toBytes}), or `i`/`j` not numbers
 * @internal
 */
export function send(
  ref: ClientRef,
  encoding: CompatEncoding,
  data: unknown,
  i: unknown,
  j: unknown,
  name: (err: unknown) => string = message,
): Promise<SendResult> {
  const bytes = toPayload(data, encoding, 1, 'send');
  const size = bytes.length;
  let start = Math.trunc(optNumber(i, 1, 2, 'send'));
  let end = Math.trunc(optNumber(j, -1, 3, 'send'));
  if (start < 0) start = size + start + 1;
  if (end < 0) end = size + end + 1;
  if (start < 1) start = 1;
  if (end > size) end = size;
  const before = start - 1;
  // An empty range sends nothing and succeeds, whatever the socket's state.
  if (start > end) return Promise.resolve([before, null, null]);
  return withClient(ref, (client) => {
    if (client === undefined)
      return Promise.resolve([null, new SocketError('closed').message, before]);
    const range =
      typeof bytes === 'string' ? bytes.slice(start - 1, end) : bytes.subarray(start - 1, end);
    return client.send(range).then(
      (sent): SendResult => [before + sent, null, null],
      (err: unknown): SendResult => [null, name(err), before + ((err as SocketError).sent ?? 0)],
    );
  });
}

/** `client:getstats()`; a client without a connection has counted nothing. @internal */
export function getstats(client: StreamClient | undefined): StatsResult {
  if (client === undefined) return [0, 0, 0];
  const { received, sent, age } = client.getstats();
  return [received, sent, age];
}

/**
 * `client:setstats([received[, sent[, age]]])`: an omitted value stays, the
 * counts are truncated, and an age that is not a number is ignored, as
 * `buffer_meth_setstats` does.
 * @internal
 */
export function setstats(
  client: StreamClient | undefined,
  received: unknown,
  sent: unknown,
  age: unknown,
): 1 {
  const r = optInteger(received, 1, 'setstats');
  const s = optInteger(sent, 2, 'setstats');
  client?.setstats(r, s, typeof age === 'number' ? age : undefined);
  return 1;
}

/**
 * `client:shutdown([how])`: `'both'`, `'send'` or `'receive'`, as
 * `luaL_checkoption` takes them; a client without a connection has nothing to shut.
 * @throws TypeError for another `how`
 * @internal
 */
export function shutdown(client: StreamClient | undefined, how: unknown): 1 {
  client?.shutdown(checkOption(how, ['both', 'send', 'receive'] as const, 1, 'shutdown', 'both'));
  return 1;
}

/**
 * `object:setfd(fd)`: not possible under Node.js, which owns its descriptors.
 * @throws SocketError `unsupported`, always (TypeError for a non-numeric `fd`)
 * @internal
 */
export function setfd(fd: unknown): never {
  checkNumber(fd, 1, 'setfd');
  throw unsupported('setfd', 'not supported by Node.js (a socket cannot take another descriptor)');
}

function partialOf(err: unknown): string {
  const partial: unknown = err instanceof SocketError ? (err as SocketError).partial : undefined;
  return typeof partial === 'string' ? partial : '';
}
