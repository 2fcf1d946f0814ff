/**
 * How a TCP client closes: one direction (`shutdown`) or both (`close`), and
 * the error its pending and later calls fail with.
 *
 * @module
 */

import type { Socket } from 'node:net';
import { checkShutdown } from '../stream/options.js';
import { CLOSED, type ClientIo } from './client-events.js';

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
  else if (socket.writableLength === 0 || socket.destroyed) socket.destroy();
  else socket.destroySoon();
  io.notifier.notify();
}
