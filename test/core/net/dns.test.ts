import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { clock } from '../../../src/time/clock.js';
import { connect, dns, SocketError } from '../../../src/index.js';

const realSetTimeout = clock.setTimeout;

afterEach(() => {
  clock.setTimeout = realSetTimeout;
});

async function failure(p: Promise<unknown>): Promise<SocketError> {
  const err = await p.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  if (!(err instanceof SocketError)) throw err;
  return err;
}

describe('dns', () => {
  it('gethost() resolves a name forward and an IPv4 address in reverse, IPv4 only', async () => {
    expect(await dns.gethost('localhost')).toEqual({
      name: 'localhost',
      alias: [],
      ip: ['127.0.0.1'],
    });
    const byAddress = await dns.gethost('127.0.0.1');
    expect(byAddress.ip).toEqual(['127.0.0.1']);
    expect(typeof byAddress.name).toBe('string');
    // inet_aton reads '2130706433' as 127.0.0.1, and so does gethost.
    expect((await dns.gethost('2130706433')).ip).toEqual(['127.0.0.1']);
  });

  it('gethost() fails with hostnotfound ("host not found") when nothing is found', async () => {
    for (const host of ['nonexistent.invalid', '::1', '', '192.0.2.1']) {
      const err = await failure(dns.gethost(host));
      expect([err.code, err.message]).toEqual(['hostnotfound', 'host not found']);
    }
  });

  it('toip() and tohostname() take the first address and the name', async () => {
    expect(await dns.toip('localhost')).toBe('127.0.0.1');
    expect(await dns.tohostname('localhost')).toBe('localhost');
  });

  it('getaddrinfo() lists both families with LuaSocket’s keys; noname for what does not resolve', async () => {
    expect(await dns.getaddrinfo('::1')).toEqual([{ family: 'inet6', addr: '::1' }]);
    expect(await dns.getaddrinfo('localhost')).toContainEqual({
      family: 'inet',
      addr: '127.0.0.1',
    });
    for (const host of ['nonexistent.invalid', '*', '']) {
      const err = await failure(dns.getaddrinfo(host));
      expect([err.code, err.message]).toEqual([
        'noname',
        'host or service not provided, or not known',
      ]);
    }
  });

  it('getnameinfo() names each address (numerically when unnamed) and the port’s service', async () => {
    expect(await dns.getnameinfo('127.0.0.1', 80)).toEqual({
      names: [expect.any(String)],
      service: 'http',
    });
    expect(await dns.getnameinfo('192.0.2.1')).toEqual({
      names: ['192.0.2.1'],
      service: undefined,
    });
    expect(await dns.getnameinfo(undefined, '22')).toEqual({ names: [], service: 'ssh' });
    expect((await failure(dns.getnameinfo('nonexistent.invalid'))).code).toBe('noname');
    expect(() => dns.getnameinfo(undefined)).toThrow(TypeError);
    expect(() => dns.getnameinfo('localhost', 70000)).toThrow(RangeError);
  });

  it('gethostname() is os.hostname()', () => {
    expect(dns.gethostname()).toBe(hostname());
  });

  it('toip() with { timeout } fails with timeout when the lookup outlasts it', async () => {
    // The clock's timer fires at once: only the deadline can have ended the call.
    clock.setTimeout = (fn) => {
      queueMicrotask(fn);
      return realSetTimeout(() => undefined, 0);
    };
    const err = await failure(dns.toip('localhost', { timeout: 5 }));
    expect([err.code, err.message]).toEqual(['timeout', 'timeout']);
  });

  it('getaddrinfo() with an aborted signal rejects with the signal’s reason, before and during the lookup', async () => {
    const reason = new Error('stop');
    await expect(dns.getaddrinfo('localhost', { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    const controller = new AbortController();
    const pending = dns.getaddrinfo('localhost', { signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('toip() throws a TypeError for a host that is not a string, and for bad options', () => {
    expect(() => dns.toip(123 as unknown as string)).toThrow(TypeError);
    expect(() => dns.toip('localhost', { timeout: 'x' as unknown as number })).toThrow(TypeError);
  });

  const lookups = {
    gethost: (o: dns.DnsOptions) => dns.gethost('localhost', o),
    toip: (o: dns.DnsOptions) => dns.toip('localhost', o),
    tohostname: (o: dns.DnsOptions) => dns.tohostname('127.0.0.1', o),
    getaddrinfo: (o: dns.DnsOptions) => dns.getaddrinfo('localhost', o),
    getnameinfo: (o: dns.DnsOptions) => dns.getnameinfo('127.0.0.1', 80, o),
    'connect (its name lookup)': (o: dns.DnsOptions) => connect('localhost', 1, o),
  };

  for (const [name, lookup] of Object.entries(lookups)) {
    it(`${name}() takes { signal }: the signal's reason, before and during the lookup`, async () => {
      const reason = new Error('stop');
      await expect(lookup({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      const controller = new AbortController();
      const pending = lookup({ signal: controller.signal });
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
    });

    it(`${name}() takes { timeout }: timeout when the lookup outlasts it`, async () => {
      // The clock's timers fire at once: only the deadline can have ended the call.
      clock.setTimeout = (fn) => {
        queueMicrotask(fn);
        return realSetTimeout(() => undefined, 0);
      };
      const err = await failure(lookup({ timeout: 5 }));
      expect([err.code, err.message]).toEqual(['timeout', 'timeout']);
    });
  }

  it('every error of a lookup carries LuaSocket’s string for its code', async () => {
    const cases: [() => Promise<unknown>, string][] = [
      [() => dns.toip('nonexistent.invalid'), 'host not found'],
      [() => dns.tohostname('192.0.2.1'), 'host not found'],
      [() => dns.getaddrinfo('nonexistent.invalid'), 'host or service not provided, or not known'],
      [() => dns.getnameinfo('nonexistent.invalid'), 'host or service not provided, or not known'],
      [() => connect('nonexistent.invalid', 80), 'host or service not provided, or not known'],
    ];
    for (const [call, message] of cases) expect((await failure(call())).message).toBe(message);
  });
});
