/**
 * LuaSec's context parameters (`ssl.newcontext`'s table) checked in the
 * order `ssl.lua` applies them, and turned into the core's TLS settings.
 * Pure: names and values in, a plan or LuaSec's error string out; the files
 * the plan names are loaded by `context.ts`.
 *
 * What LuaSec takes and Node.js cannot do is refused by name with
 * `not supported`, never ignored: `depth`, `dhparam`, `dane`, and a
 * `verifyext` other than `lsec_continue`.
 *
 * @internal
 * @module
 */

import { constants } from 'node:crypto';
import type { SecureVersion } from 'node:tls';
import { badArgument, luaType } from '../lua.js';

/** A password: the string, or a function that answers it (LuaSec calls it once). */
export type SslPassword = string | (() => string);

/** A certificate and its key (files), one of `certificates`. */
export interface SslCertificateParams {
  /** The certificate chain file (PEM). */
  certificate?: string;
  /** Its private key file (PEM). */
  key?: string;
  /** The key's password. */
  password?: SslPassword;
}

/** A server's ALPN choice: given the client's list, the protocol (or a list, first taken) or nothing. */
export type SslAlpnCallback = (
  protocols: string[],
) => string | readonly string[] | null | undefined;

/**
 * `ssl.newcontext`'s parameters, LuaSec 1.x's names. Files are paths, read
 * when the context is made.
 */
export interface SslParams extends SslCertificateParams {
  /** `'client'` or `'server'`. */
  mode: string;
  /** `'any'` (or `'sslv23'`), `'tlsv1'`, `'tlsv1_1'`, `'tlsv1_2'` or `'tlsv1_3'`. */
  protocol: string;
  /** A file of trusted CA certificates (PEM). */
  cafile?: string;
  /** A directory of trusted CA certificates (every PEM file in it). */
  capath?: string;
  /** Several certificates and keys, instead of `certificate`/`key`/`password`. */
  certificates?: readonly SslCertificateParams[];
  /** `'none'`, `'peer'`, `'client_once'`, `'fail_if_no_peer_cert'`, or several. */
  verify?: string | readonly string[];
  /** OpenSSL's options by LuaSec's names (`'all'`, `'no_tlsv1'`, …), one or several. */
  options?: string | readonly string[];
  /** The TLS 1.2 cipher list, OpenSSL's format. */
  ciphers?: string;
  /** The TLS 1.3 suites, OpenSSL's format. */
  ciphersuites?: string;
  /** The ECDH curve. */
  curve?: string;
  /** The ECDH curves, colon-separated. */
  curveslist?: string;
  /** Client: the protocols to offer. Server: those to pick from, or a function that picks. */
  alpn?: string | readonly string[] | SslAlpnCallback;
  /** `'lsec_continue'`: go on when the peer's certificate fails to verify. */
  verifyext?: string | readonly string[];
  /** Not supported by Node.js: no verify depth setting. */
  depth?: number;
  /** Not supported: Node.js takes DH parameters as PEM, not LuaSec's callback. */
  dhparam?: unknown;
  /** Not supported by Node.js. */
  dane?: unknown;
}

/** @internal What a context is made of, once its parameters are checked. */
export interface SslPlan {
  /** As given: LuaSec makes a context with any mode and refuses it in `wrap`. */
  mode: string;
  minVersion: SecureVersion | undefined;
  maxVersion: SecureVersion | undefined;
  /** Files to load, in order, with their passwords. */
  certificates: SslCertificateParams[];
  cafile: string | undefined;
  capath: string | undefined;
  ciphers: string | undefined;
  ciphersuites: string | undefined;
  verifyPeer: boolean;
  failIfNoPeerCert: boolean;
  /** `verifyext = 'lsec_continue'`: a certificate that fails to verify does not end the handshake. */
  continueOnError: boolean;
  secureOptions: number;
  curve: string | undefined;
  alpn: string[] | SslAlpnCallback | undefined;
}

const VERSIONS: Record<string, [SecureVersion | undefined, SecureVersion | undefined]> = {
  any: [undefined, undefined],
  sslv23: [undefined, undefined],
  tlsv1: ['TLSv1', 'TLSv1'],
  tlsv1_1: ['TLSv1.1', 'TLSv1.1'],
  tlsv1_2: ['TLSv1.2', 'TLSv1.2'],
  tlsv1_3: ['TLSv1.3', 'TLSv1.3'],
};

const VERIFY = ['none', 'peer', 'client_once', 'fail_if_no_peer_cert'];

/**
 * LuaSec's option names and OpenSSL 3's flags for them: Node.js's
 * `crypto.constants` where it has the flag, OpenSSL 3's value where it
 * does not, 0 for the bug workarounds OpenSSL 3 keeps as no-ops.
 */
const OPTION_FLAGS: Record<string, number> = {
  all: constants.SSL_OP_ALL,
  allow_client_renegotiation: 1 << 8,
  allow_no_dhe_kex: constants.SSL_OP_ALLOW_NO_DHE_KEX,
  allow_unsafe_legacy_renegotiation: constants.SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION,
  cipher_server_preference: constants.SSL_OP_CIPHER_SERVER_PREFERENCE,
  cisco_anyconnect: constants.SSL_OP_CISCO_ANYCONNECT,
  cleanse_plaintext: 1 << 1,
  cookie_exchange: constants.SSL_OP_COOKIE_EXCHANGE,
  cryptopro_tlsext_bug: constants.SSL_OP_CRYPTOPRO_TLSEXT_BUG,
  disable_tlsext_ca_names: 1 << 9,
  dont_insert_empty_fragments: constants.SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS,
  enable_ktls: 1 << 3,
  enable_middlebox_compat: 1 << 20,
  ephemeral_rsa: 0,
  ignore_unexpected_eof: 1 << 7,
  legacy_server_connect: constants.SSL_OP_LEGACY_SERVER_CONNECT,
  microsoft_big_sslv3_buffer: 0,
  microsoft_sess_id_bug: 0,
  msie_sslv2_rsa_padding: 0,
  netscape_ca_dn_bug: 0,
  netscape_challenge_bug: 0,
  netscape_demo_cipher_change_bug: 0,
  netscape_reuse_cipher_change_bug: 0,
  no_anti_replay: 1 << 24,
  no_compression: constants.SSL_OP_NO_COMPRESSION,
  no_dtls_mask: (1 << 26) | (1 << 27),
  no_dtlsv1: 1 << 26,
  no_dtlsv1_2: 1 << 27,
  no_encrypt_then_mac: constants.SSL_OP_NO_ENCRYPT_THEN_MAC,
  no_extended_master_secret: 1 << 0,
  no_query_mtu: constants.SSL_OP_NO_QUERY_MTU,
  no_renegotiation: constants.SSL_OP_NO_RENEGOTIATION,
  no_session_resumption_on_renegotiation: constants.SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION,
  no_ssl_mask:
    constants.SSL_OP_NO_SSLv3 |
    constants.SSL_OP_NO_TLSv1 |
    constants.SSL_OP_NO_TLSv1_1 |
    constants.SSL_OP_NO_TLSv1_2 |
    constants.SSL_OP_NO_TLSv1_3,
  no_sslv2: 0,
  no_sslv3: constants.SSL_OP_NO_SSLv3,
  no_ticket: constants.SSL_OP_NO_TICKET,
  no_tlsv1: constants.SSL_OP_NO_TLSv1,
  no_tlsv1_1: constants.SSL_OP_NO_TLSv1_1,
  no_tlsv1_2: constants.SSL_OP_NO_TLSv1_2,
  no_tlsv1_3: constants.SSL_OP_NO_TLSv1_3,
  pkcs1_check_1: 0,
  pkcs1_check_2: 0,
  prioritize_chacha: constants.SSL_OP_PRIORITIZE_CHACHA,
  safari_ecdhe_ecdsa_bug: 1 << 6,
  single_dh_use: 0,
  single_ecdh_use: 0,
  ssleay_080_client_dh_bug: 0,
  sslref2_reuse_cert_type_bug: 0,
  tls_block_padding_bug: 0,
  tls_d5_bug: 0,
  tls_rollback_bug: constants.SSL_OP_TLS_ROLLBACK_BUG,
  tlsext_padding: 1 << 4,
};

/** @internal LuaSec's option names (its `ssl.config.options`). */
export const OPTION_NAMES: readonly string[] = Object.keys(OPTION_FLAGS);

/** A param Node.js has no equivalent of: the `[null, err]` string `newcontext` answers. */
function unsupported(name: string, why: string): string {
  return `${name}: not supported by Node.js (${why})`;
}

/** A string or a table of them, as `optexec` unpacks it, checked as `luaL_checkstring` does. */
function strings(value: unknown, fn: string): string[] {
  const all = Array.isArray(value) ? (value as unknown[]) : [value];
  return all.map((v, i) => {
    if (typeof v === 'number') return String(v);
    if (typeof v !== 'string') throw badArgument(i + 2, fn, `string expected, got ${luaType(v)}`);
    return v;
  });
}

/** LuaSec's `array2wireformat` checks: the list, or its error string. */
function alpnList(names: readonly unknown[]): string[] | string {
  if (names.length === 0) return 'invalid ALPN list (empty)';
  const list: string[] = [];
  for (const name of names) {
    if (typeof name !== 'string') return 'invalid ALPN parameter';
    if (name.length === 0) return 'invalid ALPN name (empty string)';
    if (Buffer.byteLength(name) > 255) return 'invalid ALPN name (length > 255)';
    list.push(name);
  }
  return list;
}

function checkOptString(params: SslParams, name: keyof SslParams, fn: string, arg: number): void {
  const v = params[name];
  if (v !== undefined && v !== null && typeof v !== 'string' && typeof v !== 'number')
    throw badArgument(arg, fn, `string expected, got ${luaType(v)}`);
}

/**
 * @internal Checks `params` as LuaSec's `newcontext` does, in its order.
 * @returns the plan, or LuaSec's error string (`'invalid protocol (x)'`, …)
 * @throws TypeError where LuaSec raises (no protocol, no mode, a value of the wrong type)
 */
export function planContext(params: SslParams): SslPlan | string {
  if (typeof params !== 'object' || params === null)
    throw badArgument(1, 'newcontext', `table expected, got ${luaType(params)}`);
  const { protocol: given, mode } = params as { protocol: unknown; mode: unknown };
  // luaL_checkstring takes a number as its string.
  const protocol = typeof given === 'number' ? String(given) : given;
  if (typeof protocol !== 'string')
    throw badArgument(1, 'create', `string expected, got ${luaType(protocol ?? null)}`);
  const versions = VERSIONS[protocol];
  if (versions === undefined) return `invalid protocol (${protocol})`;
  if (typeof mode !== 'string')
    throw badArgument(2, 'setmode', `string expected, got ${luaType(mode ?? null)}`);
  const certificates = params.certificates ?? [
    {
      ...(params.certificate !== undefined && { certificate: params.certificate }),
      ...(params.key !== undefined && { key: params.key }),
      ...(params.password !== undefined && { password: params.password }),
    },
  ];
  for (const c of certificates) {
    const pw: unknown = c.password;
    if (
      c.key !== undefined &&
      pw !== undefined &&
      typeof pw !== 'string' &&
      typeof pw !== 'function'
    )
      return 'invalid password type';
  }
  checkOptString(params, 'cafile', 'locations', 2);
  checkOptString(params, 'capath', 'locations', 3);
  checkOptString(params, 'ciphers', 'setcipher', 2);
  checkOptString(params, 'ciphersuites', 'setciphersuites', 2);
  let verifyPeer = false;
  let failIfNoPeerCert = false;
  if (params.verify !== undefined) {
    for (const v of strings(params.verify, 'setverify')) {
      if (!VERIFY.includes(v)) return `invalid verify option (${v})`;
      if (v === 'peer') verifyPeer = true;
      if (v === 'fail_if_no_peer_cert') failIfNoPeerCert = true;
    }
  }
  let secureOptions = 0;
  if (params.options !== undefined) {
    for (const o of strings(params.options, 'setoptions')) {
      const flag = OPTION_FLAGS[o];
      if (flag === undefined) return `invalid option (${o})`;
      secureOptions = (secureOptions | flag) >>> 0;
    }
  }
  if (params.depth !== undefined)
    return unsupported('depth', 'it has no verify depth setting; chains verify to any depth');
  if (params.dhparam !== undefined)
    return unsupported('dhparam', "DH parameters are PEM given to node:tls, not LuaSec's callback");
  const curve = params.curveslist ?? params.curve;
  if (curve !== undefined && typeof curve !== 'string')
    throw badArgument(2, 'setcurve', `string expected, got ${luaType(curve)}`);
  let continueOnError = false;
  if (params.verifyext !== undefined) {
    for (const v of strings(params.verifyext, 'setverifyext')) {
      if (v === 'lsec_continue') continueOnError = true;
      else if (v === 'lsec_ignore_purpose' || v === 'crl_check' || v === 'crl_check_chain')
        return unsupported(`verifyext ${v}`, 'node:tls has no such verify flag');
      else return `invalid verify option (${v})`;
    }
  }
  const alpn = planAlpn(mode, params.alpn);
  if (typeof alpn === 'string') return alpn;
  if (params.dane !== undefined) return unsupported('dane', 'node:tls has no DANE support');
  return {
    mode,
    minVersion: versions[0],
    maxVersion: versions[1],
    certificates: [...certificates],
    cafile: params.cafile,
    capath: params.capath,
    ciphers: params.ciphers,
    ciphersuites: params.ciphersuites,
    verifyPeer,
    failIfNoPeerCert,
    continueOnError,
    secureOptions,
    curve,
    alpn: alpn ?? undefined,
  };
}

/** ALPN as `ssl.lua` takes it for the mode: the list, a server's callback, or the error string. */
function planAlpn(
  mode: string,
  alpn: SslParams['alpn'],
): string[] | SslAlpnCallback | string | null {
  if (alpn === undefined || (mode !== 'server' && mode !== 'client')) return null;
  if (mode === 'server' && typeof alpn === 'function') return alpn;
  if (mode === 'client' && typeof alpn === 'string') return alpnList([alpn]);
  if (Array.isArray(alpn)) return alpnList(alpn as readonly unknown[]);
  return 'invalid ALPN parameter';
}
