/**
 * The error texts nixio hands back as the third value of a failed call:
 * glibc's strerror for errno values and glibc's gai_strerror for the
 * getaddrinfo codes. The texts are Linux/glibc's whatever the host is, so a
 * script sees what it would on the OpenWrt box nixio comes from.
 */

import { ERRNO_TEXTS } from './strerror-table.js';

/**
 * The getaddrinfo error codes, with glibc's values on Linux. nixio returns
 * them as the second value when getaddrinfo fails (nixio.getaddrinfo,
 * nixio.bind, nixio.connect and the socket's bind/connect).
 *
 * @example
 * ```ts
 * import nixio from 'luasocket-async/nixio';
 *
 * console.log(nixio.EAI.SERVICE); // -8
 * console.log(nixio.gai_strerror(nixio.EAI.SERVICE)); // Servname not supported for ai_socktype
 * ```
 */
export const EAI = Object.freeze({
  BADFLAGS: -1,
  NONAME: -2,
  AGAIN: -3,
  FAIL: -4,
  NODATA: -5,
  FAMILY: -6,
  SOCKTYPE: -7,
  SERVICE: -8,
  ADDRFAMILY: -9,
  MEMORY: -10,
  SYSTEM: -11,
  OVERFLOW: -12,
} as const);

// Keyed by code rather than by name: -100..-105 are glibc's GNU extensions
// (EAI_INPROGRESS…EAI_IDN_ENCODE, asynchronous getaddrinfo_a and IDN). nixio
// never produces them, but gai_strerror names them, so they are here to give
// every code exactly the text glibc would. EAI_OVERFLOW (-12) is missing on
// purpose: glibc's gai_strerror has no text for it and says 'Unknown error'.
const GAI_TEXTS: ReadonlyMap<number, string> = new Map([
  [-1, 'Bad value for ai_flags'],
  [-2, 'Name or service not known'],
  [-3, 'Temporary failure in name resolution'],
  [-4, 'Non-recoverable failure in name resolution'],
  [-5, 'No address associated with hostname'],
  [-6, 'ai_family not supported'],
  [-7, 'ai_socktype not supported'],
  [-8, 'Servname not supported for ai_socktype'],
  [-9, 'Address family for hostname not supported'],
  [-10, 'Memory allocation failure'],
  [-11, 'System error'],
  [-100, 'Processing request in progress'],
  [-101, 'Request canceled'],
  [-102, 'Request not canceled'],
  [-103, 'All requests done'],
  [-104, 'Interrupted by a signal'],
  [-105, 'Parameter string not correctly encoded'],
]);

// strerror and gai_strerror take a C int: nixio passes its Lua integer
// through a plain conversion, which on Linux keeps the low 32 bits. Doing the
// same means an oversized number names the errno C would have seen.
function toCInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${describe(value)}`);
  }
  return value | 0;
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value;
}

/**
 * The text glibc's strerror gives for an errno value on Linux, as
 * `nixio.strerror` returns it and as the third value of a failed nixio call.
 * Values glibc has no text for give `Unknown error N`.
 *
 * @param errno - An errno value, such as the second value of a failed call.
 * @returns glibc's text for it.
 * @throws TypeError when `errno` is not an integer (nixio's
 * luaL_checkinteger raises there too).
 *
 * @example
 * ```ts
 * import nixio from 'luasocket-async/nixio';
 *
 * console.log(nixio.strerror(111)); // Connection refused
 * console.log(nixio.strerror(nixio.const.EAGAIN)); // Resource temporarily unavailable
 * console.log(nixio.strerror(999)); // Unknown error 999
 * ```
 */
export function strerror(errno: number): string {
  const n = toCInt(errno, 'errno');
  return ERRNO_TEXTS[n] ?? `Unknown error ${n}`;
}

/**
 * The text glibc's gai_strerror gives for a getaddrinfo error code, as the
 * third value nixio returns when a name or service lookup fails. Codes glibc
 * does not know give `Unknown error`, with no number, as glibc prints it.
 *
 * @param code - A getaddrinfo error code, one of {@link EAI}'s values.
 * @returns glibc's text for it.
 * @throws TypeError when `code` is not an integer.
 *
 * @example
 * ```ts
 * import nixio from 'luasocket-async/nixio';
 *
 * console.log(nixio.gai_strerror(nixio.EAI.NONAME)); // Name or service not known
 * console.log(nixio.gai_strerror(nixio.const.EAI_AGAIN)); // Temporary failure in name resolution
 * console.log(nixio.gai_strerror(0)); // Unknown error
 * ```
 */
export function gaiStrerror(code: number): string {
  return GAI_TEXTS.get(toCInt(code, 'code')) ?? 'Unknown error';
}
