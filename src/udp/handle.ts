/**
 * The `node:dgram` socket under a UDP object: bind, connect and send as
 * promises, each failure going to the call that caused it.
 *
 * @module
 */

import { createSocket, type RemoteInfo, type Socket as DgramSocket } from 'node:dgram';
import { SocketError, toSocketError } from '../errors/socket-error.js';

/** @internal What a {@link UdpHandle} reports to its UDP object. */
export interface UdpEvents {
  /** A datagram arrived. Registered as the 'message' listener itself: it runs once per datagram. */
  readonly message: (bytes: Buffer, from: RemoteInfo) => void;
  /** An error no call is waiting for (an ICMP error on a connected socket). */
  error(error: SocketError): void;
  /** The socket got its local address (by any bind, implicit ones included). */
  bound(socket: DgramSocket): void;
}

/** @internal How the dgram socket is created; read once, at creation. */
export interface UdpCreation {
  family: 'inet' | 'inet6';
  reuseaddr: boolean;
  ipv6Only: boolean;
}

/** @internal One dgram socket and its event wiring. */
export class UdpHandle {
  readonly socket: DgramSocket;
  /** Binds and connects in flight: their errors are theirs, not the next receive's. */
  #settling = 0;

  constructor(creation: UdpCreation, events: UdpEvents) {
    const v6 = creation.family === 'inet6';
    const socket = createSocket({
      type: v6 ? 'udp6' : 'udp4',
      reuseAddr: creation.reuseaddr,
      ipv6Only: v6 && creation.ipv6Only,
    });
    socket.on('message', events.message);
    socket.on('error', (err) => {
      if (this.#settling === 0) events.error(toSocketError(err));
    });
    // Every bind ends here: setsockname, setpeername, or the implicit one of
    // the first sendto, which Node.js completes only after a turn of the loop.
    socket.on('listening', () => events.bound(socket));
    this.socket = socket;
  }

  /**
   * Runs a bind or a connect: `start` calls `done` on success. A failure
   * rejects this call only; a close meanwhile rejects it with `closed`.
   */
  async settle(start: (socket: DgramSocket, done: () => void) => void): Promise<void> {
    const socket = this.socket;
    this.#settling++;
    try {
      await new Promise<void>((done, fail) => {
        const end = (err?: unknown): void => {
          socket.off('error', end).off('close', closed);
          if (err === undefined) done();
          else fail(toSocketError(err));
        };
        const closed = (): void => end(new SocketError('closed'));
        socket.on('error', end).on('close', closed);
        try {
          start(socket, () => end());
        } catch (err) {
          end(err);
        }
      });
    } finally {
      this.#settling--;
    }
  }

  /**
   * The OS file descriptor, or -1. Read defensively, for display and
   * LuaSocket's `getfd`: dgram keeps its handle in its state record, and its
   * `_handle` getter is deprecated (DEP0112, a warning on first use).
   */
  get fd(): number {
    const socket = this.socket as unknown as Record<
      symbol,
      { handle?: { fd?: unknown } } | undefined
    >;
    const key = Object.getOwnPropertySymbols(socket).find((k) => k.description === 'state symbol');
    const fd = key === undefined ? undefined : socket[key]?.handle?.fd;
    return typeof fd === 'number' && fd >= 0 ? fd : -1;
  }

  /** Sends one datagram, to the connected peer when `ip` is undefined. */
  send(bytes: Buffer, ip: string | undefined, port: number | undefined): Promise<void> {
    return new Promise<void>((done, fail) => {
      const callback = (err: Error | null): void =>
        err === null ? done() : fail(toSocketError(err));
      try {
        if (ip === undefined) this.socket.send(bytes, callback);
        else this.socket.send(bytes, port, ip, callback);
      } catch (err) {
        fail(toSocketError(err));
      }
    });
  }
}
