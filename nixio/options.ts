/**
 * nixio's `getopt` / `setopt` names by level, each mapped to the core's
 * option of the same meaning; a name the core cannot set on Node.js answers
 * ENOPROTOOPT ("Protocol not available", nixio's own answer for an option
 * its platform lacks), and an unknown level or name throws, as nixio raises.
 *
 * @internal
 * @module
 */

import { constants as os } from 'node:os';
import type { Membership, OptionName, OptionValues } from '../src/index.js';
import type { OptionTarget } from './backend.js';
import { error, fault, ok, type NixioError, type NixioResult } from './result.js';

const E = os.errno;

/** nixio's levels and, for each, its option names in nixio's order. */
export const OPTION_LEVELS = {
  socket: [
    'keepalive',
    'reuseaddr',
    'reuseport',
    'rcvbuf',
    'sndbuf',
    'priority',
    'broadcast',
    'dontroute',
    'error',
    'oobinline',
    'linger',
    'sndtimeo',
    'rcvtimeo',
    'bindtodevice',
  ],
  tcp: ['cork', 'nodelay'],
  ip: [
    'mtu',
    'hdrincl',
    'multicast_loop',
    'multicast_ttl',
    'multicast_if',
    'add_membership',
    'drop_membership',
  ],
  ipv6: [
    'mtu',
    'v6only',
    'multicast_loop',
    'multicast_hops',
    'multicast_if',
    'add_membership',
    'drop_membership',
  ],
} as const satisfies Record<OptionLevel, readonly string[]>;

/** The levels of nixio's `setopt` / `getopt`. */
export type OptionLevel = 'socket' | 'tcp' | 'ip' | 'ipv6';

/** How one nixio name reaches the core. */
type Mapping =
  | { readonly kind: 'flag'; readonly core: OptionName }
  | { readonly kind: 'int'; readonly core: OptionName }
  | { readonly kind: 'linger' | 'error' | 'membership'; readonly core: OptionName };

const MAP: Readonly<Record<string, Mapping>> = {
  'socket.keepalive': { kind: 'flag', core: 'keepalive' },
  'socket.reuseaddr': { kind: 'flag', core: 'reuseaddr' },
  'socket.reuseport': { kind: 'flag', core: 'reuseport' },
  'socket.rcvbuf': { kind: 'int', core: 'recv-buffer-size' },
  'socket.sndbuf': { kind: 'int', core: 'send-buffer-size' },
  'socket.broadcast': { kind: 'flag', core: 'broadcast' },
  'socket.dontroute': { kind: 'flag', core: 'dontroute' },
  'socket.error': { kind: 'error', core: 'error' },
  'socket.linger': { kind: 'linger', core: 'linger' },
  'tcp.nodelay': { kind: 'flag', core: 'tcp-nodelay' },
  'ip.multicast_loop': { kind: 'flag', core: 'ip-multicast-loop' },
  'ip.multicast_ttl': { kind: 'int', core: 'ip-multicast-ttl' },
  'ip.multicast_if': { kind: 'int', core: 'ip-multicast-if' },
  'ip.add_membership': { kind: 'membership', core: 'ip-add-membership' },
  'ip.drop_membership': { kind: 'membership', core: 'ip-drop-membership' },
  'ipv6.v6only': { kind: 'flag', core: 'ipv6-v6only' },
  'ipv6.multicast_loop': { kind: 'flag', core: 'ipv6-multicast-loop' },
  'ipv6.multicast_hops': { kind: 'int', core: 'ipv6-multicast-hops' },
  'ipv6.add_membership': { kind: 'membership', core: 'ipv6-add-membership' },
  'ipv6.drop_membership': { kind: 'membership', core: 'ipv6-drop-membership' },
};

/**
 * @internal Checks `level` and `option` as nixio does.
 * @throws TypeError naming the argument and listing the supported values
 */
export function checkOption(level: unknown, option: unknown): string {
  if (typeof level !== 'string' || !(level in OPTION_LEVELS))
    throw new TypeError(`level: supported values: ${Object.keys(OPTION_LEVELS).join(', ')}`);
  const names: readonly string[] = OPTION_LEVELS[level as OptionLevel];
  if (typeof option !== 'string' || !names.includes(option))
    throw new TypeError(`option: supported values: ${names.join(', ')}`);
  return `${level}.${option}`;
}

const flag = (v: unknown, what: string): boolean => {
  if (typeof v === 'boolean') return v;
  if (Number.isInteger(v)) return v !== 0;
  throw new TypeError(`${what}: an integer (or boolean) expected`);
};

const int = (v: unknown, what: string): number => {
  if (!Number.isInteger(v)) throw new TypeError(`${what}: an integer expected`);
  return v as number;
};

/** @internal `setopt` on the core object, for a name {@link checkOption} accepted. */
export function setOption(
  target: OptionTarget,
  key: string,
  value: unknown,
  extra: unknown,
): NixioResult<true, null, null, NixioError> {
  const mapping = MAP[key];
  if (mapping === undefined) return fault(E.ENOPROTOOPT);
  let coreValue: OptionValues[OptionName];
  switch (mapping.kind) {
    case 'flag':
      coreValue = flag(value, 'value');
      break;
    case 'int':
      coreValue = key === 'ip.multicast_if' ? String(value) : int(value, 'value');
      break;
    case 'linger': {
      const seconds = int(value, 'value');
      coreValue = { on: seconds > 0, timeout: Math.max(0, seconds) };
      break;
    }
    case 'membership': {
      if (typeof value !== 'string') throw new TypeError('value: a multicast address expected');
      const iface = extra ?? (key.startsWith('ipv6') ? 0 : '0.0.0.0');
      const v6 = key.startsWith('ipv6');
      if (!v6 && typeof iface !== 'string')
        throw new TypeError('interface: an IPv4 address expected');
      coreValue = membership(value, v6 ? v6Interface(iface) : (iface as string));
      break;
    }
    case 'error':
      // SO_ERROR is read only: setsockopt(2) refuses it.
      return fault(E.ENOPROTOOPT);
  }
  try {
    target.setoption(mapping.core, coreValue);
    return ok(true);
  } catch (err) {
    return error(err);
  }
}

/** @internal `getopt` on the core object: integers where nixio answers integers. */
export function getOption(
  target: OptionTarget,
  key: string,
): NixioResult<number | string, null, null, NixioError> {
  const mapping = MAP[key];
  if (mapping === undefined || mapping.kind === 'membership') return fault(E.ENOPROTOOPT);
  try {
    const value = target.getoption(mapping.core);
    if (typeof value === 'boolean') return ok(value ? 1 : 0);
    if (typeof value === 'number' || typeof value === 'string') return ok(value);
    if (value === null) return ok(0);
    const linger = value as OptionValues['linger'];
    return ok(linger.on ? linger.timeout : 0);
  } catch (err) {
    return error(err);
  }
}

function membership(multiaddr: string, iface: string): Membership {
  return { multiaddr, interface: iface };
}

// nixio takes an interface index for IPv6; the core takes an address, and
// index 0 ("any") is the only one with an address of its own.
function v6Interface(iface: unknown): string {
  if (iface === 0 || iface === '0' || iface === '::') return '::';
  if (typeof iface === 'string') return iface;
  throw new RangeError('interface: only 0 (any) or an address is supported on Node.js');
}
