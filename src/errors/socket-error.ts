/**
 * The one error class of the library and the table of LuaSocket's messages.
 *
 * @module
 */

import { getSystemErrorMap } from 'node:util';

/**
 * What went wrong, as a string a program can switch on.
 *
 * | code | LuaSocket's message | when |
 * |---|---|---|
 * | `'timeout'` | `timeout` | a block, total or per-call timeout expired |
 * | `'closed'` | `closed` | the peer closed or reset, or the socket is closed |
 * | `'refused'` | `connection refused` | nobody listens at the address |
 * | `'addrinuse'` | `address already in use` | bind to a busy address |
 * | `'access'` | `permission denied` | the system refused the operation |
 * | `'isconn'` | `already connected` | connect on a connected socket |
 * | `'noname'` | `host or service not provided, or not known` | unknown host (EAI_NONAME) |
 * | `'again'` | `temporary failure in name resolution` | resolver failure (EAI_AGAIN) |
 * | `'hostnotfound'` | `host not found` | reverse lookup found nothing |
 * | `'linetoolong'` | `line too long` | a line passed `maxLineLength` |
 * | `'aborted'` | `aborted` | the caller's `signal` aborted; `cause` is its reason |
 * | `'unsupported'` | `<name>: not supported …` | an option Node.js cannot set |
 * | `'handshake'` | `handshake failed: <reason>` | the TLS handshake failed (an alert, no common protocol or cipher) |
 * | `'certificate'` | `certificate verify failed: <reason>` | the peer's certificate or host name did not verify |
 * | `'notls'` | `peer speaks no TLS: <reason>` | what came back was not TLS (a plain-TCP peer) |
 * | `'system'` | the system's message | any other system error; `cause` holds it |
 */
export type SocketErrorCode =
  | 'timeout'
  | 'closed'
  | 'refused'
  | 'addrinuse'
  | 'access'
  | 'isconn'
  | 'noname'
  | 'again'
  | 'hostnotfound'
  | 'linetoolong'
  | 'aborted'
  | 'unsupported'
  | 'handshake'
  | 'certificate'
  | 'notls'
  | 'system';

/**
 * LuaSocket's message for each code, byte for byte (`src/pierror.h`, `io.c`).
 * `system` and `unsupported` carry their own text.
 */
export const MESSAGES: Readonly<Record<SocketErrorCode, string>> = {
  timeout: 'timeout',
  closed: 'closed',
  refused: 'connection refused',
  addrinuse: 'address already in use',
  access: 'permission denied',
  isconn: 'already connected',
  noname: 'host or service not provided, or not known',
  again: 'temporary failure in name resolution',
  hostnotfound: 'host not found',
  linetoolong: 'line too long',
  aborted: 'aborted',
  unsupported: 'not supported',
  handshake: 'handshake failed',
  certificate: 'certificate verify failed',
  notls: 'peer speaks no TLS',
  system: 'unknown error',
};

/** Options of the {@link SocketError} constructor. */
export interface SocketErrorOptions<P = string | Buffer> {
  /** The message; LuaSocket's text for the code when omitted. */
  message?: string;
  /** What a failed receive read before it failed (already consumed). */
  partial?: P;
  /** How many bytes a failed send handed to the system before it failed. */
  sent?: number;
  /** The underlying error or abort reason. */
  cause?: unknown;
  /** The address the failed call used (a path for a Unix domain socket). */
  address?: string | undefined;
  /** The port the failed call used. */
  port?: number | undefined;
  /** The system call (or the operation) that failed: `connect`, `bind`, `listen`, `write`, … */
  syscall?: string | undefined;
}

const BRAND = Symbol.for('luasocket-async.SocketError');

/**
 * The error every failed socket call throws (or rejects with).
 *
 * `instanceof SocketError` works across the ESM and CJS copies of the package,
 * because the check looks for a global brand instead of the prototype chain.
 *
 * @example Reading a partial line after a timeout
 * ```ts
 * import { connect, SocketError } from 'luasocket-async';
 *
 * const client = await connect('127.0.0.1', 8080);
 * try {
 *   await client.receive('*l', { timeout: 1 });
 * } catch (err) {
 *   if (err instanceof SocketError && err.code === 'timeout') {
 *     console.log('so far:', err.partial);
 *   }
 * }
 * client.close();
 * ```
 */
export class SocketError<P = string | Buffer> extends Error {
  /** What went wrong; see {@link SocketErrorCode}. */
  readonly code: SocketErrorCode;
  /** For a failed receive: the data read before the failure, prefix included. */
  readonly partial: P | undefined;
  /** For a failed send: the bytes handed to the system before the failure. */
  readonly sent: number | undefined;
  /** Where the failed call went, when known: an IP address or a Unix path. */
  readonly address: string | undefined;
  /** The port the failed call used, when known. */
  readonly port: number | undefined;
  /** The system call that failed, when known: `connect`, `bind`, `listen`, `write`, … */
  readonly syscall: string | undefined;

  /**
   * @param code - the failure's code
   * @param options - message, partial data, bytes sent and cause
   */
  constructor(code: SocketErrorCode, options: SocketErrorOptions<P> = {}) {
    super(options.message ?? MESSAGES[code], { cause: options.cause });
    this.code = code;
    this.partial = options.partial;
    this.sent = options.sent;
    this.address = options.address;
    this.port = options.port;
    this.syscall = options.syscall;
    // Formatting the stack costs as much again as creating the error: only
    // an error that knows where it happened pays it, to show that in its head.
    if (options.address !== undefined || options.syscall !== undefined) relabel(this);
  }

  /**
   * The code, LuaSocket's message and where the call went, as in
   * `SocketError [refused]: connection refused (connect 127.0.0.1:1)`.
   */
  override toString(): string {
    const where = [this.syscall, this.address === undefined ? undefined : hostPort(this)]
      .filter((part) => part !== undefined)
      .join(' ');
    return `SocketError [${this.code}]: ${this.message}${where === '' ? '' : ` (${where})`}`;
  }

  /** `'SocketError'`, as stack traces and `console.log` show it. */
  override get name(): string {
    return 'SocketError';
  }

  /** The brand that makes `instanceof` work across module copies. */
  get [BRAND](): true {
    return true;
  }

  /**
   * `err instanceof SocketError` holds for errors from the ESM and the CJS
   * build alike (each has its own copy of the class).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, BRAND);
  }
}

function hostPort(err: SocketError<unknown>): string {
  const address = err.address ?? '';
  if (err.port === undefined) return address;
  return address.includes(':')
    ? `[${address}]:${String(err.port)}`
    : `${address}:${String(err.port)}`;
}

/**
 * @internal Makes the first line of `err.stack` its {@link SocketError.toString},
 * after the stack was captured again (or for the first time).
 */
export function relabel(err: SocketError<unknown>): void {
  const stack = err.stack;
  if (stack === undefined) return;
  const head = `SocketError: ${err.message}`;
  if (stack.startsWith(head)) err.stack = err.toString() + stack.slice(head.length);
}

/**
 * @internal True when `value` carries `brand`: the `instanceof` test of an
 * error class that must hold across the ESM and CJS copies of the package.
 */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}

/** @internal The errno names that mean the connection is gone. */
const CLOSED_ERRNOS = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_DESTROYED']);

/** The ones of those that mean the peer's side tore the connection down. */
const RESET_ERRNOS = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE']);

/**
 * @internal True for the `closed` of a connection the peer reset (or that
 * broke), as opposed to a clean end of stream or a close here: its cause is
 * the system error. What an iterator must not take for the end of the data.
 */
export function isReset(err: unknown): boolean {
  if (!(err instanceof SocketError) || err.code !== 'closed') return false;
  const cause = err.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' && RESET_ERRNOS.has(cause.code);
}

const ERRNO_CODES: Readonly<Record<string, SocketErrorCode>> = {
  ECONNREFUSED: 'refused',
  EADDRINUSE: 'addrinuse',
  EACCES: 'access',
  EPERM: 'access',
  EISCONN: 'isconn',
  ETIMEDOUT: 'timeout',
  ENOTFOUND: 'noname',
  EAI_NONAME: 'noname',
  EAI_NODATA: 'noname',
  EAI_AGAIN: 'again',
  ERR_SOCKET_CLOSED: 'closed',
  ERR_STREAM_WRITE_AFTER_END: 'closed',
};

/** What OpenSSL says when the bytes that came back are no TLS record. */
const NOT_TLS = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_RECORD_LENGTH_MISMATCH',
]);

/**
 * The code of a TLS failure: OpenSSL's X.509 verification results
 * (`CERT_HAS_EXPIRED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, …) and Node.js's
 * host name check are `certificate`; the rest of OpenSSL's `ERR_SSL_*`
 * `handshake`, or `notls` for bytes that were not TLS at all.
 */
function tlsCode(name: string): SocketErrorCode | undefined {
  if (name === 'ERR_TLS_CERT_ALTNAME_INVALID' || name === 'ERR_TLS_CLIENT_CERT_REJECTED')
    return 'certificate';
  if (name === 'ERR_TLS_HANDSHAKE_TIMEOUT') return 'timeout';
  if (NOT_TLS.has(name)) return 'notls';
  if (name.startsWith('ERR_SSL_')) return 'handshake';
  if (
    /^(?:[A-Z0-9]+_)*(?:CERT|CRL|ISSUER|SIGNATURE|CHAIN|HOSTNAME|PATH)(?:_[A-Z0-9]+)*$/.test(name)
  )
    return 'certificate';
  return undefined;
}

/** Turns `ENETUNREACH`'s libuv text into the capitalised form strerror gives. */
function systemMessage(err: NodeJS.ErrnoException): string {
  const raw = typeof err.errno === 'number' ? systemText(err.errno) : undefined;
  const text = raw ?? err.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

let errorMap: Map<number, [string, string]> | undefined;
function systemText(errno: number): string | undefined {
  // Built lazily: the map is only needed on the rare unmapped failure.
  errorMap ??= getSystemErrorMap();
  return errorMap.get(errno)?.[1];
}

/**
 * @internal Converts whatever Node.js threw into a {@link SocketError}.
 * Errors that already are one pass through unchanged.
 */
export function toSocketError(err: unknown, extra: SocketErrorOptions = {}): SocketError {
  if (err instanceof SocketError) return err as SocketError;
  const e = err as NodeJS.ErrnoException & { address?: unknown; port?: unknown };
  // Node.js's system errors know where they happened; so should ours.
  if (typeof e?.syscall === 'string' && extra.syscall === undefined) {
    extra = {
      ...extra,
      syscall: e.syscall,
      ...(typeof e.address === 'string' && { address: e.address }),
      ...(typeof e.port === 'number' && e.port >= 0 && { port: e.port }),
    };
  }
  const name = typeof e?.code === 'string' ? e.code : '';
  if (CLOSED_ERRNOS.has(name)) return new SocketError('closed', { ...extra, cause: err });
  const tls = tlsCode(name);
  if (tls !== undefined) {
    // OpenSSL's reason ('wrong version number'), not the whole error stack it prints.
    const r = (err as { reason?: unknown }).reason;
    const reason = typeof r === 'string' ? r : err instanceof Error ? err.message : String(err);
    return new SocketError(tls, { ...extra, message: `${MESSAGES[tls]}: ${reason}`, cause: err });
  }
  const code = ERRNO_CODES[name];
  if (code !== undefined) return new SocketError(code, { ...extra, cause: err });
  return new SocketError('system', {
    ...extra,
    message: err instanceof Error ? systemMessage(e) : String(err),
    cause: err,
  });
}
