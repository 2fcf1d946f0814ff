/**
 * What `cert:issued(subject, ...)` asks OpenSSL: `X509_verify_cert` with
 * `cert` as the only trusted certificate, `subject` to verify, the rest as
 * untrusted intermediates, at the current time, with no purpose, no
 * security level and no host. Node.js 20 has no `X509_verify_cert` over
 * certificates of one's own choosing, so its steps are done here as
 * OpenSSL 3.0 does them, in its order, over Node.js's signature check:
 * building the chain (trusted certificates first), checking each
 * certificate's extensions and CA role, then the signatures and the times
 * from the trust anchor down. The first failure is the answer, in
 * `X509_verify_cert_error_string`'s words. Name constraints, policies and
 * revocation are not checked (LuaSec configures none of them).
 *
 * @internal
 * @module
 */

import type { X509Certificate } from 'node:crypto';
import {
  bitLength,
  children,
  contents,
  integerHex,
  readTlv,
  type NameEntry,
  type ParsedCertificate,
} from './x509-der.js';
import { compareTime, timeSeconds } from './x509-time.js';
import { canonicalValue, signedBy } from './x509-fields.js';

/** A certificate as the verification sees it. */
export interface CertParts {
  readonly der: Buffer;
  readonly x509: X509Certificate;
  readonly fields: ParsedCertificate;
}

/** The extensions OpenSSL handles, so that they may be critical (`X509_supported_extension`). */
const SUPPORTED = new Set([
  '2.16.840.1.113730.1.1', // nsCertType
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.32', // certificatePolicies
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.37', // extendedKeyUsage
  '1.3.6.1.5.5.7.1.7', // sbgp-ipAddrBlock
  '1.3.6.1.5.5.7.1.8', // sbgp-autonomousSysNum
  '1.3.6.1.5.5.7.48.1.5', // OCSP noCheck
  '2.5.29.36', // policyConstraints
  '1.3.6.1.5.5.7.1.14', // proxyCertInfo
  '2.5.29.30', // nameConstraints
  '2.5.29.33', // policyMappings
  '2.5.29.54', // inhibitAnyPolicy
]);

/** The facts about a certificate that OpenSSL caches in its `ex_flags`. */
interface Facts {
  readonly keyType: string | undefined;
  readonly bc: { ca: boolean; pathLen: number | undefined } | undefined;
  /** keyUsage's first byte (keyCertSign is 0x04), when present. */
  readonly ku: number | undefined;
  readonly nsCa: boolean;
  readonly skid: string | undefined;
  readonly akid: { keyId: string | undefined; serial: string | undefined } | undefined;
  readonly critical: boolean;
  readonly subject: string | undefined;
  readonly issuer: string | undefined;
}

const facts = new WeakMap<CertParts, Facts>();

/** A name's canonical form, as `X509_NAME_cmp` compares names. */
function canonicalName(entries: readonly NameEntry[]): string | undefined {
  const parts = entries.map((e) => [e.set, e.oid, canonicalValue(e.tag, e.bytes)]);
  return parts.some((p) => p[2] === undefined) ? undefined : JSON.stringify(parts);
}

/** A decoder of an extension's value that answers undefined for what it cannot read. */
function decoded<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function factsOf(c: CertParts): Facts {
  const known = facts.get(c);
  if (known !== undefined) return known;
  const ext = (oid: string): Buffer | undefined =>
    c.fields.extensions.find((e) => e.oid === oid)?.value;
  const bits = (v: Buffer | undefined): number | undefined =>
    v === undefined ? undefined : decoded(() => contents(v, readTlv(v, 0))[1] ?? 0);
  const bcValue = ext('2.5.29.19');
  const akidValue = ext('2.5.29.35');
  const skidValue = ext('2.5.29.14');
  const made: Facts = {
    keyType: decoded(() => c.x509.publicKey.asymmetricKeyType),
    bc:
      bcValue &&
      decoded(() => {
        const parts = children(bcValue, readTlv(bcValue, 0));
        const ca = parts[0]?.tag === 0x01 && contents(bcValue, parts[0])[0] !== 0;
        const len = parts.find((p) => p.tag === 0x02);
        const pathLen =
          len && bitLength(contents(bcValue, len)) <= 31
            ? parseInt(contents(bcValue, len).toString('hex') || '0', 16)
            : undefined;
        return { ca, pathLen: ca ? pathLen : undefined };
      }),
    ku: bits(ext('2.5.29.15')),
    nsCa: ((bits(ext('2.16.840.1.113730.1.1')) ?? 0) & 0x07) !== 0,
    skid: skidValue && decoded(() => contents(skidValue, readTlv(skidValue, 0)).toString('hex')),
    akid:
      akidValue &&
      decoded(() => {
        const parts = children(akidValue, readTlv(akidValue, 0));
        const part = (tag: number): Buffer | undefined => {
          const p = parts.find((x) => x.tag === tag);
          return p && contents(akidValue, p);
        };
        return { keyId: part(0x80)?.toString('hex'), serial: part(0x82)?.toString('hex') };
      }),
    critical: c.fields.extensions.some((e) => e.critical && !SUPPORTED.has(e.oid)),
    subject: canonicalName(c.fields.subject),
    issuer: canonicalName(c.fields.issuer),
  };
  facts.set(c, made);
  return made;
}

/** `X509_check_akid(issuer, subject's AKID)`: its key id and serial, when present, fit. */
function akidFits(issuer: CertParts, subject: CertParts): boolean {
  const akid = factsOf(subject).akid;
  if (akid === undefined) return true;
  const skid = factsOf(issuer).skid;
  if (akid.keyId !== undefined && skid !== undefined && akid.keyId !== skid) return false;
  const serial = issuer.fields.serial.toString('hex');
  return (
    akid.serial === undefined ||
    integerHex(Buffer.from(akid.serial, 'hex')) === integerHex(Buffer.from(serial, 'hex'))
  );
}

/** `ossl_x509_likely_issued`: names, key ids and key type fit; the signature is not checked. */
function likelyIssued(issuer: CertParts, subject: CertParts): boolean {
  const name = factsOf(issuer).subject;
  return (
    name !== undefined &&
    name === factsOf(subject).issuer &&
    akidFits(issuer, subject) &&
    signedBy(subject.fields.tbsSignature, factsOf(issuer).keyType)
  );
}

/** `EXFLAG_SI`: issued by a name equal to its own. */
function selfIssued(c: CertParts): boolean {
  const f = factsOf(c);
  return f.subject !== undefined && f.subject === f.issuer;
}

/** `EXFLAG_SS`: self-issued, and its AKID and signature algorithm fit its own key. */
function selfSigned(c: CertParts): boolean {
  return selfIssued(c) && likelyIssued(c, c);
}

/** `check_ca`: 0 not a CA; 1 basicConstraints says CA; 3, 4, 5 the older ways of being one. */
function caKind(c: CertParts): number {
  const f = factsOf(c);
  if (f.ku !== undefined && (f.ku & 0x04) === 0) return 0;
  if (f.bc !== undefined) return f.bc.ca ? 1 : 0;
  if (c.fields.version === 0 && selfSigned(c)) return 3;
  if (f.ku !== undefined) return 4;
  return f.nsCa ? 5 : 0;
}

/** `X509_cmp_time` of both validity ends against `now`: -1/1 before/after, 0 unreadable. */
function times(c: CertParts, now: number): [notBefore: number, notAfter: number] {
  const { notBefore: nb, notAfter: na } = c.fields;
  const at = (t: typeof nb): number => compareTime(t.tag, contents(c.der, t), now);
  return [at(nb), at(na)];
}

/** When a certificate expires, in seconds (-Infinity when OpenSSL cannot read it). */
function expiry(c: CertParts): number {
  const t = c.fields.notAfter;
  return timeSeconds(t.tag, contents(c.der, t)) ?? -Infinity;
}

/** `find_issuer`: the first candidate valid now, else the one that expires last. */
function findIssuer(
  pool: readonly CertParts[],
  subject: CertParts,
  chain: readonly CertParts[],
  now: number,
): CertParts | undefined {
  let best: CertParts | undefined;
  for (const c of pool) {
    if (!likelyIssued(c, subject) || chain.includes(c)) continue;
    const [nb, na] = times(c, now);
    if (nb < 0 && na > 0) return c;
    if (best === undefined || expiry(c) > expiry(best)) best = c;
  }
  return best;
}

/** `build_chain`: the chain from `subject` to the trusted certificate, or why there is none. */
function buildChain(
  store: CertParts,
  subject: CertParts,
  untrusted: readonly CertParts[],
  now: number,
): CertParts[] | string {
  const chain = [subject];
  for (let trusted = false; chain.length <= 100;) {
    const top = chain[chain.length - 1] as CertParts;
    if (!trusted && likelyIssued(store, top)) {
      // A self-signed certificate is trusted only as the store's very one: one
      // with its name and key id could have been made by anybody.
      if (!selfSigned(top)) chain.push(store);
      else if (store.der.equals(top.der)) chain[chain.length - 1] = store;
      if (chain[chain.length - 1] === store) {
        trusted = true;
        continue;
      }
    }
    if (trusted) {
      if (selfSigned(top)) return chain;
      return 'unable to get issuer certificate';
    }
    if (selfSigned(top)) {
      return chain.length === 1
        ? 'self-signed certificate'
        : 'self-signed certificate in certificate chain';
    }
    const next = findIssuer(untrusted, top, chain, now);
    if (next === undefined) return 'unable to get local issuer certificate';
    chain.push(next);
  }
  return 'certificate chain too long';
}

/** `check_extensions`: critical extensions, CA roles and path lengths, from the subject up. */
function checkChain(chain: readonly CertParts[]): string | undefined {
  let plen = 0;
  for (const [i, c] of chain.entries()) {
    if (factsOf(c).critical) return 'unhandled critical extension';
    if (i > 0) {
      // OpenSSL 3 holds the intermediates to basicConstraints; the trust anchor may be an old-style CA.
      const kind = caKind(c);
      if (kind === 0 || (i + 1 < chain.length && kind !== 1)) return 'invalid CA certificate';
    }
    const pathLen = factsOf(c).bc?.pathLen;
    if (i > 1 && !selfIssued(c) && pathLen !== undefined && plen > pathLen + 1) {
      return 'path length constraint exceeded';
    }
    if (!selfIssued(c)) plen++;
  }
  return undefined;
}

/** `internal_verify`: signatures and validity times, from the trust anchor down. */
function checkSignaturesAndTimes(chain: readonly CertParts[], now: number): string | undefined {
  let n = chain.length - 1;
  let issuer = chain[n] as CertParts;
  // A self-issued anchor is checked for its times only: its signature proves nothing.
  let cert = likelyIssued(issuer, issuer) ? issuer : (chain[--n] as CertParts);
  for (; n >= 0; cert = chain[--n] as CertParts) {
    if (cert !== issuer && !decoded(() => cert.x509.verify(issuer.x509.publicKey))) {
      return 'certificate signature failure';
    }
    const [nb, na] = times(cert, now);
    if (nb === 0) return "format error in certificate's notBefore field";
    if (nb > 0) return 'certificate is not yet valid';
    if (na === 0) return "format error in certificate's notAfter field";
    if (na < 0) return 'certificate has expired';
    issuer = cert;
  }
  return undefined;
}

/**
 * Whether `store` issued `subject`, through `untrusted` intermediates, at
 * `now` (seconds): undefined when it did, else OpenSSL's reason.
 */
export function verifyIssued(
  store: CertParts,
  subject: CertParts,
  untrusted: readonly CertParts[],
  now: number,
): string | undefined {
  const chain = buildChain(store, subject, untrusted, now);
  if (typeof chain === 'string') return chain;
  return checkChain(chain) ?? checkSignaturesAndTimes(chain, now);
}
