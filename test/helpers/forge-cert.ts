/**
 * Certificates built field by field in DER and signed with keys made at test
 * time, for what the openssl CLI will not write: names of every string type,
 * negative serials, GeneralizedTimes, odd subjectAltName entries, unknown
 * algorithms. No key is ever written to disk here.
 */

import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

type KeyPairObject = { publicKey: KeyObject; privateKey: KeyObject };

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A value of tag `tag` holding `body`. */
export function tlv(tag: number, ...body: Buffer[]): Buffer {
  const content = Buffer.concat(body);
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

export const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
export const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
export const octets = (b: Buffer): Buffer => tlv(0x04, b);
export const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(text: string): Buffer {
  const [a = 0n, b = 0n, ...rest] = text.split('.').map(BigInt);
  const out: number[] = [];
  for (const arc of [a * 40n + b, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** An INTEGER whose contents are `hex` as given (two's complement, not normalised). */
export const int = (hex: string): Buffer => tlv(0x02, Buffer.from(hex, 'hex'));

/** One attribute: OID, string tag and the value's bytes (a string is taken as Latin-1). */
export type Attribute = [oid: string, tag: number, value: Buffer | string];

/** A Name of RDNs, each a list of attributes (more than one: a multi-valued RDN). */
export function name(...rdns: Attribute[][]): Buffer {
  return seq(
    ...rdns.map((rdn) =>
      set(
        ...rdn.map(([o, tag, v]) =>
          seq(oid(o), tlv(tag, typeof v === 'string' ? Buffer.from(v, 'latin1') : v)),
        ),
      ),
    ),
  );
}

/** A CN-only name. */
export const cn = (value: string): Buffer => name([['2.5.4.3', 0x0c, Buffer.from(value)]]);

/** An Extension. */
export function extension(id: string, value: Buffer, critical = false): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

/** UTCTime or GeneralizedTime from its text. */
export const utc = (text: string): Buffer => tlv(0x17, Buffer.from(text, 'latin1'));
export const generalized = (text: string): Buffer => tlv(0x18, Buffer.from(text, 'latin1'));

/** A key pair of the kind a test wants. */
export function keyPair(
  kind: 'ec' | 'rsa' | 'ed25519' | 'ed448' | 'x25519' | 'x448' | 'rsa-pss' | 'dh' | 'dsa',
  curve = 'P-256',
): KeyPairObject {
  switch (kind) {
    case 'ec':
      return generateKeyPairSync('ec', { namedCurve: curve });
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'dsa':
      return generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
    case 'rsa-pss':
      return generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    case 'dh':
      // @types/node has no overload for 'dh', which Node.js takes.
      return (generateKeyPairSync as (type: string, options: object) => KeyPairObject)('dh', {
        group: 'modp14',
      });
    default:
      return generateKeyPairSync(kind as 'ed25519');
  }
}

/** Signature algorithm OIDs and the hash each signs with (null: the key's own, as Ed25519). */
const HASHES: Record<string, string | null> = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.5': 'sha1',
  '1.3.101.112': null,
  '1.3.101.113': null,
};

/** What a forged certificate is made of; everything but the keys has a default. */
export interface CertSpec {
  /** The key the certificate is for. */
  key: KeyObject;
  /** The issuer's private key; without it, or for an algorithm it cannot sign, random bytes. */
  signer?: KeyObject;
  subject?: Buffer;
  issuer?: Buffer;
  /** The INTEGER, whole. */
  serial?: Buffer;
  notBefore?: Buffer;
  notAfter?: Buffer;
  extensions?: Buffer[];
  /** 2 (v3, the default) or 0 (v1: no version field). */
  version?: 0 | 2;
  /** The signature algorithm, inside and outside the signed part. */
  algorithm?: string;
}

/** The DER of a certificate built from `spec`. */
export function forge(spec: CertSpec): Buffer {
  const algorithm = spec.algorithm ?? '1.2.840.10045.4.3.2';
  const alg = seq(oid(algorithm), ...(algorithm.startsWith('1.2.840.113549') ? [tlv(0x05)] : []));
  const subject = spec.subject ?? cn('forged');
  const exts = spec.extensions ?? [];
  const tbs = seq(
    ...((spec.version ?? 2) === 0 ? [] : [tlv(0xa0, int('02'))]),
    spec.serial ?? int('01'),
    alg,
    spec.issuer ?? subject,
    seq(spec.notBefore ?? utc('200101000000Z'), spec.notAfter ?? generalized('20991231235959Z')),
    subject,
    spec.key.export({ type: 'spki', format: 'der' }),
    ...(exts.length > 0 ? [tlv(0xa3, seq(...exts))] : []),
  );
  const hash = HASHES[algorithm];
  const signature =
    spec.signer !== undefined && hash !== undefined
      ? sign(hash, tbs, spec.signer)
      : Buffer.alloc(64, 0x5a);
  return seq(tbs, alg, tlv(0x03, Buffer.from([0]), signature));
}

/** PEM of a DER certificate. */
export function pem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
