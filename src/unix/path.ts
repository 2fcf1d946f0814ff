/**
 * The plumbing of Unix domain stream sockets: path checks, the stale
 * socket file, binding a path, connecting to one, and what Node.js cannot
 * do on them (options, datagrams).
 *
 * @module
 */

import { lstat, unlink } from 'node:fs/promises';
import { Server, Socket } from 'node:net';
import type { UnixAddress } from '../net/address.js';
import { SocketError, toSocketError } from '../errors/socket-error.js';
import { describe } from '../errors/describe.js';
import {
  OPTION_NAMES,
  unsupported,
  type OptionHandler,
  type OptionTable,
} from '../net/socket-options.js';
import type { Endpoint, ServerEndpoint } from '../tcp/endpoint.js';
import type { TimeoutSettings } from '../time/timeout.js';
import type { WaitOptions } from '../time/wait.js';
import { openSocket } from '../tcp/connect.js';

/** `sun_path` holds 108 bytes on Linux, the terminating NUL included. */
const MAX_PATH_BYTES = 107;

/**
 * @internal Validates a socket path.
 * @throws TypeError when not a non-empty string, RangeError when longer than `sun_path` allows
 */
export function checkPath(path: unknown, name = 'path'): string {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(`Expected \`${name}\` to be a socket file path, got \`${describe(path)}\``);
  }
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_PATH_BYTES) {
    throw new RangeError(
      `Expected \`${name}\` to be at most ${MAX_PATH_BYTES} bytes long, got ${bytes} bytes`,
    );
  }
  return path;
}

/** @internal A Unix address record; `''` is an unnamed socket. */
export function unixAddress(path: string): UnixAddress {
  return { address: path, port: 0, family: 'unix' };
}

/** @internal The answer to any datagram Unix socket: Node.js has none. */
export function datagramUnsupported(): SocketError {
  return new SocketError('unsupported', {
    message: 'dgram: Unix domain datagram sockets are not supported by Node.js',
  });
}

/**
 * @internal The option table of Unix domain sockets: every option answers
 * `unsupported`. Node.js applies `setKeepAlive` and `setNoDelay` to pipes as
 * silent no-ops and cannot reset one, so nothing here could be made true.
 */
export function unixOptionTable(): OptionTable {
  const table: Record<string, OptionHandler<never>> = {};
  for (const name of OPTION_NAMES) {
    const refuse = (): never => {
      throw unsupported(name, 'not supported by Node.js on Unix domain sockets');
    };
    table[name] = { set: refuse, get: refuse };
  }
  return table;
}

/** @internal The names and options of a client connected to `path`. */
export function connectedEndpoint(path: string): Endpoint<UnixAddress> {
  return { local: unixAddress(''), remote: unixAddress(path), options: unixOptionTable() };
}

/** @internal The names of a server on `path` and of the connections it accepts. */
export function serverEndpoint(path: string): ServerEndpoint<UnixAddress> {
  return {
    address: unixAddress(path),
    options: unixOptionTable(),
    // The client end of a Unix connection is unnamed unless it bound a path.
    accepted: () => ({
      local: unixAddress(path),
      remote: unixAddress(''),
      options: unixOptionTable(),
    }),
  };
}

/**
 * @internal Removes a stale socket file at `path`: one that is a socket and
 * that nobody listens on (a connect is refused). A live socket and any other
 * kind of file are left alone, so the bind then fails with `addrinuse`.
 */
export async function removeStale(path: string): Promise<void> {
  const stats = await lstat(path).catch(() => undefined);
  if (stats?.isSocket() !== true) return;
  const live = await new Promise<boolean>((resolve) => {
    const probe = new Socket();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      probe.destroy();
      resolve(err.code !== 'ECONNREFUSED');
    });
    probe.connect({ path }, () => {
      probe.destroy();
      resolve(true);
    });
  });
  if (!live) await unlink(path).catch(() => undefined);
}

/**
 * @internal Binds and listens on `path` (Node.js does both in one step).
 * @throws SocketError `addrinuse` when the file exists, `access`, or the system's message
 */
export async function listenPath(
  path: string,
  backlog: number,
  unlinkStale: boolean,
): Promise<Server> {
  if (unlinkStale) await removeStale(path);
  const server = new Server({ allowHalfOpen: true });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ path, backlog }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server;
  } catch (err) {
    server.close();
    throw toSocketError(err);
  }
}

/**
 * @internal Connects to the socket at `path`, bounded by `settings` and the
 * call's options.
 * @throws SocketError `refused` (a stale file), `timeout`, the system's message
 *   (`No such file or directory`); the signal's reason on abort
 */
export function connectPath(
  path: string,
  options: WaitOptions,
  settings: TimeoutSettings,
): Promise<Socket> {
  return openSocket({ path }, options, settings);
}
