/**
 * LuaSec's context (`ssl.newcontext`): the parameters checked, the files
 * they name loaded once (keys, certificates, CAs, as LuaSec loads them into
 * its `SSL_CTX`), and the core's TLS settings for each connection `wrap`
 * makes with it.
 *
 * @module
 */

import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CIPHERS, type SecureContext } from 'node:tls';
import type { TlsCommonOptions, TlsServerOptions } from '../../src/index.js';
import { secureContextOf, serverTls, type ServerTls } from '../../src/internal.js';
import type { Result } from '../tuples.js';
import {
  planContext,
  type SslAlpnCallback,
  type SslCertificateParams,
  type SslParams,
  type SslPlan,
} from './params.js';

export type { SslAlpnCallback, SslCertificateParams, SslParams, SslPassword } from './params.js';

/** @internal What a connection of a context's mode is made with. */
export type SslRole =
  | {
      readonly mode: 'client';
      readonly context: SecureContext;
      readonly rejectUnauthorized: boolean;
      readonly ALPNProtocols: string[] | undefined;
    }
  | {
      readonly mode: 'server';
      readonly server: ServerTls;
      readonly verifyPeer: boolean;
      readonly failIfNoPeerCert: boolean;
      readonly continueOnError: boolean;
    }
  | { readonly mode: 'invalid' };

/** @internal The key of a context's role, off its Lua-visible names. */
export const ROLE: unique symbol = Symbol('role');

/**
 * A LuaSec context, from {@link newcontext}: what `ssl.wrap` makes
 * connections with. Its files were read when it was made.
 *
 * @example
 * ```ts
 * import ssl from 'luasocket-async/compat/ssl';
 *
 * const [ctx, err] = ssl.newcontext({ mode: 'client', protocol: 'any', verify: 'none' });
 * console.log(ctx === null ? err : String(ctx)); // 'SSL context'
 * ```
 */
export class SslContext {
  /** @internal */
  readonly [ROLE]: SslRole;

  /** @internal Use {@link newcontext}. */
  constructor(role: SslRole) {
    this[ROLE] = role;
  }

  /** LuaSec's `tostring` without the address: `'SSL context'`. */
  toString(): string {
    return 'SSL context';
  }
}

/** Why OpenSSL (or the file system) refused, in the words LuaSec puts in parentheses. */
function reason(err: unknown): string {
  const e = err as { code?: string; reason?: string; message?: string };
  if (e.code === 'ENOENT') return 'No such file or directory';
  if (e.code === 'EACCES') return 'Permission denied';
  if (e.code === 'EISDIR') return 'Is a directory';
  return e.reason ?? e.message ?? String(err);
}

/** Runs `load`; a failure becomes LuaSec's `'<what> (<reason>)'`. */
function loading<T>(what: string, load: () => T): T | { failed: string } {
  try {
    return load();
  } catch (err) {
    return { failed: `${what} (${reason(err)})` };
  }
}

const failed = (v: unknown): v is { failed: string } =>
  typeof v === 'object' && v !== null && 'failed' in v;

/** The PEM certificates in `text`, parsed (OpenSSL reads every one a CA file holds). */
function pemCertificates(text: string): string[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  for (const block of blocks) new X509Certificate(block);
  return blocks;
}

/** The trusted CAs: none unless given, as an OpenSSL context starts with an empty store. */
function loadCas(plan: SslPlan): string[] | { failed: string } {
  return loading('error loading CA locations', () => {
    const cas: string[] = [];
    if (plan.cafile !== undefined) {
      const found = pemCertificates(readFileSync(plan.cafile, 'latin1'));
      if (found.length === 0) throw new Error('no certificate or crl found');
      cas.push(...found);
    }
    if (plan.capath !== undefined) {
      for (const name of readdirSync(plan.capath)) {
        const file = join(plan.capath, name);
        try {
          cas.push(...pemCertificates(readFileSync(file, 'latin1')));
        } catch {
          // OpenSSL looks a CA up by its hash file name and skips what it cannot read.
        }
      }
    }
    return cas;
  });
}

/** A key and certificate pair loaded as LuaSec's `loadkey`, `loadcert` and `checkkey` do. */
function loadPair(
  pair: SslCertificateParams,
): { key?: string; cert?: string } | { failed: string } {
  let key: KeyObject | undefined;
  if (pair.key !== undefined) {
    const file = pair.key;
    const loaded = loading('error loading private key', () => {
      const pw = pair.password;
      const passphrase = typeof pw === 'function' ? String(pw()) : pw;
      return createPrivateKey({
        key: readFileSync(file),
        format: 'pem',
        ...(passphrase !== undefined && { passphrase }),
      });
    });
    if (failed(loaded)) return loaded;
    key = loaded;
  }
  let cert: string | undefined;
  if (pair.certificate !== undefined) {
    const file = pair.certificate;
    const loaded = loading('error loading certificate', () => {
      const text = readFileSync(file, 'latin1');
      const [leaf] = pemCertificates(text);
      if (leaf === undefined) throw new Error('no start line');
      if (key !== undefined && !new X509Certificate(leaf).checkPrivateKey(key))
        return { mismatch: true } as const;
      return text;
    });
    if (failed(loaded)) return loaded;
    if (typeof loaded !== 'string') return { failed: 'private key does not match public key' };
    cert = loaded;
  }
  // Decrypted once here, so that a password is never needed again.
  const pem = key?.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { ...(pem !== undefined && { key: pem }), ...(cert !== undefined && { cert }) };
}

/** The cipher string Node.js takes for both lists: either list LuaSec was not given stays the default. */
function cipherString(plan: SslPlan): string | undefined {
  if (plan.ciphers === undefined && plan.ciphersuites === undefined) return undefined;
  const defaults = DEFAULT_CIPHERS.split(':');
  const tls13 = plan.ciphersuites ?? defaults.filter((c) => c.startsWith('TLS_')).join(':');
  const tls12 = plan.ciphers ?? defaults.filter((c) => !c.startsWith('TLS_')).join(':');
  return [tls13, tls12].filter((part) => part !== '').join(':');
}

/** The common options, each refusal in LuaSec's words. */
function commonOptions(plan: SslPlan): TlsCommonOptions | string {
  const keys: string[] = [];
  const certs: string[] = [];
  for (const pair of plan.certificates) {
    const loaded = loadPair(pair);
    if (failed(loaded)) return loaded.failed;
    if (loaded.key !== undefined) keys.push(loaded.key);
    if (loaded.cert !== undefined) certs.push(loaded.cert);
  }
  const ca = loadCas(plan);
  if (failed(ca)) return ca.failed;
  const ciphers = cipherString(plan);
  if (ciphers !== undefined) {
    const bad = loading('error setting cipher list', () => secureContextOf({ ciphers }));
    if (failed(bad)) return reasonOf(bad.failed);
  }
  if (plan.curve !== undefined) {
    const curve = plan.curve;
    const bad = loading('curve', () => secureContextOf({ ecdhCurve: curve }));
    if (failed(bad)) return `elliptic curve '${curve}' not supported`;
  }
  return {
    ca,
    ...(keys.length > 0 && { key: keys }),
    ...(certs.length > 0 && { cert: certs }),
    ...(plan.minVersion !== undefined && { minVersion: plan.minVersion }),
    ...(plan.maxVersion !== undefined && { maxVersion: plan.maxVersion }),
    ...(ciphers !== undefined && { ciphers }),
    ...(plan.secureOptions !== 0 && { secureOptions: plan.secureOptions }),
    ...(plan.curve !== undefined && { ecdhCurve: plan.curve }),
  };
}

/** `'error setting cipher list (tls: … no cipher match)'` as OpenSSL's reason alone. */
function reasonOf(text: string): string {
  return text.replace(/\(tls: (?:error:[0-9A-F]+:[^:]*::)?/, '(');
}

/** The server's ALPN as `node:tls` takes it: a list, or LuaSec's callback over the client's. */
function serverAlpn(plan: SslPlan): Pick<TlsServerOptions, 'ALPNProtocols' | 'ALPNCallback'> {
  const alpn = plan.alpn;
  if (alpn === undefined) return {};
  if (Array.isArray(alpn)) return { ALPNProtocols: alpn };
  const pick: SslAlpnCallback = alpn;
  return {
    ALPNCallback: ({ protocols }: { protocols: string[] }): string | undefined => {
      const answer = pick([...protocols]);
      const offered = typeof answer === 'string' ? [answer] : (answer ?? []);
      // The first of the callback's list the client offered, as OpenSSL selects it.
      return offered.find((p) => protocols.includes(p));
    },
  };
}

function roleOf(plan: SslPlan, common: TlsCommonOptions): SslRole | string {
  if (plan.mode === 'client') {
    const made = loading('error creating context', () => secureContextOf(common));
    if (failed(made)) return reasonOf(made.failed);
    return {
      mode: 'client',
      context: made,
      rejectUnauthorized: plan.verifyPeer && !plan.continueOnError,
      ALPNProtocols: Array.isArray(plan.alpn) ? plan.alpn : undefined,
    };
  }
  if (plan.mode !== 'server') return { mode: 'invalid' };
  if (common.cert === undefined || common.key === undefined)
    return 'error loading certificate (a server needs a certificate and its key)';
  const made = loading('error creating context', () =>
    serverTls({
      ...common,
      cert: common.cert as string[],
      key: common.key as string[],
      requestCert: plan.verifyPeer,
      // Judged after the handshake, as LuaSec's verify flags ask (see the connection).
      rejectUnauthorized: false,
      ...serverAlpn(plan),
    }),
  );
  if (failed(made)) return reasonOf(made.failed);
  return {
    mode: 'server',
    server: made,
    verifyPeer: plan.verifyPeer,
    failIfNoPeerCert: plan.failIfNoPeerCert,
    continueOnError: plan.continueOnError,
  };
}

/**
 * `ssl.newcontext(params)`: a context for `ssl.wrap`, its files read now.
 * Checks run in LuaSec's order and fail with its strings: `'invalid
 * protocol (x)'`, `'error loading private key (…)'`, `'private key does
 * not match public key'`, `'invalid verify option (x)'`, `'invalid option
 * (x)'`, … A parameter Node.js cannot honour (`depth`, `dhparam`, `dane`)
 * answers `'<name>: not supported by Node.js (…)'`. As in LuaSec, a context
 * of an unknown mode is made, and `wrap` refuses it (`'invalid mode'`).
 *
 * @returns `[ctx, null]` or `[null, err]`
 * @throws TypeError where LuaSec raises: no `protocol`, no `mode`, a value of the wrong type
 * @example
 * ```ts
 * import ssl from 'luasocket-async/compat/ssl';
 *
 * const [ctx, err] = ssl.newcontext({
 *   mode: 'client',
 *   protocol: 'tlsv1_2',
 *   cafile: '/etc/ssl/certs/ca-certificates.crt',
 *   verify: 'peer',
 *   options: 'all',
 * });
 * if (ctx === null) throw new Error(err);
 * ```
 */
export function newcontext(params: SslParams): Result<SslContext> {
  const plan = planContext(params);
  if (typeof plan === 'string') return [null, plan];
  const common = commonOptions(plan);
  if (typeof common === 'string') return [null, common];
  const role = roleOf(plan, common);
  if (typeof role === 'string') return [null, role];
  return [new SslContext(role), null];
}
