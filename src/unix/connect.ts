/**
 * One-step Unix domain stream sockets: {@link connectUnix} and
 * {@link bindUnix}, and the options both take. The connections and servers
 * are the TCP core's own `TcpClient` and `TcpServer` over a path, so every
 * receive pattern, timeout, iterator and `select` works unchanged.
 *
 * @module
 */

import type { UnixAddress } from '../net/address.js';
import type { DataOf, Encoding } from '../stream/codec.js';
import { checkKeys, STREAM_KEYS, WAIT_KEYS } from '../errors/option-keys.js';
import { checkStreamOptions, type StreamOptions } from '../stream/options.js';
import { TcpClient } from '../tcp/client.js';
import { TcpServer, type ServerOptions } from '../tcp/server.js';
import type { TimeoutSettings } from '../time/timeout.js';
import { reported } from '../trace/call-site.js';
import { connected } from '../trace/diagnostics.js';
import { checkPath, connectedEndpoint, connectPath, listenPath, serverEndpoint } from './path.js';
import { checkWaitOptions, type WaitOptions } from '../time/wait.js';

/** Options of {@link bindUnix}, `unix()` and its `bind`. */
export interface UnixServerOptions<E extends Encoding = 'utf8'> extends Omit<
  ServerOptions<E>,
  'ipv6Only'
> {
  /**
   * Remove a stale socket file at the path before binding (default `false`,
   * as in LuaSocket, where the bind then fails with `address already in use`).
   * Only a socket file that nobody listens on is removed: a live socket or
   * any other kind of file is left alone and the bind fails.
   */
  unlink?: boolean;
}

/** @internal The keys of a Unix server's options. */
export const SERVER_KEYS = [...STREAM_KEYS, 'backlog', 'queueLimit', 'unlink'];
const CONNECT_KEYS = [...STREAM_KEYS, ...WAIT_KEYS];

/** Options of {@link connectUnix}. */
export interface UnixConnectOptions<E extends Encoding = 'utf8'>
  extends StreamOptions<E>, WaitOptions {}

/** A connection over a Unix domain socket: a {@link TcpClient} whose addresses are paths. */
export type UnixClient<T extends string | Buffer = string> = TcpClient<T, UnixAddress>;

/** A listening Unix domain socket: a {@link TcpServer} whose address is a path. */
export type UnixServer<T extends string | Buffer = string> = TcpServer<T, UnixAddress>;

/**
 * Connects to the Unix domain stream socket at `path`.
 *
 * @param path - the socket file
 * @param options - `timeout` (seconds), `signal`, `encoding`, `maxLineLength`, `highWaterMark`
 * @returns a client whose `getpeername()` is `{ address: path, port: 0, family: 'unix' }`
 * @throws SocketError `refused` (a stale socket file), `timeout`, the system's
 *   message (`No such file or directory`); the signal's reason on abort;
 *   TypeError / RangeError for a bad path
 * @example
 * ```ts
 * import { connectUnix } from 'luasocket-async';
 *
 * const client = await connectUnix('/run/app.sock', { timeout: 5 });
 * await client.send('PING\n');
 * console.log(await client.receive('*l'));
 * client.close();
 * ```
 */
export function connectUnix<E extends Encoding = 'utf8'>(
  path: string,
  options: UnixConnectOptions<E> = {},
): Promise<UnixClient<DataOf<E>>> {
  checkPath(path);
  if (typeof options === 'object' && options !== null) {
    checkKeys(options, CONNECT_KEYS, 'connectUnix()');
    checkStreamOptions(options);
  }
  checkWaitOptions(options);
  return connectWith(path, options, { block: undefined, total: undefined });
}

/** @internal The connect of {@link connectUnix} and of a master, under `settings`. */
export async function connectWith<E extends Encoding>(
  path: string,
  options: UnixConnectOptions<E>,
  settings: TimeoutSettings,
): Promise<UnixClient<DataOf<E>>> {
  options.signal?.throwIfAborted();
  try {
    const socket = await connectPath(path, options, settings);
    const client = new TcpClient<DataOf<E>, UnixAddress>(socket, options, connectedEndpoint(path));
    connected(client);
    return client;
  } catch (err) {
    throw reported(err, 'connect');
  }
}

/**
 * Creates a server listening on the Unix domain socket `path`. Closing the
 * server removes the socket file.
 *
 * @param path - the socket file to create
 * @param options - `backlog` (default 32), `unlink` (remove a stale socket file first), stream options
 * @throws SocketError `addrinuse` when the file exists, `access`, the
 *   system's message; TypeError / RangeError for a bad path
 * @example
 * ```ts
 * import { bindUnix } from 'luasocket-async';
 *
 * const server = await bindUnix('/tmp/app.sock', { unlink: true });
 * for await (const conn of server) {
 *   await conn.send(`${await conn.receive('*l')}\n`);
 *   conn.close();
 * }
 * ```
 */
export function bindUnix<E extends Encoding = 'utf8'>(
  path: string,
  options: UnixServerOptions<E> = {},
): Promise<UnixServer<DataOf<E>>> {
  checkPath(path);
  if (typeof options === 'object' && options !== null)
    checkKeys(options, SERVER_KEYS, 'bindUnix()');
  checkStreamOptions(options);
  return bindPath(path, options);
}

async function bindPath<E extends Encoding>(
  path: string,
  options: UnixServerOptions<E>,
): Promise<UnixServer<DataOf<E>>> {
  try {
    const server = await listenPath(path, options.backlog ?? 32, options.unlink === true);
    return new TcpServer<DataOf<E>, UnixAddress>(server, options, serverEndpoint(path));
  } catch (err) {
    throw reported(err, 'bind');
  }
}
