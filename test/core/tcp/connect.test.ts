import { getEventListeners } from 'node:events';
import { describe, expect, test } from 'vitest';
import {
  bind,
  bindUnix,
  connect,
  connectUnix,
  SocketError,
  tcp,
  unix,
} from '../../../src/index.js';
import { fullListener } from '../../helpers/full-listener.js';
import { activeHandles, leftovers } from '../../helpers/leaks.js';
import { closedPort, hasIPv6, rawServer, rejection, socketError } from '../../helpers/loopback.js';

describe('connect', () => {
  test('connect() resolves to a client connected to the address', async () => {
    await using server = await bind('127.0.0.1', 0);
    const { port } = server.getsockname();
    await using client = await connect('127.0.0.1', port, { timeout: 5 });
    await using conn = await server.accept({ timeout: 5 });
    expect(client.getpeername()).toEqual({ address: '127.0.0.1', port, family: 'inet' });
    expect(client.encoding).toBe('utf8');
    await conn.send('hi\n');
    expect(await client.receive('*l')).toBe('hi');
  });

  test("connect() to a port nobody listens on fails with 'refused'", async () => {
    const port = await closedPort();
    const err = await socketError(connect('127.0.0.1', port));
    expect(err).toBeInstanceOf(SocketError);
    expect(err.code).toBe('refused');
    expect(err.message).toBe('connection refused');
  });

  test("connect() to an unknown host fails with 'noname'", async () => {
    const err = await socketError(connect('nonexistent.invalid', 80));
    expect(err.code).toBe('noname');
    expect(err.message).toBe('host or service not provided, or not known');
  });

  test("connect() from a local address in use fails with 'addrinuse'", async () => {
    await using busy = await rawServer();
    await using target = await rawServer();
    const err = await socketError(
      connect('127.0.0.1', target.port, { localAddress: '127.0.0.1', localPort: busy.port }),
    );
    expect(err.code).toBe('addrinuse');
    expect(err.message).toBe('address already in use');
  });

  test("bind() to an address in use fails with 'addrinuse'", async () => {
    await using busy = await rawServer();
    const err = await socketError(bind('127.0.0.1', busy.port));
    expect(err.code).toBe('addrinuse');
    expect(err.message).toBe('address already in use');
  });

  test('connect() with localAddress and localPort binds the local end', async () => {
    await using target = await rawServer();
    const localPort = await closedPort();
    const accepted = target.accepted();
    await using client = await connect('127.0.0.1', target.port, {
      localAddress: '127.0.0.1',
      localPort,
    });
    expect(client.getsockname()).toEqual({ address: '127.0.0.1', port: localPort, family: 'inet' });
    expect((await accepted).remotePort).toBe(localPort);
  });

  test("connect() to 'localhost' reaches a server on 127.0.0.1 through the resolver's addresses", async () => {
    await using server = await bind('127.0.0.1', 0);
    await using client = await connect('localhost', server.getsockname().port, { timeout: 5 });
    await using conn = await server.accept({ timeout: 5 });
    expect(conn.getpeername()).toEqual(client.getsockname());
  });

  test.skipIf(!hasIPv6)('connect() over IPv6 on ::1 gives an inet6 client', async () => {
    await using server = await bind('::1', 0);
    const { port } = server.getsockname();
    await using client = await connect('::1', port);
    await using conn = await server.accept({ timeout: 5 });
    expect(client.getpeername()).toEqual({ address: '::1', port, family: 'inet6' });
    expect(client.getsockname()).toMatchObject({ address: '::1', family: 'inet6' });
    await client.send('over ::1\n');
    expect(await conn.receive('*l')).toBe('over ::1');
  });

  test("connect() with family 'inet6' refuses an IPv4 literal", async () => {
    const err = await socketError(connect('127.0.0.1', 80, { family: 'inet6' }));
    expect(err).toBeInstanceOf(SocketError);
  });

  test('connect() passes the encoding on to the client', async () => {
    await using server = await bind('127.0.0.1', 0);
    await using client = await connect('127.0.0.1', server.getsockname().port, {
      encoding: 'latin1',
    });
    await using conn = await server.accept({ timeout: 5 });
    expect(client.encoding).toBe('latin1');
    await conn.send(Buffer.from([0xe9, 10]));
    expect(await client.receive('*l')).toBe('é');
  });

  test("connect() with an already aborted signal rejects with the signal's reason", async () => {
    await using server = await bind('127.0.0.1', 0);
    const reason = new Error('cancelled');
    expect(
      await rejection(
        connect('127.0.0.1', server.getsockname().port, { signal: AbortSignal.abort(reason) }),
      ),
    ).toBe(reason);
  });

  test('connect() throws TypeError / RangeError synchronously for bad arguments', () => {
    expect(() => connect('127.0.0.1', 70000)).toThrow(RangeError);
    expect(() => connect('127.0.0.1', -1)).toThrow(RangeError);
    expect(() => connect(42 as unknown as string, 80)).toThrow(TypeError);
    expect(() => connect('', 80)).toThrow(TypeError);
    expect(() => connect('127.0.0.1', 'http' as unknown as number)).toThrow(TypeError);
    expect(() => connect('127.0.0.1', 80, { localPort: 70000 })).toThrow(RangeError);
    expect(() => connect('127.0.0.1', 80, { timeout: 'soon' as unknown as number })).toThrow(
      TypeError,
    );
    expect(() => connect('127.0.0.1', 80, { signal: 'x' as unknown as AbortSignal })).toThrow(
      TypeError,
    );
  });

  test('bind() throws TypeError / RangeError synchronously for bad arguments', () => {
    expect(() => bind('127.0.0.1', 70000)).toThrow(RangeError);
    expect(() => bind(42 as unknown as string, 0)).toThrow(TypeError);
  });

  test("connect({ timeout }) to a listener that never answers fails with 'timeout'", async () => {
    await using silent = await fullListener();
    const err = await socketError(connect('127.0.0.1', silent.port, { timeout: 0.2 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('timeout');
  });

  test("connect({ signal }) aborted while connecting rejects with the signal's reason", async () => {
    await using silent = await fullListener();
    const controller = new AbortController();
    const pending = connect('127.0.0.1', silent.port, { signal: controller.signal });
    const reason = new Error('gave up');
    setTimeout(() => controller.abort(reason), 50);
    expect(await rejection(pending)).toBe(reason);
  });

  test('connect() that times out leaves no socket, timer or abort listener behind', async () => {
    await using silent = await fullListener();
    const before = activeHandles();
    const controller = new AbortController();
    for (let i = 0; i < 3; i++) {
      const err = await socketError(
        connect('127.0.0.1', silent.port, { timeout: 0.05, signal: controller.signal }),
      );
      expect(err.code).toBe('timeout');
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(await leftovers(before)).toEqual([]);
  });

  test('connect() aborted while connecting leaves no socket or timer behind', async () => {
    await using silent = await fullListener();
    const before = activeHandles();
    const controller = new AbortController();
    const pending = connect('127.0.0.1', silent.port, { timeout: 30, signal: controller.signal });
    setImmediate(() => controller.abort(new Error('gave up')));
    expect(await rejection(pending)).toEqual(new Error('gave up'));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(await leftovers(before)).toEqual([]);
  });
});

describe('stream options are checked before a socket exists', () => {
  const bad: [string, object, RegExp][] = [
    ['an unknown encoding', { encoding: 'ascii' }, /Expected `encoding` to be/],
    ['an Object.prototype name', { encoding: 'constructor' }, /Expected `encoding` to be/],
    ['a negative line limit', { maxLineLength: -1 }, /maxLineLength/],
    ['a zero high-water mark', { highWaterMark: 0 }, /highWaterMark/],
  ];

  test.each(bad)(
    'connect(), bind(), tcp(), connectUnix(), bindUnix() and unix() throw at once for %s',
    async (_what, options, message) => {
      const before = activeHandles();
      await using server = await bind('127.0.0.1', 0);
      const { port } = server.getsockname();
      const calls: (() => unknown)[] = [
        () => connect('127.0.0.1', port, options),
        () => bind('127.0.0.1', 0, options),
        () => tcp(options),
        () => connectUnix('/tmp/never-made.sock', options),
        () => bindUnix('/tmp/never-made.sock', options),
        () => unix(options),
      ];
      for (const call of calls) expect(call).toThrow(message);
      // Nothing reached the server: the checks came before any connect.
      expect(server.pending).toBe(0);
      server.close();
      expect(await leftovers(before)).toEqual([]);
    },
  );
});
