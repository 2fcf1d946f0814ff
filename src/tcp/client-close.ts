/**
 * How a TCP client closes: one direction (`shutdown`), both (`close`), or
 * by handing its connection over to TLS; and the error its pending and later
 * calls fail with.
 *
 * @module
 */

import type { Socket } from 'node:net';
import { checkShutdown } from '../stream/options.js';
import { TLSSocket } from 'node:tls';
import type { HandOver } from '../tls/starttls.js';
import type { TimeoutSettings } from '../time/timeout.js';
import { CLOSED, detachClient, type ClientIo } from './client-events.js';

/**
 * @internal LuaSocket's `shutdown`: `'send'` sends FIN and keeps reading until
 * the peer's EOF; `'receive'` discards what arrives; `'both'` both.
 * @throws TypeError for any other `how`
 */
export function shutdownClient(socket: Socket, io: ClientIo, how: string): void {
  checkShutdown(how);
  if (how !== 'receive') {
    io.writer.fail(CLOSED);
    if (!socket.destroyed) socket.end();
  }
  if (how !== 'send') io.reader.fail(CLOSED, true);
}

/**
 * @internal Fails every pending call with `closed`, then lets the socket go:
 * at once when nothing waits to be written or `reset` asks for an abortive
 * close, else once the written data has been handed to the system.
 */
export function closeClient(socket: Socket, io: ClientIo, reset: boolean): void {
  io.reader.fail(CLOSED, true);
  io.writer.fail(CLOSED);
  if (reset) socket.resetAndDestroy();
  // TLS says goodbye (close_notify) before the FIN, as LuaSec's close does.
  else if (socket instanceof TLSSocket && !socket.destroyed) socket.destroySoon();
  else if (socket.writableLength === 0 || socket.destroyed) socket.destroy();
  else socket.destroySoon();
  io.notifier.notify();
}

/**
 * @internal Closes a client without closing its connection: the socket
 * stops flowing, loses the client's listeners and goes on with what the
 * client read and never handed to a receive; `reopen` makes the client over
 * the secured socket, with this one's timeouts. `close` marks the client
 * closed once the checks passed.
 * @throws TypeError while a receive or send waits, or over TLS already
 */
export function handOverClient<C extends Timed>(
  socket: Socket,
  io: ClientIo,
  settings: TimeoutSettings,
  reopen: (tls: Socket) => C,
  close: () => void,
): HandOver<C> {
  if (socket instanceof TLSSocket) throw new TypeError('starttls(): the connection is TLS already');
  if (io.reader.waiting || io.writer.waiting)
    throw new TypeError('starttls(): a receive or send is still waiting');
  close();
  io.notifier.closed = true;
  socket.pause();
  detachClient(socket);
  const unread = io.reader.takeUnread();
  io.reader.fail(CLOSED);
  io.writer.fail(CLOSED);
  io.notifier.notify();
  const { block, total } = settings;
  return {
    socket,
    unread,
    settings: { block, total },
    reopen: (tls) => {
      const client = reopen(tls);
      client.settimeout(block ?? null, 'b');
      client.settimeout(total ?? null, 't');
      return client;
    },
  };
}

/** What a client that can be reopened over TLS takes its timeouts with. */
interface Timed {
  settimeout(value: number | null, mode: 'b' | 't'): void;
}
