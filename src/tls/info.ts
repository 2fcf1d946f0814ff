/**
 * What a TLS connection negotiated, read from its socket; a plain socket
 * answers `null` to each. No I/O.
 *
 * @module
 */

import type { Socket } from 'node:net';
import { TLSSocket, type CipherNameAndProtocol, type PeerCertificate } from 'node:tls';

/** What `getcipher()` reports: OpenSSL's and IETF's names of the cipher, and its protocol version. */
export type TlsCipher = CipherNameAndProtocol;

/** What `getpeercertificate()` reports: Node.js's view of the peer's certificate. */
export type TlsCertificate = PeerCertificate;

/** The secured socket, or undefined for a plain one. */
const secured = (socket: Socket): TLSSocket | undefined =>
  socket instanceof TLSSocket ? socket : undefined;

/** @internal The peer's certificate, `null` without TLS or when the peer sent none. */
export function peerCertificate(socket: Socket): TlsCertificate | null {
  const cert = secured(socket)?.getPeerCertificate();
  // Node.js answers an empty object when there is no certificate.
  return cert === undefined || Object.keys(cert).length === 0 ? null : cert;
}

/** @internal The protocol ALPN chose, `null` without TLS or when none was. */
export function alpnOf(socket: Socket): string | null {
  const chosen = secured(socket)?.alpnProtocol;
  return typeof chosen === 'string' ? chosen : null;
}

/** @internal The protocol version (`'TLSv1.3'`, …), `null` without TLS. */
export function protocolOf(socket: Socket): string | null {
  return secured(socket)?.getProtocol() ?? null;
}

/** @internal The cipher, `null` without TLS. */
export function cipherOf(socket: Socket): TlsCipher | null {
  return secured(socket)?.getCipher() ?? null;
}

/** The TLS handle's verdict on the peer's chain, whose message is OpenSSL's. */
interface Verdict {
  _handle?: { verifyError?: () => Error | null } | null;
}

/**
 * @internal Whether the peer's certificate verified, and why not in
 * OpenSSL's words (`'unable to verify the first certificate'`; Node.js keeps
 * only the code): `null` without TLS.
 */
export function verificationOf(
  socket: Socket,
): { authorized: boolean; error: string | null } | null {
  const tls = secured(socket);
  if (tls === undefined) return null;
  const error = tls.authorizationError as Error | string | undefined | null;
  if (tls.authorized || error === undefined || error === null)
    return { authorized: tls.authorized, error: null };
  const handle = (tls as unknown as Verdict)._handle;
  const verdict = typeof handle?.verifyError === 'function' ? handle.verifyError() : null;
  const text = verdict?.message ?? (error instanceof Error ? error.message : String(error));
  return { authorized: false, error: text };
}
