/**
 * The option tables of TCP objects: what Node.js can set on a connected
 * socket and on a listening one, and what an accepted connection inherits.
 *
 * `reuseaddr` reports what LuaSocket reports for the same program: `true`
 * on a server made by `bind()` and on the connections it accepts (LuaSocket's
 * `socket.bind` sets it, and accepted sockets inherit it), `false` on a
 * master until it is set and on a connected client. libuv sets SO_REUSEADDR
 * on every listening socket whatever was asked, so a listening master has it
 * in the kernel even while it reports `false`; turning it off is refused.
 *
 * @module
 */

import type { Server, Socket } from 'node:net';
import {
  unsupported,
  type Linger,
  type OptionHandler,
  type OptionName,
  type OptionTable,
} from '../net/socket-options.js';

/** @internal The part of a client the linger option acts on. */
export interface LingerTarget {
  resetOnClose: boolean;
}

/** @internal Settings a listening socket carries to its bind and its connections. */
export interface ServerSettings {
  keepalive: boolean;
  nodelay: boolean;
  ipv6Only: boolean;
  /** What `reuseaddr` reports (see the module comment). */
  reuseaddr: boolean;
  /** TCP_KEEPIDLE in seconds once set; `undefined` leaves the system's. */
  keepidle: number | undefined;
}

/** @internal Options a listening socket applied to a connection it accepted. */
export type Inherited = Readonly<
  Pick<ServerSettings, 'keepalive' | 'nodelay' | 'reuseaddr' | 'keepidle'>
>;

/** @internal What a connection that inherited nothing reports. */
export const NOTHING_INHERITED: Inherited = Object.freeze({
  keepalive: false,
  nodelay: false,
  reuseaddr: false,
  keepidle: undefined,
});

/**
 * TCP_KEEPIDLE as Linux and macOS ship it (two hours): Node.js cannot read
 * the socket's value, so this is what an untouched socket reports.
 */
export const SYSTEM_KEEPIDLE = 7200;

/**
 * @internal Applies `settings` to an accepted socket as the kernel would
 * pass them on, and returns what the connection inherited (`previous` when
 * nothing changed, so that connections share one record).
 */
export function inherit(socket: Socket, settings: ServerSettings, previous: Inherited): Inherited {
  const { keepalive, nodelay, reuseaddr, keepidle } = settings;
  if (keepalive) socket.setKeepAlive(true, (keepidle ?? 0) * 1000);
  if (nodelay) socket.setNoDelay(true);
  const same =
    previous.keepalive === keepalive &&
    previous.nodelay === nodelay &&
    previous.reuseaddr === reuseaddr &&
    previous.keepidle === keepidle;
  return same ? previous : { keepalive, nodelay, reuseaddr, keepidle };
}

/** Options LuaSocket sets on TCP sockets that Node.js has no call for. */
const NO_CALL: Readonly<Partial<Record<OptionName, string>>> = {
  'tcp-keepcnt': 'TCP_KEEPCNT',
  'tcp-keepintvl': 'TCP_KEEPINTVL',
  'recv-buffer-size': 'SO_RCVBUF',
  'send-buffer-size': 'SO_SNDBUF',
  'tcp-defer-accept': 'TCP_DEFER_ACCEPT',
  'tcp-fastopen': 'TCP_FASTOPEN',
  'tcp-fastopen-connect': 'TCP_FASTOPEN_CONNECT',
  reuseport: 'SO_REUSEPORT',
  error: 'SO_ERROR',
};

/** Handlers that answer, for set and get alike, that Node.js has no way to do it. */
function noCalls(): OptionTable {
  const table: { [K in OptionName]?: OptionHandler<unknown> } = {};
  for (const [name, constant] of Object.entries(NO_CALL)) {
    const refuse = (): never => {
      throw unsupported(name, `not supported by Node.js (it has no way to set ${constant})`);
    };
    table[name as OptionName] = { set: refuse, get: refuse };
  }
  return table as OptionTable;
}

/** @internal Options of a connected TCP socket, with what it inherited recorded. */
export function clientOptionTable(
  socket: Socket,
  target: LingerTarget,
  inherited: Inherited = NOTHING_INHERITED,
): OptionTable {
  let { keepalive, nodelay, keepidle } = inherited;
  let linger: Linger = { on: false, timeout: 0 };
  // Node.js sets TCP_KEEPIDLE only while turning keepalive on: a delay set
  // while it is off waits for it, as the kernel keeps it for the probes.
  const applyKeepAlive = (): void => void socket.setKeepAlive(keepalive, (keepidle ?? 0) * 1000);
  return {
    ...noCalls(),
    keepalive: {
      set: (v) => {
        keepalive = v;
        applyKeepAlive();
      },
      get: () => keepalive,
    },
    'tcp-keepidle': {
      set: (v) => {
        keepidle = v;
        if (keepalive) applyKeepAlive();
      },
      get: () => keepidle ?? SYSTEM_KEEPIDLE,
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
    reuseaddr: { get: () => inherited.reuseaddr },
  };
}

/**
 * @internal Options of a listening TCP socket. `keepalive`, `tcp-keepidle`
 * and `tcp-nodelay` are applied to each accepted connection, as the kernel
 * would inherit them.
 */
export function serverOptionTable(
  _server: Server | undefined,
  settings: ServerSettings,
): OptionTable {
  return {
    ...noCalls(),
    keepalive: { set: (v) => void (settings.keepalive = v), get: () => settings.keepalive },
    'tcp-keepidle': {
      set: (v) => void (settings.keepidle = v),
      get: () => settings.keepidle ?? SYSTEM_KEEPIDLE,
    },
    'tcp-nodelay': { set: (v) => void (settings.nodelay = v), get: () => settings.nodelay },
    reuseaddr: {
      set: (v) => {
        if (!v) throw unsupported('reuseaddr', 'Node.js always sets it on listening sockets');
        settings.reuseaddr = true;
      },
      get: () => settings.reuseaddr,
    },
    'ipv6-v6only': { get: () => settings.ipv6Only },
    // Off, as on every new socket; an abortive close has no meaning before a connection.
    linger: {
      set: (v) => {
        if (v.on) throw unsupported('linger', 'Node.js cannot set it on a listening socket');
      },
      get: () => ({ on: false, timeout: 0 }),
    },
  };
}
