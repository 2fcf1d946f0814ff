import { describe, expect, test } from 'vitest';
import { connectInOrder } from '../../../src/tcp/connect.js';
import { bind, connect, dns, tcp, udp } from '../../../src/index.js';
import { hasIPv6, rawServer, socketError } from '../../helpers/loopback.js';

/** Whether this machine's resolver maps 'localhost' to ::1 as well. */
const localhostHasV6 = (await dns.getaddrinfo('localhost')).some((a) => a.addr === '::1');
if (!localhostHasV6)
  console.warn(
    "[ipv6] 'localhost' resolves to IPv4 only here: the ::1-only 'localhost' test is skipped",
  );

const NO_V6 = 'skipped: this machine cannot listen on ::1';

describe.skipIf(!hasIPv6)(`IPv6 in the core (${hasIPv6 ? '::1 available' : NO_V6})`, () => {
  test("bind('::1') and connect('::1'): getsockname()/getpeername() report 'inet6' on both ends", async () => {
    await using server = await bind('::1', 0);
    const { address, port, family } = server.getsockname();
    expect([address, family]).toEqual(['::1', 'inet6']);
    await using client = await connect('::1', port, { timeout: 5 });
    await using conn = await server.accept({ timeout: 5 });
    expect(client.getpeername()).toEqual({ address: '::1', port, family: 'inet6' });
    expect(client.getsockname()).toMatchObject({ address: '::1', family: 'inet6' });
    expect(conn.getpeername()).toEqual(client.getsockname());
    await client.send('over six\r\n');
    expect(await conn.receive('*l')).toBe('over six');
  });

  test("bind('::') listens on the IPv6 wildcard; '*' with family inet6 means '::'", async () => {
    await using server = await bind('::', 0);
    expect(server.getsockname()).toMatchObject({ address: '::', family: 'inet6' });
    await using client = await connect('::1', server.getsockname().port);
    await using conn = await server.accept({ timeout: 5 });
    expect(conn.getsockname().family).toBe('inet6');
    const master = tcp({ family: 'inet6' });
    try {
      await master.bind('*', 0);
      expect(master.getsockname()).toMatchObject({ address: '::', family: 'inet6' });
    } finally {
      master.close();
    }
    expect(client.closed).toBe(false);
  });

  test("bind('::') is dual-stack unless ipv6Only: an IPv4 client arrives as ::ffff:127.0.0.1", async () => {
    await using dual = await bind('::', 0);
    await using v4 = await connect('127.0.0.1', dual.getsockname().port);
    await using conn = await dual.accept({ timeout: 5 });
    expect(conn.getpeername()).toMatchObject({ address: '::ffff:127.0.0.1', family: 'inet6' });
    expect(dual.getoption('ipv6-v6only')).toBe(false);
    await using only = await bind('::', 0, { ipv6Only: true });
    expect(only.getoption('ipv6-v6only')).toBe(true);
    expect((await socketError(connect('127.0.0.1', only.getsockname().port))).code).toBe('refused');
    expect(v4.closed).toBe(false);
  });

  test("tcp({ family: 'inet6' }) is v6-only (LuaSocket's default) and connects over ::1", async () => {
    await using server = await bind('::1', 0);
    const master = tcp({ family: 'inet6' });
    expect(master.getoption('ipv6-v6only')).toBe(true);
    await using client = await master.connect('::1', server.getsockname().port, { timeout: 5 });
    await using conn = await server.accept({ timeout: 5 });
    expect(client.getsockname().family).toBe('inet6');
    expect(conn.getpeername()).toEqual(client.getsockname());
  });

  test("{ family } filters: an IPv4 literal under 'inet6' fails with getaddrinfo's message", async () => {
    const err = await socketError(connect('127.0.0.1', 1, { family: 'inet6' }));
    expect([err.code, err.message]).toEqual([
      'system',
      'Address family for hostname not supported',
    ]);
    const master = tcp({ family: 'inet6' });
    try {
      expect((await socketError(master.bind('127.0.0.1', 0))).message).toBe(
        'Address family for hostname not supported',
      );
    } finally {
      master.close();
    }
  });

  test("udp({ family: 'inet6' }): '::1' for setsockname, sendto and setpeername; names say 'inet6'", async () => {
    await using a = udp({ family: 'inet6' });
    await using b = udp({ family: 'inet6' });
    await a.setsockname('::1', 0);
    const { port, family } = a.getsockname();
    expect(family).toBe('inet6');
    expect(await b.sendto('ping', '::1', port)).toBe(4);
    const dgram = await a.receivefrom(8192, { timeout: 5 });
    expect([dgram.data, dgram.address]).toEqual(['ping', '::1']);
    expect(b.getsockname()).toMatchObject({ family: 'inet6' });
    await a.setpeername('::1', dgram.port);
    expect(a.getpeername()).toEqual({ address: '::1', port: dgram.port, family: 'inet6' });
    await a.send('pong');
    expect(await b.receive(8192, { timeout: 5 })).toBe('pong');
    await using wild = udp({ family: 'inet6' });
    await wild.setsockname('::', 0);
    expect(wild.getsockname()).toMatchObject({ address: '::', family: 'inet6' });
  });
});

describe.skipIf(!hasIPv6)(
  `Several addresses are tried in the resolver's order (${hasIPv6 ? 'dual stack' : NO_V6})`,
  () => {
    const v6 = { address: '::1', family: 'inet6' } as const;
    const v4 = { address: '127.0.0.1', family: 'inet' } as const;
    const settings = { block: undefined, total: undefined };

    test('connectInOrder() passes a refused ::1 and connects to 127.0.0.1 (server on 127.0.0.1 only)', async () => {
      await using server = await rawServer('127.0.0.1');
      await using client = await connectInOrder([v6, v4], server.port, {}, settings);
      expect(client.getpeername()).toEqual({
        address: '127.0.0.1',
        port: server.port,
        family: 'inet',
      });
    });

    test('connectInOrder() passes a refused 127.0.0.1 and connects to ::1 (server on ::1 only)', async () => {
      await using server = await rawServer('::1');
      await using client = await connectInOrder([v4, v6], server.port, {}, settings);
      expect(client.getpeername()).toEqual({ address: '::1', port: server.port, family: 'inet6' });
    });

    test('connectInOrder() takes the first address that answers, and fails with the last error', async () => {
      await using server = await bind('::', 0);
      const port = server.getsockname().port;
      await using first = await connectInOrder([v6, v4], port, {}, settings);
      await using second = await connectInOrder([v4, v6], port, {}, settings);
      expect(first.getpeername().family).toBe('inet6');
      expect(second.getpeername().family).toBe('inet');
      server.close();
      for (const conn of [first, second]) conn.close();
      expect((await socketError(connectInOrder([v6, v4], port, {}, settings))).code).toBe(
        'refused',
      );
    });

    test("connect('localhost') reaches a server on 127.0.0.1 only", async () => {
      await using server = await rawServer('127.0.0.1');
      await using client = await connect('localhost', server.port, { timeout: 5 });
      expect(client.getpeername().address).toBe('127.0.0.1');
    });

    test.skipIf(!localhostHasV6)(
      `connect('localhost') reaches a server on ::1 only${localhostHasV6 ? '' : " (skipped: 'localhost' resolves to 127.0.0.1 only on this machine)"}`,
      async () => {
        await using server = await rawServer('::1');
        await using client = await connect('localhost', server.port, { timeout: 5 });
        expect(client.getpeername().address).toBe('::1');
      },
    );
  },
);
