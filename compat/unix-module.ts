/**
 * `socket.unix`, the module (LuaSocket's `unix.c`): the function that
 * makes a Unix domain stream master, with `stream`, `dgram` and the old
 * aliases. The object itself is `UnixObject` in `unix.ts`, as LuaSocket
 * keeps it in `unixstream.c`. As LuaSocket 3.1's `require "socket.unix"`
 * gives a callable table, `socket.unix` is a function with `stream`,
 * `dgram`, `tcp` and `udp` as properties; `socket.unix.dgram()` answers
 * `[null, err]` (Node.js has no Unix datagram sockets).
 *
 * @module
 */

import { unix as coreUnix } from '../src/index.js';
import { datagramUnsupported } from '../src/internal.js';
import { encodingOf, type CompatEncoding } from './buffer.js';
import type { CompatOptions } from './socket.js';
import type { Result } from './tuples.js';
import { UnixObject } from './unix.js';

/**
 * `socket.unix.stream()`: a Unix domain stream master.
 * @returns `[master, null]`
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [server] = socket.unix.stream();
 * await server!.bind('/tmp/app.sock');
 * await server!.listen();
 * console.log(server!.getsockname()); // ['/tmp/app.sock', null]
 * server!.close();
 * ```
 */
export function stream(options?: CompatOptions): Result<UnixObject> {
  const encoding = encodingOf(options, 'unix.stream()');
  const master = coreUnix<CompatEncoding>({ encoding, maxLineLength: Infinity });
  return [new UnixObject({ state: 'master', master }, encoding), null];
}

/**
 * `socket.unix.dgram()`: Node.js has no Unix domain datagram sockets, so
 * this answers the `[null, err]` of a creation that failed.
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [u, err] = socket.unix.dgram();
 * console.log(u, err); // null 'dgram: Unix domain datagram sockets are not supported by Node.js'
 * ```
 */
export function dgram(): [value: null, err: string] {
  return [null, datagramUnsupported().message];
}

/** What `require "socket.unix"` gives: callable as `stream`, with the module's functions. */
export interface UnixModule {
  /** `socket.unix()`: the same as `socket.unix.stream()`, as LuaSocket 3.1 keeps the old call working. */
  (options?: CompatOptions): Result<UnixObject>;
  /** `socket.unix.stream()`: a Unix domain stream master, like `socket.tcp()` over a path. */
  readonly stream: typeof stream;
  /** `socket.unix.dgram()`: always `[null, err]`, since Node.js has no Unix datagram sockets. */
  readonly dgram: typeof dgram;
  /** LuaSocket's old alias of `stream`. */
  readonly tcp: typeof stream;
  /** LuaSocket's old alias of `dgram`. */
  readonly udp: typeof dgram;
}

/**
 * `socket.unix`: LuaSocket's `socket.unix` module, a function (the old
 * `socket.unix()`) that also carries `stream`, `dgram`, `tcp` and `udp`.
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c] = socket.unix();
 * if (c !== null) {
 *   console.log(String(c)); // 'unixstream{master}'
 *   c.close();
 * }
 * ```
 */
export const unix: UnixModule = Object.freeze(
  Object.assign((options?: CompatOptions) => stream(options), {
    stream,
    dgram,
    tcp: stream,
    udp: dgram,
  }),
);
