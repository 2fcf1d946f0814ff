/**
 * cipherInfo against what LuaSec's `conn:info()` reads out of OpenSSL's
 * `SSL_CIPHER_description`: the examples LuaSec gives on real connections,
 * and, where the openssl CLI exists, every cipher `openssl ciphers -v`
 * lists that cipherInfo claims to know, field for field.
 */

import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cipherInfo } from '../../../compat/ssl/cipher-info.js';
import { hasOpenssl } from '../../helpers/certs.js';

const TLS13_SUITES = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_128_CCM_SHA256',
  'TLS_AES_128_CCM_8_SHA256',
];

/** The TLS 1.2 families every build has: (EC)DHE and RSA, RSA and ECDSA, AES and ChaCha20. */
const FAMILIES = [
  ...['ECDHE-ECDSA-', 'ECDHE-RSA-', 'DHE-RSA-', ''].flatMap((kx) => [
    `${kx}AES128-GCM-SHA256`,
    `${kx}AES256-GCM-SHA384`,
    `${kx}AES128-SHA`,
    `${kx}AES256-SHA`,
    `${kx}AES128-SHA256`,
  ]),
  'ECDHE-ECDSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA384',
  'DHE-RSA-AES256-SHA256',
  'AES256-SHA256',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-CHACHA20-POLY1305',
];

/** `openssl ciphers -v` for every cipher and suite this build has, split as LuaSec splits it. */
function opensslCiphers(): { name: string; fields: string[] }[] {
  const r = spawnSync(
    'openssl',
    ['ciphers', '-v', '-ciphersuites', TLS13_SUITES.join(':'), 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'],
    { encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => {
      // ssl.lua's own pattern over the description.
      const m = /^(\S+)\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)\s+Enc=(\S+)\s+Mac=(\S+)/.exec(line);
      if (m === null) throw new Error(`unexpected line: ${line}`);
      return { name: m[1] as string, fields: m.slice(2) };
    });
}

describe('cipherInfo', () => {
  it('gives the table LuaSec gives for a TLS 1.3 connection', () => {
    expect(cipherInfo('TLS_AES_256_GCM_SHA384', 'TLSv1.3')).toEqual({
      cipher: 'TLS_AES_256_GCM_SHA384',
      protocol: 'TLSv1.3',
      key: 'any',
      authentication: 'any',
      encryption: 'AESGCM(256)',
      mac: 'AEAD',
      bits: 256,
      algbits: 256,
      export: false,
    });
  });

  it('gives the table LuaSec gives for TLS 1.2 connections', () => {
    expect(cipherInfo('ECDHE-ECDSA-AES256-GCM-SHA384', 'TLSv1.2')).toEqual({
      cipher: 'ECDHE-ECDSA-AES256-GCM-SHA384',
      protocol: 'TLSv1.2',
      key: 'ECDH',
      authentication: 'ECDSA',
      encryption: 'AESGCM(256)',
      mac: 'AEAD',
      bits: 256,
      algbits: 256,
      export: false,
    });
    expect(cipherInfo('ECDHE-RSA-AES128-SHA256', 'TLSv1.2')).toMatchObject({
      key: 'ECDH',
      authentication: 'RSA',
      encryption: 'AES(128)',
      mac: 'SHA256',
      bits: 128,
    });
  });

  it('takes the connection’s protocol over the cipher’s own, as ssl.lua does', () => {
    expect(cipherInfo('AES256-SHA', 'TLSv1.2').protocol).toBe('TLSv1.2');
    expect(cipherInfo('AES256-SHA', null).protocol).toBe('SSLv3');
    expect(cipherInfo('ECDHE-RSA-AES128-SHA', null).protocol).toBe('TLSv1');
  });

  it('fills only cipher, protocol and export for a name it does not know', () => {
    expect(cipherInfo('GOST2012-GOST8912-GOST8912', 'TLSv1.2')).toEqual({
      cipher: 'GOST2012-GOST8912-GOST8912',
      protocol: 'TLSv1.2',
      export: false,
    });
    expect(cipherInfo('ECDHE-AES128-SHA', null)).toEqual({
      cipher: 'ECDHE-AES128-SHA',
      export: false,
    });
  });

  it('never throws, keeps the name and sets no compression, for any string', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: null }), (name, protocol) => {
        const info = cipherInfo(name, protocol);
        expect(info.cipher).toBe(name);
        expect(info.export).toBe(false);
        expect('compression' in info).toBe(false);
        if (protocol !== null) expect(info.protocol).toBe(protocol);
      }),
    );
  });

  it.skipIf(!hasOpenssl)(
    'matches `openssl ciphers -v` for every cipher it knows, and knows the common families',
    () => {
      const listed = opensslCiphers();
      const known = listed.filter(({ name }) => cipherInfo(name, null).key !== undefined);
      for (const { name, fields } of known) {
        const i = cipherInfo(name, null);
        const bits = /\((\d+)\)$/.exec(fields[3] as string)?.[1] ?? '0';
        expect(
          [i.protocol, i.key, i.authentication, i.encryption, i.mac, i.bits, i.algbits],
          name,
        ).toEqual([...fields, Number(bits), Number(bits)]);
      }
      const knownNames = known.map((c) => c.name);
      const required = [...TLS13_SUITES, ...FAMILIES].filter((n) =>
        listed.some((c) => c.name === n),
      );
      expect(required.length).toBeGreaterThan(20);
      expect(knownNames).toEqual(expect.arrayContaining(required));
    },
  );
});
