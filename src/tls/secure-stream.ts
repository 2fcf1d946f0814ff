/**
 * The TLS face of a stream client: `starttls`, and what its connection
 * negotiated (`null` for each over plain TCP).
 *
 * @module
 */

import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { WaitOptions } from '../time/wait.js';
import { alpnOf, cipherOf, peerCertificate, protocolOf, verificationOf } from './info.js';
import type { TlsCertificate, TlsCipher } from './info.js';
import { PendingConnect, type Connection } from '../tcp/pending-connect.js';
import type { TlsRole } from './secure.js';
import { startTls, startTlsAs, type HandOver, type StartTlsOptions } from './starttls.js';

export type { HandOver } from './starttls.js';

/** Reads a stream's socket: see {@link secureSocketOf}. */
let socketOf: (stream: SecureStream<unknown>) => Socket;

/**
 * @internal The TLS socket under a stream client, for a layer that reports
 * what Node.js knows of it beyond the core's methods (LuaSec's
 * `getfinished`, `getpeerchain`, …); `undefined` over plain TCP.
 */
export function secureSocketOf(stream: SecureStream<unknown>): TLSSocket | undefined {
  const socket = socketOf(stream);
  return socket instanceof TLSSocket ? socket : undefined;
}

/**
 * What every stream client can do with TLS.
 *
 * @typeParam Self - the client class, which `starttls` resolves to
 * @example
 * ```ts
 * import { connect } from 'luasocket-async';
 *
 * const client = await connect('example.com', 443, { tls: {} });
 * console.log(client.getprotocol(), client.getcipher()?.name, client.getalpn());
 * console.log(client.getpeercertificate()?.subject.CN);
 * client.close();
 * ```
 */
export abstract class SecureStream<Self> {
  static {
    socketOf = (stream) => stream.#socket;
  }

  readonly #socket: Socket;
  /** @internal The host `connect` was given: the name `starttls` checks by default. */
  origin: string | undefined;

  /** @internal Reports on `socket`. */
  constructor(socket: Socket) {
    this.#socket = socket;
  }

  /** @internal Gives the connection up to TLS. */
  abstract handOver(): HandOver<Self>;

  /** @internal The peer's address, checked when no name is known. */
  abstract getpeername(): { address: string };

  /**
   * Upgrades the connection to TLS (STARTTLS): resolves to a new client
   * over the secured connection and closes this one without closing the
   * connection. Bytes this client read and no receive took go to TLS
   * first. The certificate is checked against the host given to `connect`
   * (or `servername`); `{ isServer: true, cert, key }` takes the server's side.
   *
   * @throws SocketError `handshake`, `certificate`, `notls`, `closed`,
   *   `timeout`; TypeError while a receive or send waits, or over TLS already
   * @example
   * ```ts
   * import { connect } from 'luasocket-async';
   *
   * const plain = await connect('mail.example.com', 25, { timeout: 10 });
   * await plain.send('STARTTLS\r\n');
   * await plain.receive('*l');
   * const secure = await plain.starttls({}, { timeout: 10 });
   * secure.close();
   * ```
   */
  starttls(options: StartTlsOptions = {}, wait?: WaitOptions): Promise<Self> {
    const origin = this.origin;
    return startTls(this, options, wait).then((client) => {
      (client as SecureStream<Self>).origin = origin;
      return client;
    });
  }

  /** The peer's certificate over TLS; `null` without TLS or when the peer sent none. */
  getpeercertificate(): TlsCertificate | null {
    return peerCertificate(this.#socket);
  }

  /** Whether the peer's certificate verified, and why not; `null` without TLS. */
  getpeerverification(): { authorized: boolean; error: string | null } | null {
    return verificationOf(this.#socket);
  }

  /** The protocol ALPN chose; `null` without TLS or when none was. */
  getalpn(): string | null {
    return alpnOf(this.#socket);
  }

  /** The TLS version negotiated (`'TLSv1.3'`, …); `null` without TLS. */
  getprotocol(): string | null {
    return protocolOf(this.#socket);
  }

  /** The cipher negotiated; `null` without TLS. */
  getcipher(): TlsCipher | null {
    return cipherOf(this.#socket);
  }
}

/**
 * @internal `client.starttls` as `role` says, under the client's timeouts
 * and kept going past them: LuaSec's `dohandshake`, whose call may time out
 * while the handshake goes on. Its `result` rejects with `timeout` then,
 * `settled` tells how the handshake ended, and `close()` gives it up.
 */
export function starttlsInBackground<C extends Connection>(
  client: SecureStream<C>,
  role: TlsRole,
): PendingConnect<C> {
  const origin = client.origin;
  const adopt = (secured: C): C => {
    (secured as unknown as SecureStream<C>).origin = origin;
    return secured;
  };
  return new PendingConnect<C>((keep, signal) =>
    startTlsAs(client, role, { signal }, (rest) => keep(rest.then(adopt))).then(adopt),
  );
}
