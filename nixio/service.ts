/**
 * How nixio's bind and connect turn their port argument into a port number:
 * nixio hands the argument to getaddrinfo as its service string, so the rules
 * are glibc's, quirks included. Nothing here resolves hosts or opens sockets.
 */

import { readFileSync } from 'node:fs';

/** One protocol's services: a name or alias to its port. */
type Services = ReadonlyMap<string, number>;

/**
 * Service tables by protocol (`tcp`, `udp`, …), as {@link readServices} builds
 * them from /etc/services text.
 *
 * @example
 * ```ts
 * import { readServices, type ServiceTable } from '../../../nixio/service.js';
 *
 * const table: ServiceTable = readServices('ntp 123/udp\n');
 * console.log([...table.keys()]); // [ 'udp' ]
 * ```
 * @internal
 */
export type ServiceTable = ReadonlyMap<string, Services>;

// Used only when /etc/services cannot be read (minimal containers often ship
// without it), so that the common names still work. glibc itself would fail
// every name there; these are Debian's entries, so a host with the file and a
// host without it agree on them.
const FALLBACK_SERVICES = `
echo 7/tcp
echo 7/udp
ftp-data 20/tcp
ftp 21/tcp
ssh 22/tcp
telnet 23/tcp
smtp 25/tcp mail
domain 53/tcp
domain 53/udp
bootps 67/udp
bootpc 68/udp
tftp 69/udp
http 80/tcp www
pop3 110/tcp pop-3
ntp 123/udp
imap2 143/tcp imap
snmp 161/tcp
snmp 161/udp
ldap 389/tcp
ldap 389/udp
https 443/tcp
https 443/udp
syslog 514/udp
submission 587/tcp
ldaps 636/tcp
imaps 993/tcp
pop3s 995/tcp
http-alt 8080/tcp webcache
`;

/**
 * Parses /etc/services text the way glibc's files backend reads it: `#` starts
 * a comment, each line is `name port/protocol [alias…]`, names and aliases
 * match case-sensitively, and the first line naming a service for a protocol
 * wins. Ports keep their low 16 bits, as glibc's htons does.
 *
 * @param text - The contents of a services file.
 * @returns The services of each protocol the text names.
 *
 * @example
 * ```ts
 * import { readServices } from '../../../nixio/service.js';
 *
 * const table = readServices('http 80/tcp www # the web\n');
 * console.log(table.get('tcp')?.get('www')); // 80
 * ```
 * @internal
 */
export function readServices(text: string): ServiceTable {
  const table = new Map<string, Map<string, number>>();
  for (const raw of text.split('\n')) {
    const hash = raw.indexOf('#');
    const fields = (hash === -1 ? raw : raw.slice(0, hash)).split(/[ \t\r\v\f]+/).filter(Boolean);
    const [name, portProto, ...aliases] = fields;
    if (name === undefined || portProto === undefined) continue;
    const m = /^(\d+)\/(\S+)$/.exec(portProto);
    if (!m?.[1] || !m[2]) continue;
    const port = Number(BigInt(m[1]) & 0xffffn);
    let services = table.get(m[2]);
    if (!services) {
      services = new Map<string, number>();
      table.set(m[2], services);
    }
    for (const n of [name, ...aliases]) if (!services.has(n)) services.set(n, port);
  }
  return table;
}

let services: ServiceTable | undefined;

// Read once, on the first name lookup: most scripts pass numeric ports and
// never need the file. Any read failure (missing file, no permission) falls
// back to the built-in table rather than failing the caller's bind.
function systemServices(): ServiceTable {
  if (!services) {
    let text: string;
    try {
      text = readFileSync('/etc/services', 'utf8');
    } catch {
      text = FALLBACK_SERVICES;
    }
    services = readServices(text);
  }
  return services;
}

const ULONG_MAX = (1n << 64n) - 1n;

// glibc's getaddrinfo parses the service with strtoul(service, &end, 10) and
// treats it as a number only if nothing follows. It stores the result in an
// int, and a negative int means "look the string up by name" — so values
// whose low 32 bits are negative as an int (-1, 4294967295, an overflowing
// one that strtoul clamps to ULONG_MAX) become name lookups, while
// 4294967376 is 80. The port then keeps the low 16 bits: 70000 is 4464.
function numericService(service: string): number | undefined {
  // strtoul skips C-locale isspace, takes one optional sign, then digits.
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(service);
  if (!m?.[2]) return undefined;
  let value = BigInt(m[2]);
  if (value > ULONG_MAX) value = ULONG_MAX;
  else if (m[1] === '-') value = -value & ULONG_MAX;
  const asInt = BigInt.asIntN(32, value);
  return asInt < 0n ? undefined : Number(asInt & 0xffffn);
}

/**
 * The port glibc's getaddrinfo gives a service for a socket type, as nixio's
 * bind and connect see it. A number must be a port, 0..65535. A string is a
 * decimal number the way glibc reads it (leading spaces and a sign allowed,
 * nothing after the digits, low 16 bits kept) or else a service name looked
 * up in /etc/services for tcp (`stream`) or udp (`dgram`). The empty string
 * means no service: port 0.
 *
 * @param service - The port argument of nixio's bind or connect.
 * @param type - The socket type, which picks the protocol of the name lookup.
 * @returns The port, or `undefined` where getaddrinfo fails with EAI_SERVICE.
 * @throws RangeError when a numeric `port` is not an integer in 0..65535.
 *
 * @example
 * ```ts
 * import { servicePort } from '../../../nixio/service.js';
 *
 * console.log(servicePort('http', 'stream')); // 80
 * console.log(servicePort('http', 'dgram')); // undefined: http is tcp only
 * console.log(servicePort('70000', 'stream')); // 4464, as glibc gives
 * console.log(servicePort(8080, 'dgram')); // 8080
 * ```
 */
export function servicePort(
  service: string | number,
  type: 'stream' | 'dgram',
): number | undefined {
  if (typeof service === 'number') {
    if (!Number.isInteger(service) || service < 0 || service > 65535) {
      throw new RangeError(`port must be an integer from 0 to 65535, got ${service}`);
    }
    return service;
  }
  if (typeof service !== 'string') {
    throw new TypeError(`service must be a string or a number, got ${typeof service}`);
  }
  // nixio passes a C string: glibc never sees what follows a NUL.
  const nul = service.indexOf('\0');
  const s = nul === -1 ? service : service.slice(0, nul);
  if (s === '') return 0;
  const port = numericService(s);
  if (port !== undefined) return port;
  return systemServices()
    .get(type === 'stream' ? 'tcp' : 'udp')
    ?.get(s);
}
