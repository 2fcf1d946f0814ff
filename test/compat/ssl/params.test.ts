/**
 * LuaSec's parameter checks, pure: each parameter's names and values, the
 * order LuaSec checks them in, and what Node.js cannot do refused by name.
 * (The same tables against real LuaSec: test/interop/compat-ssl-context-luasec.test.ts.)
 */

import { constants } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { OPTION_NAMES, planContext, type SslParams } from '../../../compat/ssl/params.js';

const client: SslParams = { mode: 'client', protocol: 'any' };
const plan = (p: Partial<SslParams>) => planContext({ ...client, ...p });

describe('planContext', () => {
  test('protocols are LuaSec names for one version, or any', () => {
    expect(plan({ protocol: 'tlsv1_2' })).toMatchObject({
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
    });
    expect(plan({ protocol: 'tlsv1_3' })).toMatchObject({ minVersion: 'TLSv1.3' });
    expect(plan({ protocol: 'sslv23' })).toMatchObject({ minVersion: undefined });
    expect(plan({ protocol: 'tlsv9' })).toBe('invalid protocol (tlsv9)');
  });

  test('a missing protocol or mode raises as LuaSec does', () => {
    expect(() => planContext({} as SslParams)).toThrow(
      "bad argument #1 to 'create' (string expected, got nil)",
    );
    expect(() => planContext({ protocol: 'any' } as SslParams)).toThrow(
      "bad argument #2 to 'setmode' (string expected, got nil)",
    );
  });

  test('verify flags: one or several, each checked', () => {
    expect(plan({ verify: ['peer', 'fail_if_no_peer_cert'] })).toMatchObject({
      verifyPeer: true,
      failIfNoPeerCert: true,
    });
    expect(plan({ verify: 'none' })).toMatchObject({ verifyPeer: false });
    expect(plan({ verify: ['peer', 'often'] })).toBe('invalid verify option (often)');
    expect(() => plan({ verify: [true] as never })).toThrow(/bad argument #2 to 'setverify'/);
  });

  test("options are OpenSSL's flags by LuaSec's names, or-ed", () => {
    const p = plan({ options: ['no_sslv3', 'no_ticket', 'single_dh_use'] });
    expect(p).toMatchObject({
      secureOptions: constants.SSL_OP_NO_SSLv3 | constants.SSL_OP_NO_TICKET,
    });
    expect(plan({ options: 'all' })).toMatchObject({ secureOptions: constants.SSL_OP_ALL >>> 0 });
    expect(plan({ options: ['all', 'bogus'] })).toBe('invalid option (bogus)');
    expect(OPTION_NAMES).toContain('no_tlsv1_3');
    expect(OPTION_NAMES).toHaveLength(53);
  });

  test('ALPN by mode: a client offers a name or a list, a server a list or a callback', () => {
    expect(plan({ alpn: 'h2' })).toMatchObject({ alpn: ['h2'] });
    const pick = (): string => 'h2';
    expect(plan({ mode: 'server', alpn: pick })).toMatchObject({ alpn: pick });
    expect(plan({ mode: 'server', alpn: 'h2' })).toBe('invalid ALPN parameter');
    expect(plan({ alpn: pick })).toBe('invalid ALPN parameter');
    expect(plan({ alpn: [] })).toBe('invalid ALPN list (empty)');
    expect(plan({ alpn: ['h2', ''] })).toBe('invalid ALPN name (empty string)');
    expect(plan({ alpn: ['é'.repeat(128)] })).toBe('invalid ALPN name (length > 255)');
  });

  test('the first failure in LuaSec order wins', () => {
    expect(plan({ protocol: 'tlsv9', verify: 'often' })).toBe('invalid protocol (tlsv9)');
    expect(plan({ verify: 'often', options: 'bogus' })).toBe('invalid verify option (often)');
    expect(plan({ key: 'k.pem', password: 5 as never, verify: 'often' })).toBe(
      'invalid password type',
    );
  });

  test('what Node.js cannot do is refused by name', () => {
    expect(plan({ depth: 4 })).toMatch(/^depth: not supported by Node\.js/);
    expect(plan({ dhparam: () => '' })).toMatch(/^dhparam: not supported by Node\.js/);
    expect(plan({ dane: true })).toMatch(/^dane: not supported by Node\.js/);
    expect(plan({ verifyext: 'lsec_ignore_purpose' })).toMatch(/not supported by Node\.js/);
    expect(plan({ verifyext: 'lsec_continue' })).toMatchObject({ continueOnError: true });
  });

  test('certificates: one pair from the top level, or the list', () => {
    expect(plan({ key: 'k', certificate: 'c', password: 'pw' })).toMatchObject({
      certificates: [{ key: 'k', certificate: 'c', password: 'pw' }],
    });
    const list = [
      { key: 'a.key', certificate: 'a.pem' },
      { key: 'b.key', certificate: 'b.pem' },
    ];
    expect(plan({ key: 'ignored', certificates: list })).toMatchObject({ certificates: list });
  });
});
