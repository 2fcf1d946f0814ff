/**
 * luasocket-async/nixio: the socket API of OpenWrt's nixio (`nixio.Socket`)
 * over the same core as the LuaSocket layer, so that LuCI-style Lua network
 * code ports line for line. Every call answers nixio's values as a tuple:
 * `[value, …]` on success, `[null, errno, errmsg]` on failure and
 * `[false, EAGAIN, errmsg]` when a non-blocking call would wait. Calls that
 * block in nixio return a Promise of their tuple.
 *
 * @example
 * ```ts
 * import nixio from 'luasocket-async/nixio';
 *
 * const [sock, errno, errmsg] = await nixio.connect('127.0.0.1', 1);
 * if (!sock) console.log(errno, errmsg); // 111 'Connection refused'
 * ```
 *
 * @packageDocumentation
 */

import { bind, connect, socket } from './address.js';
import { constants } from './constants.js';
import { poll, pollFlags } from './poll.js';
import { lastErrno } from './result.js';
import { EAI, gaiStrerror, strerror } from './strerror.js';

export { NixioSocket, type NixioData, type NixioFamily, type NixioType } from './socket.js';
export type { NixioError, NixioFailure, NixioResult } from './result.js';
export type { NixioConstants } from './constants.js';
export { POLL_FLAGS, type PollEntry, type PollFlag } from './poll.js';
export type { OptionLevel } from './options.js';
export type { AnyFamily, AnyType } from './address.js';
export type { Done, Name, Status } from './backend.js';
export { bind, connect, socket, constants, poll, pollFlags, strerror, gaiStrerror, EAI };

/** The version of nixio this adapter follows. */
export const version = '0.4.1';

/** The errno of the last failed call, as nixio's `nixio.errno()`. */
export function errno(): number {
  return lastErrno();
}

/**
 * The module as Lua code sees it: `nixio.socket`, `nixio.const`, ….
 * @example
 * ```ts
 * import nixio from 'luasocket-async/nixio';
 *
 * console.log(nixio.const.buffersize); // 8192
 * ```
 */
const nixio = Object.freeze({
  /** `nixio.socket(family, type)`: {@link socket}. */
  socket,
  /** `nixio.bind(host, port, family, type)`: {@link bind}. */
  bind,
  /** `nixio.connect(host, port, family, type)`: {@link connect}. */
  connect,
  /** `nixio.poll(fds, timeout)`: {@link poll}. */
  poll,
  /** `nixio.poll_flags(...)`: {@link pollFlags}. */
  poll_flags: pollFlags,
  /** `nixio.errno()`: {@link errno}. */
  errno,
  /** `nixio.strerror(errno)`: {@link strerror}. */
  strerror,
  /** `nixio.gai_strerror(code)`: {@link gaiStrerror}. */
  gai_strerror: gaiStrerror,
  /** `nixio.const`: {@link constants}. */
  const: constants,
  /** `nixio.const_sock`, the same table as `nixio.const`. */
  const_sock: constants,
  /** `nixio.EAI`: getaddrinfo's error codes, as {@link EAI}. */
  EAI,
  /** `nixio.version`: {@link version}. */
  version,
});

export default nixio;
