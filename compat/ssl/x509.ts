/**
 * LuaSec's `X509 certificate` object (`x509.c`) and `ssl.loadcertificate`,
 * over Node.js's `X509Certificate` for the keys and signatures and over the
 * certificate's own DER for the rest, which Node.js 20 does not show: the
 * names in order with their raw strings, the signature algorithm, the
 * subjectAltName table, and the times as OpenSSL prints and compares them.
 *
 * Strings are Lua byte strings (one character per byte), or UTF-8 text for
 * a certificate made with `{ encoding: 'utf8' }` or after
 * `socket.setencoding('utf8')`, as for compat's sockets.
 *
 * @module
 */

import { createHash, X509Certificate } from 'node:crypto';
import { encodingOf, type CompatEncoding } from '../buffer.js';
import { badArgument, checkString, luaType, stringToNumber } from '../lua.js';
import type { Result } from '../tuples.js';
import {
  contents,
  integerHex,
  parseCertificate,
  readPem,
  readTlv,
  type ParsedCertificate,
} from './x509-der.js';
import {
  addSubjectAltName,
  longName,
  signatureName,
  stringBytes,
  type StringEncoding,
  type SubjectAltName,
} from './x509-fields.js';
import { publicKey, type PubkeyResult } from './x509-keys.js';
import { compareTime, printTime } from './x509-time.js';
import { verifyIssued, type CertParts } from './x509-verify.js';

export type { OtherNames, SubjectAltName } from './x509-fields.js';
export type { KeyType, PubkeyResult } from './x509-keys.js';

/** One attribute of a subject or issuer, as LuaSec lists them. */
export interface NameField {
  /** The attribute's OID, dotted: `'2.5.4.3'`. */
  oid: string;
  /** OpenSSL's long name for it (`'commonName'`), or the OID when OpenSSL has none. */
  name: string;
  /** The value; null where LuaSec pushes nil (a UTF-8 conversion that fails). */
  value: string | null;
}

/** What `extensions()` returns: the subjectAltName entries under `'2.5.29.17'`. */
export type Extensions = Record<string, SubjectAltName>;

/** Options compat adds: the encoding of the strings the certificate's methods return. */
export interface CertificateOptions {
  /** `'latin1'` (Lua byte strings), `'utf8'` (text); `socket.setencoding`'s choice by default. */
  encoding?: CompatEncoding;
}

const DIGESTS = new Set(['sha1', 'sha256', 'sha512']);
/** What `d2i_X509` says of DER that is not a certificate. */
const BAD_DER = 'nested asn1 error';
/** The constructor, for `loadcertificate`: it is private to the class. */
let construct: (der: Buffer, encoding: CompatEncoding) => Certificate;

/** A certificate of `der`, or undefined where OpenSSL would not load one. */
function tryLoad(der: Buffer, encoding: CompatEncoding): Certificate | undefined {
  try {
    return construct(der, encoding);
  } catch {
    return undefined;
  }
}

/**
 * An X.509 certificate, as LuaSec's `ssl.loadcertificate` and
 * `conn:getpeercertificate()` give it. Methods are LuaSec's, by name and by
 * result; several Lua results are an array, `nil` is null.
 *
 * @example Reading a peer's certificate
 * ```ts
 * import { loadcertificate } from 'luasocket-async/compat/ssl';
 *
 * const [cert, err] = loadcertificate('-----BEGIN CERTIFICATE-----\n…');
 * if (cert !== null) {
 *   console.log(cert.subject().find((f) => f.name === 'commonName')?.value);
 *   console.log(cert.notafter(), cert.digest('sha256')[0]);
 * } else console.error(err);
 * ```
 */
export class Certificate {
  readonly #parts: CertParts;
  readonly #encoding: CompatEncoding;
  #encode: StringEncoding = 'ai5';

  static {
    construct = (der, encoding) => new Certificate(der, encoding);
  }

  private constructor(der: Buffer, encoding: CompatEncoding) {
    // Bytes after the certificate are ignored, as d2i_X509 ignores them.
    const own = Buffer.from(der.subarray(0, readTlv(der, 0).end));
    const fields = parseCertificate(own);
    this.#parts = { der: own, x509: new X509Certificate(own), fields };
    this.#encoding = encoding;
  }

  /**
   * The certificate of a PEM text's first `CERTIFICATE` block.
   * @throws TypeError when there is none, or it is not a certificate
   */
  static fromPem(text: string | Buffer, options?: CertificateOptions): Certificate {
    const der = readPem(typeof text === 'string' ? text : text.toString('latin1'));
    if (typeof der === 'string') throw new TypeError(`Expected a PEM certificate: ${der}`);
    return Certificate.fromDer(der, options);
  }

  /**
   * The certificate a DER encoding holds (as Node.js's
   * `getPeerCertificate().raw` gives it).
   * @throws TypeError when it is not a certificate
   */
  static fromDer(der: Buffer, options?: CertificateOptions): Certificate {
    const cert = tryLoad(der, encodingOf(options, 'Certificate'));
    if (cert === undefined) throw new TypeError(`Expected a DER certificate: ${BAD_DER}`);
    return cert;
  }

  get #der(): Buffer {
    return this.#parts.der;
  }

  get #fields(): ParsedCertificate {
    return this.#parts.fields;
  }

  /** The DER encoding (a copy). */
  get raw(): Buffer {
    return Buffer.from(this.#der);
  }

  #text(bytes: Buffer | null): string | null {
    return bytes === null ? null : bytes.toString(this.#encoding);
  }

  /** `cert:pem()`: the certificate in PEM, 64 base64 characters a line. */
  pem(): string {
    const b64 = this.#der.toString('base64').replace(/.{64}/g, '$&\n');
    return `-----BEGIN CERTIFICATE-----\n${b64.replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  }

  #name(entries: ParsedCertificate['subject']): NameField[] {
    return entries.map((e) => ({
      oid: e.oid,
      name: longName(e.oid),
      value: this.#text(stringBytes(e.tag, e.bytes, this.#encode)),
    }));
  }

  /** `cert:subject()`: the subject's attributes, in the certificate's order. */
  subject(): NameField[] {
    return this.#name(this.#fields.subject);
  }

  /** `cert:issuer()`: the issuer's attributes, in the certificate's order. */
  issuer(): NameField[] {
    return this.#name(this.#fields.issuer);
  }

  /** `cert:serial()`: the serial number in uppercase hexadecimal, whole bytes (`'01'`, `'-2A'`). */
  serial(): string {
    return integerHex(this.#fields.serial);
  }

  /** `cert:notbefore()`: as OpenSSL prints it, `'Dec  4 20:48:09 2026 GMT'`. */
  notbefore(): string {
    const t = this.#fields.notBefore;
    return printTime(t.tag, contents(this.#der, t));
  }

  /** `cert:notafter()`: as OpenSSL prints it, `'Jan  3 20:48:09 2027 GMT'`. */
  notafter(): string {
    const t = this.#fields.notAfter;
    return printTime(t.tag, contents(this.#der, t));
  }

  /**
   * `cert:validat(time)`: whether `time` (seconds since the epoch, an
   * integer) is within the validity, both ends included.
   * @throws TypeError for a value that is not an integer, as Lua raises it
   */
  validat(time: number | string): boolean {
    const n = typeof time === 'string' ? stringToNumber(time) : time;
    if (typeof n !== 'number') {
      throw badArgument(1, 'validat', `number expected, got ${luaType(time)}`);
    }
    if (!Number.isInteger(n) || Math.abs(n) >= 2 ** 63) {
      throw badArgument(1, 'validat', 'number has no integer representation');
    }
    const { notBefore: nb, notAfter: na } = this.#fields;
    return (
      compareTime(nb.tag, contents(this.#der, nb), n) === -1 &&
      compareTime(na.tag, contents(this.#der, na), n - 1) === 1
    );
  }

  /**
   * `cert:digest([alg])`: the fingerprint of the DER in lowercase hex;
   * `alg` is `'sha1'` (the default), `'sha256'` or `'sha512'`.
   * @returns `[hex, null]`, or `[null, 'digest algorithm not supported (alg)']`
   * @throws TypeError for an `alg` that is not a string, number or nil
   */
  digest(alg?: string | number | null): Result<string> {
    const name = alg === undefined || alg === null ? 'sha1' : checkString(alg, 1, 'digest');
    if (!DIGESTS.has(name)) return [null, `digest algorithm not supported (${name})`];
    return [createHash(name).update(this.#der).digest('hex'), null];
  }

  /** `cert:pubkey()`: the public key in PEM (SubjectPublicKeyInfo), its type and its bits. */
  pubkey(): PubkeyResult {
    return publicKey(this.#parts.x509, this.#fields);
  }

  /**
   * `cert:extensions()`: the subjectAltName entries, as
   * `{ '2.5.29.17': { name, dNSName, iPAddress, rfc822Name,
   * uniformResourceIdentifier, [otherName OID] } }`, each list in the
   * certificate's order; `{}` without one. LuaSec reads no other extension.
   */
  extensions(): Extensions {
    const table: Extensions = {};
    const exts = this.#fields.extensions;
    for (let i = 0; i < exts.length; i++) {
      const ext = exts[i] as (typeof exts)[number];
      if (ext.oid !== '2.5.29.17') continue;
      if (!addSubjectAltName(table, ext, this.#encode, (b) => b.toString(this.#encoding))) break;
      // LuaSec's loop steps over the extension that follows each one it read
      // (`i++` before `X509_get_ext_by_NID(…, i)`, which searches after `i`).
      i++;
    }
    return table;
  }

  /**
   * `cert:issued(subject, ...)`: whether this certificate, as the one
   * trusted, issued `subject`, through the other certificates as
   * intermediates, now. The reasons are OpenSSL's (`X509_verify_cert`).
   * @returns `[true, null]`, or `[null, reason]` (`'unable to get local issuer certificate'`, …)
   * @throws TypeError when an argument is not a certificate
   */
  issued(subject: Certificate, ...chain: Certificate[]): Result<true> {
    const certs = [subject, ...chain].map((c: unknown, i) => {
      if (c instanceof Certificate) return c.#parts;
      throw badArgument(i + 1, 'issued', `SSL:Certificate expected, got ${luaType(c)}`);
    });
    const [first, ...rest] = certs as [CertParts, ...CertParts[]];
    const reason = verifyIssued(this.#parts, first, rest, Math.floor(Date.now() / 1000));
    return reason === undefined ? [true, null] : [null, reason];
  }

  /**
   * `cert:setencode(enc)`: how string values are read from now on: `'ai5'`
   * (their bytes as they are, the default) or `'utf8'` (converted to
   * UTF-8 from their ASN.1 type). Only the start of `enc` is looked at, as
   * in LuaSec.
   * @returns whether `enc` was one of the two
   * @throws TypeError for an `enc` that is not a string or number
   */
  setencode(enc: string | number): boolean {
    const s = checkString(enc, 1, 'setencode');
    if (s.startsWith('ai5')) this.#encode = 'ai5';
    else if (s.startsWith('utf8')) this.#encode = 'utf8';
    else return false;
    return true;
  }

  /**
   * `cert:getsignaturename()`: the signature algorithm's short name in
   * OpenSSL (`'RSA-SHA256'`, `'ecdsa-with-SHA256'`, `'ED25519'`), `'UNDEF'`
   * for one OpenSSL does not know.
   */
  getsignaturename(): string {
    return signatureName(this.#fields.signature);
  }

  /** LuaSec's `tostring` without the address. */
  toString(): string {
    return 'X509 certificate';
  }
}

/**
 * `ssl.loadcertificate(pem)`: the certificate of a PEM text's first
 * `CERTIFICATE` block (text around it is ignored).
 *
 * @returns `[cert, null]`, or `[null, err]` with OpenSSL's reason
 *   (`'no start line'`, `'bad base64 decode'`, …); LuaSec itself returns
 *   a lone nil there
 * @throws TypeError when `pem` is not a string, as Lua raises it
 * @example
 * ```ts
 * import { loadcertificate } from 'luasocket-async/compat/ssl';
 *
 * const [cert, err] = loadcertificate('not a certificate'); // [null, 'no start line']
 * ```
 */
export function loadcertificate(
  pem: string | number,
  options?: CertificateOptions,
): Result<Certificate> {
  const text = checkString(pem, 1, 'loadcertificate');
  const encoding = encodingOf(options, 'loadcertificate');
  const der = readPem(text);
  if (typeof der === 'string') return [null, der];
  const cert = tryLoad(der, encoding);
  return cert === undefined ? [null, BAD_DER] : [cert, null];
}
