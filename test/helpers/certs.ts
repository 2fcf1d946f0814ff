/**
 * Throwaway certificates, made with the openssl CLI when a test file loads
 * and removed after it: two CAs, a server leaf for localhost / 127.0.0.1 /
 * ::1, the same leaf expired, a leaf of the other CA, and a client
 * certificate (see make-certs.ts, which makes them). No key is ever
 * committed. Under CI=true a missing openssl is a failure, not a skip.
 */

import { afterAll } from 'vitest';
import { makeCerts, opensslWorks, type Certs } from './make-certs.js';

export type { Certs, Pair } from './make-certs.js';

/** True when the openssl CLI can run here. */
export const hasOpenssl: boolean = opensslWorks();

if (!hasOpenssl) {
  if (process.env.CI === 'true') {
    throw new Error('CI=true but the openssl CLI is not installed: TLS tests must run in CI');
  }
  console.warn('[tls] openssl not found: TLS tests are skipped (apt-get install -y openssl)');
}

/**
 * In the calling test file: fresh certificates, removed after the file's
 * tests. Call it at the top of the file, only where {@link hasOpenssl}.
 */
export function certificates(): Certs {
  const made = makeCerts();
  afterAll(() => made.remove());
  return made.certs;
}
