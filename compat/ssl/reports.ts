/**
 * What a LuaSec connection reports of its TLS socket beyond the core's
 * methods: the peer's chain as LuaSec's certificate objects, the Finished
 * messages as byte strings. No I/O.
 *
 * @internal
 * @module
 */

import type { TLSSocket } from 'node:tls';
import { Certificate } from './x509.js';

/** @internal The peer's certificates, its own first, each once. */
export function peerChain(tls: TLSSocket): Certificate[] {
  const chain: Certificate[] = [];
  const seen = new Set<unknown>();
  // Node.js links a chain's root to itself.
  for (let c = tls.getPeerCertificate(true); c?.raw !== undefined && !seen.has(c);) {
    seen.add(c);
    chain.push(Certificate.fromDer(c.raw));
    c = c.issuerCertificate;
  }
  return chain;
}

/** @internal A Finished message as a Lua byte string, `''` when there is none. */
export function finished(message: Buffer | undefined): string {
  return message?.toString('latin1') ?? '';
}
