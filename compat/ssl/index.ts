/**
 * `luasocket-async/compat/ssl`: LuaSec 1.x's `ssl` module over the core's
 * TLS, for Lua code that does `local ssl = require("ssl")`. `newcontext`
 * and `wrap` as LuaSec has them; the connection they make speaks
 * LuaSocket's `receive`/`send` with LuaSec's names for its failures.
 *
 * One difference by design of LuaSec itself, kept: like LuaSec, a client
 * checks the server's certificate chain (with `verify = 'peer'`) and not
 * its host name. The core (`connect(host, port, { tls })`) checks both.
 *
 * @example A LuaSec client, line for line
 * ```ts
 * import socket from 'luasocket-async/compat';
 * import ssl from 'luasocket-async/compat/ssl';
 *
 * const params = {
 *   mode: 'client',
 *   protocol: 'tlsv1_2',
 *   cafile: 'rootA.pem',
 *   verify: 'peer',
 *   options: 'all',
 * };
 * const [tcp] = await socket.connect('127.0.0.1', 8888);
 * const [conn, err] = ssl.wrap(tcp!, params);
 * if (conn === null) throw new Error(err);
 * console.log(await conn.dohandshake()); // [true, null]
 * console.log(await conn.receive('*l'));
 * conn.close();
 * ```
 * @module
 */

import { TcpObject, HAND_OVER } from '../tcp.js';
import type { Result } from '../tuples.js';
import { SslObject } from './connection.js';
import { newcontext, ROLE, SslContext, type SslParams } from './context.js';
import { loadcertificate } from './x509.js';
import { OPTION_NAMES } from './params.js';

export { SslObject, type HandshakeResult, type SniMap, type SslWant } from './connection.js';
export {
  newcontext,
  SslContext,
  type SslAlpnCallback,
  type SslCertificateParams,
  type SslParams,
  type SslPassword,
} from './context.js';
export {
  Certificate,
  loadcertificate,
  type CertificateOptions,
  type Extensions,
  type KeyType,
  type NameField,
  type OtherNames,
  type PubkeyResult,
  type SubjectAltName,
} from './x509.js';
export type { SslInfo } from './cipher-info.js';

/**
 * `ssl.wrap(sock, params | ctx)`: a connection over the TCP client `sock`,
 * which it takes: `sock` is left with no connection (its receives answer
 * `'closed'`, `getfd()` -1), as LuaSec takes its descriptor. Bytes `sock`
 * had read and no receive took are the handshake's first.
 *
 * @returns `[conn, null]`, or `[null, err]` (a `newcontext` error, `'invalid mode'`)
 * @throws TypeError when `sock` is not a TCP client object
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 * import ssl from 'luasocket-async/compat/ssl';
 *
 * const [tcp] = await socket.connect('127.0.0.1', 8888);
 * const [conn] = ssl.wrap(tcp!, { mode: 'client', protocol: 'any', verify: 'none' });
 * console.log(String(tcp), tcp!.getfd()); // 'tcp{client}' -1
 * conn?.close();
 * ```
 */
export function wrap(sock: TcpObject, params: SslParams | SslContext): Result<SslObject> {
  if (!(sock instanceof TcpObject))
    throw new TypeError("bad argument #1 to 'wrap' (tcp{client} expected)");
  let ctx: SslContext;
  if (params instanceof SslContext) ctx = params;
  else {
    const [made, err] = newcontext(params);
    if (made === null) return [null, err];
    ctx = made;
  }
  if (ctx[ROLE].mode === 'invalid') return [null, 'invalid mode'];
  const [client, encoding] = sock[HAND_OVER]('wrap');
  return [new SslObject(client, ctx, encoding), null];
}

/** What `ssl.config` reports: the protocols, options and features this module has. */
export const config = Object.freeze({
  protocols: Object.freeze({ tlsv1: true, tlsv1_1: true, tlsv1_2: true, tlsv1_3: true }),
  options: Object.freeze(Object.fromEntries(OPTION_NAMES.map((name) => [name, true]))),
  algorithms: Object.freeze({ ec: true }),
  capabilities: Object.freeze({ alpn: true, curves_list: true, ecdh_auto: true }),
});

/** The module's version: LuaSec's, whose API it follows. */
export const _VERSION = '1.2.0';

/**
 * The `ssl` module as `require("ssl")` gives it.
 * @example
 * ```ts
 * import ssl from 'luasocket-async/compat/ssl';
 *
 * console.log(ssl._VERSION, typeof ssl.wrap); // '1.2.0' 'function'
 * ```
 */
const ssl = Object.freeze({
  /** `ssl._VERSION`: {@link _VERSION}. */
  _VERSION,
  /** `ssl.config`: {@link config}. */
  config,
  /** `ssl.newcontext(params)`: {@link newcontext}. */
  newcontext,
  /** `ssl.wrap(sock, params | ctx)`: {@link wrap}. */
  wrap,
  /** `ssl.loadcertificate(pem)`: {@link loadcertificate}. */
  loadcertificate,
});
export default ssl;
