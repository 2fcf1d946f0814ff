/**
 * The readable side of a certificate's fields, as LuaSec pushes them: the
 * long names OpenSSL gives OIDs, string values in LuaSec's two encodings,
 * the signature algorithm's short name, and the subjectAltName table.
 *
 * @internal
 * @module
 */

import {
  children,
  contents,
  oidText,
  readTlv,
  stringValue,
  type Extension,
  type Tlv,
} from './x509-der.js';

/** How `setencode` has LuaSec push strings: their bytes as they are, or converted to UTF-8. */
export type StringEncoding = 'ai5' | 'utf8';

/**
 * OpenSSL's long names (`OBJ_obj2txt(…, 0)`) for the OIDs of names and
 * subjectAltName's otherNames; any other OID stays in dotted form, as there.
 */
const LONG_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'commonName',
  '2.5.4.4': 'surname',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'countryName',
  '2.5.4.7': 'localityName',
  '2.5.4.8': 'stateOrProvinceName',
  '2.5.4.9': 'streetAddress',
  '2.5.4.10': 'organizationName',
  '2.5.4.11': 'organizationalUnitName',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.41': 'name',
  '2.5.4.42': 'givenName',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'userId',
  '0.9.2342.19200300.100.1.25': 'domainComponent',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionLocalityName',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionStateOrProvinceName',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionCountryName',
  '2.5.29.17': 'X509v3 Subject Alternative Name',
  '1.3.6.1.4.1.311.20.2.3': 'Microsoft User Principal Name',
  '1.3.6.1.5.5.7.8.3': 'Permanent Identifier',
  '1.3.6.1.5.5.7.8.5': 'XmppAddr',
  '1.3.6.1.5.5.7.8.7': 'SRVName',
  '1.3.6.1.5.5.7.8.8': 'NAIRealm',
  '1.3.6.1.5.5.7.8.9': 'Smtp UTF8 Mailbox',
};

/** The name LuaSec gives an OID: OpenSSL's long name, or the OID itself. */
export function longName(oid: string): string {
  return LONG_NAMES[oid] ?? oid;
}

/** The kind of key a signature algorithm needs (Node.js's `asymmetricKeyType`s). */
type KeyKind = 'rsa' | 'rsa-pss' | 'ec' | 'dsa' | 'ed25519' | 'ed448' | 'sm2';

const RSA = '1.2.840.113549.1.1.';
const ECDSA = '1.2.840.10045.4.';
const NIST = '2.16.840.1.101.3.4.3.';

/** Signature algorithm OIDs: OpenSSL's short name (`OBJ_nid2sn`) and the key that signs. */
const SIGNATURES: Readonly<Record<string, readonly [string, KeyKind]>> = {
  [`${RSA}2`]: ['RSA-MD2', 'rsa'],
  [`${RSA}4`]: ['RSA-MD5', 'rsa'],
  [`${RSA}5`]: ['RSA-SHA1', 'rsa'],
  [`${RSA}10`]: ['RSASSA-PSS', 'rsa-pss'],
  [`${RSA}11`]: ['RSA-SHA256', 'rsa'],
  [`${RSA}12`]: ['RSA-SHA384', 'rsa'],
  [`${RSA}13`]: ['RSA-SHA512', 'rsa'],
  [`${RSA}14`]: ['RSA-SHA224', 'rsa'],
  [`${RSA}15`]: ['RSA-SHA512/224', 'rsa'],
  [`${RSA}16`]: ['RSA-SHA512/256', 'rsa'],
  [`${ECDSA}1`]: ['ecdsa-with-SHA1', 'ec'],
  [`${ECDSA}3.1`]: ['ecdsa-with-SHA224', 'ec'],
  [`${ECDSA}3.2`]: ['ecdsa-with-SHA256', 'ec'],
  [`${ECDSA}3.3`]: ['ecdsa-with-SHA384', 'ec'],
  [`${ECDSA}3.4`]: ['ecdsa-with-SHA512', 'ec'],
  '1.2.840.10040.4.3': ['DSA-SHA1', 'dsa'],
  [`${NIST}1`]: ['dsa_with_SHA224', 'dsa'],
  [`${NIST}2`]: ['dsa_with_SHA256', 'dsa'],
  [`${NIST}3`]: ['id-dsa-with-sha384', 'dsa'],
  [`${NIST}4`]: ['id-dsa-with-sha512', 'dsa'],
  [`${NIST}5`]: ['id-dsa-with-sha3-224', 'dsa'],
  [`${NIST}6`]: ['id-dsa-with-sha3-256', 'dsa'],
  [`${NIST}7`]: ['id-dsa-with-sha3-384', 'dsa'],
  [`${NIST}8`]: ['id-dsa-with-sha3-512', 'dsa'],
  [`${NIST}9`]: ['id-ecdsa-with-sha3-224', 'ec'],
  [`${NIST}10`]: ['id-ecdsa-with-sha3-256', 'ec'],
  [`${NIST}11`]: ['id-ecdsa-with-sha3-384', 'ec'],
  [`${NIST}12`]: ['id-ecdsa-with-sha3-512', 'ec'],
  [`${NIST}13`]: ['id-rsassa-pkcs1-v1_5-with-sha3-224', 'rsa'],
  [`${NIST}14`]: ['id-rsassa-pkcs1-v1_5-with-sha3-256', 'rsa'],
  [`${NIST}15`]: ['id-rsassa-pkcs1-v1_5-with-sha3-384', 'rsa'],
  [`${NIST}16`]: ['id-rsassa-pkcs1-v1_5-with-sha3-512', 'rsa'],
  '1.3.101.112': ['ED25519', 'ed25519'],
  '1.3.101.113': ['ED448', 'ed448'],
  '1.2.156.10197.1.501': ['SM2-SM3', 'sm2'],
};

/** `OBJ_nid2sn(X509_get_signature_nid(x))`: the short name, `UNDEF` for an OID OpenSSL does not know. */
export function signatureName(oid: string): string {
  return SIGNATURES[oid]?.[0] ?? 'UNDEF';
}

/**
 * Whether a key of this type can have made a signature of this algorithm,
 * as `check_sig_alg_match` decides when OpenSSL looks for an issuer (an RSA
 * key may sign RSASSA-PSS).
 */
export function signedBy(oid: string, keyType: string | undefined): boolean {
  const kind = SIGNATURES[oid]?.[1];
  return kind !== undefined && (kind === keyType || (kind === 'rsa-pss' && keyType === 'rsa'));
}

/**
 * How many bytes a character takes in each string type
 * (`ASN1_STRING_to_UTF8`'s table): 0 UTF-8, 1 one byte (Latin-1), 2 BMP,
 * 4 Universal; the types missing cannot be converted.
 */
const CHAR_WIDTH: Readonly<Record<number, 0 | 1 | 2 | 4>> = {
  12: 0,
  18: 1,
  19: 1,
  20: 1,
  22: 1,
  23: 1,
  24: 1,
  26: 1,
  28: 4,
  30: 2,
};

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** `ASN1_STRING_to_UTF8`: the value as UTF-8, or null where OpenSSL fails. */
function toUtf8(tag: number, bytes: Buffer): Buffer | null {
  const width = CHAR_WIDTH[tag];
  if (width === undefined || bytes.length % Math.max(width, 1) !== 0) return null;
  if (width === 0) {
    try {
      UTF8.decode(bytes);
      return bytes;
    } catch {
      return null;
    }
  }
  if (width === 1) return Buffer.from(bytes.toString('latin1'), 'utf8');
  let text = '';
  for (let i = 0; i < bytes.length; i += width) {
    const c = width === 2 ? bytes.readUInt16BE(i) : bytes.readUInt32BE(i);
    // OpenSSL takes each unit as a character: a surrogate or a value past Unicode fails.
    if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff) return null;
    text += String.fromCodePoint(c);
  }
  return Buffer.from(text, 'utf8');
}

/** A string value as LuaSec pushes it (`push_asn1_string`), as the bytes of a Lua string. */
export function stringBytes(tag: number, bytes: Buffer, encode: StringEncoding): Buffer | null {
  return encode === 'ai5' ? bytes : toUtf8(tag, bytes);
}

/** The string types `X509_NAME_cmp` compares by their text rather than their bytes. */
const CANONICAL = new Set([12, 19, 20, 22, 26, 28, 30]);

/**
 * A name value as `X509_NAME_cmp` compares it (`asn1_string_canon`): the
 * text in UTF-8 with ASCII case folded, no leading or trailing white space
 * and each inner run of it one space; other types by tag and bytes.
 * Undefined where OpenSSL cannot convert it, which makes the name equal to none.
 */
export function canonicalValue(tag: number, bytes: Buffer): string | undefined {
  if (!CANONICAL.has(tag)) return `${tag}:${bytes.toString('hex')}`;
  const text = toUtf8(tag, bytes)?.toString('utf8');
  return text
    ?.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '')
    .replace(/[ \t\n\v\f\r]+/g, ' ')
    .replace(/[A-Z]+/g, (c) => c.toLowerCase());
}

/** `inet_ntop` as glibc writes an IPv4 or IPv6 address; null for another length. */
export function formatIp(bytes: Buffer): string | null {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) return null;
  const words = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  // The longest run of two or more zero words (the first of equal runs) becomes '::'.
  let best = { base: -1, len: 0 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.len) best = { base: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    // ::a.b.c.d and ::ffff:a.b.c.d keep their IPv4 tail in dotted form.
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      return out + Array.from(bytes.subarray(12)).join('.');
    }
    out += (words[i] as number).toString(16);
  }
  return best.base !== -1 && best.base + best.len === 8 ? out + ':' : out;
}

/** What `extensions()` holds for one otherName type: its values, and its name as a field. */
export type OtherNames = string[] & { name: string };

/** The entries of a subjectAltName, by the keys LuaSec gives them. */
export interface SubjectAltName {
  name: string;
  dNSName?: string[];
  rfc822Name?: string[];
  uniformResourceIdentifier?: string[];
  iPAddress?: string[];
  /** otherNames, by their type's OID. */
  [oid: string]: OtherNames | string[] | string | undefined;
}

/** The types OpenSSL keeps an `ASN1_TYPE` of as a string, so that LuaSec can push it. */
function anyString(der: Buffer, t: Tlv): { tag: number; bytes: Buffer } | undefined {
  // BOOLEAN, NULL and OBJECT IDENTIFIER are not strings there: LuaSec would push garbage.
  if (t.tag === 0x01 || t.tag === 0x05 || t.tag === 0x06) return undefined;
  return stringValue(der, t);
}

/** One GeneralName LuaSec keeps: the key it goes under, and its value (null: pushed as nil). */
type Entry = [key: string, value: Buffer | string | null, oid?: string];

/** The GeneralNames of a subjectAltName, or undefined where OpenSSL could not decode them. */
function generalNames(der: Buffer, encode: StringEncoding): Entry[] | undefined {
  try {
    return children(der, readTlv(der, 0)).flatMap((n): Entry[] => {
      const body = contents(der, n);
      if (n.tag === 0x81) return [['rfc822Name', stringBytes(22, body, encode)]];
      if (n.tag === 0x82) return [['dNSName', stringBytes(22, body, encode)]];
      if (n.tag === 0x86) return [['uniformResourceIdentifier', stringBytes(22, body, encode)]];
      if (n.tag === 0x87) return [['iPAddress', formatIp(body)]];
      if (n.tag !== 0xa0) return [];
      const [type, value] = children(der, n);
      if (type?.tag !== 0x06 || value?.tag !== 0xa0) throw new RangeError('Malformed otherName');
      const oid = oidText(contents(der, type));
      const [inner] = children(der, value);
      const s = inner === undefined ? undefined : anyString(der, inner);
      return [[oid, s === undefined ? null : stringBytes(s.tag, s.bytes, encode), oid]];
    });
  } catch {
    return undefined;
  }
}

/**
 * Adds a subjectAltName extension's entries to `table[oid]`, as
 * `meth_extensions` does: dNSName, rfc822Name, URI and iPAddress under
 * those keys, each otherName under its type's OID (with the type's `name`);
 * the other kinds are left out, as there. A value LuaSec pushes as nil (an
 * IP address of another length, a string UTF-8 conversion fails on) still
 * makes its list.
 * @returns false when the extension cannot be decoded (LuaSec stops there)
 */
export function addSubjectAltName(
  table: Record<string, SubjectAltName>,
  ext: Extension,
  encode: StringEncoding,
  text: (bytes: Buffer) => string,
): boolean {
  const entries = generalNames(ext.value, encode);
  if (entries === undefined) return false;
  const san = (table[ext.oid] ??= { name: '' });
  san.name = longName(ext.oid);
  for (const [key, value, oid] of entries) {
    if (oid !== undefined) san[key] ??= Object.assign([], { name: longName(oid) });
    const list = (san[key] ??= []) as string[];
    if (value !== null) list.push(typeof value === 'string' ? value : text(value));
  }
  return true;
}
