/**
 * The DER a certificate is made of, and the PEM around it, read as OpenSSL
 * reads them for LuaSec's methods: the certificate's fields, object
 * identifiers, and serial numbers as `BN_bn2hex` prints them. Node.js 20's
 * `X509Certificate` has no view of the names in order, of the raw string
 * types, of the signature algorithm or of the extensions, so they are read
 * here.
 *
 * @internal
 * @module
 */

/** One encoded value: its first identifier octet and where it lies in the buffer. */
export interface Tlv {
  readonly tag: number;
  /** The first byte of its header. */
  readonly start: number;
  /** The first byte of its contents. */
  readonly body: number;
  /** One past its last byte. */
  readonly end: number;
}

/** An attribute of a name, as `X509_NAME_get_entry` lists them (each of a multi-valued RDN too). */
export interface NameEntry {
  readonly oid: string;
  /** The value's type and bytes, as OpenSSL keeps them (see {@link stringValue}). */
  readonly tag: number;
  readonly bytes: Buffer;
  /** Which RDN (SET) of the name it is in. */
  readonly set: number;
}

/** An extension: its OID, its critical flag and the contents of its OCTET STRING. */
export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Buffer;
}

/** What {@link parseCertificate} reads. */
export interface ParsedCertificate {
  /** The version field (0 for v1, whose field is absent). */
  readonly version: number;
  readonly serial: Buffer;
  /** The signature algorithm inside the signed part, and the outer one. */
  readonly tbsSignature: string;
  readonly signature: string;
  readonly issuer: readonly NameEntry[];
  readonly subject: readonly NameEntry[];
  readonly notBefore: Tlv;
  readonly notAfter: Tlv;
  /** The subjectPublicKeyInfo's algorithm OID, and its parameters whole. */
  readonly keyAlgorithm: string;
  readonly keyParams: Buffer | undefined;
  readonly extensions: readonly Extension[];
}

const SEQUENCE = 0x30;

function malformed(): RangeError {
  return new RangeError('Malformed DER');
}

/** Reads the value that starts at `at` and ends before `limit`. */
export function readTlv(der: Buffer, at: number, limit = der.length): Tlv {
  const tag = der[at];
  if (tag === undefined || at >= limit) throw malformed();
  let p = at + 1;
  // A tag number above 30 continues in the next octets; only the first one is kept.
  if ((tag & 0x1f) === 0x1f) while (p < limit && ((der[p] as number) & 0x80) !== 0) p++;
  if ((tag & 0x1f) === 0x1f) p++;
  const first = p < limit ? der[p++] : undefined;
  if (first === undefined) throw malformed();
  let length = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    // 0x80 is BER's indefinite length, which DER has not.
    if (n === 0 || n > 4 || p + n > limit) throw malformed();
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (der[p++] as number);
  }
  if (p + length > limit) throw malformed();
  return { tag, start: at, body: p, end: p + length };
}

/** The PEM block `PEM_read_bio_X509` takes, decoded; or OpenSSL's reason when there is none. */
export function readPem(text: string): Buffer | string {
  const lines = text.split('\n').map((l) => l.replace(/[ \t\r\v\f]+$/, ''));
  const begin = lines.findIndex((l) => /^-----BEGIN (X509 )?CERTIFICATE-----$/.test(l));
  if (begin === -1) return 'no start line';
  const label = (lines[begin] as string).slice(11, -5);
  const end = lines.indexOf(`-----END ${label}-----`, begin + 1);
  if (end === -1) return 'bad end line';
  // Each line counts up to its first character that is not base64, as OpenSSL reads it.
  const body = lines.slice(begin + 1, end).map((l) => /^[A-Za-z0-9+/=]*/.exec(l)?.[0] ?? '');
  const b64 = body.join('');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64)) {
    return 'bad base64 decode';
  }
  return Buffer.from(b64, 'base64');
}

/** The values inside a constructed one. */
export function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.body; at < parent.end;) {
    const t = readTlv(der, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}

/** The contents of a value. */
export function contents(der: Buffer, t: Tlv): Buffer {
  return der.subarray(t.body, t.end);
}

/** The value's contents, checked to have the tag. */
function expect(der: Buffer, t: Tlv | undefined, tag: number): Tlv {
  if (t === undefined || t.tag !== tag) throw malformed();
  return t;
}

/** An object identifier's dotted form, as `OBJ_obj2txt(…, 1)` writes it. */
export function oidText(bytes: Buffer): string {
  const arcs: string[] = [];
  let value = 0n;
  for (const b of bytes) {
    value = (value << 7n) | BigInt(b & 0x7f);
    if (b & 0x80) continue;
    if (arcs.length === 0) {
      const top = value < 40n ? 0n : value < 80n ? 1n : 2n;
      arcs.push(String(top), String(value - top * 40n));
    } else arcs.push(String(value));
    value = 0n;
  }
  return arcs.join('.');
}

/** The OID of an AlgorithmIdentifier. */
function algorithm(der: Buffer, t: Tlv | undefined): string {
  const [oid] = children(der, expect(der, t, SEQUENCE));
  return oidText(contents(der, expect(der, oid, 0x06)));
}

/** The number of bits of an unsigned big-endian number (`BN_num_bits`). */
export function bitLength(bytes: Buffer): number {
  const i = bytes.findIndex((b) => b !== 0);
  return i === -1 ? 0 : (bytes.length - i - 1) * 8 + 32 - Math.clz32(bytes[i] as number);
}

/** An INTEGER's contents as `BN_bn2hex` prints it: uppercase, whole bytes, `-` when negative. */
export function integerHex(bytes: Buffer): string {
  const negative = bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0;
  let magnitude = bytes;
  if (negative) {
    // Two's complement: invert and add one.
    magnitude = Buffer.from(bytes.map((b) => ~b & 0xff));
    for (let i = magnitude.length - 1; i >= 0; i--) {
      magnitude[i] = ((magnitude[i] as number) + 1) & 0xff;
      if (magnitude[i] !== 0) break;
    }
  }
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  if (i === magnitude.length) return '0';
  return (negative ? '-' : '') + magnitude.subarray(i).toString('hex').toUpperCase();
}

/** The tag OpenSSL gives a value of another class than universal (`V_ASN1_OTHER`). */
export const OTHER = -3;

/**
 * A string-like value as OpenSSL keeps it: SEQUENCE, SET and non-universal
 * values whole; a constructed (BER) string as its segments joined; a BIT
 * STRING without its unused-bits octet; others their contents.
 */
export function stringValue(der: Buffer, t: Tlv): { tag: number; bytes: Buffer } {
  const whole = der.subarray(t.start, t.end);
  if ((t.tag & 0xc0) !== 0) return { tag: OTHER, bytes: whole };
  const tag = t.tag & 0x1f;
  if (tag === 0x10 || tag === 0x11) return { tag, bytes: whole };
  if (t.tag & 0x20) {
    const parts = children(der, t).map((c) => stringValue(der, c).bytes);
    return { tag, bytes: Buffer.concat(parts) };
  }
  return { tag, bytes: tag === 0x03 ? contents(der, t).subarray(1) : contents(der, t) };
}

function name(der: Buffer, t: Tlv | undefined): NameEntry[] {
  const entries: NameEntry[] = [];
  children(der, expect(der, t, SEQUENCE)).forEach((rdn, set) => {
    for (const atv of children(der, expect(der, rdn, 0x31))) {
      const [type, value] = children(der, expect(der, atv, SEQUENCE));
      if (value === undefined) throw malformed();
      const oid = oidText(contents(der, expect(der, type, 0x06)));
      entries.push({ oid, ...stringValue(der, value), set });
    }
  });
  return entries;
}

function extensions(der: Buffer, t: Tlv | undefined): Extension[] {
  if (t === undefined) return [];
  const [list] = children(der, t);
  return children(der, expect(der, list, SEQUENCE)).map((ext) => {
    const parts = children(der, expect(der, ext, SEQUENCE));
    const oid = oidText(contents(der, expect(der, parts[0], 0x06)));
    const flag = parts.length === 3 ? contents(der, expect(der, parts[1], 0x01)) : undefined;
    const value = contents(der, expect(der, parts[parts.length - 1], 0x04));
    return { oid, critical: flag !== undefined && flag[0] !== 0, value };
  });
}

/**
 * The fields of a certificate.
 * @throws RangeError when the DER is not a certificate's shape
 */
export function parseCertificate(der: Buffer): ParsedCertificate {
  const [tbs, sigAlg] = children(der, expect(der, readTlv(der, 0), SEQUENCE));
  const fields = children(der, expect(der, tbs, SEQUENCE));
  let i = 0;
  let version = 0;
  if (fields[0]?.tag === 0xa0) {
    const [v] = children(der, fields[i++] as Tlv);
    version = contents(der, expect(der, v, 0x02))[0] ?? 0;
  }
  const serial = contents(der, expect(der, fields[i++], 0x02));
  const tbsSignature = algorithm(der, fields[i++]);
  const issuer = name(der, fields[i++]);
  const [notBefore, notAfter] = children(der, expect(der, fields[i++], SEQUENCE));
  if (notBefore === undefined || notAfter === undefined) throw malformed();
  const subject = name(der, fields[i++]);
  const spkiTlv = expect(der, fields[i++], SEQUENCE);
  const [keyAlg] = children(der, spkiTlv);
  const [keyOid, params] = children(der, expect(der, keyAlg, SEQUENCE));
  const exts = fields.slice(i).find((f) => f.tag === 0xa3);
  return {
    version,
    serial,
    tbsSignature,
    signature: algorithm(der, sigAlg),
    issuer,
    subject,
    notBefore,
    notAfter,
    keyAlgorithm: oidText(contents(der, expect(der, keyOid, 0x06))),
    keyParams: params && der.subarray(params.start, params.end),
    extensions: extensions(der, exts),
  };
}
