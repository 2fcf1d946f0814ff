/**
 * compat's Certificate against real LuaSec 1.x on lua5.4: the same
 * certificate files through every method of both (test/lua/x509-dump.lua
 * prints LuaSec's answers as JSON), compared value for value — subject and
 * issuer in both string encodings, serial, times, validat at the validity
 * boundaries, the three digests and an unsupported one, pubkey,
 * extensions, signature names, and issued() over trust stores and chains.
 * The certificates are the openssl CLI's (test/helpers/certs.ts, and one
 * with a rich subject made here) and forged ones for the corners
 * (test/helpers/x509-fixtures.ts).
 */

import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Certificate, loadcertificate } from '../../compat/ssl/x509.js';
import { certificates, hasOpenssl } from '../helpers/certs.js';
import { pem } from '../helpers/forge-cert.js';
import { hasLuaSec, LUA_DIR } from '../helpers/lua.js';
import { chainCertificates, edgeCertificates } from '../helpers/x509-fixtures.js';

/**
 * A compat value as x509-dump.lua writes the Lua one: an array is a JSON
 * array, an array with named fields (an otherName list) an object keyed
 * "1", "2", … and by name, an empty one `{}`, and a null field is absent.
 */
function asLua(v: unknown): unknown {
  if (Array.isArray(v)) {
    const named = Object.keys(v).filter((k) => !/^\d+$/.test(k));
    if (named.length === 0) return v.length === 0 ? {} : v.map(asLua);
    const o: Record<string, unknown> = {};
    v.forEach((x, i) => (o[String(i + 1)] = asLua(x)));
    for (const k of named) o[k] = asLua((v as unknown as Record<string, unknown>)[k]);
    return o;
  }
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) o[k] = asLua(x);
    return o;
  }
  return v;
}

/** Lua's results of a call: trailing nils are not values. */
function results(values: readonly unknown[]): unknown[] {
  const out = values.map((v) => asLua(v));
  while (out.length > 0 && out[out.length - 1] === null) out.pop();
  return out;
}

/** What x509-dump.lua prints for one certificate, from compat's. */
function dump(c: Certificate, times: readonly number[]): Record<string, unknown> {
  const r: Record<string, unknown> = {
    pem: c.pem(),
    subject: asLua(c.subject()),
    issuer: asLua(c.issuer()),
    serial: c.serial(),
    notbefore: c.notbefore(),
    notafter: c.notafter(),
    digest: results(c.digest()),
    sha1: results(c.digest('sha1')),
    sha256: results(c.digest('sha256')),
    sha512: results(c.digest('sha512')),
    md5: results(c.digest('md5')),
    pubkey: results(c.pubkey()),
    extensions: asLua(c.extensions()),
    signature: c.getsignaturename(),
    tostring: String(c),
    validat: times.map((t) => c.validat(t)),
    setencode: [c.setencode('utf8')],
  };
  Object.assign(r, {
    subject8: asLua(c.subject()),
    issuer8: asLua(c.issuer()),
    extensions8: asLua(c.extensions()),
  });
  c.setencode('ai5');
  return r;
}

/** Runs x509-dump.lua: one parsed line per certificate, then one per `issued` case. */
function luaDump(files: readonly string[], times: readonly number[], cases: number[][]): unknown[] {
  const input = cases.map((c) => c.join(' ') + '\n').join('');
  const r = spawnSync('lua5.4', [join(LUA_DIR, 'x509-dump.lua'), times.join(','), ...files], {
    input,
    encoding: 'latin1',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`x509-dump.lua failed: ${r.stderr}`);
  return r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
}

describe.skipIf(!hasLuaSec || !hasOpenssl)('Certificate ⇄ LuaSec', () => {
  const made = hasOpenssl ? certificates() : (undefined as never);
  const dir = mkdtempSync(join(tmpdir(), 'lsa-x509-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes PEM files, returns their paths by name. */
  function files(certs: Record<string, Buffer | string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(certs).map(([name, c]) => {
        const path = join(dir, `${name.replace(/[^\w.-]/g, '_')}.pem`);
        writeFileSync(path, pemText(c), 'latin1');
        return [name, path];
      }),
    );
  }

  /** A certificate with a many-attribute UTF-8 subject and a rich subjectAltName, by the CLI. */
  function richCertificate(): string {
    const out = join(dir, 'rich.pem');
    const r = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'rich.key'),
      '-out', out, '-days', '30', '-utf8', '-set_serial', '0x00ABCDEF0123',
      '-subj', '/C=FR/ST=Île-de-France/L=Paris/O=Exämple/OU=A/OU=B/CN=rich.example' +
        '/emailAddress=a@b.c/serialNumber=1234/DC=example/DC=com/UID=u1/title=T/GN=G/SN=S' +
        '/street=1 Rue/postalCode=75001/jurisdictionC=FR/organizationIdentifier=VATFR-1',
      '-addext', 'subjectAltName=DNS:a.example,IP:10.0.0.1,IP:::1,IP:2001:db8::1,' +
        'email:x@y.z,URI:https://u.example/p,otherName:1.3.6.1.5.5.7.8.5;UTF8:xmpp@example',
    ], { encoding: 'utf8' }); // prettier-ignore
    if (r.status !== 0) throw new Error(r.stderr);
    rmSync(join(dir, 'rich.key'));
    return readFileSync(out, 'latin1');
  }

  it('every method of every certificate answers what LuaSec answers', () => {
    const cli: Record<string, Buffer | string> = {
      ca: made.ca,
      otherCa: made.otherCa,
      server: made.server.cert,
      expired: made.expired.cert,
      other: made.other.cert,
      client: made.client.cert,
      rich: richCertificate(),
    };
    const paths = files({ ...cli, ...edgeCertificates() });
    const names = Object.keys(paths);
    // validat at each CLI certificate's boundaries, a second either side, and fixed points.
    const times = [0, 1, 946684799, 946684800, 4102444800, -62167219200, 253402300799];
    for (const c of Object.values(cli)) {
      const x = new X509Certificate(c);
      for (const d of [x.validFrom, x.validTo]) {
        const t = Date.parse(d) / 1000;
        times.push(t - 1, t, t + 1);
      }
    }
    const lua = luaDump(Object.values(paths), times, []);
    expect(lua).toHaveLength(names.length);
    names.forEach((name, i) => {
      const [cert, err] = loadcertificate(readFileSync(paths[name] as string, 'latin1'));
      expect(err, name).toBeNull();
      expect({ name, ...dump(cert as Certificate, times) }).toEqual({
        name,
        ...(lua[i] as object),
      });
    });
  });

  it('issued() answers what LuaSec answers, reason for reason', () => {
    const { certs, cases } = chainCertificates();
    const cli = {
      ca: made.ca,
      otherCa: made.otherCa,
      server: made.server.cert,
      expired: made.expired.cert,
      other: made.other.cert,
      client: made.client.cert,
    };
    const all: Record<string, Buffer> = { ...certs, ...cli };
    const paths = files(all);
    const names = Object.keys(paths);
    const moreCases = [
      'ca server', 'ca client', 'ca expired', 'ca other', 'otherCa other', 'ca ca', 'ca otherCa',
      'server server', 'server ca', 'otherCa server', 'ca other otherCa', 'expired expired',
      'otherCa server ca', 'ca server other', 'ca client server',
    ].map((c) => c.split(' ')); // prettier-ignore
    const allCases = [...cases, ...moreCases];
    const numbers = allCases.map((c) => c.map((n) => names.indexOf(n) + 1));
    const lua = luaDump(Object.values(paths), [0], numbers).slice(names.length);
    const loaded = Object.fromEntries(
      names.map((n) => [n, Certificate.fromPem(pemText(all[n] as Buffer))]),
    );
    const of = (n: string | undefined): Certificate => loaded[n as string] as Certificate;
    const mine = allCases.map(([trusted, subject, ...chain]) =>
      results(of(trusted).issued(of(subject), ...chain.map(of))),
    );
    const named = (answers: readonly unknown[]): unknown[] =>
      allCases.map((c, i) => [c.join(' '), answers[i]]);
    expect(named(mine)).toEqual(named(lua));
  });

  it('loadcertificate() refuses what LuaSec refuses, and reads what it reads', () => {
    const good = made.server.cert.toString('latin1');
    const texts: Record<string, string> = {
      garbage: 'garbage',
      empty: '',
      'trusted label': good.replaceAll('CERTIFICATE', 'TRUSTED CERTIFICATE'),
      'x509 label': good.replaceAll('CERTIFICATE', 'X509 CERTIFICATE'),
      'one line': good.replaceAll('\n', ''),
      crlf: good.replaceAll('\n', '\r\n'),
      'text around': `Subject: localhost\n${good}trailing text\n`,
      'key first': made.server.key.toString('latin1') + good,
      'key only': made.server.key.toString('latin1'),
      'no end': good.slice(0, good.indexOf('-----END')),
      'bad character': good.replace('M', '*'),
      'cut short': good.slice(0, 200) + '\n-----END CERTIFICATE-----\n',
      'trailing spaces': good.replaceAll('\n', '  \n'),
    };
    const names = Object.keys(texts);
    const paths = names.map((n, i) => {
      const path = join(dir, `text-${i}.txt`);
      writeFileSync(path, texts[n] as string, 'latin1');
      return path;
    });
    const script =
      'local ssl = require("ssl")\n' +
      'for i = 1, #arg do\n' +
      '  local f = assert(io.open(arg[i], "rb")); local text = f:read("a"); f:close()\n' +
      '  local c = ssl.loadcertificate(text)\n' +
      '  print(c and c:digest() or "nil", select("#", ssl.loadcertificate(text)))\n' +
      'end\n';
    const r = spawnSync('lua5.4', ['-', ...paths], { input: script, encoding: 'latin1' });
    expect(r.status, r.stderr).toBe(0);
    const lua = r.stdout.trimEnd().split('\n');
    const mine = names.map((n) => {
      const [cert] = loadcertificate(texts[n] as string);
      return `${cert === null ? 'nil' : (cert.digest()[0] as string)}\t1`;
    });
    expect(names.map((n, i) => [n, mine[i]])).toEqual(names.map((n, i) => [n, lua[i]]));
  });
});

/** A certificate's PEM text, from PEM (the CLI's) or DER (the forged ones). */
function pemText(c: Buffer | string): string {
  if (typeof c === 'string') return c;
  const text = c.toString('latin1');
  return text.startsWith('-----BEGIN') ? text : pem(c);
}
