/**
 * STARTTLS: a plain connection taken over by TLS, either side, with the
 * bytes its client read and never received handed to TLS first.
 *
 * @module
 */

import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TimeoutSettings } from '../time/timeout.js';
import { SocketError } from '../errors/socket-error.js';
import { checkWaitOptions, type WaitOptions } from '../time/wait.js';
import { checkTlsOptions, serverTls, type TlsOptions, type TlsServerOptions } from './options.js';
import type { Keep } from '../tcp/pending-connect.js';
import { secure, type TlsRole } from './secure.js';

/** The options of `starttls`: a client's, or with `isServer: true` a server's. */
export type StartTlsOptions =
  (TlsOptions & { isServer?: false }) | (TlsServerOptions & { isServer: true });

/**
 * @internal What a client hands over: its connection, the bytes it read and
 * no receive took, its timeouts, and how to make the client over TLS.
 */
export interface HandOver<C> {
  readonly socket: Socket;
  readonly unread: Buffer;
  readonly settings: TimeoutSettings;
  reopen(tls: TLSSocket): C;
}

/** @internal What `startTls` needs of a client. */
export interface Upgradable<C> {
  handOver(): HandOver<C>;
  /** The host name `connect` was given, checked by default. */
  readonly origin: string | undefined;
  getpeername(): { address: string };
}

/**
 * @internal The role `options` ask for; a client checks `origin` (or the
 * peer's address) unless `servername` says otherwise.
 * @throws TypeError / RangeError for bad options
 */
export function roleFor(options: unknown, host: () => string): TlsRole {
  if (
    typeof options === 'object' &&
    options !== null &&
    (options as { isServer?: unknown }).isServer === true
  ) {
    const { isServer: _, ...rest } = options as TlsServerOptions & { isServer: true };
    return { isServer: true, server: serverTls(rest, 'starttls()') };
  }
  if (typeof options === 'object' && options !== null && 'isServer' in options) {
    const { isServer, ...rest } = options as { isServer?: unknown };
    if (isServer !== false && isServer !== undefined)
      throw new TypeError('starttls(): isServer: a boolean expected');
    options = rest;
  }
  checkTlsOptions(options, 'starttls()');
  return { isServer: false, options, host: options.servername ?? host() };
}

/**
 * @internal Upgrades `client`'s connection. Checks first, so that bad
 * options leave the client usable.
 */
export function startTls<C>(
  client: Upgradable<C>,
  options: unknown,
  wait: WaitOptions | undefined,
): Promise<C> {
  const role = roleFor(options, () => client.origin ?? client.getpeername().address);
  checkWaitOptions(wait, 'starttls()');
  return startTlsAs(client, role, wait);
}

/**
 * @internal Upgrades `client`'s connection as `role` says, a role checked
 * already; with `keep`, a timeout leaves the handshake going (see `secure`).
 */
export function startTlsAs<C>(
  client: Upgradable<C>,
  role: TlsRole,
  wait: WaitOptions | undefined,
  keep?: Keep<C>,
): Promise<C> {
  if (wait?.signal?.aborted === true) return Promise.reject(wait.signal.reason as Error);
  let handed: HandOver<C>;
  try {
    handed = client.handOver();
  } catch (err) {
    // A closed client answers as every call does: a rejection, not a throw.
    if (err instanceof SocketError) return Promise.reject(err);
    throw err;
  }
  const reopen = (tls: TLSSocket): C => handed.reopen(tls);
  const rest = keep && ((attempt: Promise<TLSSocket>) => keep(attempt.then(reopen)));
  return secure(handed.socket, role, handed.settings, wait, handed.unread, rest).then(reopen);
}
