/**
 * Throwaway certificates made with the openssl CLI, for whatever needs them
 * outside a test file too (the TLS bench): two CAs, a server leaf for
 * localhost / 127.0.0.1 / ::1, the same leaf expired, a leaf of the other
 * CA, and a client certificate, in a directory that `remove()` deletes. No
 * key is ever committed. Imports no test runner.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its key: PEM bytes, and the files they are in (LuaSec takes paths). */
export interface Pair {
  cert: Buffer;
  key: Buffer;
  certFile: string;
  keyFile: string;
}

/** What {@link makeCerts} makes. */
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

/** {@link Certs}, where they are, and how to delete them. */
export interface MadeCerts {
  certs: Certs;
  /** The directory holding every PEM and key file. */
  dir: string;
  /** Deletes `dir` and everything in it; calling it again does nothing. */
  remove(): void;
}

/** True when the openssl CLI can run here. */
export function opensslWorks(): boolean {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
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
 * Makes fresh certificates in `dir` (created if missing; by default a new
 * directory under the system's temporary one). `remove()` deletes `dir`
 * whole, so give a directory of their own. When openssl fails the directory
 * is deleted before the error is thrown.
 * @throws Error with openssl's stderr when it fails or is missing
 */
export function makeCerts(dir?: string): MadeCerts {
  const where =
    dir === undefined
      ? mkdtempSync(join(tmpdir(), 'luasocket-async-certs-'))
      : (mkdirSync(dir, { recursive: true }), dir);
  const remove = (): void => rmSync(where, { recursive: true, force: true });
  try {
    makeCa(where, 'ca');
    makeCa(where, 'other-ca');
    const certs: Certs = {
      ca: readFileSync(join(where, 'ca.pem')),
      caFile: join(where, 'ca.pem'),
      otherCa: readFileSync(join(where, 'other-ca.pem')),
      server: makeLeaf(where, 'server', 'localhost', 'ca', SERVER_EXT, 30),
      expired: makeLeaf(where, 'expired', 'localhost', 'ca', SERVER_EXT, -1),
      other: makeLeaf(where, 'other', 'localhost', 'other-ca', SERVER_EXT, 30),
      client: makeLeaf(where, 'client', 'client', 'ca', CLIENT_EXT, 30),
    };
    return { certs, dir: where, remove };
  } catch (err) {
    remove();
    throw err;
  }
}
