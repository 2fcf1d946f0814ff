/**
 * The seam between the core and the layers built on it (`compat/` today):
 * everything those layers use that is not part of the public API. A layer
 * imports the public names from `src/index.ts` and the rest from here, so
 * this one file shows what the core promises its adapters beyond its users.
 * Nothing here is exported from the package.
 *
 * @internal
 * @module
 */

// What failed, and how it is said.
export { hasBrand, toSocketError } from './errors/socket-error.js';
export { checkKeys } from './errors/option-keys.js';

// Receives: the pattern rules, a receive of a pattern parsed already (with
// its synchronous fast path), the codec's character boundaries.
export { countPattern, parsePattern, type ParsedPattern } from './stream/pattern.js';
export { receiveParsed, receiveParsedNow } from './tcp/receive-parsed.js';
export { wideCharacter } from './stream/codec.js';

// Addresses, names and options.
export { ipFamily } from './net/address.js';
export type { AddrInfo, HostInfo } from './net/dns.js';
export { MAX_BUFFER_SIZE, unsupported } from './net/socket-options.js';

// Readiness for a layer's own selectable objects.
export { Notifier, readinessOf } from './select/readiness.js';

// LuaSocket's non-blocking connect: a call that times out while the connect goes on.
export { connectInBackground, PendingConnect, type ConnectOutcome } from './tcp/pending-connect.js';

export { datagramUnsupported } from './unix/path.js';

// TLS for the layers: checked options and contexts made once, and LuaSec's
// `dohandshake`, a handshake that outlives a call that timed out.
export { checkTlsOptions, secureContextOf, serverTls, type ServerTls } from './tls/options.js';
export type { TlsRole } from './tls/secure.js';
export { secureSocketOf, starttlsInBackground } from './tls/secure-stream.js';
