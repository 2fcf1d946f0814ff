/**
 * What a TLS connection is asked to be: the options of `connect({ tls })`,
 * `bind({ tls })` and `starttls`, checked once, and turned into what
 * `node:tls` takes. No I/O.
 *
 * @module
 */

import {
  createSecureContext,
  type PeerCertificate,
  type SecureContext,
  type SecureVersion,
} from 'node:tls';
import { checkKeys } from '../errors/option-keys.js';

/** PEM text or its bytes; several where a chain or a CA list may be given. */
export type Pem = string | Buffer | readonly (string | Buffer)[];

/** What both ends of a TLS connection may set. */
export interface TlsCommonOptions {
  /** CA certificates to trust instead of Node.js's bundled roots. */
  ca?: Pem;
  /** Our certificate chain (PEM), for a server or for a client a server asks one of. */
  cert?: Pem;
  /** The private key of `cert` (PEM). */
  key?: Pem;
  /** The passphrase of an encrypted `key`. */
  passphrase?: string;
  /** The protocols to offer (client) or accept (server) by ALPN, most wanted first. */
  ALPNProtocols?: readonly string[];
  /** The oldest protocol version allowed (default Node.js's, `'TLSv1.2'`). */
  minVersion?: SecureVersion;
  /** The newest protocol version allowed. */
  maxVersion?: SecureVersion;
  /** The TLS 1.2 cipher list and TLS 1.3 suites, in OpenSSL's format. */
  ciphers?: string;
  /** OpenSSL's `SSL_OP_*` flags, or-ed (`crypto.constants`), as `node:tls` takes them. */
  secureOptions?: number;
  /** The curves for ECDH key exchange, colon-separated (`'X25519:P-256'`), or `'auto'`. */
  ecdhCurve?: string;
}

/** The `tls` options of {@link connect} and of a client's `starttls`. */
export interface TlsOptions extends TlsCommonOptions {
  /**
   * The name to send (SNI) and to check the certificate against; by
   * default the host given to `connect`, unless it is an IP address (then
   * the address is checked, and no SNI is sent).
   */
  servername?: string;
  /**
   * Verify the server's certificate and host name (default `true`). Turning
   * it off accepts any server: an attacker in the middle too.
   */
  rejectUnauthorized?: boolean;
  /**
   * Checks the certificate against the name, as `node:tls` takes it: an
   * Error refuses the server. The default is Node.js's own host-name check.
   */
  checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined;
}

/** The `tls` options of {@link bind} and of a server side's `starttls`. */
export interface TlsServerOptions extends TlsCommonOptions {
  /** The server's certificate chain (PEM). */
  cert: Pem;
  /** The private key of `cert` (PEM). */
  key: Pem;
  /** Ask the client for a certificate (default `false`). */
  requestCert?: boolean;
  /** With `requestCert`: refuse a client whose certificate does not verify against `ca` (default `true`). */
  rejectUnauthorized?: boolean;
  /** Seconds a connection may take to finish its handshake before it is dropped (default 30). */
  handshakeTimeout?: number;
  /**
   * Picks the context for the name a client asks for (SNI), as `node:tls`
   * takes it: `callback(null, context)`, or `callback(null)` for the default.
   */
  SNICallback?: (
    servername: string,
    callback: (err: Error | null, ctx?: SecureContext) => void,
  ) => void;
  /**
   * Picks the protocol from the client's ALPN list, as `node:tls` takes it
   * (instead of `ALPNProtocols`); `undefined` ends the handshake.
   */
  ALPNCallback?: (arg: { servername: string; protocols: string[] }) => string | undefined;
}

const COMMON_KEYS = [
  'ca',
  'cert',
  'key',
  'passphrase',
  'ALPNProtocols',
  'minVersion',
  'maxVersion',
  'ciphers',
  'secureOptions',
  'ecdhCurve',
];
const CLIENT_KEYS = [...COMMON_KEYS, 'servername', 'rejectUnauthorized', 'checkServerIdentity'];
const SERVER_KEYS = [
  ...COMMON_KEYS,
  'requestCert',
  'rejectUnauthorized',
  'handshakeTimeout',
  'SNICallback',
  'ALPNCallback',
];
const VERSIONS: readonly string[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** A server's options, checked, with the context made once for all its connections. */
export interface ServerTls {
  readonly context: SecureContext;
  readonly requestCert: boolean;
  readonly rejectUnauthorized: boolean;
  readonly ALPNProtocols: string[] | undefined;
  /** Seconds. */
  readonly handshakeTimeout: number;
  readonly SNICallback: TlsServerOptions['SNICallback'];
  readonly ALPNCallback: TlsServerOptions['ALPNCallback'];
}

function checkCommon(options: TlsCommonOptions, where: string): void {
  for (const name of ['ca', 'cert', 'key'] as const) {
    const v = options[name];
    if (v === undefined) continue;
    const all = Array.isArray(v) ? (v as readonly unknown[]) : [v];
    if (!all.every((p) => typeof p === 'string' || Buffer.isBuffer(p)))
      throw new TypeError(`${where}.${name}: PEM text, a Buffer, or an array of them expected`);
  }
  for (const name of ['passphrase', 'ciphers', 'ecdhCurve'] as const) {
    const v = options[name];
    if (v !== undefined && typeof v !== 'string')
      throw new TypeError(`${where}.${name}: a string expected, got ${typeof v}`);
  }
  const flags = options.secureOptions;
  if (flags !== undefined && (!Number.isInteger(flags) || flags < 0))
    throw new TypeError(`${where}.secureOptions: an integer >= 0 expected, got ${String(flags)}`);
  const alpn = options.ALPNProtocols;
  if (alpn !== undefined && (!Array.isArray(alpn) || !alpn.every((p) => typeof p === 'string')))
    throw new TypeError(`${where}.ALPNProtocols: an array of strings expected`);
  for (const name of ['minVersion', 'maxVersion'] as const) {
    const v = options[name];
    if (v !== undefined && !VERSIONS.includes(v))
      throw new RangeError(
        `${where}.${name}: one of ${VERSIONS.join(', ')} expected, got ${String(v)}`,
      );
  }
}

function checkBag(options: unknown, known: readonly string[], where: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new TypeError(`${where}: an object of TLS options expected`);
  checkKeys(options, known, where);
}

/**
 * @internal Checks a client's TLS options.
 * @throws TypeError / RangeError naming the option
 */
export function checkTlsOptions(options: unknown, where = 'tls'): asserts options is TlsOptions {
  checkBag(options, CLIENT_KEYS, where);
  const o = options as TlsOptions;
  checkCommon(o, where);
  if (o.servername !== undefined && typeof o.servername !== 'string')
    throw new TypeError(`${where}.servername: a string expected, got ${typeof o.servername}`);
  if (o.rejectUnauthorized !== undefined && typeof o.rejectUnauthorized !== 'boolean')
    throw new TypeError(`${where}.rejectUnauthorized: a boolean expected`);
  checkFunction(o.checkServerIdentity, `${where}.checkServerIdentity`);
}

function checkFunction(f: unknown, where: string): void {
  if (f !== undefined && typeof f !== 'function')
    throw new TypeError(`${where}: a function expected, got ${typeof f}`);
}

/**
 * @internal Checks a server's TLS options and makes its context.
 * @throws TypeError / RangeError naming the option; TypeError for a key or
 *   certificate OpenSSL cannot read (with its reason as the cause)
 */
export function serverTls(options: unknown, where = 'tls'): ServerTls {
  checkBag(options, SERVER_KEYS, where);
  const o = options as TlsServerOptions;
  checkCommon(o, where);
  if (o.cert === undefined || o.key === undefined)
    throw new TypeError(`${where}: a server needs cert and key`);
  for (const name of ['requestCert', 'rejectUnauthorized'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'boolean')
      throw new TypeError(`${where}.${name}: a boolean expected`);
  }
  const t = o.handshakeTimeout ?? 30;
  if (typeof t !== 'number' || !(t > 0))
    throw new RangeError(`${where}.handshakeTimeout: seconds > 0 expected, got ${String(t)}`);
  checkFunction(o.SNICallback, `${where}.SNICallback`);
  checkFunction(o.ALPNCallback, `${where}.ALPNCallback`);
  return {
    context: secureContextOf(o, where),
    SNICallback: o.SNICallback,
    ALPNCallback: o.ALPNCallback,
    requestCert: o.requestCert === true,
    rejectUnauthorized: o.rejectUnauthorized !== false,
    ALPNProtocols: o.ALPNProtocols === undefined ? undefined : [...o.ALPNProtocols],
    handshakeTimeout: t,
  };
}

/**
 * @internal The context `node:tls` makes of the options: keys, certificates
 * and CAs loaded, ciphers and curves checked, once.
 * @throws TypeError for what OpenSSL cannot take, with its reason as the cause
 */
export function secureContextOf(o: TlsCommonOptions, where = 'tls'): SecureContext {
  try {
    return createSecureContext(nodeCommon(o));
  } catch (err) {
    throw new TypeError(`${where}: ${(err as Error).message}`, { cause: err });
  }
}

/** @internal The options `node:tls` takes for what both ends share. */
export function nodeCommon(o: TlsCommonOptions): {
  ca?: (string | Buffer)[];
  cert?: (string | Buffer)[];
  key?: (string | Buffer)[];
  passphrase?: string;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  ciphers?: string;
  secureOptions?: number;
  ecdhCurve?: string;
} {
  const list = (p: Pem | undefined): (string | Buffer)[] | undefined =>
    p === undefined
      ? undefined
      : Array.isArray(p)
        ? [...(p as (string | Buffer)[])]
        : [p as string | Buffer];
  const ca = list(o.ca);
  const cert = list(o.cert);
  const key = list(o.key);
  return {
    ...(ca !== undefined && { ca }),
    ...(cert !== undefined && { cert }),
    ...(key !== undefined && { key }),
    ...(o.passphrase !== undefined && { passphrase: o.passphrase }),
    ...(o.minVersion !== undefined && { minVersion: o.minVersion }),
    ...(o.maxVersion !== undefined && { maxVersion: o.maxVersion }),
    ...(o.ciphers !== undefined && { ciphers: o.ciphers }),
    ...(o.secureOptions !== undefined && { secureOptions: o.secureOptions }),
    ...(o.ecdhCurve !== undefined && { ecdhCurve: o.ecdhCurve }),
  };
}
