/**
 * luasocket-async/compat: the LuaSocket API itself, so that Lua network code
 * ports line for line. Every call returns what the Lua call returns — one
 * value as it is, several as a fixed-length array with `nil` as `null` — and
 * a call that can wait returns a Promise of it:
 * `local line, err, partial = c:receive()` becomes
 * `const [line, err, partial] = await c.receive()`.
 *
 * Strings are Lua byte strings (one character per byte), error strings are
 * LuaSocket's, and timeouts behave as real LuaSocket 3's do. Everything is a
 * thin layer over the async core (`luasocket-async`).
 *
 * @example LuaSocket's introduction echo server
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [server, err] = socket.tcp();
 * if (server === null) throw new Error(err);
 * await server.bind('*', 0);
 * await server.listen();
 * const [ip, port] = server.getsockname();
 * console.log(`Please telnet to localhost on port ${port}`);
 * const [client] = await server.accept();
 * client!.settimeout(10);
 * const [line, e] = await client!.receive();
 * if (e === null) await client!.send(line + '\n');
 * client!.close();
 * server.close();
 * ```
 *
 * @packageDocumentation
 */

import { dns } from './dns.js';
import { select } from './select.js';
import {
  _DATAGRAMSIZE,
  _SETSIZE,
  _SOCKETINVALID,
  _VERSION,
  bind,
  connect,
  connect4,
  connect6,
  gettime,
  sleep,
  tcp,
  tcp4,
  tcp6,
  udp,
  udp4,
  udp6,
} from './socket.js';
import { newtry, protect, skip, tryResult } from './try.js';
import { unix } from './unix.js';

export type { CompatEncoding } from './buffer.js';
export { dns, type AddrInfo, type HostInfo, type HostResult, type NameInfoResult } from './dns.js';
export { select, SelectList, type SelectResult } from './select.js';
export { TcpObject } from './tcp.js';
export { UdpObject } from './udp.js';
export { unix, UnixObject, type UnixModule } from './unix.js';
export {
  newtry,
  protect,
  skip,
  TryError,
  type Protected,
  type Skip,
  type TryFunction,
  type TryValue,
} from './try.js';
export {
  _DATAGRAMSIZE,
  _SETSIZE,
  _SOCKETINVALID,
  _VERSION,
  bind,
  connect,
  connect4,
  connect6,
  gettime,
  sleep,
  tcp,
  tcp4,
  tcp6,
  udp,
  udp4,
  udp6,
  type CompatOptions,
} from './socket.js';
export type * from './tuples.js';

/**
 * The `socket` namespace, as `require("socket")` gives it in Lua.
 *
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * console.log(socket._VERSION); // 'LuaSocket 3.0.0'
 * const [c, err] = await socket.connect('127.0.0.1', 8080);
 * ```
 */
export const socket = Object.freeze({
  tcp,
  tcp4,
  tcp6,
  udp,
  udp4,
  udp6,
  unix,
  connect,
  connect4,
  connect6,
  bind,
  dns,
  select,
  gettime,
  sleep,
  skip,
  newtry,
  protect,
  try: tryResult,
  _VERSION,
  _SETSIZE,
  _SOCKETINVALID,
  _DATAGRAMSIZE,
});

export default socket;
