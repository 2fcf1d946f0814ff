/**
 * The option tables of TCP objects: what Node.js can set on a connected
 * socket and on a listening one.
 *
 * @module
 */

import type { Server, Socket } from 'node:net';
import { unsupported, type Linger, type OptionTable } from './socket-options.js';

/** @internal The part of a client the linger option acts on. */
export interface LingerTarget {
  resetOnClose: boolean;
}

/** @internal Options of a connected TCP socket. */
export function clientOptionTable(socket: Socket, target: LingerTarget): OptionTable {
  let keepalive = false;
  let nodelay = false;
  let linger: Linger = { on: false, timeout: 0 };
  return {
    keepalive: {
      set: (v) => {
        socket.setKeepAlive(v);
        keepalive = v;
      },
      get: () => keepalive,
    },
    'tcp-nodelay': {
      set: (v) => {
        socket.setNoDelay(v);
        nodelay = v;
      },
      get: () => nodelay,
    },
    linger: {
      // Node.js cannot set SO_LINGER, but `{ on: true, timeout: 0 }` is the
      // abortive close it stands for: close() then resets the connection.
      set: (v) => {
        if (v.on && v.timeout !== 0)
          throw unsupported(
            'linger',
            'only { on: true, timeout: 0 } (reset on close) is supported by Node.js',
          );
        target.resetOnClose = v.on;
        linger = { on: v.on, timeout: v.timeout };
      },
      get: () => ({ ...linger }),
    },
    reuseaddr: { get: () => false },
  };
}

/** @internal Settings a listening socket carries to its bind and its connections. */
export interface ServerSettings {
  keepalive: boolean;
  nodelay: boolean;
  ipv6Only: boolean;
}

/**
 * @internal Options of a listening TCP socket. `keepalive` and `tcp-nodelay`
 * are applied to each accepted connection, as the kernel would inherit them.
 */
export function serverOptionTable(
  _server: Server | undefined,
  settings: ServerSettings,
): OptionTable {
  return {
    keepalive: { set: (v) => void (settings.keepalive = v), get: () => settings.keepalive },
    'tcp-nodelay': { set: (v) => void (settings.nodelay = v), get: () => settings.nodelay },
    // libuv always sets SO_REUSEADDR on listening sockets.
    reuseaddr: {
      set: (v) => {
        if (!v) throw unsupported('reuseaddr', 'Node.js always sets it on listening sockets');
      },
      get: () => true,
    },
    'ipv6-v6only': { get: () => settings.ipv6Only },
  };
}
