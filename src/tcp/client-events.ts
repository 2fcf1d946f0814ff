/**
 * The socket listeners every TCP client shares: data, EOF, errors and the
 * socket's own close, each routed to the reader, writer and select.
 *
 * @module
 */

import type { Socket } from 'node:net';
import { SocketError, toSocketError } from '../errors/socket-error.js';
import type { ReadyState } from '../select/readiness.js';
import { TLSSocket } from 'node:tls';
import type { Codec } from '../stream/codec.js';
import { StreamReader } from '../stream/reader.js';
import { StreamWriter } from '../stream/writer.js';
import type { TimeoutSettings } from '../time/timeout.js';

/**
 * @internal What a closed client's reader and writer fail with: a template each
 * failing call copies with its own partial or sent count, so a close creates no error.
 */
export const CLOSED: SocketError = new SocketError('closed');

/** @internal The parts of a client its socket's events drive. */
export interface ClientIo {
  // Only the methods that take no `T`, so that a client of any encoding fits.
  readonly reader: Pick<StreamReader<unknown>, 'push' | 'end' | 'fail' | 'takeUnread' | 'waiting'>;
  readonly writer: Pick<StreamWriter, 'fail' | 'waiting'>;
  /** Its `closed` is set by the client's `close()`, and only there. */
  readonly notifier: ReadyState;
  /**
   * TCP only: asks the kernel whether an end of stream was a reset. A Unix
   * domain socket has no reset to miss, and its empty write after the
   * peer's close fails (EPIPE) either way.
   */
  readonly probesEnd: boolean;
}

/** Where a `net.Socket` keeps its client's parts, for the listeners all clients share. */
const owner: unique symbol = Symbol('luasocket-async.client');
type Owned = Socket & { [owner]: ClientIo };

/**
 * @internal Makes a client's reader and writer over `socket` and wires the
 * socket's events to them. The listeners are the same four functions for
 * every client, which find theirs through the socket: no closures.
 */
export function attachClient<T>(
  socket: Socket,
  codec: Codec<T>,
  settings: TimeoutSettings,
  notifier: ReadyState,
  limits: { maxLineLength: number; highWaterMark: number },
): { io: ClientIo; reader: StreamReader<T>; writer: StreamWriter } {
  const strings = codec.encoding === 'latin1' ? 'latin1' : 'utf8';
  const reader = new StreamReader(codec, socket, settings, limits, notifier);
  const writer = new StreamWriter(socket, settings, notifier, strings);
  // TLS ends with its own close_notify, and an empty write would be a record.
  const probesEnd = socket.remoteFamily !== undefined && !(socket instanceof TLSSocket);
  const io: ClientIo = { reader, writer, notifier, probesEnd };
  (socket as Owned)[owner] = io;
  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('error', onError);
  socket.on('close', onClose);
  return { io, reader, writer };
}

/** @internal Unwires what {@link attachClient} wired: the socket goes on without its client. */
export function detachClient(socket: Socket): void {
  socket.off('data', onData);
  socket.off('end', onEnd);
  socket.off('error', onError);
  socket.off('close', onClose);
  delete (socket as Partial<Owned>)[owner];
}

/** @internal Fails the pending and next calls in both directions, and tells select. */
export function failClient(io: ClientIo, error: SocketError): void {
  io.reader.fail(error);
  io.writer.fail(error);
  io.notifier.notify();
}

function onData(this: Socket, chunk: Buffer): void {
  const io = (this as Owned)[owner];
  if (io.notifier.closed) return;
  io.reader.push(chunk);
  io.notifier.notify();
}

const NOTHING = Buffer.alloc(0);

function onEnd(this: Socket): void {
  const io = (this as Owned)[owner];
  // libuv takes a hang-up that comes with the last bytes for the end of the
  // stream without reading on, so a reset right behind data looks like a
  // FIN. An empty write asks the kernel, sending nothing: it fails with
  // ECONNRESET on a connection the peer reset and succeeds on one it only
  // shut down. Where bytes wait to go out (or our side is shut) it cannot
  // ask without waiting for them, and the end is taken as it came.
  if (io.probesEnd && this.writable && this.writableLength === 0 && !io.notifier.closed) {
    this.write(NOTHING, (err) => {
      if (io.notifier.closed) return;
      if (err == null) ended(io);
      else failClient(io, toSocketError(err));
    });
    return;
  }
  ended(io);
}

function ended(io: ClientIo): void {
  io.reader.end();
  io.notifier.notify();
}

/** A reset or vanished peer goes to the pending or next call, never to the process. */
function onError(this: Socket, err: Error): void {
  failClient((this as Owned)[owner], toSocketError(err));
}

function onClose(this: Socket): void {
  const io = (this as Owned)[owner];
  // After close() the reader and writer have failed already and select was told.
  if (!io.notifier.closed) failClient(io, CLOSED);
}
