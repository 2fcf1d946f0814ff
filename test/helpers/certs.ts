/**
 * Throwaway certificates, made with the openssl CLI when a test file loads
 * and removed after it: two CAs, a server leaf for localhost / 127.0.0.1 /
 * ::1, the same leaf expired, a leaf of the other CA, and a client
 * certificate. No key is ever committed. Under CI=true a missing openssl is
 * a failure, not a skip.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A certificate and its key: PEM bytes, and the files they are in (LuaSec takes paths). */
export interface Pair {
  cert: Buffer;
  key: Buffer;
  certFile: string;
  keyFile: string;
}

/** What {@link certificates} makes. */
export interface Certs {
  /** The CA everything but `other` is signed by. */
  ca: Buffer;
  caFile: string;
  /** A second CA, that nobody trusts. */
  otherCa: Buffer;
  /** The server: CN localhost, names localhost, 127.0.0.1 and ::1. */
  server: Pair;
  /** The same names, expired yesterday. */
  expired: Pair;
  /** The same names, signed by the other CA. */
  other: Pair;
  /** A client certificate (CN client), for servers that ask for one. */
  client: Pair;
}

function probe(): boolean {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
}

/** True when the openssl CLI can run here. */
export const hasOpenssl: boolean = probe();

if (!hasOpenssl) {
  if (process.env.CI === 'true') {
    throw new Error('CI=true but the openssl CLI is not installed: TLS tests must run in CI');
  }
  console.warn('[tls] openssl not found: TLS tests are skipped (apt-get install -y openssl)');
}

function openssl(dir: string, args: readonly string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

const SERVER_EXT = [
  'basicConstraints=CA:FALSE',
  'keyUsage=critical,digitalSignature,keyEncipherment',
  'extendedKeyUsage=serverAuth',
  'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
].join('\n');
const CLIENT_EXT = [
  'basicConstraints=CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'extendedKeyUsage=clientAuth',
].join('\n');

function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', `/CN=${name}`, '-days', '30',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]); // prettier-ignore
}

function makeLeaf(
  dir: string,
  name: string,
  cn: string,
  ca: string,
  ext: string,
  days: number,
): Pair {
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, [
    'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`,
  ]); // prettier-ignore
  // -days -1 makes a certificate whose validity ended before it began: expired.
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`,
    '-CAcreateserial', '-out', `${name}.pem`, '-days', String(days), '-extfile', `${name}.ext`,
  ]); // prettier-ignore
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  return { cert: readFileSync(certFile), key: readFileSync(keyFile), certFile, keyFile };
}

/**
 * In the calling test file: fresh certificates, removed after the file's
 * tests. Call it at the top of the file, only where {@link hasOpenssl}.
 */
export function certificates(): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'luasocket-async-certs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  return {
    ca: readFileSync(join(dir, 'ca.pem')),
    caFile: join(dir, 'ca.pem'),
    otherCa: readFileSync(join(dir, 'other-ca.pem')),
    server: makeLeaf(dir, 'server', 'localhost', 'ca', SERVER_EXT, 30),
    expired: makeLeaf(dir, 'expired', 'localhost', 'ca', SERVER_EXT, -1),
    other: makeLeaf(dir, 'other', 'localhost', 'other-ca', SERVER_EXT, 30),
    client: makeLeaf(dir, 'client', 'client', 'ca', CLIENT_EXT, 30),
  };
}
