/**
 * LuaSocket's `socket.select` (`select.c`) over the core's `select`: Lua's
 * argument rules in, LuaSocket's result out. Compat objects take part
 * through the core's readiness protocol, so the waiting is the core's.
 *
 * @module
 */

import { select as coreSelect } from '../src/index.js';
import { readinessOf } from '../src/internal.js';
import { badArgument, luaType, optNumber } from './lua.js';

/**
 * A list `select` returns. LuaSocket's result tables are arrays and are also
 * keyed by the sockets (`r[1] == c` and `r[c] ~= nil`); here the array is the
 * list, and `has(c)` (like `includes(c)`) answers the keyed question.
 *
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [server] = await socket.bind('127.0.0.1', 0);
 * const [readable] = await socket.select([server!], null, 0);
 * if (readable.has(server!)) await server!.accept();
 * server!.close();
 * ```
 */
export class SelectList<T> extends Array<T> {
  /** True when `sock` is in the list: Lua's `t[sock] ~= nil`. */
  has(sock: unknown): boolean {
    return this.includes(sock as T);
  }

  /** Plain arrays from `map`, `filter` and the like. */
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/**
 * What `socket.select` resolves to: the readable and the writable objects,
 * and `'timeout'` when the time ran out with nothing ready (both lists then
 * empty). LuaSocket returns two values on success and three on timeout;
 * the array always has three.
 *
 * @example
 * ```ts
 * import socket, { type SelectResult, type TcpObject } from 'luasocket-async/compat';
 *
 * const [server] = await socket.bind('127.0.0.1', 0);
 * const result: SelectResult<TcpObject, never> = await socket.select([server!], null, 0.1);
 * const [readable, , err] = result;
 * console.log(err ?? `${readable.length} readable`);
 * server!.close();
 * ```
 */
export type SelectResult<R, W> = [
  readable: SelectList<R>,
  writable: SelectList<W>,
  err: null | 'timeout',
];

/** The entries of a Lua table argument: null or undefined for none. */
export type SelectInput<T> = readonly T[] | Iterable<T> | null | undefined;

/**
 * `socket.select(recvt, sendt[, timeout])`: waits until an object of
 * `recvt` can be read or one of `sendt` written without waiting.
 *
 * Readable: a client with bytes buffered or whose peer closed, a server with
 * a connection waiting, a UDP object with a datagram waiting. Writable: a
 * client whose send would not wait (and one whose non-blocking connect has
 * ended), a UDP object. `null` lists, closed objects and masters are
 * ignored, as in LuaSocket, and so are strings and objects that are not
 * sockets; a number, a boolean or a function in a list throws, as LuaSocket
 * raises `attempt to index a number value` when it asks one for `getfd`.
 * `null` and `undefined` entries are skipped (a Lua list ends at its first
 * `nil`; here the entries after one are still watched).
 *
 * Unlike LuaSocket, there is no FD_SETSIZE: any number of objects may be
 * watched (`socket._SETSIZE` stays 1024 only for programs that read it), and
 * the lists come back in the order given rather than by descriptor.
 *
 * @param recvt - objects to watch for reading (an array, or any iterable), or null
 * @param sendt - objects to watch for writing, or null
 * @param timeout - seconds; `0` polls (after one turn of the event loop when
 *   nothing is ready), `null` or negative waits forever
 * @returns `[readable, writable, null]`, or `[[], [], 'timeout']`
 * @throws TypeError `bad argument #1 to 'select' (table expected, got string)`
 *   for a list that is not one, `#3 … (number expected, …)` for the timeout,
 *   and `attempt to index a number value` (`boolean`, `function`) for such an entry
 * @example A select loop, the LuaSocket way
 * ```ts
 * import socket, { type TcpObject } from 'luasocket-async/compat';
 *
 * const [server] = await socket.bind('127.0.0.1', 0);
 * const clients: TcpObject[] = [];
 * for (;;) {
 *   const [readable, , err] = await socket.select([server!, ...clients], null, 1);
 *   if (err === 'timeout') break;
 *   for (const s of readable) {
 *     if (s === server) {
 *       const [c] = await server!.accept();
 *       if (c !== null) clients.push(c);
 *     } else {
 *       const [line] = await s.receive();
 *       if (line !== null) await s.send(line + '\n');
 *     }
 *   }
 * }
 * server!.close();
 * ```
 */
export function select<R = unknown, W = unknown>(
  recvt: SelectInput<R>,
  sendt?: SelectInput<W>,
  timeout?: number | string | null,
): Promise<SelectResult<R, W>> {
  const reads = indexable(entries(recvt, 1));
  const writes = indexable(entries(sendt, 2));
  const seconds = optNumber(timeout, -1, 3, 'select');
  return coreSelect(reads, writes, { timeout: seconds < 0 ? null : seconds }).then(
    ({ readable, writable, timedOut }): SelectResult<R, W> => [
      toList(readable),
      toList(writable),
      timedOut ? 'timeout' : null,
    ],
  );
}

/**
 * A list argument as the core takes it: arrays as they are, other iterables
 * read once. A socket object or anything else that is not a table is a
 * usage error; a plain object is a Lua table with no array part: no entries.
 */
function entries<T>(list: SelectInput<T>, arg: number): Iterable<T> | null {
  if (list === null || list === undefined) return null;
  if (Array.isArray(list)) return list as T[];
  if (typeof list === 'object') {
    if (typeof (list as Partial<Iterable<T>>)[Symbol.iterator] === 'function')
      return list as Iterable<T>;
    if (readinessOf(list) === undefined) return null;
  }
  // Lua names a userdata by its class (`__name`): a socket's is what it prints.
  const got =
    typeof list === 'object' ? (list as { toString(): string }).toString() : luaType(list);
  throw badArgument(arg, 'select', `table expected, got ${got}`);
}

/**
 * The entries as LuaSocket's `collect_fd` takes them: it indexes each one
 * for `getfd`, which raises for a number, a boolean or a function (Lua gives
 * those no fields) and finds nothing on a string or a table that is not a
 * socket. Other iterables are read here, once.
 * @throws TypeError `attempt to index a <type> value`
 */
function indexable<T>(list: Iterable<T> | null): Iterable<T> | null {
  if (list === null) return null;
  const items = Array.isArray(list) ? (list as T[]) : [...list];
  for (let i = 0; i < items.length; i++) {
    const type = typeof items[i];
    // Sockets are objects: the usual entry costs one comparison.
    if (type === 'object') continue;
    if (type === 'number' || type === 'bigint' || type === 'boolean' || type === 'function')
      throw new TypeError(`attempt to index a ${luaType(items[i])} value`);
  }
  return items;
}

function toList<T>(items: T[]): SelectList<T> {
  const out = new SelectList<T>();
  for (const item of items) out.push(item);
  return out;
}
