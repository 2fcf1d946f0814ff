/**
 * LuaSec's names for the failures of a TLS connection (`ssl.c`'s
 * `ssl_ioerror`): OpenSSL's reason string for what OpenSSL refused,
 * `'certificate verify failed'` for a certificate, and `'wantread'` /
 * `'wantwrite'` where LuaSocket says `'timeout'`.
 *
 * @internal
 * @module
 */

import { SocketError } from '../../src/index.js';
import { message } from '../errors.js';

/** OpenSSL's reason for a TLS failure: the cause's, or the message past its code's prefix. */
function opensslReason(err: SocketError): string {
  const r = (err.cause as { reason?: unknown } | undefined)?.reason;
  if (typeof r === 'string') return r;
  return err.message.replace(/^[^:]*: /, '');
}

/** @internal A handshake's failure, as `dohandshake` names it. */
export function handshakeMessage(err: unknown): string {
  if (!(err instanceof SocketError)) return message(err);
  switch (err.code) {
    case 'timeout':
      return 'wantread';
    case 'certificate':
      return 'certificate verify failed';
    case 'handshake':
    case 'notls':
      return opensslReason(err as SocketError);
    case 'closed':
      // The peer went before the handshake ended: OpenSSL 3 reports the EOF.
      return 'unexpected eof while reading';
    default:
      return message(err);
  }
}

/** @internal A receive's failure: a timeout is `'wantread'`. */
export function readMessage(err: unknown): string {
  return err instanceof SocketError && err.code === 'timeout' ? 'wantread' : message(err);
}

/** @internal A send's failure: a timeout is `'wantwrite'`. */
export function writeMessage(err: unknown): string {
  return err instanceof SocketError && err.code === 'timeout' ? 'wantwrite' : message(err);
}
