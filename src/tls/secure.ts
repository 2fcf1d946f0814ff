/**
 * The TLS handshake over a connected socket, either side, bounded by the
 * call's timeouts and signal: `connect({ tls })`, a TLS server's accepted
 * connections and `starttls` all come through here.
 *
 * @module
 */

import { addAbortListener } from 'node:events';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type SecureContext, TLSSocket } from 'node:tls';
import { SocketError, toSocketError } from '../errors/socket-error.js';
import type { Keep } from '../tcp/pending-connect.js';
import type { TimeoutSettings } from '../time/timeout.js';
import { Wait, type WaitOptions } from '../time/wait.js';
import { nodeCommon, type ServerTls, type TlsOptions } from './options.js';

/**
 * @internal Which end of the handshake this side is. A client's `context`,
 * when a layer made one already, stands for the options' CA, certificate,
 * key, versions and ciphers.
 */
export type TlsRole =
  | {
      readonly isServer: false;
      readonly options: TlsOptions;
      readonly host: string;
      readonly context?: SecureContext;
    }
  | { readonly isServer: true; readonly server: ServerTls };

/**
 * @internal Runs the handshake over `socket`, which must be connected and
 * have no other reader; `unread` is what a reader took from it already and
 * TLS must see first. Resolves to the secured socket. On failure, timeout
 * or abort the socket is destroyed and no listener stays behind.
 *
 * With `keep`, a timeout ends the call only: before the call rejects with
 * `timeout`, `keep` gets the handshake, which goes on with no deadline
 * until it ends or `options.signal` ends it (LuaSec's `dohandshake` after
 * `settimeout(0)`).
 * @throws SocketError `handshake`, `certificate`, `notls`, `closed`, `timeout`; the signal's reason on abort
 */
export function secure(
  socket: Socket,
  role: TlsRole,
  settings: TimeoutSettings,
  options: WaitOptions | undefined,
  unread?: Buffer,
  keep?: Keep<TLSSocket>,
): Promise<TLSSocket> {
  // Node.js's TLS reads what the socket still holds before its handle: the
  // bytes a reader took go back in front, so none is lost or reordered.
  if (unread !== undefined && unread.length > 0) socket.unshift(unread);
  return new Promise<TLSSocket>((resolveCall, rejectCall) => {
    const tls = role.isServer ? serverSide(socket, role.server) : clientSide(socket, role);
    const done = role.isServer ? 'secure' : 'secureConnect';
    // Who learns how the handshake ends: the call, or what `keep` was given.
    let settle = { resolve: resolveCall, reject: rejectCall };
    // What must be let go when it ends: the call's wait, or the signal's listener.
    let release: Disposable;
    const end = (err: unknown): void => {
      release[Symbol.dispose]();
      tls.off(done, onSecure);
      tls.off('error', onError);
      tls.off('end', onClose);
      socket.off('close', onClose);
      // Destroyed, a socket may still report what it cut short: nobody listens now.
      tls.on('error', () => undefined);
      tls.destroy();
      settle.reject(err);
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
      release[Symbol.dispose]();
      tls.off('error', onError);
      tls.off('end', onClose);
      socket.off('close', onClose);
      settle.resolve(tls);
    };
    const wait = new Wait(settings, options, (e) => {
      if (e.kind === 'abort' || keep === undefined) {
        end(e.kind === 'timeout' ? new SocketError('timeout', { syscall: 'handshake' }) : e.reason);
        return;
      }
      keep(new Promise<TLSSocket>((resolve, reject) => (settle = { resolve, reject })));
      const signal = options?.signal;
      release = signal === undefined ? NOTHING : addAbortListener(signal, () => end(signal.reason));
      rejectCall(new SocketError('timeout', { syscall: 'handshake' }));
    });
    release = { [Symbol.dispose]: () => wait.dispose() };
    tls.once(done, onSecure);
    tls.once('error', onError);
    // A half-open socket does not close at the peer's FIN: its end, before
    // the handshake is done, is the end of the handshake.
    tls.once('end', onClose);
    socket.once('close', onClose);
  });
}

/** What a kept handshake without a signal has to let go of. */
const NOTHING: Disposable = { [Symbol.dispose]: () => undefined };

function clientSide(socket: Socket, role: Extract<TlsRole, { isServer: false }>): TLSSocket {
  const { options, host, context } = role;
  // SNI takes names only; an address is checked against the certificate's IP entries.
  const name = options.servername ?? host;
  return tlsConnect({
    socket,
    host: name,
    ...(isIP(name) === 0 && { servername: name }),
    ...(context === undefined ? nodeCommon(options) : { secureContext: context }),
    rejectUnauthorized: options.rejectUnauthorized !== false,
    ...(options.checkServerIdentity !== undefined && {
      checkServerIdentity: options.checkServerIdentity,
    }),
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
    ...(server.SNICallback !== undefined && { SNICallback: server.SNICallback }),
    ...(server.ALPNCallback !== undefined && { ALPNCallback: server.ALPNCallback }),
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
