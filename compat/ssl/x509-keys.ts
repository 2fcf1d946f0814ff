/**
 * `cert:pubkey()`: the public key as `PEM_write_bio_PUBKEY` writes it, the
 * type `EVP_PKEY_base_id` gives it and the size `EVP_PKEY_bits` gives it.
 *
 * @internal
 * @module
 */

import type { X509Certificate, KeyObject } from 'node:crypto';
import { bitLength, contents, readTlv, type ParsedCertificate } from './x509-der.js';

/** The key types `pubkey()` names; Ed25519, RSA-PSS and the rest are `'Unknown'`. */
export type KeyType = 'RSA' | 'DSA' | 'DH' | 'EC' | 'Unknown';

/** What `pubkey()` returns: the key's PEM, type and size in bits, or nils when it cannot be read. */
export type PubkeyResult =
  [pem: string, type: KeyType, bits: number] | [pem: null, type: null, bits: null];

/** The SPKI algorithms LuaSec names (an EC key on SM2 is OpenSSL's SM2 type: `'Unknown'`). */
const KEY_TYPES: Readonly<Record<string, KeyType>> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.113549.1.3.1': 'DH',
  '1.2.840.10045.2.1': 'EC',
};

/**
 * `EVP_PKEY_bits` where Node.js reports no modulus: each named curve's
 * order, and the Edwards and Montgomery keys.
 */
const BITS: ReadonlyMap<string, number> = new Map(
  [
    'secp112r1 112 secp112r2 110 secp128r1 128 secp128r2 126 secp160k1 161 secp160r1 161',
    'secp160r2 161 secp192k1 192 secp224k1 225 secp224r1 224 secp256k1 256 secp384r1 384',
    'secp521r1 521 prime192v1 192 prime192v2 192 prime192v3 192 prime239v1 239 prime239v2 239',
    'prime239v3 239 prime256v1 256 sect113r1 113 sect113r2 113 sect131r1 131 sect131r2 131',
    'sect163k1 163 sect163r1 162 sect163r2 163 sect193r1 193 sect193r2 193 sect233k1 232',
    'sect233r1 233 sect239k1 238 sect283k1 281 sect283r1 282 sect409k1 407 sect409r1 409',
    'sect571k1 570 sect571r1 570 c2pnb163v1 163 c2pnb163v2 162 c2pnb163v3 162 c2pnb176v1 161',
    'c2tnb191v1 191 c2tnb191v2 190 c2tnb191v3 189 c2pnb208w1 193 c2tnb239v1 238 c2tnb239v2 237',
    'c2tnb239v3 236 c2pnb272w1 257 c2pnb304w1 289 c2tnb359v1 353 c2pnb368w1 353 c2tnb431r1 418',
    'wap-wsg-idm-ecid-wtls1 112 wap-wsg-idm-ecid-wtls3 163 wap-wsg-idm-ecid-wtls4 113',
    'wap-wsg-idm-ecid-wtls5 163 wap-wsg-idm-ecid-wtls6 112 wap-wsg-idm-ecid-wtls7 161',
    'wap-wsg-idm-ecid-wtls8 113 wap-wsg-idm-ecid-wtls9 161 wap-wsg-idm-ecid-wtls10 232',
    'wap-wsg-idm-ecid-wtls11 233 wap-wsg-idm-ecid-wtls12 224 Oakley-EC2N-3 154 Oakley-EC2N-4 184',
    'brainpoolP160r1 160 brainpoolP160t1 160 brainpoolP192r1 192 brainpoolP192t1 192',
    'brainpoolP224r1 224 brainpoolP224t1 224 brainpoolP256r1 256 brainpoolP256t1 256',
    'brainpoolP320r1 320 brainpoolP320t1 320 brainpoolP384r1 384 brainpoolP384t1 384',
    'brainpoolP512r1 512 brainpoolP512t1 512 SM2 256',
    'ed25519 256 ed448 456 x25519 253 x448 448',
  ]
    .join(' ')
    .split(' ')
    .flatMap((w, i, all) => (i % 2 === 0 ? [[w, Number(all[i + 1])] as const] : [])),
);

/** The bits of a DH key: those of its prime, the parameters' first INTEGER. */
function primeBits(params: Buffer | undefined): number {
  if (params === undefined) return 0;
  const seq = readTlv(params, 0);
  return bitLength(contents(params, readTlv(params, seq.body, seq.end)));
}

/** `cert:pubkey()` of a certificate. */
export function publicKey(x509: X509Certificate, fields: ParsedCertificate): PubkeyResult {
  let key: KeyObject;
  try {
    key = x509.publicKey;
  } catch {
    // OpenSSL cannot decode the key: PEM_write_bio_PUBKEY fails and LuaSec returns nil.
    return [null, null, null];
  }
  const pem = key.export({ type: 'spki', format: 'pem' }) as string;
  const type = KEY_TYPES[fields.keyAlgorithm] ?? 'Unknown';
  const d = key.asymmetricKeyDetails ?? {};
  const bits = d.modulusLength ?? BITS.get(d.namedCurve ?? key.asymmetricKeyType ?? '');
  return [pem, type, bits ?? (type === 'DH' ? primeBits(fields.keyParams) : 0)];
}
