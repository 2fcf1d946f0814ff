/**
 * The TLS handshake over a connected socket, either side, bounded by the
 * call's timeouts and signal: `connect({ tls })`, a TLS server's accepted
 * connections and `starttls` all come through here.
 *
 * @module
 */

import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import { SocketError, toSocketError } from '../errors/socket-error.js';
import type { TimeoutSettings } from '../time/timeout.js';
import { Wait, type WaitOptions } from '../time/wait.js';
import { nodeCommon, type ServerTls, type TlsOptions } from './options.js';

/** Which end of the handshake this side is. */
export type TlsRole =
  | { readonly isServer: false; readonly options: TlsOptions; readonly host: string }
  | { readonly isServer: true; readonly server: ServerTls };

/**
 * @internal Runs the handshake over `socket`, which must be connected and
 * have no other reader; `unread` is what a reader took from it already and
 * TLS must see first. Resolves to the secured socket. On failure, timeout
 * or abort the socket is destroyed and no listener stays behind.
 * @throws SocketError `handshake`, `certificate`, `notls`, `closed`, `timeout`; the signal's reason on abort
 */
export function secure(
  socket: Socket,
  role: TlsRole,
  settings: TimeoutSettings,
  options: WaitOptions | undefined,
  unread?: Buffer,
): Promise<TLSSocket> {
  // Node.js's TLS reads what the socket still holds before its handle: the
  // bytes a reader took go back in front, so none is lost or reordered.
  if (unread !== undefined && unread.length > 0) socket.unshift(unread);
  return new Promise<TLSSocket>((resolve, reject) => {
    const tls = role.isServer ? serverSide(socket, role.server) : clientSide(socket, role);
    const done = role.isServer ? 'secure' : 'secureConnect';
    const end = (err: unknown): void => {
      wait.dispose();
      tls.off(done, onSecure);
      tls.off('error', onError);
      socket.off('close', onClose);
      // Destroyed, a socket may still report what it cut short: nobody listens now.
      tls.on('error', () => undefined);
      tls.destroy();
      reject(err);
    };
    const onError = (err: Error): void => end(toSocketError(err, { syscall: 'handshake' }));
    const onClose = (): void => end(new SocketError('closed', { syscall: 'handshake' }));
    const onSecure = (): void => {
      const refused = role.isServer ? judgeClient(tls, role.server) : undefined;
      if (refused !== undefined) {
        const message = `certificate verify failed: ${refused}`;
        end(new SocketError('certificate', { message, syscall: 'handshake' }));
        return;
      }
      wait.dispose();
      tls.off('error', onError);
      socket.off('close', onClose);
      resolve(tls);
    };
    const wait = new Wait(settings, options, (e) =>
      end(e.kind === 'timeout' ? new SocketError('timeout', { syscall: 'handshake' }) : e.reason),
    );
    tls.once(done, onSecure);
    tls.once('error', onError);
    socket.once('close', onClose);
  });
}

function clientSide(socket: Socket, role: Extract<TlsRole, { isServer: false }>): TLSSocket {
  const { options, host } = role;
  // SNI takes names only; an address is checked against the certificate's IP entries.
  const name = options.servername ?? host;
  return tlsConnect({
    socket,
    host: name,
    ...(isIP(name) === 0 && { servername: name }),
    ...nodeCommon(options),
    rejectUnauthorized: options.rejectUnauthorized !== false,
    ...(options.ALPNProtocols !== undefined && { ALPNProtocols: [...options.ALPNProtocols] }),
  });
}

function serverSide(socket: Socket, server: ServerTls): TLSSocket {
  return new TLSSocket(socket, {
    isServer: true,
    secureContext: server.context,
    requestCert: server.requestCert,
    // Checked once the handshake is done, with the reason kept for the error.
    rejectUnauthorized: false,
    ...(server.ALPNProtocols !== undefined && { ALPNProtocols: server.ALPNProtocols }),
  });
}

/** The TLS handle's verdict on the peer's chain: Node.js's own source of `authorized`. */
interface Verdict {
  _handle?: { verifyError?: () => Error | null } | null;
}

/**
 * A server's judgement of the client's certificate, as `tls.Server` makes
 * it (a bare server-side TLSSocket leaves it undone): sets `authorized` and
 * `authorizationError`, and answers why the client is refused, if it is.
 * Without the handle's verdict the client counts as unverified.
 */
function judgeClient(tls: TLSSocket, server: ServerTls): string | undefined {
  if (!server.requestCert) return undefined;
  const handle = (tls as unknown as Verdict)._handle;
  const error =
    typeof handle?.verifyError === 'function' ? handle.verifyError() : new Error('UNVERIFIABLE');
  const code = error === null ? undefined : ((error as { code?: string }).code ?? error.message);
  tls.authorized = code === undefined;
  if (code === undefined) return undefined;
  // A string, as Node.js gives a client's (its typings say Error).
  tls.authorizationError = code as unknown as Error;
  return server.rejectUnauthorized ? (error?.message ?? code) : undefined;
}
