/**
 * compat/udp.ts on real loopback sockets: LuaSocket's UDP object, its
 * classes, its tuples, and the places where compat answers differently on
 * purpose (closed objects, negative sizes). The twin transcripts against
 * real LuaSocket are in test/interop/compat-udp-luasocket.test.ts.
 */

import { afterEach, describe, expect, it } from 'vitest';
import socket, { UdpObject } from '../../compat/index.js';
import { mismatch } from '../helpers/buffer-sizes.js';
import { hasIPv6 } from '../helpers/loopback.js';

const IP = '127.0.0.1';
const made: UdpObject[] = [];

afterEach(() => {
  for (const u of made.splice(0)) u.close();
});

function udp(kind: 'udp' | 'udp4' | 'udp6' = 'udp'): UdpObject {
  const [u, err] = socket[kind]();
  if (u === null) throw new Error(err);
  made.push(u);
  return u;
}

/** A bound object and its port. */
async function bound(): Promise<[UdpObject, number]> {
  const u = udp();
  expect(await u.setsockname(IP, 0)).toEqual([1, null]);
  u.settimeout(5); // only guards a hang
  return [u, Number(u.getsockname()[1])];
}

describe('socket.udp()', () => {
  it('socket.udp(), udp4() and udp6() return [object, null]', () => {
    for (const kind of ['udp', 'udp4', 'udp6'] as const) {
      const [u, err] = socket[kind]();
      made.push(u as UdpObject);
      expect(err).toBeNull();
      expect(u).toBeInstanceOf(UdpObject);
      expect(String(u)).toBe('udp{unconnected}');
    }
    expect(socket._DATAGRAMSIZE).toBe(8192);
  });

  it('udp() has no socket until its first address: getsockname, getfd and the options say so', () => {
    const u = udp();
    expect(u.getsockname()).toEqual([null, 'Bad file descriptor', null]);
    expect(u.getfd()).toBe(-1);
    expect(u.getfamily()).toBe('inet4');
    expect(u.getoption('broadcast')).toEqual([null, 'getsockopt failed']);
    expect(u.setoption('broadcast', true)).toEqual([null, 'setsockopt failed']);
    expect(udp('udp4').getoption('broadcast')).toEqual([false, null]);
  });

  it.skipIf(!hasIPv6)(
    'udp() takes its family from the first address, as LuaSocket does',
    async () => {
      const u = udp();
      expect(await u.setsockname('::1', 0)).toEqual([1, null]);
      expect(u.getfamily()).toBe('inet6');
      expect(u.getsockname()).toEqual(['::1', expect.any(Number), 'inet6']);
    },
  );
});

describe('UdpObject buffer sizes', () => {
  it("udp() answers LuaSocket's setsockopt/getsockopt failed before its socket exists", () => {
    const u = udp();
    for (const name of ['recv-buffer-size', 'send-buffer-size'] as const) {
      expect(u.setoption(name, 65536)).toEqual([null, 'setsockopt failed']);
      expect(u.getoption(name)).toEqual([null, 'getsockopt failed']);
    }
  });

  it('udp4() takes them before the bind and applies them at it; reading waits for the bind', async () => {
    const u = udp('udp4');
    expect(u.setoption('recv-buffer-size', 65536)).toEqual([1, null]);
    expect(u.setoption('send-buffer-size', 98304)).toEqual([1, null]);
    // LuaSocket reads its new descriptor here; Node.js makes the socket only at the bind.
    expect(u.getoption('recv-buffer-size')).toEqual([
      null,
      'recv-buffer-size: Node.js reads it from a bound socket only (bind first)',
    ]);
    expect(await u.setsockname(IP, 0)).toEqual([1, null]);
    const [rcv] = u.getoption('recv-buffer-size');
    const [snd] = u.getoption('send-buffer-size');
    expect(mismatch('recv-buffer-size', 65536, rcv)).toBe('');
    expect(mismatch('send-buffer-size', 98304, snd)).toBe('');
  });

  it('a bound udp() reads what the kernel made of each size set', async () => {
    const [u] = await bound();
    for (const asked of [8192, 4 * 1024 * 1024]) {
      expect(u.setoption('recv-buffer-size', asked)).toEqual([1, null]);
      expect(mismatch('recv-buffer-size', asked, u.getoption('recv-buffer-size')[0])).toBe('');
    }
  });
});

describe('UdpObject classes', () => {
  it("methods of the other class throw LuaSocket's bad-self errors", async () => {
    const [u, port] = await bound();
    expect(() => u.send('x')).toThrow(
      new TypeError("calling 'send' on bad self (udp{connected} expected)"),
    );
    expect(() => u.getpeername()).toThrow(
      new TypeError("calling 'getpeername' on bad self (udp{connected} expected)"),
    );
    const c = udp();
    expect(await c.setpeername(IP, port)).toEqual([1, null]);
    expect(String(c)).toBe('udp{connected}');
    for (const method of ['sendto', 'receivefrom', 'setsockname'] as const) {
      expect(() => (c[method] as (...a: unknown[]) => unknown)('x', IP, port)).toThrow(
        new TypeError(`calling '${method}' on bad self (udp{unconnected} expected)`),
      );
    }
    expect(await c.setpeername('*')).toEqual([1, null]);
    expect(String(c)).toBe('udp{unconnected}');
  });

  it('gettimeout() answers what settimeout() was given, negative values too', async () => {
    const u = udp();
    expect(u.gettimeout()).toEqual([-1, -1]);
    u.settimeout(-5);
    expect(u.gettimeout()).toEqual([-5, -1]);
    u.settimeout(3, 't');
    u.settimeout(-7, 'r');
    expect(u.gettimeout()).toEqual([-5, -7]);
    expect(await u.setpeername(IP, 9)).toEqual([1, null]);
    expect(u.gettimeout()).toEqual([-5, -7]);
    u.settimeout(null);
    expect(u.gettimeout()).toEqual([-1, -7]);
  });

  it('bad arguments throw as Lua raises them', () => {
    const u = udp();
    expect(() => u.sendto('x', IP, undefined as never)).toThrow(
      "bad argument #3 to 'sendto' (string expected, got no value)",
    );
    expect(() => u.receive('*a')).toThrow(
      "bad argument #1 to 'receive' (number expected, got string)",
    );
    expect(() => u.setpeername(IP)).toThrow(
      "bad argument #2 to 'setpeername' (string expected, got no value)",
    );
    expect(() => u.settimeout(1, 'q')).toThrow(
      "bad argument #2 to 'settimeout' (invalid timeout mode)",
    );
    // LuaSocket answers (nil, 'out of memory') here, a size_t wrap-around: compat refuses the size.
    expect(() => u.receive(-1)).toThrow(RangeError);
    expect(() => u.setfd(3)).toThrow('setfd: not supported by Node.js');
  });
});

describe('UdpObject datagrams', () => {
  it('sendto returns the byte count and receivefrom [datagram, ip, port] with a numeric port', async () => {
    const [a, pa] = await bound();
    const [b, pb] = await bound();
    expect(await a.sendto('hello world', IP, pb)).toEqual([11, null]);
    expect(await b.receivefrom()).toEqual(['hello world', IP, pa]);
    expect(await a.sendto('', IP, String(pb))).toEqual([0, null]);
    expect(await b.receivefrom()).toEqual(['', IP, pa]);
  });

  it('a send-only object learns of an option refused at its bind from its first sendto, which sends nothing', async () => {
    const [b, pb] = await bound();
    const a = udp('udp4'); // socket.udp() has no descriptor to set options on yet, as in LuaSocket
    // A group on an interface this host does not have: refused only once the socket exists.
    expect(
      a.setoption('ip-add-membership', { multiaddr: '239.255.42.7', interface: '192.0.2.1' }),
    ).toEqual([1, null]);
    // LuaSocket refuses it at setoption, with this text; Node.js has no
    // descriptor before the bind, so the first sendto says it and sends nothing.
    expect(await a.sendto('first', IP, pb)).toEqual([null, 'setsockopt failed']);
    expect(await a.sendto('second', IP, pb)).toEqual([6, null]);
    b.settimeout(10);
    expect(await b.receive()).toEqual(['second', null]);
  });

  it("an option the system refuses on a bound object answers LuaSocket's 'setsockopt failed'", async () => {
    const [a] = await bound();
    expect(
      a.setoption('ip-add-membership', { multiaddr: '239.255.42.7', interface: '192.0.2.1' }),
    ).toEqual([null, 'setsockopt failed']);
    expect(a.setoption('ip-add-membership', { multiaddr: IP, interface: IP })).toEqual([
      null,
      'setsockopt failed',
    ]);
    expect(a.setoption('ip-multicast-if', '192.0.2.1')).toEqual([null, 'setsockopt failed']);
  });

  it('getsockname() and getpeername() give the port as a number, unconnected and connected', async () => {
    const [a, pa] = await bound();
    expect(a.getsockname()).toEqual([IP, pa, 'inet']);
    expect(typeof pa).toBe('number');
    const c = udp();
    expect(await c.setpeername(IP, pa)).toEqual([1, null]);
    expect(c.getpeername()).toEqual([IP, pa, 'inet']);
    const [, local] = c.getsockname();
    expect(local).toEqual(expect.any(Number));
    expect(await c.send('x')).toEqual([1, null]);
    expect(await a.receivefrom()).toEqual(['x', IP, local]);
  });

  it('bytes are exact: every byte value; a string above U+00FF is refused, a Buffer of it is not', async () => {
    const [a] = await bound();
    const [b, pb] = await bound();
    const all = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    await a.sendto(all, IP, pb);
    expect(await b.receive()).toEqual([all, null]);
    expect(() => a.sendto('é€', IP, pb)).toThrow(
      /^bad argument #1 to 'sendto' \(byte string expected, got U\+20AC '€' at string index 1;/,
    );
    expect(await a.sendto(Buffer.from('é€'), IP, pb)).toEqual([5, null]);
    expect(await b.receive()).toEqual([Buffer.from('é€').toString('latin1'), null]);
    expect(await a.sendto(new Uint8Array([0, 0xff]), IP, pb)).toEqual([2, null]);
    expect(await b.receive()).toEqual(['\x00\xff', null]);
  });

  it('receive(size) cuts the datagram and drops the rest; the default is 8192 bytes', async () => {
    const [a] = await bound();
    const [b, pb] = await bound();
    await a.sendto('0123456789', IP, pb);
    await a.sendto('x'.repeat(9000), IP, pb);
    expect(await b.receive(5)).toEqual(['01234', null]);
    const [big] = await b.receive();
    expect(big?.length).toBe(8192);
    b.settimeout(0);
    expect(await b.receive()).toEqual([null, 'timeout']);
    expect(await b.receivefrom()).toEqual([null, 'timeout', null]);
  });

  it('sendto takes IP addresses only and answers like getaddrinfo with AI_NUMERICHOST', async () => {
    const [a, pa] = await bound();
    expect(await a.sendto('x', 'localhost', pa)).toEqual([null, 'Name or service not known']);
    expect(await a.sendto('x', IP, 'http')).toEqual([null, 'Name or service not known']);
    expect(await a.sendto('x', '::1', pa)).toEqual([
      null,
      'Address family for hostname not supported',
    ]);
  });

  it('a timeout-0 receive loop lets the event loop run until the datagram comes', async () => {
    const [a] = await bound();
    const [b, pb] = await bound();
    b.settimeout(0);
    let polls = 0;
    let sending: Promise<unknown> = Promise.resolve();
    for (;;) {
      const [d, err] = await b.receive();
      if (err === null) {
        expect(d).toBe('late');
        break;
      }
      expect(err).toBe('timeout');
      // The datagram is sent only after three empty polls: the loop must keep turning.
      if (++polls === 3) sending = a.sendto('late', IP, pb);
    }
    await sending;
    expect(polls).toBeGreaterThanOrEqual(3);
  });

  it("a 'utf8' object sends and receives UTF-8 text", async () => {
    const [a] = socket.udp({ encoding: 'utf8' });
    made.push(a as UdpObject);
    await a!.setsockname(IP, 0);
    const [b, pb] = await bound();
    await a!.sendto('ünï', IP, pb);
    expect(await b.receive()).toEqual([Buffer.from('ünï').toString('latin1'), null]);
  });
});

describe('UdpObject when closed', () => {
  it("a closed object answers 'closed' (LuaSocket's closed UDP answers '', 'refused' and others)", async () => {
    const [u, port] = await bound();
    const pending = u.receive();
    expect(u.close()).toBe(1);
    expect(await pending).toEqual([null, 'closed']);
    expect(String(u)).toBe('udp{closed}');
    expect(await u.receive()).toEqual([null, 'closed']);
    expect(await u.receivefrom()).toEqual([null, 'closed', null]);
    expect(await u.sendto('x', IP, port)).toEqual([null, 'closed']);
    expect(await u.setsockname(IP, 0)).toEqual([null, 'closed']);
    expect(u.getsockname()).toEqual([null, 'Bad file descriptor', null]);
    expect(u.getfd()).toBe(-1);
    expect(u.close()).toBe(1);
  });

  it('dirty() is always false and getstats does not exist, as in LuaSocket', async () => {
    const [u] = await bound();
    expect(u.dirty()).toBe(false);
    expect('getstats' in u).toBe(false);
  });
});
