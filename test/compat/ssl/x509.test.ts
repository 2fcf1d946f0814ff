/**
 * compat's X509 certificate object, method by method, with the values real
 * LuaSec 1.2.0 gives for the same certificates (the interop test,
 * test/interop/ssl-x509-luasec.test.ts, compares the two directly):
 * certificates made by the openssl CLI for this file, and forged ones for
 * the corners (test/helpers/x509-fixtures.ts).
 */

import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Certificate, loadcertificate } from '../../../compat/ssl/x509.js';
import { certificates, hasOpenssl } from '../../helpers/certs.js';
import { cn, forge, keyPair, pem } from '../../helpers/forge-cert.js';
import { edgeCertificates, IPV6 } from '../../helpers/x509-fixtures.js';

const edge = edgeCertificates();
const forged = (name: string): Certificate => Certificate.fromDer(edge[name] as Buffer);
const SAN = '2.5.29.17';

describe.skipIf(!hasOpenssl)('Certificate over the CLI’s certificates', () => {
  const made = hasOpenssl ? certificates() : (undefined as never);
  const load = (pemBytes: Buffer): Certificate => {
    const [cert, err] = loadcertificate(pemBytes.toString('latin1'));
    if (cert === null) throw new Error(err);
    return cert;
  };
  const node = (pemBytes: Buffer): X509Certificate => new X509Certificate(pemBytes);

  it('pem() gives the PEM back as OpenSSL writes it', () => {
    expect(load(made.server.cert).pem()).toBe(made.server.cert.toString('latin1'));
    expect(Certificate.fromPem(made.server.cert).pem()).toBe(made.server.cert.toString('latin1'));
  });

  it('subject() and issuer() list { oid, name, value } entries', () => {
    const server = load(made.server.cert);
    expect(server.subject()).toEqual([{ oid: '2.5.4.3', name: 'commonName', value: 'localhost' }]);
    expect(server.issuer()).toEqual([{ oid: '2.5.4.3', name: 'commonName', value: 'ca' }]);
    expect(load(made.client.cert).subject()[0]?.value).toBe('client');
  });

  it('serial(), notbefore() and notafter() print as OpenSSL prints them', () => {
    for (const pemBytes of [made.ca, made.server.cert, made.expired.cert]) {
      const cert = load(pemBytes);
      expect(cert.serial()).toBe(node(pemBytes).serialNumber);
      expect(cert.notbefore()).toBe(node(pemBytes).validFrom);
      expect(cert.notafter()).toBe(node(pemBytes).validTo);
      expect(cert.notafter()).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT$/);
    }
  });

  it('validat(t) holds from notBefore to notAfter, both included', () => {
    const cert = load(made.server.cert);
    const from = Date.parse(node(made.server.cert).validFrom) / 1000;
    const to = Date.parse(node(made.server.cert).validTo) / 1000;
    expect([from - 1, from, to, to + 1].map((t) => cert.validat(t))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(cert.validat(String(from))).toBe(true); // a numeric string, as Lua converts it
    const expired = load(made.expired.cert);
    expect(expired.validat(Math.floor(Date.now() / 1000))).toBe(false);
  });

  it('digest() is the DER fingerprint in lowercase hex, sha1 by default', () => {
    const cert = load(made.server.cert);
    const x = node(made.server.cert);
    const hex = (f: string): string => f.replaceAll(':', '').toLowerCase();
    expect(cert.digest()).toEqual([hex(x.fingerprint), null]);
    expect(cert.digest(null)).toEqual([hex(x.fingerprint), null]);
    expect(cert.digest('sha1')).toEqual([hex(x.fingerprint), null]);
    expect(cert.digest('sha256')).toEqual([hex(x.fingerprint256), null]);
    expect(cert.digest('sha512')).toEqual([hex(x.fingerprint512), null]);
  });

  it('digest() answers LuaSec’s error for other names, and raises for other types', () => {
    const cert = load(made.server.cert);
    expect(cert.digest('md5')).toEqual([null, 'digest algorithm not supported (md5)']);
    expect(cert.digest('SHA1')).toEqual([null, 'digest algorithm not supported (SHA1)']);
    expect(cert.digest(5)).toEqual([null, 'digest algorithm not supported (5)']);
    expect(() => cert.digest({} as unknown as string)).toThrow(
      new TypeError("bad argument #1 to 'digest' (string expected, got table)"),
    );
  });

  it('pubkey() gives the SPKI PEM, the type and the bits', () => {
    const cert = load(made.server.cert);
    const spki = node(made.server.cert).publicKey.export({ type: 'spki', format: 'pem' });
    expect(cert.pubkey()).toEqual([spki, 'EC', 256]);
  });

  it('extensions() gives the subjectAltName table, ::1 as inet_ntop writes it', () => {
    expect(load(made.server.cert).extensions()).toEqual({
      [SAN]: {
        name: 'X509v3 Subject Alternative Name',
        dNSName: ['localhost'],
        iPAddress: ['127.0.0.1', '::1'],
      },
    });
    expect(load(made.client.cert).extensions()).toEqual({});
  });

  it('getsignaturename() and toString()', () => {
    const cert = load(made.server.cert);
    expect(cert.getsignaturename()).toBe('ecdsa-with-SHA256');
    expect(String(cert)).toBe('X509 certificate');
  });

  it('issued() is [true, null], or [null, OpenSSL’s reason]', () => {
    const [ca, otherCa, server, expired, other] = [
      made.ca,
      made.otherCa,
      made.server.cert,
      made.expired.cert,
      made.other.cert,
    ].map(load) as [Certificate, Certificate, Certificate, Certificate, Certificate];
    expect(ca.issued(server)).toEqual([true, null]);
    expect(ca.issued(ca)).toEqual([true, null]);
    expect(otherCa.issued(other)).toEqual([true, null]);
    expect(ca.issued(other)).toEqual([null, 'unable to get local issuer certificate']);
    expect(ca.issued(expired)).toEqual([null, 'certificate has expired']);
    expect(ca.issued(otherCa)).toEqual([null, 'self-signed certificate']);
    expect(server.issued(server)).toEqual([null, 'unable to get local issuer certificate']);
    // Extra certificates are untrusted intermediates: the trusted one must still be reached.
    expect(otherCa.issued(server, ca)).toEqual([
      null,
      'self-signed certificate in certificate chain',
    ]);
  });

  it('issued() raises for what is not a certificate, numbering the arguments as Lua', () => {
    const ca = load(made.ca);
    const issued = ca.issued.bind(ca) as (...args: unknown[]) => unknown;
    expect(() => issued()).toThrow(
      new TypeError("bad argument #1 to 'issued' (SSL:Certificate expected, got no value)"),
    );
    expect(() => issued(ca, 5)).toThrow(
      new TypeError("bad argument #2 to 'issued' (SSL:Certificate expected, got number)"),
    );
    expect(() => issued(ca, null, ca)).toThrow(
      new TypeError("bad argument #2 to 'issued' (SSL:Certificate expected, got nil)"),
    );
  });

  it('loadcertificate() reads the first CERTIFICATE block, and raises for a non-string', () => {
    const text = made.server.cert.toString('latin1');
    const digest = load(made.server.cert).digest()[0];
    for (const variant of [
      `Subject: localhost\n${text}trailing\n`,
      made.server.key.toString('latin1') + text,
      text.replaceAll('\n', '\r\n'),
      text.replaceAll('CERTIFICATE', 'X509 CERTIFICATE'),
    ]) {
      expect(loadcertificate(variant)[0]?.digest()[0]).toBe(digest);
    }
    expect(() => loadcertificate(undefined as unknown as string)).toThrow(
      new TypeError("bad argument #1 to 'loadcertificate' (string expected, got no value)"),
    );
  });

  it('loadcertificate() fails where LuaSec returns nil, with OpenSSL’s reason', () => {
    const text = made.server.cert.toString('latin1');
    expect(loadcertificate('garbage')).toEqual([null, 'no start line']);
    expect(loadcertificate(12)).toEqual([null, 'no start line']);
    expect(loadcertificate(text.replaceAll('\n', ''))).toEqual([null, 'no start line']);
    expect(loadcertificate(text.replaceAll('CERTIFICATE', 'TRUSTED CERTIFICATE'))).toEqual([
      null,
      'no start line',
    ]);
    expect(loadcertificate(text.slice(0, text.indexOf('-----END')))).toEqual([
      null,
      'bad end line',
    ]);
    expect(loadcertificate(text.replace(/\n.{10}/, '\n='))).toEqual([null, 'bad base64 decode']);
    const cut = `${text.slice(0, 92)}\n-----END CERTIFICATE-----\n`;
    expect(loadcertificate(cut)).toEqual([null, 'nested asn1 error']);
  });

  it('raw is a copy of the DER', () => {
    const cert = load(made.server.cert);
    const raw = cert.raw;
    expect(raw).toEqual(node(made.server.cert).raw);
    raw.fill(0);
    expect(cert.raw).toEqual(node(made.server.cert).raw);
  });
});

describe('Certificate over forged certificates', () => {
  it('subject() keeps each string’s bytes (ai5), or converts it to UTF-8 after setencode("utf8")', () => {
    const cert = forged('names');
    const values = (): (string | null)[] => cert.subject().map((f) => f.value);
    const bytes = (s: string): string => Buffer.from(s).toString('latin1');
    const bmp = (s: string): string => Buffer.from(s, 'utf16le').swap16().toString('latin1');
    expect(cert.subject().map((f) => f.name)).toEqual([
      'countryName', 'organizationName', 'organizationalUnitName', 'commonName', 'localityName',
      'stateOrProvinceName', 'emailAddress', '1.2.3.4.5', 'description', 'givenName',
      'postalCode', 'generationQualifier', 'initials', 'dnQualifier',
    ]); // prettier-ignore
    expect(values()).toEqual([
      'FR', bytes('Société €'), bmp('Ünït ☃'), 'multi', 'P\xe9r',
      Buffer.from('\0\0\0Z\0\0\0\xfc\0\0\0r\0\0\0i\0\0\0c\0\0\0h\0\0\0 \0\x01\xf6\x00', 'latin1').toString('latin1'),
      'a@b.c', 'unknown oid', 'other tag', 'AB', '75001', '0\x03\x0c\x01A', '', 'ber segments',
    ]); // prettier-ignore
    expect(cert.setencode('utf8')).toBe(true);
    // BMP, Universal and T61 strings become UTF-8; types with no text give nil.
    expect(values()).toEqual([
      'FR', bytes('Société €'), bytes('Ünït ☃'), 'multi', bytes('Pér'), bytes('Zürich 😀'),
      'a@b.c', 'unknown oid', null, null, '75001', null, '', 'ber segments',
    ]); // prettier-ignore
  });

  it('an { encoding: "utf8" } certificate gives its strings as text', () => {
    const cert = Certificate.fromDer(edge.names as Buffer, { encoding: 'utf8' });
    cert.setencode('utf8');
    expect(cert.subject().map((f) => f.value)).toContain('Zürich 😀');
    expect(cert.subject().map((f) => f.value)).toContain('Société €');
  });

  it('setencode() looks at the start of its argument only, as LuaSec', () => {
    const cert = forged('names');
    expect([cert.setencode('utf8-please'), cert.setencode('ai5x'), cert.setencode('UTF8')]).toEqual(
      [true, true, false],
    );
    expect(cert.setencode(5)).toBe(false);
    expect(() => cert.setencode(undefined as unknown as string)).toThrow(
      new TypeError("bad argument #1 to 'setencode' (string expected, got no value)"),
    );
  });

  it('extensions(): every IPv6 address as glibc’s inet_ntop writes it', () => {
    const ips = forged('san').extensions()[SAN]?.iPAddress;
    // An address of another length than 4 or 16 bytes is left out, as LuaSec's nil.
    expect(ips).toEqual(['10.1.2.3', ...IPV6.map(([, text]) => text)]);
  });

  it('extensions(): names by kind, otherNames by OID with their name', () => {
    const table = forged('san').extensions()[SAN];
    expect(table).toMatchObject({
      name: 'X509v3 Subject Alternative Name',
      dNSName: ['dns.example', 'd\xe9'],
      rfc822Name: ['mail@example'],
      uniformResourceIdentifier: ['https://x.example/'],
    });
    const xmpp = table?.['1.3.6.1.5.5.7.8.5'];
    expect([...(xmpp as string[])]).toEqual(['xmpp@example', 'second@example']);
    expect((xmpp as { name: string }).name).toBe('XmppAddr');
    expect((table?.['1.3.6.1.4.1.311.20.2.3'] as { name: string }).name).toBe(
      'Microsoft User Principal Name',
    );
    // A SEQUENCE or a value of another class stays whole; a BER string is joined.
    expect([...(table?.['1.2.3.6'] as string[])]).toEqual(['0\x07\x0c\x05inner']);
    expect([...(table?.['1.2.3.9'] as string[])]).toEqual(['\x80\x07context']);
    expect([...(table?.['1.2.3.10'] as string[])]).toEqual(['ber!']);
  });

  it('extensions(): LuaSec’s loop skips the extension after each subjectAltName, and stops at a broken one', () => {
    const dns = (n: string): string[] | undefined => forged(n).extensions()[SAN]?.dNSName;
    expect(dns('san-two')).toEqual(['one', 'two']);
    expect(dns('san-adjacent')).toEqual(['read']);
    expect(dns('san-skipped-broken')).toEqual(['kept', 'after']);
    expect(dns('san-broken')).toEqual(['kept']);
    expect(forged('san-empty').extensions()).toEqual({
      [SAN]: { name: 'X509v3 Subject Alternative Name' },
    });
  });

  it('serial() is BN_bn2hex: whole bytes, uppercase, negative with a minus', () => {
    expect(
      ['negative', 'minus128', 'zero', 'long', 'negative-long'].map((n) =>
        forged(`serial-${n}`).serial(),
      ),
    ).toEqual(['-81', '-80', '0', 'F1' + 'AB'.repeat(18), '-01FFFFFFFFFFFF']);
  });

  it('notbefore()/notafter() print every time form as OpenSSL 3 does', () => {
    const times = (n: string): string[] => [forged(n).notbefore(), forged(n).notafter()];
    expect(times('time-generalized')).toEqual(['Jan  1 00:00:00 1970 GMT', 'Dec 31 23:59:59 2099 GMT']);
    expect(times('time-fraction')).toEqual(['Jan  1 00:00:00.123 2020 GMT', 'Jan  1 00:00:00.5 2050 GMT']);
    expect(times('time-no-seconds')).toEqual(['Jan  1 00:00:00 2020 GMT', 'Jan  1 00:00:00 2030 GMT']);
    expect(times('time-offset')).toEqual(['Dec 31 22:30:00 2019 GMT', 'Jan  1 02:00:00 2030 GMT']);
    expect(times('time-bad')).toEqual(['Bad time value', 'Bad time value']);
    expect(times('time-leap')).toEqual(['Feb 29 12:00:00 2020 GMT', 'Feb 28 00:00:00 2100 GMT']);
    expect(times('time-not-leap')).toEqual(['Bad time value', 'Dec 31 23:59:59 9999 GMT']);
    expect(times('time-year-0')).toEqual(['Jan  1 00:00:00 0 GMT', 'Dec 31 23:59:59 9999 GMT']);
  }); // prettier-ignore

  it('validat() compares only RFC 5280 times, within the years 0 to 9999', () => {
    const generalized = forged('time-generalized');
    expect([-1, 0, 4102444799, 4102444800].map((t) => generalized.validat(t))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    // No seconds, fractions or offsets: X509_cmp_time cannot compare them.
    for (const n of ['time-no-seconds', 'time-fraction', 'time-offset', 'time-bad']) {
      expect(forged(n).validat(1700000000), n).toBe(false);
    }
    const wide = forged('time-year-0');
    expect([-62167219200, -62167219199, 253402300799].map((t) => wide.validat(t))).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('validat() raises for what is not an integer, as luaL_checkinteger', () => {
    const cert = forged('v1');
    const message = (why: string): TypeError =>
      new TypeError(`bad argument #1 to 'validat' (${why})`);
    expect(() => cert.validat(1.5)).toThrow(message('number has no integer representation'));
    expect(() => cert.validat(2 ** 63)).toThrow(message('number has no integer representation'));
    expect(() => cert.validat('x')).toThrow(message('number expected, got string'));
    expect(() => cert.validat(undefined as unknown as number)).toThrow(
      message('number expected, got no value'),
    );
  });

  it('getsignaturename() is OpenSSL’s short name, UNDEF for an unknown algorithm', () => {
    const names: Record<string, string> = {
      '1.2.840.113549.1.1.5': 'RSA-SHA1',
      '1.2.840.113549.1.1.10': 'RSASSA-PSS',
      '1.2.840.113549.1.1.11': 'RSA-SHA256',
      '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
      '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
      '1.3.101.112': 'ED25519',
      '1.2.3.4.5.6': 'UNDEF',
    };
    for (const [oid, name] of Object.entries(names)) {
      expect(forged(`sig-${oid}`).getsignaturename(), oid).toBe(name);
    }
  });

  it('pubkey(): the types LuaSec names, and EVP_PKEY_bits', () => {
    const keys = {
      rsa: ['RSA', 2048], 'rsa-pss': ['Unknown', 2048], ed25519: ['Unknown', 256],
      ed448: ['Unknown', 456], x25519: ['Unknown', 253], dh: ['DH', 2048], dsa: ['DSA', 2048],
      p521: ['EC', 521], secp160r1: ['EC', 161], sect283k1: ['EC', 281],
    }; // prettier-ignore
    for (const [kind, [type, bits]] of Object.entries(keys)) {
      const [keyPem, t, b] = forged(`key-${kind}`).pubkey();
      expect([t, b], kind).toEqual([type, bits]);
      expect(keyPem, kind).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    }
  });

  it('fromDer() ignores bytes after the certificate; fromPem()/fromDer() raise for what is none', () => {
    const der = edge.v1 as Buffer;
    const padded = Certificate.fromDer(Buffer.concat([der, Buffer.from('junk')]));
    expect(padded.raw).toEqual(der);
    expect(() => Certificate.fromDer(Buffer.from('junk'))).toThrow(TypeError);
    expect(() => Certificate.fromPem('junk')).toThrow(
      new TypeError('Expected a PEM certificate: no start line'),
    );
  });

  it('a name OpenSSL refuses to load is refused, as LuaSec returns nil', () => {
    const key = keyPair('ec').publicKey;
    const badUtf8 = forge({
      key,
      subject: Buffer.from('300f310d300b06035504030c04c328c328', 'hex'),
    });
    expect(loadcertificate(pem(badUtf8))).toEqual([null, 'nested asn1 error']);
    expect(Certificate.fromDer(forge({ key, subject: cn('fine') })).subject()[0]?.value).toBe(
      'fine',
    );
  });
});
