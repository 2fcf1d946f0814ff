/**
 * The option table of UDP objects. Options that Node.js only accepts on a
 * bound socket are kept and applied when the socket is bound, so they can be
 * set in any order, as in LuaSocket.
 *
 * @module
 */

import type { Socket as DgramSocket } from 'node:dgram';
import { unsupported, type Membership, type OptionTable } from '../net/socket-options.js';
import { bufferSizeTable, type BoundHost } from './buffer-sizes.js';

/** @internal What the table needs from its UDP object. */
export interface UdpOptionHost extends BoundHost {
  /** True once the dgram socket exists: creation-time options are fixed then. */
  created(): boolean;
  /** Creation-time settings, read when the socket is created. */
  readonly settings: { reuseaddr: boolean; ipv6Only: boolean };
  readonly family: 'inet' | 'inet6';
}

/** @internal Options applied when the socket is bound, and the ones kept until then. */
export class BoundOptions {
  #socket: DgramSocket | undefined;
  #kept: ((socket: DgramSocket) => void)[] = [];

  /** The socket once bound, else undefined. */
  get socket(): DgramSocket | undefined {
    return this.#socket;
  }

  /** True while options wait for the bind. */
  get waiting(): boolean {
    return this.#kept.length > 0;
  }

  /** Applies now if the socket is bound, else keeps `apply` for the bind. */
  run(apply: (socket: DgramSocket) => void): void {
    if (this.#socket !== undefined) apply(this.#socket);
    else this.#kept.push(apply);
  }

  /** The socket is bound: applies what was kept; each failure goes to `fail`, the rest still run. */
  bound(socket: DgramSocket, fail: (err: unknown) => void): void {
    this.#socket = socket;
    for (const apply of this.#kept.splice(0)) {
      try {
        apply(socket);
      } catch (err) {
        fail(err);
      }
    }
  }
}

/** The `ipv6-*` names: on an inet socket there is nothing for them to set. */
const IPV6_ONLY = [
  'ipv6-v6only',
  'ipv6-unicast-hops',
  'ipv6-multicast-hops',
  'ipv6-multicast-loop',
  'ipv6-add-membership',
  'ipv6-drop-membership',
] as const;

/**
 * @internal Options of a UDP socket, with LuaSocket's defaults. On an inet6
 * socket the `ip-*` names act as their IPv6 counterparts (Node.js picks the
 * level by the socket's family); on an inet socket the `ipv6-*` names answer
 * `unsupported`, where LuaSocket answers "setsockopt failed".
 */
export function udpOptionTable(host: UdpOptionHost): OptionTable {
  const table = ipTable(host);
  if (host.family === 'inet6') return table;
  const refuse = (name: string) => (): never => {
    throw unsupported(name, 'an IPv6 option, and this socket is inet');
  };
  const inet: { -readonly [K in keyof OptionTable]: OptionTable[K] } = { ...table };
  for (const name of IPV6_ONLY) inet[name] = { set: refuse(name), get: refuse(name) };
  return inet;
}

function ipTable(host: UdpOptionHost): OptionTable {
  const v6 = host.family === 'inet6';
  const state = {
    broadcast: false,
    loop: true,
    multicastIf: v6 ? '::' : '0.0.0.0',
    ttl: 1,
    hops: 64,
  };
  const beforeCreate = (name: string, apply: () => void): void => {
    if (host.created())
      throw unsupported(name, 'Node.js sets it only before the socket is bound or connected');
    apply();
  };
  const membership = (add: boolean) => (m: Membership) =>
    host.whenBound((s) => {
      const iface =
        m.interface === '*' || m.interface === '0.0.0.0' || m.interface === '::'
          ? undefined
          : m.interface;
      if (add) s.addMembership(m.multiaddr, iface);
      else s.dropMembership(m.multiaddr, iface);
    });
  const loop = {
    set: (v: boolean) => {
      state.loop = v;
      host.whenBound((s) => s.setMulticastLoopback(v));
    },
    get: () => state.loop,
  };
  return {
    broadcast: {
      set: (v) => {
        state.broadcast = v;
        host.whenBound((s) => s.setBroadcast(v));
      },
      get: () => state.broadcast,
    },
    reuseaddr: {
      set: (v) => beforeCreate('reuseaddr', () => void (host.settings.reuseaddr = v)),
      get: () => host.settings.reuseaddr,
    },
    'ipv6-v6only': {
      set: (v) => beforeCreate('ipv6-v6only', () => void (host.settings.ipv6Only = v)),
      get: () => host.settings.ipv6Only,
    },
    'ip-multicast-loop': loop,
    'ipv6-multicast-loop': loop,
    'ip-multicast-if': {
      set: (v) => {
        state.multicastIf = v;
        host.whenBound((s) => s.setMulticastInterface(v));
      },
      get: () => state.multicastIf,
    },
    'ip-multicast-ttl': {
      set: (v) => {
        state.ttl = v;
        host.whenBound((s) => s.setMulticastTTL(v));
      },
      get: () => state.ttl,
    },
    'ipv6-multicast-hops': {
      set: (v) => {
        state.ttl = v;
        host.whenBound((s) => s.setMulticastTTL(v));
      },
      get: () => state.ttl,
    },
    'ipv6-unicast-hops': {
      set: (v) => {
        if (v === 0) throw unsupported('ipv6-unicast-hops', 'Node.js takes 1..255');
        state.hops = v;
        host.whenBound((s) => s.setTTL(v));
      },
      get: () => state.hops,
    },
    ...bufferSizeTable(host),
    'ip-add-membership': { set: membership(true) },
    'ip-drop-membership': { set: membership(false) },
    'ipv6-add-membership': { set: membership(true) },
    'ipv6-drop-membership': { set: membership(false) },
  };
}
