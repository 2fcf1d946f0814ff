/**
 * Forged certificates for the Certificate tests, made at load with keys that
 * live only in memory: the odd corners of names, serials, times, subject
 * alternative names, signature algorithms and key types (`edgeCertificates`),
 * and trust stores and chains for `issued()` (`chainCertificates`).
 */

import {
  bool,
  cn,
  extension,
  forge,
  generalized,
  int,
  keyPair,
  name,
  octets,
  oid,
  seq,
  tlv,
  utc,
  type CertSpec,
} from './forge-cert.js';

const bmp = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();
function universal(s: string): Buffer {
  const chars = [...s];
  const b = Buffer.alloc(chars.length * 4);
  chars.forEach((c, i) => b.writeUInt32BE(c.codePointAt(0) as number, i * 4));
  return b;
}
const ip = (...bytes: number[]): Buffer => tlv(0x87, Buffer.from(bytes));
function ip6(text: string): Buffer {
  const b = Buffer.alloc(16);
  text.split(':').forEach((w, i) => b.writeUInt16BE(parseInt(w, 16), i * 2));
  return tlv(0x87, b);
}
const other = (type: string, value: Buffer): Buffer => tlv(0xa0, oid(type), tlv(0xa0, value));
const san = (...names: Buffer[]): Buffer => extension('2.5.29.17', seq(...names));

/** The IPv6 addresses of the `san` certificate, and what glibc's inet_ntop writes for them. */
export const IPV6: readonly (readonly [words: string, text: string])[] = [
  ['0:0:0:0:0:0:0:0', '::'],
  ['0:0:0:0:0:0:0:1', '::1'],
  ['0:0:0:0:0:ffff:102:304', '::ffff:1.2.3.4'],
  ['0:0:0:0:0:0:102:304', '::1.2.3.4'],
  ['1:0:0:0:0:0:0:0', '1::'],
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
  ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
  ['0:0:0:0:0:0:0:2', '::2'],
  ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ['0:0:1:0:0:0:0:0', '0:0:1::'],
  ['fe80:0:0:0:0:0:0:0', 'fe80::'],
  ['0:0:0:0:0:fffe:102:304', '::fffe:102:304'],
  ['0:0:0:0:ffff:0:102:304', '::ffff:0:102:304'],
];

/** Signature algorithm OIDs of the `sig-…` certificates (their signatures are not real). */
export const SIGNATURE_OIDS: readonly string[] = [
  '1.2.840.113549.1.1.2', '1.2.840.113549.1.1.4', '1.2.840.113549.1.1.5', '1.2.840.113549.1.1.10',
  '1.2.840.113549.1.1.11', '1.2.840.113549.1.1.12', '1.2.840.113549.1.1.13',
  '1.2.840.113549.1.1.14', '1.2.840.113549.1.1.15', '1.2.840.113549.1.1.16',
  '1.2.840.10045.4.1', '1.2.840.10045.4.3.1', '1.2.840.10045.4.3.3', '1.2.840.10045.4.3.4',
  '1.2.840.10040.4.3', '2.16.840.1.101.3.4.3.1', '2.16.840.1.101.3.4.3.2',
  '2.16.840.1.101.3.4.3.3', '2.16.840.1.101.3.4.3.4', '2.16.840.1.101.3.4.3.9',
  '2.16.840.1.101.3.4.3.10', '2.16.840.1.101.3.4.3.13', '2.16.840.1.101.3.4.3.14',
  '1.3.101.112', '1.3.101.113', '1.2.156.10197.1.501', '1.2.3.4.5.6',
]; // prettier-ignore

/** Certificates for every corner LuaSec reads, by name, as DER. */
export function edgeCertificates(): Record<string, Buffer> {
  const ec = keyPair('ec');
  const signed = (spec: Omit<CertSpec, 'key' | 'signer'>): Buffer =>
    forge({ key: ec.publicKey, signer: ec.privateKey, ...spec });
  const certs: Record<string, Buffer> = {
    names: signed({
      subject: name(
        [['2.5.4.6', 0x13, 'FR']],
        [['2.5.4.10', 0x0c, Buffer.from('Société €')]],
        [
          ['2.5.4.11', 0x1e, bmp('Ünït ☃')],
          ['2.5.4.3', 0x0c, 'multi'],
        ],
        [['2.5.4.7', 0x14, Buffer.from([0x50, 0xe9, 0x72])]],
        [['2.5.4.8', 0x1c, universal('Zürich 😀')]],
        [['1.2.840.113549.1.9.1', 0x16, 'a@b.c']],
        [['1.2.3.4.5', 0x0c, 'unknown oid']],
        [['2.5.4.13', 0x07, 'other tag']],
        [['2.5.4.42', 0x03, Buffer.from([0, 0x41, 0x42])]],
        [['2.5.4.17', 0x12, '75001']],
        [['2.5.4.44', 0x30, Buffer.from([0x0c, 1, 0x41])]],
        [['2.5.4.43', 0x0c, '']],
        [
          [
            '2.5.4.46',
            0x2c,
            Buffer.concat([tlv(0x0c, Buffer.from('ber ')), tlv(0x0c, Buffer.from('segments'))]),
          ],
        ],
      ),
      issuer: cn('names issuer'),
    }),
    san: signed({
      extensions: [
        san(
          tlv(0x82, Buffer.from('dns.example')),
          tlv(0x82, Buffer.from([0x64, 0xe9])),
          ip(10, 1, 2, 3),
          ...IPV6.map(([words]) => ip6(words)),
          ip(1, 2, 3, 4, 5),
          tlv(0x81, Buffer.from('mail@example')),
          tlv(0x86, Buffer.from('https://x.example/')),
          other('1.3.6.1.5.5.7.8.5', tlv(0x0c, Buffer.from('xmpp@example'))),
          other('1.3.6.1.5.5.7.8.5', tlv(0x0c, Buffer.from('second@example'))),
          other('1.3.6.1.5.5.7.8.7', tlv(0x16, Buffer.from('_xmpp-client.example'))),
          other('1.3.6.1.4.1.311.20.2.3', tlv(0x0c, Buffer.from('upn@example'))),
          other('1.2.3.4', tlv(0x04, Buffer.from('octets'))),
          other('1.2.3.5', tlv(0x02, Buffer.from([1, 2]))),
          other('1.2.3.6', seq(tlv(0x0c, Buffer.from('inner')))),
          other('1.2.3.7', tlv(0x1e, bmp('bmp'))),
          other('1.2.3.8', tlv(0x03, Buffer.from([0, 0x41]))),
          other('1.2.3.9', tlv(0x80, Buffer.from('context'))),
          other('1.2.3.10', tlv(0x2c, tlv(0x0c, Buffer.from('ber')), tlv(0x0c, Buffer.from('!')))),
          tlv(0xa4, cn('directory name')),
          tlv(0x88, Buffer.from([0x2a, 0x03])),
        ),
      ],
    }),
    'san-two': signed({
      extensions: [
        san(tlv(0x82, Buffer.from('one'))),
        extension('2.5.29.19', seq()),
        san(tlv(0x82, Buffer.from('two')), ip(1, 1, 1, 1)),
      ],
    }),
    'san-empty': signed({ extensions: [san()] }),
    // LuaSec skips the extension right after each subjectAltName it reads.
    'san-adjacent': signed({
      extensions: [san(tlv(0x82, Buffer.from('read'))), san(tlv(0x82, Buffer.from('skipped')))],
    }),
    'san-skipped-broken': signed({
      extensions: [
        san(tlv(0x82, Buffer.from('kept'))),
        extension('2.5.29.17', Buffer.from([0x30, 0x05, 0x82, 0x01])),
        san(tlv(0x82, Buffer.from('after'))),
      ],
    }),
    // One it cannot decode ends the table.
    'san-broken': signed({
      extensions: [
        san(tlv(0x82, Buffer.from('kept'))),
        extension('2.5.29.19', seq()),
        extension('2.5.29.17', Buffer.from([0x30, 0x05, 0x82, 0x01])),
        extension('2.5.29.19', seq()),
        san(tlv(0x82, Buffer.from('after'))),
      ],
    }),
    v1: signed({ version: 0 }),
  };
  for (const [label, hex] of [
    ['negative', 'ff7f'],
    ['minus128', '80'],
    ['zero', '00'],
    ['long', '00f1' + 'ab'.repeat(18)],
    ['negative-long', 'fe000000000001'],
  ]) {
    certs[`serial-${label}`] = signed({ serial: int(hex as string) });
  }
  for (const [label, notBefore, notAfter] of [
    ['generalized', generalized('19700101000000Z'), generalized('20991231235959Z')],
    ['fraction', generalized('20200101000000.123Z'), generalized('20500101000000.5Z')],
    ['no-seconds', utc('2001010000Z'), utc('3001010000Z')],
    ['offset', utc('200101000000+0130'), utc('300101000000-0200')],
    ['bad', utc('201301000000Z'), utc('20010100000Z')],
    ['leap', utc('200229120000Z'), generalized('21000228000000Z')],
    ['not-leap', utc('210229120000Z'), generalized('99991231235959Z')],
    ['year-0', generalized('00000101000000Z'), generalized('99991231235959Z')],
    ['year-50', generalized('00500101000000Z'), utc('491231235959Z')],
  ] as const) {
    certs[`time-${label}`] = signed({ notBefore, notAfter });
  }
  for (const algorithm of SIGNATURE_OIDS) {
    certs[`sig-${algorithm}`] = forge({ key: ec.publicKey, algorithm });
  }
  for (const [label, pair] of [
    ['rsa', keyPair('rsa')],
    ['rsa-pss', keyPair('rsa-pss')],
    ['ed25519', keyPair('ed25519')],
    ['ed448', keyPair('ed448')],
    ['x25519', keyPair('x25519')],
    ['x448', keyPair('x448')],
    ['dh', keyPair('dh')],
    ['dsa', keyPair('dsa')],
    ['p384', keyPair('ec', 'P-384')],
    ['p521', keyPair('ec', 'P-521')],
    ['secp256k1', keyPair('ec', 'secp256k1')],
    ['secp160r1', keyPair('ec', 'secp160r1')],
    ['brainpoolP512r1', keyPair('ec', 'brainpoolP512r1')],
    ['sect283k1', keyPair('ec', 'sect283k1')],
  ] as const) {
    certs[`key-${label}`] = forge({ key: pair.publicKey });
  }
  return certs;
}

const bc = (ca: boolean, pathLen?: number): Buffer =>
  extension(
    '2.5.29.19',
    seq(...(ca ? [bool(true)] : []), ...(pathLen === undefined ? [] : [int(`0${pathLen}`)])),
    true,
  );
const ku = (byte: number): Buffer =>
  extension('2.5.29.15', tlv(0x03, Buffer.from([0, byte])), true);
const skid = (hex: string): Buffer => extension('2.5.29.14', octets(Buffer.from(hex, 'hex')));
const akid = (keyId?: string, serial?: string): Buffer =>
  extension(
    '2.5.29.35',
    seq(
      ...(keyId === undefined ? [] : [tlv(0x80, Buffer.from(keyId, 'hex'))]),
      ...(serial === undefined ? [] : [tlv(0x82, Buffer.from(serial, 'hex'))]),
    ),
  );

/**
 * Trust anchors, intermediates and leaves, by name, and the `issued()`
 * calls to make of them: `[trusted, subject, ...untrusted]`.
 */
export function chainCertificates(): { certs: Record<string, Buffer>; cases: string[][] } {
  const [root, root2, mid, leaf, rsa] = [
    keyPair('ec'),
    keyPair('ec'),
    keyPair('ec'),
    keyPair('ec'),
    keyPair('rsa'),
  ];
  const CA = [bc(true), ku(0x06)];
  const by = (signer: typeof root, spec: Omit<CertSpec, 'signer'>): Buffer =>
    forge({ signer: signer.privateKey, ...spec });
  const rootCn = cn('Root');
  const asRoot = (spec: Omit<CertSpec, 'signer' | 'key' | 'subject'>): Buffer =>
    by(root, { key: root.publicKey, subject: rootCn, ...spec });
  const leafOf = (signer: typeof root, spec: Omit<CertSpec, 'signer' | 'key'>): Buffer =>
    by(signer, { key: leaf.publicKey, subject: cn('leaf'), issuer: rootCn, ...spec });
  const midOf = (spec: Omit<CertSpec, 'signer' | 'key'>): Buffer =>
    by(root, { key: mid.publicKey, subject: cn('Mid'), issuer: rootCn, ...spec });
  const spaced = name([['2.5.4.3', 0x13, '  ROOT  ']]);
  const certs: Record<string, Buffer> = {
    root: asRoot({ extensions: [...CA, skid('aa')] }),
    'root-no-certsign': asRoot({ extensions: [bc(true), ku(0x80)] }),
    'root-other-key': by(root2, { key: root2.publicKey, subject: rootCn, extensions: [...CA, skid('bb')] }),
    'root-spaced': by(root, { key: root.publicKey, subject: spaced, extensions: [...CA, skid('aa')] }),
    'root-rsa': by(rsa, { key: rsa.publicKey, subject: rootCn, algorithm: '1.2.840.113549.1.1.11', extensions: CA }),
    'root-not-ca': asRoot({ extensions: [bc(false)] }),
    'root-ku-only': asRoot({ extensions: [ku(0x04)] }),
    'root-netscape-ca': asRoot({ extensions: [extension('2.16.840.1.113730.1.1', tlv(0x03, Buffer.from([0, 0x04])))] }),
    'root-plain': asRoot({}),
    'root-bad-notbefore': asRoot({ notBefore: utc('2001010000Z'), extensions: CA }),
    'root-bad-notafter': asRoot({ notAfter: generalized('20990101000000.5Z'), extensions: CA }),
    'root-expired': asRoot({ notAfter: utc('210101000000Z'), extensions: CA }),
    'root-critical': asRoot({ extensions: [...CA, extension('1.2.3.4', seq(), true)] }),
    'root-serial-5': asRoot({ serial: int('05'), extensions: CA }),
    'root-v1': asRoot({ version: 0 }),
    leaf: leafOf(root, { extensions: [akid('aa')] }),
    'leaf-no-akid': leafOf(root, { issuer: cn('root') }),
    'leaf-akid-serial-6': leafOf(root, { extensions: [akid(undefined, '06')] }),
    'leaf-akid-serial-5': leafOf(root, { extensions: [akid(undefined, '05')] }),
    'leaf-critical': leafOf(root, { extensions: [extension('1.2.3.4', seq(), true)] }),
    'leaf-critical-known': leafOf(root, { extensions: [extension('2.5.29.17', seq(tlv(0x82, Buffer.from('x'))), true), extension('2.5.29.37', seq(oid('1.3.6.1.5.5.7.3.1')), true)] }),
    'leaf-future': leafOf(root, { notBefore: generalized('20900101000000Z') }),
    'leaf-no-seconds': leafOf(root, { notAfter: utc('4901010000Z') }),
    'leaf-by-rsa': leafOf(rsa, { algorithm: '1.2.840.113549.1.1.11' }),
    mid: midOf({ extensions: [bc(true, 0), ku(0x06)] }),
    'mid-v1': midOf({ version: 0 }),
    'mid-ku-only': midOf({ extensions: [ku(0x04)] }),
    'mid-expired': midOf({ notAfter: utc('210101000000Z'), extensions: [bc(true)] }),
    'mid-self': by(mid, { key: mid.publicKey, subject: cn('Mid'), extensions: [bc(true)] }),
    'mid-self-7': by(mid, { key: mid.publicKey, subject: cn('Mid'), serial: int('07'), extensions: [bc(true)] }),
    'by-mid': by(mid, { key: leaf.publicKey, subject: cn('by mid'), issuer: cn('Mid') }),
    'self-no-certsign': by(leaf, { key: leaf.publicKey, subject: cn('self'), extensions: [ku(0x80)] }),
    self: by(leaf, { key: leaf.publicKey, subject: cn('self') }),
    'self-bad-signature': forge({ key: leaf.publicKey, subject: cn('self') }),
    'self-rsa-algorithm': forge({ key: leaf.publicKey, subject: cn('self'), algorithm: '1.2.840.113549.1.1.11' }),
  }; // prettier-ignore
  const cases = [
    'root leaf', 'root-no-certsign leaf', 'root-other-key leaf', 'root-spaced leaf',
    'root-spaced leaf-no-akid', 'root leaf-no-akid', 'root-rsa leaf', 'root-rsa leaf-by-rsa',
    'root leaf-by-rsa', 'root-not-ca leaf', 'root-ku-only leaf', 'root-netscape-ca leaf',
    'root-plain leaf', 'root-bad-notbefore leaf', 'root-bad-notafter leaf', 'root-expired leaf',
    'root-critical leaf', 'root leaf-critical', 'root leaf-critical-known',
    'root-serial-5 leaf-akid-serial-6', 'root-serial-5 leaf-akid-serial-5', 'root-v1 leaf',
    'root leaf-future', 'root leaf-no-seconds', 'root by-mid mid', 'root by-mid mid-v1',
    'root by-mid mid-ku-only', 'root by-mid mid-expired', 'root by-mid mid-self',
    'root by-mid mid-expired mid', 'root by-mid mid mid-expired', 'mid by-mid',
    'mid-self by-mid', 'mid-self mid-self', 'mid-self-7 mid-self', 'root by-mid mid-self-7',
    'self-no-certsign self-no-certsign', 'self self', 'self-bad-signature self-bad-signature',
    'self self-bad-signature', 'self-rsa-algorithm self-rsa-algorithm', 'root self', 'root root',
    'root-spaced root', 'root root-spaced', 'root-v1 root-v1', 'root-not-ca root-not-ca',
    'root-critical root-critical', 'root-expired root-expired',
    'root-bad-notbefore root-bad-notbefore', 'leaf leaf', 'root leaf leaf', 'root by-mid by-mid',
  ].map((c) => c.split(' ')); // prettier-ignore
  return { certs, cases };
}
