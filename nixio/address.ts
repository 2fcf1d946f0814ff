/**
 * nixio's constructors: `nixio.socket`, and the shortcuts `nixio.bind` and
 * `nixio.connect`, which resolve the host and service as getaddrinfo does
 * and try each family in turn until one succeeds.
 *
 * @module
 */

import { constants as os } from 'node:os';
import { ipFamily } from '../src/internal.js';
import { badService, fault, ok, type NixioError, type NixioResult } from './result.js';
import { constants } from './constants.js';
import { servicePort } from './service.js';
import { NixioSocket, type NixioFamily, type NixioType } from './socket.js';

const FAMILIES = ['inet', 'inet6', 'unix'] as const;
const TYPES = ['stream', 'dgram'] as const;

/**
 * A new socket, as `nixio.socket(family, type)`.
 * @throws TypeError for a family or type nixio does not know
 * @example
 * ```ts
 * import nixio from 'luasocket-async/nixio';
 *
 * const [sock] = nixio.socket('inet', 'stream');
 * sock?.close();
 * ```
 */
export function socket(
  family: NixioFamily,
  type: NixioType,
): NixioResult<NixioSocket, null, null, NixioError> {
  if (!FAMILIES.includes(family))
    throw new TypeError(`family: supported values: ${FAMILIES.join(', ')}`);
  if (!TYPES.includes(type)) throw new TypeError(`type: supported values: ${TYPES.join(', ')}`);
  // Node.js has no Unix datagram sockets: the kernel's answer for a type it lacks.
  if (family === 'unix' && type === 'dgram') return fault(constants.ESOCKTNOSUPPORT);
  return ok(new NixioSocket(family, type));
}

/** The families `nixio.bind` and `nixio.connect` take: `'any'` tries each address a name resolves to. */
export type AnyFamily = 'any' | 'inet' | 'inet6';
/** The types `nixio.bind` and `nixio.connect` take: `'any'` is `'stream'`, as in nixio. */
export type AnyType = 'any' | 'stream' | 'dgram';

function families(host: string | null, family: AnyFamily): ('inet' | 'inet6')[] {
  if (family !== 'any') return [family];
  if (host !== null && ipFamily(host) === 'inet6') return ['inet6'];
  if (host !== null && ipFamily(host) === 'inet') return ['inet'];
  return ['inet', 'inet6'];
}

function checkShortcut(family: unknown, type: unknown): void {
  if (!['any', 'inet', 'inet6'].includes(family as string))
    throw new TypeError('family: supported values: any, inet, inet6');
  if (!['any', 'stream', 'dgram'].includes(type as string))
    throw new TypeError('type: supported values: any, stream, dgram');
}

async function open(
  host: string | null,
  port: number | string,
  family: AnyFamily,
  type: AnyType,
  step: (sock: NixioSocket, p: number) => Promise<NixioResult<true>>,
): Promise<NixioResult<NixioSocket, null, null, NixioError>> {
  checkShortcut(family, type);
  const kind: NixioType = type === 'dgram' ? 'dgram' : 'stream';
  const p = servicePort(port, kind);
  if (p === undefined) return badService();
  let last: NixioError | undefined;
  for (const f of families(host, family)) {
    const sock = new NixioSocket(f, kind);
    const r = await step(sock, p);
    if (r[0] === true) return ok(sock);
    sock.close();
    // A fresh socket blocks: its bind or connect cannot answer EAGAIN.
    last = r as NixioError;
  }
  return last ?? fault(os.errno.EAFNOSUPPORT);
}

/**
 * A socket bound to `host:port` (null host: every address), with
 * `reuseaddr` set, not yet listening — `nixio.bind`.
 * @example
 * ```ts
 * import nixio from 'luasocket-async/nixio';
 *
 * const [server] = await nixio.bind(null, 0);
 * await server?.listen(32);
 * server?.close();
 * ```
 */
export function bind(
  host: string | null | undefined,
  port: number | string,
  family: AnyFamily = 'any',
  type: AnyType = 'stream',
): Promise<NixioResult<NixioSocket, null, null, NixioError>> {
  const h = host === '*' || host === undefined ? null : host;
  return open(h, port, family, type, (sock, p) => {
    sock.setopt('socket', 'reuseaddr', 1);
    return sock.bind(h, p);
  });
}

/**
 * A socket connected to `host:port` (default host: the local host) — `nixio.connect`.
 * @example
 * ```ts
 * import nixio from 'luasocket-async/nixio';
 *
 * const [sock, errno] = await nixio.connect('127.0.0.1', 1);
 * console.log(sock ?? errno); // 111
 * ```
 */
export function connect(
  host: string | null | undefined,
  port: number | string,
  family: AnyFamily = 'any',
  type: AnyType = 'stream',
): Promise<NixioResult<NixioSocket, null, null, NixioError>> {
  const h = host ?? 'localhost';
  return open(h, port, family, type, (sock, p) => sock.connect(h, p));
}
