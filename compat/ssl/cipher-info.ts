/**
 * LuaSec's `conn:info()` table, from the cipher's OpenSSL name alone. LuaSec
 * builds it by matching OpenSSL's `SSL_CIPHER_description` line
 * (`ECDHE-ECDSA-AES256-GCM-SHA384 TLSv1.2 Kx=ECDH Au=ECDSA Enc=AESGCM(256)
 * Mac=AEAD`) and reading `SSL_CIPHER_get_bits`; Node.js gives neither, so
 * the fields are derived here from the name, by OpenSSL's naming rules.
 *
 * @module
 */

/**
 * What `conn:info()` returns, field for field as LuaSec fills it.
 * `compression` is never set: OpenSSL 3 builds have no TLS compression, so
 * LuaSec's `SSL_get_current_compression` answers nil.
 */
export interface SslInfo {
  /** The cipher's OpenSSL name: `'TLS_AES_256_GCM_SHA384'`, `'ECDHE-RSA-AES128-GCM-SHA256'`. */
  cipher: string;
  /** The connection's protocol version (`'TLSv1.3'`), else the cipher's own (`'SSLv3'` for `AES128-SHA`). */
  protocol?: string;
  /** The key exchange: `'any'` (TLS 1.3), `'ECDH'`, `'DH'`, `'RSA'`, `'PSK'`, `'ECDHEPSK'`, … */
  key?: string;
  /** The authentication: `'any'` (TLS 1.3), `'ECDSA'`, `'RSA'`, `'DSS'`, `'PSK'`, `'None'`, … */
  authentication?: string;
  /** The encryption and its bits: `'AESGCM(256)'`, `'CHACHA20/POLY1305(256)'`, `'AES(128)'`, … */
  encryption?: string;
  /** The MAC: `'AEAD'`, `'SHA1'`, `'SHA256'`, `'SHA384'`, `'MD5'`. */
  mac?: string;
  /** The cipher's strength in bits, and its key's bits. */
  bits?: number;
  algbits?: number;
  /** Whether it is an export cipher; OpenSSL has none since 1.1.0. */
  export: boolean;
  /** The compression method; never set (see above). */
  compression?: string;
}

/** TLS 1.3 suites: encryption and bits. */
const TLS13: Readonly<Record<string, readonly [string, number]>> = {
  TLS_AES_256_GCM_SHA384: ['AESGCM', 256],
  TLS_AES_128_GCM_SHA256: ['AESGCM', 128],
  TLS_CHACHA20_POLY1305_SHA256: ['CHACHA20/POLY1305', 256],
  TLS_AES_128_CCM_SHA256: ['AESCCM', 128],
  TLS_AES_128_CCM_8_SHA256: ['AESCCM8', 128],
};

/**
 * The name's key exchange and authentication prefix, as OpenSSL spells
 * them; no prefix is RSA for both. `ECDHE-` alone is only the ARIA suites'.
 */
const PREFIXES: readonly (readonly [prefix: RegExp, kx: string, au: string])[] = [
  [/^ECDHE-ECDSA-/, 'ECDH', 'ECDSA'],
  [/^ECDHE-RSA-/, 'ECDH', 'RSA'],
  [/^ECDHE-PSK-/, 'ECDHEPSK', 'PSK'],
  [/^ECDHE-(?=ARIA)/, 'ECDH', 'RSA'],
  [/^DHE-RSA-/, 'DH', 'RSA'],
  [/^DHE-DSS-/, 'DH', 'DSS'],
  [/^DHE-PSK-/, 'DHEPSK', 'PSK'],
  [/^RSA-PSK-/, 'RSAPSK', 'RSA'],
  [/^SRP-RSA-/, 'SRP', 'RSA'],
  [/^SRP-DSS-/, 'SRP', 'DSS'],
  [/^SRP-/, 'SRP', 'SRP'],
  [/^PSK-/, 'PSK', 'PSK'],
  [/^AECDH-/, 'ECDH', 'None'],
  [/^ADH-/, 'DH', 'None'],
  [/^(?=(?:AES|ARIA|CAMELLIA|NULL)[-\d])/, 'RSA', 'RSA'],
];

/** The rest of the name: the cipher, its mode and the MAC. */
const BULK =
  /^(?:(AES|ARIA)(128|256)-GCM-SHA(?:256|384)|AES(128|256)-(CCM8?)|(CHACHA20-POLY1305)|(AES|CAMELLIA)-?(128|256)(?:-CBC)?-(SHA|SHA256|SHA384)|(NULL)-(MD5|SHA|SHA256|SHA384))$/;

const MACS: Readonly<Record<string, string>> = {
  SHA: 'SHA1',
  SHA256: 'SHA256',
  SHA384: 'SHA384',
  MD5: 'MD5',
};

/** The fields of a TLS 1.2-or-older name, or undefined when it does not follow the rules. */
function describe(name: string): Omit<SslInfo, 'cipher' | 'export'> | undefined {
  const prefix = PREFIXES.find(([p]) => p.test(name));
  if (prefix === undefined) return undefined;
  const [p, key, authentication] = prefix;
  const m = BULK.exec(name.replace(p, ''));
  if (m === null) return undefined;
  let enc: string;
  let bits: number;
  let mac = 'AEAD';
  if (m[1] !== undefined) [enc, bits] = [`${m[1]}GCM`, Number(m[2])];
  else if (m[3] !== undefined) [enc, bits] = [`AES${m[4] as string}`, Number(m[3])];
  else if (m[5] !== undefined) [enc, bits] = ['CHACHA20/POLY1305', 256];
  else if (m[6] !== undefined) {
    [enc, bits] = [m[6] === 'AES' ? 'AES' : 'Camellia', Number(m[7])];
    mac = MACS[m[8] as string] as string;
  } else [enc, bits, mac] = ['None', 0, MACS[m[10] as string] as string];
  // The version OpenSSL lists a cipher under: the one that brought it in.
  const psk = key.endsWith('PSK');
  let protocol: string;
  if (mac === 'AEAD') protocol = 'TLSv1.2';
  else if (mac === 'SHA256' || mac === 'SHA384') protocol = psk ? 'TLSv1' : 'TLSv1.2';
  else protocol = key === 'ECDH' || key === 'ECDHEPSK' ? 'TLSv1' : 'SSLv3';
  return {
    protocol,
    key,
    authentication,
    encryption: enc === 'None' ? enc : `${enc}(${bits})`,
    mac,
    bits,
    algbits: bits,
  };
}

/**
 * LuaSec's `conn:info()` table for a cipher, by its OpenSSL name (as
 * Node.js's `getCipher().name` gives it) and the connection's protocol
 * version (`getProtocol()`), which replaces the cipher's own as in
 * LuaSec's `ssl.lua`.
 *
 * Known: the TLS 1.3 suites and the TLS 1.2-and-older families OpenSSL 3
 * lists — ECDHE, DHE, RSA, PSK, SRP and anonymous key exchanges; AES-GCM,
 * AES-CCM, CHACHA20-POLY1305, ARIA-GCM, AES-CBC and Camellia-CBC with SHA1,
 * SHA256 or SHA384; NULL encryption. For any other name only `cipher`,
 * `protocol` (when given) and `export` are filled; the rest stays undefined.
 *
 * @param openSslName - the cipher's OpenSSL name
 * @param protocol - the connection's version, or null to keep the cipher's
 * @returns the table LuaSec's `conn:info()` returns
 * @example What it gives for `ECDHE-ECDSA-AES256-GCM-SHA384` over TLS 1.2
 * ```ts
 * import type { SslInfo } from 'luasocket-async/compat/ssl';
 *
 * const info: SslInfo = {
 *   cipher: 'ECDHE-ECDSA-AES256-GCM-SHA384',
 *   protocol: 'TLSv1.2',
 *   key: 'ECDH',
 *   authentication: 'ECDSA',
 *   encryption: 'AESGCM(256)',
 *   mac: 'AEAD',
 *   bits: 256,
 *   algbits: 256,
 *   export: false,
 * };
 * ```
 * @internal
 */
export function cipherInfo(openSslName: string, protocol: string | null): SslInfo {
  const tls13 = TLS13[openSslName];
  const fields: Omit<SslInfo, 'cipher' | 'export'> | undefined =
    tls13 === undefined
      ? describe(openSslName)
      : {
          protocol: 'TLSv1.3',
          key: 'any',
          authentication: 'any',
          encryption: `${tls13[0]}(${tls13[1]})`,
          mac: 'AEAD',
          bits: tls13[1],
          algbits: tls13[1],
        };
  const info: SslInfo = { cipher: openSslName, ...fields, export: false };
  if (protocol !== null) info.protocol = protocol;
  return info;
}
