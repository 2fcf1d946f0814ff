/**
 * Every option name of each nixio level, on each kind of socket: it works
 * through the core (and reads back what was set) or answers ENOPROTOOPT;
 * nothing is silently ignored, and unknown names throw as nixio raises.
 */

import { afterEach, describe, expect, it } from 'vitest';
import nixio, { type NixioSocket } from '../../nixio/index.js';
import { OPTION_LEVELS, type OptionLevel } from '../../nixio/options.js';

const open: NixioSocket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const NOT_AVAILABLE = [null, 92, 'Protocol not available'];

/** A connected TCP pair's client, a listening server, and a bound UDP socket. */
async function kinds(): Promise<Record<'client' | 'server' | 'udp' | 'udp6', NixioSocket>> {
  const [server] = await nixio.bind('127.0.0.1', 0);
  await server!.listen(4);
  const [, port] = server!.getsockname();
  const [client] = await nixio.connect('127.0.0.1', port);
  const [udp] = await nixio.bind('127.0.0.1', 0, 'inet', 'dgram');
  const [udp6] = await nixio.bind('::1', 0, 'inet6', 'dgram');
  open.push(server!, client!, udp!, udp6!);
  return { client: client!, server: server!, udp: udp!, udp6: udp6! };
}

// What each name answers where the core can do it: the value set and the
// value read back (Linux doubles buffer sizes).
const ROUND_TRIPS: Record<string, { kinds: string[]; set: unknown; get: (v: unknown) => boolean }> =
  {
    'socket.keepalive': { kinds: ['client', 'server'], set: 1, get: (v) => v === 1 },
    'socket.reuseaddr': { kinds: ['server'], set: 1, get: (v) => v === 1 },
    'socket.linger': { kinds: ['client'], set: 0, get: (v) => v === 0 },
    'socket.rcvbuf': { kinds: ['udp'], set: 65536, get: (v) => v === 131072 },
    'socket.sndbuf': { kinds: ['udp'], set: 65536, get: (v) => v === 131072 },
    'socket.broadcast': { kinds: ['udp'], set: 1, get: (v) => v === 1 },
    'socket.rcvtimeo': { kinds: ['client', 'udp'], set: 2, get: (v) => v === 2 },
    'socket.sndtimeo': { kinds: ['client', 'udp'], set: 3, get: (v) => v === 3 },
    'tcp.nodelay': { kinds: ['client', 'server'], set: 1, get: (v) => v === 1 },
    'ip.multicast_ttl': { kinds: ['udp'], set: 4, get: (v) => v === 4 },
    'ip.multicast_loop': { kinds: ['udp'], set: 0, get: (v) => v === 0 },
    'ipv6.multicast_hops': { kinds: ['udp6'], set: 3, get: (v) => v === 3 },
    'ipv6.multicast_loop': { kinds: ['udp6'], set: 0, get: (v) => v === 0 },
  };

describe('getopt / setopt', () => {
  const names = Object.entries(OPTION_LEVELS).flatMap(([level, list]) =>
    list.map((name) => [level as OptionLevel, name] as const),
  );

  it.each(names)('%s.%s answers on every kind of socket, never ignored', async (level, name) => {
    const sockets = await kinds();
    const key = `${level}.${name}`;
    const trip = ROUND_TRIPS[key];
    for (const [kind, sock] of Object.entries(sockets)) {
      const got = sock.getopt(level, name);
      // A read is a number, or an errno tuple: never undefined, never a throw.
      if (got[0] === null) expect(typeof got[1]).toBe('number');
      else expect(typeof got[0]).toMatch(/number|string/);
      if (trip?.kinds.includes(kind) === true) {
        expect(sock.setopt(level, name, trip.set)).toEqual([true, null, null]);
        const [value] = sock.getopt(level, name);
        expect(trip.get(value), `${kind} ${key} read back ${String(value)}`).toBe(true);
      }
    }
  });

  it('names Node.js cannot set answer ENOPROTOOPT on every socket', async () => {
    const sockets = await kinds();
    const none: [OptionLevel, string, unknown][] = [
      ['socket', 'priority', 1],
      ['socket', 'oobinline', 1],
      ['socket', 'bindtodevice', 'lo'],
      ['tcp', 'cork', 1],
      ['ip', 'mtu', 1500],
      ['ip', 'hdrincl', 1],
      ['ipv6', 'mtu', 1500],
      ['ipv6', 'multicast_if', 1],
    ];
    for (const sock of Object.values(sockets))
      for (const [level, name, value] of none) {
        expect(sock.setopt(level, name, value)).toEqual(NOT_AVAILABLE);
        expect(sock.getopt(level, name)).toEqual(NOT_AVAILABLE);
      }
    // Node.js lingers only with a timeout of 0 (a reset on close), which
    // nixio cannot ask for: its 0 turns lingering off.
    expect(sockets.client.setopt('socket', 'linger', 5)).toEqual(NOT_AVAILABLE);
    // reuseaddr is set before a datagram socket binds, as nixio.bind does.
    expect(sockets.udp.setopt('socket', 'reuseaddr', 1)).toEqual(NOT_AVAILABLE);
    // Stream buffer sizes are out of Node.js's reach; datagram ones are not.
    expect(sockets.client.setopt('socket', 'rcvbuf', 65536)).toEqual(NOT_AVAILABLE);
    expect(sockets.client.setopt('ipv6', 'v6only', 1)).toEqual(NOT_AVAILABLE);
  });

  it('socket.error is 0 on a healthy socket and cannot be set', async () => {
    const { client } = await kinds();
    expect(client.getopt('socket', 'error')).toEqual([0, null, null]);
    expect(client.setopt('socket', 'error', 1)).toEqual(NOT_AVAILABLE);
  });

  it('v6only on a fresh inet6 socket', () => {
    const [sock] = nixio.socket('inet6', 'stream');
    open.push(sock!);
    expect(sock!.setopt('ipv6', 'v6only', 1)).toEqual([true, null, null]);
    expect(sock!.getopt('ipv6', 'v6only')).toEqual([1, null, null]);
  });

  it('multicast membership joins and leaves through the core', async () => {
    const { udp } = await kinds();
    const [fresh] = await nixio.bind('0.0.0.0', 0, 'inet', 'dgram');
    open.push(fresh!);
    const joined = fresh!.setopt('ip', 'add_membership', '239.255.0.77', '0.0.0.0');
    // A host without a multicast route answers the kernel's errno, not a throw.
    if (joined[0] === true)
      expect(fresh!.setopt('ip', 'drop_membership', '239.255.0.77')).toEqual([true, null, null]);
    else expect(typeof joined[1]).toBe('number');
    expect(() => udp.setopt('ip', 'add_membership', 5)).toThrow(TypeError);
  });

  it('unknown levels and names throw, listing the supported values', async () => {
    const { client } = await kinds();
    expect(() => client.getopt('sctp' as OptionLevel, 'nodelay')).toThrow(
      /level: supported values: socket, tcp, ip, ipv6/,
    );
    expect(() => client.setopt('tcp', 'quickack', 1)).toThrow(
      /option: supported values: cork, nodelay/,
    );
    expect(() => client.setopt('socket', 'keepalive', 'yes')).toThrow(TypeError);
    expect(client.getsockopt('tcp', 'nodelay')).toEqual(client.getopt('tcp', 'nodelay'));
    expect(client.setsockopt('tcp', 'nodelay', 0)).toEqual([true, null, null]);
  });
});
