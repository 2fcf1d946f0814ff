/**
 * What a LuaSec connection asks the core's handshake to be, from its
 * context and what `sni` set: the core's `TlsRole` for either side, and a
 * server's verdict on the client's certificate as LuaSec's verify flags ask.
 * No I/O.
 *
 * @internal
 * @module
 */

import type { SecureContext } from 'node:tls';
import type { TlsRole } from '../../src/internal.js';
import type { StreamClient } from '../buffer.js';
import { ROLE, type SslContext, type SslRole } from './context.js';

/** A server's names and their contexts, for `sni(map, strict)`. */
export type SniMap = Readonly<Record<string, SslContext>>;

/** What `sni` was given: a client's name, or a server's map. */
export interface SniSetting {
  name?: string;
  map?: { map: SniMap; strict: boolean };
}

/** `sni(map, strict)` as `node:tls` takes it. */
function sniCallback({ map, strict }: { map: SniMap; strict: boolean }) {
  return (name: string, callback: (err: Error | null, ctx?: SecureContext) => void): void => {
    const role = Object.hasOwn(map, name) ? map[name]?.[ROLE] : undefined;
    if (role?.mode === 'server') callback(null, role.server.context);
    else if (strict) callback(new Error(`no context for the name '${name}'`));
    else callback(null);
  };
}

/**
 * @internal The core's role for a handshake over `client`. A client checks
 * the chain only, as LuaSec does: no host name, whatever name it sends.
 */
export function tlsRole(role: SslRole, sni: SniSetting, client: StreamClient): TlsRole {
  if (role.mode === 'server') {
    const map = sni.map;
    return {
      isServer: true,
      server: map === undefined ? role.server : { ...role.server, SNICallback: sniCallback(map) },
    };
  }
  const c = role as Extract<SslRole, { mode: 'client' }>;
  return {
    isServer: false,
    options: {
      rejectUnauthorized: c.rejectUnauthorized,
      checkServerIdentity: () => undefined,
      ...(c.ALPNProtocols !== undefined && { ALPNProtocols: c.ALPNProtocols }),
      ...(sni.name !== undefined && { servername: sni.name }),
    },
    host: sni.name ?? String(client.getpeername().address),
    context: c.context,
  };
}

/**
 * @internal A server's verdict on the client's certificate: the LuaSec
 * string that ends the handshake, or undefined when it may go on.
 */
export function judgeClient(role: SslRole, client: StreamClient): string | undefined {
  if (role.mode !== 'server' || !role.verifyPeer) return undefined;
  if (client.getpeercertificate() === null)
    return role.failIfNoPeerCert ? 'peer did not return a certificate' : undefined;
  const ok = client.getpeerverification()?.authorized === true;
  return ok || role.continueOnError ? undefined : 'certificate verify failed';
}
