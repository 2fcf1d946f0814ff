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
  setencoding,
  sleep,
  tcp,
  tcp4,
  tcp6,
  udp,
  udp4,
  udp6,
} from './socket.js';
import { newtry, protect, skip, tryResult, type TryFunction } from './try.js';
import { unix } from './unix-module.js';

export type { CompatEncoding } from './buffer.js';
export {
  dns,
  type AddrInfo,
  type DnsModule,
  type HostInfo,
  type HostResult,
  type NameInfoResult,
} from './dns.js';
export { select, SelectList, type SelectInput, type SelectResult } from './select.js';
export { TcpObject } from './tcp.js';
export { UdpObject } from './udp.js';
export { unix, type UnixModule } from './unix-module.js';
export { UnixObject } from './unix.js';
export {
  newtry,
  protect,
  skip,
  TryError,
  type Protected,
  type Skip,
  type Truthy,
  type TryFunction,
  type TryValue,
  type TryValues,
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
  setencoding,
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
 * The members of the `socket` namespace; each is the export of the same
 * name (`try`, a reserved word in JavaScript, is the `try` a plain
 * {@link newtry} gives).
 */
export interface SocketModule {
  /** See {@link tcp}. */
  readonly tcp: typeof tcp;
  /** See {@link tcp4}. */
  readonly tcp4: typeof tcp4;
  /** See {@link tcp6}. */
  readonly tcp6: typeof tcp6;
  /** See {@link udp}. */
  readonly udp: typeof udp;
  /** See {@link udp4}. */
  readonly udp4: typeof udp4;
  /** See {@link udp6}. */
  readonly udp6: typeof udp6;
  /** See {@link unix}. */
  readonly unix: typeof unix;
  /** See {@link connect}. */
  readonly connect: typeof connect;
  /** See {@link connect4}. */
  readonly connect4: typeof connect4;
  /** See {@link connect6}. */
  readonly connect6: typeof connect6;
  /** See {@link bind}. */
  readonly bind: typeof bind;
  /** See {@link dns}. */
  readonly dns: typeof dns;
  /** See {@link select}. */
  readonly select: typeof select;
  /** See {@link gettime}. */
  readonly gettime: typeof gettime;
  /** See {@link sleep}. */
  readonly sleep: typeof sleep;
  /** See {@link setencoding}. */
  readonly setencoding: typeof setencoding;
  /** See {@link skip}. */
  readonly skip: typeof skip;
  /** See {@link newtry}. */
  readonly newtry: typeof newtry;
  /** See {@link protect}. */
  readonly protect: typeof protect;
  /** `socket.try(ret1, ret2, …)`: what it was given unless the first is nil or false, else a {@link TryError}; see {@link TryFunction}. */
  readonly try: TryFunction;
  /** See {@link _VERSION}. */
  readonly _VERSION: typeof _VERSION;
  /** See {@link _SETSIZE}. */
  readonly _SETSIZE: typeof _SETSIZE;
  /** See {@link _SOCKETINVALID}. */
  readonly _SOCKETINVALID: typeof _SOCKETINVALID;
  /** See {@link _DATAGRAMSIZE}. */
  readonly _DATAGRAMSIZE: typeof _DATAGRAMSIZE;
}

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
export const socket: SocketModule = Object.freeze({
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
  setencoding,
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
