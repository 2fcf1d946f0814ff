/**
 * compat's `ssl.newcontext` and `ssl.wrap` against real LuaSec's: the same
 * parameter tables given to both, their answers compared — a context, or
 * LuaSec's error string, or the error LuaSec raises. Where OpenSSL 3 leaves
 * LuaSec's reason empty (`'error loading private key ((null))'`) compat
 * gives the reason, so those compare up to the parenthesis.
 */

import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import socket from '../../compat/index.js';
import ssl, { type SslParams } from '../../compat/ssl/index.js';
import type { TcpObject } from '../../compat/tcp.js';
import { certificates, hasOpenssl } from '../helpers/certs.js';
import { hasLuaSec } from '../helpers/lua.js';

/** A JS value as a Lua literal: strings, numbers, booleans, arrays and plain tables. */
function lua(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `{${v.map(lua).join(', ')}}`;
  const entries = Object.entries(v as Record<string, unknown>);
  return `{${entries.map(([k, x]) => `[${JSON.stringify(k)}] = ${lua(x)}`).join(', ')}}`;
}

/** What one side answered: `'context'`, `'nil <err>'`, or `'raise <message>'`. */
type Answer = string;

/** LuaSec's answers to every case, from one lua5.4 run. */
function luasec(cases: readonly SslParams[]): Answer[] {
  const chunk = `
    local ssl = require('ssl')
    for _, params in ipairs(${lua(cases)}) do
      local ok, ctx, err = pcall(ssl.newcontext, params)
      if not ok then print('raise ' .. tostring(ctx):gsub('^[^:]*:%d+: ', ''))
      elseif ctx then print('context') else print('nil ' .. tostring(err)) end
    end`;
  const r = spawnSync('lua5.4', ['-e', chunk], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trimEnd().split('\n');
}

function compat(params: SslParams): Answer {
  try {
    const [ctx, err] = ssl.newcontext(params);
    return ctx !== null ? 'context' : `nil ${err}`;
  } catch (e) {
    return `raise ${(e as Error).message}`;
  }
}

/** The part both must agree on: the whole answer, or up to the reason OpenSSL 3 leaves empty in LuaSec. */
function comparable(answer: Answer): Answer {
  return answer.replace(
    /^(nil error (?:loading (?:private key|certificate|CA locations)|setting cipher list)) \(.*\)$/,
    '$1',
  );
}

describe.skipIf(!hasLuaSec || !hasOpenssl)('ssl.newcontext ⇄ LuaSec', () => {
  const certs = hasOpenssl ? certificates() : (undefined as never);
  const client = { mode: 'client', protocol: 'any' };
  const server = {
    mode: 'server',
    protocol: 'any',
    key: certs.server.keyFile,
    certificate: certs.server.certFile,
  };
  const cases: SslParams[] = [
    client,
    server,
    { ...client, protocol: 'tlsv1_2', cafile: certs.caFile, verify: 'peer', options: 'all' },
    {
      ...client,
      protocol: 'tlsv1_3',
      verify: ['peer', 'fail_if_no_peer_cert'],
      options: ['all', 'no_sslv3', 'no_ticket'],
    },
    {} as SslParams,
    { protocol: 'any' } as SslParams,
    { ...client, protocol: 'tlsv9' },
    { ...client, protocol: 5 as never },
    { ...server, key: '/nonexistent.key' },
    { ...server, certificate: '/nonexistent.pem' },
    { ...server, key: certs.other.keyFile },
    { ...client, cafile: '/nonexistent.pem' },
    { ...client, verify: 'sometimes' },
    { ...client, verify: ['peer', 'often'] },
    { ...client, options: 'nonsense' },
    { ...client, options: ['all', 'no_tlsv1', 'bogus'] },
    { ...client, ciphers: 'NOPE' },
    { ...client, ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' },
    { ...client, ciphersuites: 'TLS_AES_128_GCM_SHA256' },
    { ...client, curve: 'nocurve' },
    { ...client, curve: 'P-256' },
    { ...client, curveslist: 'X25519:P-256' },
    { ...client, alpn: '' },
    { ...client, alpn: [] },
    { ...client, alpn: 5 as never },
    { ...client, alpn: 'x'.repeat(256) },
    { ...client, alpn: ['h2', 'http/1.1'] },
    { ...server, alpn: ['h2', 'http/1.1'] },
    { ...server, alpn: 'h2' },
    { ...server, password: 5 as never },
  ];

  test('every case answers as LuaSec does', () => {
    const theirs = luasec(cases);
    expect(cases.map(compat).map(comparable)).toEqual(theirs.map(comparable));
  });

  test('compat gives the reason OpenSSL 3 leaves empty in LuaSec', () => {
    expect(compat({ ...server, key: '/nonexistent.key' })).toBe(
      'nil error loading private key (No such file or directory)',
    );
    expect(compat({ ...server, key: certs.other.keyFile })).toBe(
      'nil private key does not match public key',
    );
  });

  test('what Node.js cannot do is refused by name, never ignored', () => {
    expect(compat({ ...client, depth: 3 })).toMatch(/^nil depth: not supported by Node\.js/);
    expect(compat({ ...client, dhparam: () => '' })).toMatch(/^nil dhparam: not supported/);
    expect(compat({ ...client, dane: true })).toMatch(/^nil dane: not supported/);
    expect(compat({ ...client, verifyext: 'lsec_ignore_purpose' })).toMatch(/not supported/);
  });

  test("an unknown mode makes a context, and wrap refuses it: 'invalid mode'", async () => {
    const params = { mode: 'both', protocol: 'any' };
    expect(luasec([params])).toEqual(['context']);
    expect(compat(params)).toBe('context');
    const [master] = socket.tcp();
    await master!.bind('127.0.0.1', 0);
    await master!.listen();
    const [, port] = master!.getsockname() as [string, number, string];
    const [tcp] = await socket.connect('127.0.0.1', port);
    expect(ssl.wrap(tcp as TcpObject, params)).toEqual([null, 'invalid mode']);
    const r = spawnSync(
      'lua5.4',
      [
        '-e',
        `local socket, ssl = require('socket'), require('ssl')
         local s = socket.bind('127.0.0.1', 0); local _, p = s:getsockname()
         local c = socket.connect('127.0.0.1', p)
         print(ssl.wrap(c, ${lua(params)}))`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stdout.trim()).toBe('nil\tinvalid mode');
    tcp!.close();
    master!.close();
  });
});
