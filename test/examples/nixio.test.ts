/**
 * The nixio examples (examples/nixio/echo-server.ts and
 * examples/nixio/udp-client.ts) run as programs, against peers of the core
 * on loopback: core TCP clients check that the echo server gives back every
 * byte as it came, and core UDP sockets answer the UDP client, or do not.
 */

import { describe, expect, test } from 'vitest';
import { bind, connect, udp, SocketError, type UdpSocket } from '../../src/index.js';
import { startExample, type ExampleProcess } from '../helpers/example-process.js';
import { socketError } from '../helpers/loopback.js';

const ECHO = 'examples/nixio/echo-server.ts';
const UDP = 'examples/nixio/udp-client.ts';

/** Reads "listening on <ip> <port>" and returns the port. */
async function listening(example: ExampleProcess, ip = '127.0.0.1'): Promise<number> {
  const first = await example.line();
  const match = /^listening on (\S+) (\d+)$/.exec(first);
  if (match === null)
    throw new Error(`expected "listening on <ip> <port>", got ${JSON.stringify(first)}`);
  expect(match[1]).toBe(ip);
  return Number(match[2]);
}

/** A connected core client of the echo server, reading and writing bytes. */
function client(port: number) {
  return connect('127.0.0.1', port, { timeout: 10, encoding: 'buffer' });
}

/** Every byte value, in order. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe(ECHO, () => {
  test('gives back all 256 byte values and a chunk far larger than 8192 bytes, then --once exits', async () => {
    await using example = startExample(ECHO, ['127.0.0.1', '0', '--once']);
    const port = await listening(example);
    await using c = await client(port);
    c.settimeout(10);
    const { port: from } = c.getsockname();

    await c.send(ALL_BYTES);
    expect((await c.receive(256)).equals(ALL_BYTES)).toBe(true);

    // 200 000 bytes: the server reads them 8192 at most at a time, and may
    // write each chunk in more than one send. Received while it is sent, so
    // that no buffer anywhere has to hold all of it.
    const big = Buffer.alloc(200_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 8)) & 0xff;
    const payload = Buffer.concat([big, ALL_BYTES]);
    const [echoed] = await Promise.all([c.receive(payload.length), c.send(payload)]);
    expect(echoed.length).toBe(payload.length);
    expect(echoed.equals(payload)).toBe(true);

    // The client's end is recv's '': the server closes. With nothing before
    // the end, '*a' is LuaSocket's nil, 'closed', ''.
    c.shutdown('send');
    const end = await socketError(c.receive('*a'));
    expect([end.code, end.partial?.length]).toEqual(['closed', 0]);
    c.close();

    expect(await example.exit()).toEqual({
      code: 0,
      signal: null,
      rest: [`accepted 127.0.0.1 ${from}`, `closed 127.0.0.1 ${from}`, 'served 1 client, bye'],
      stderr: '',
    });
  });

  test('with no arguments listens on 127.0.0.1, serves clients at once through poll, and exits at the end of stdin', async () => {
    await using example = startExample(ECHO, [], { stdin: 'pipe' });
    const port = await listening(example);
    expect(port).toBeGreaterThan(0);
    await using a = await client(port);
    await using b = await client(port);
    a.settimeout(10);
    b.settimeout(10);
    const aPort = a.getsockname().port;
    const bPort = b.getsockname().port;
    // Both connected together: each is answered while the other waits.
    await b.send('from b\n');
    await a.send('from a\n');
    expect((await a.receive('*l')).toString()).toBe('from a');
    expect((await b.receive('*l')).toString()).toBe('from b');
    await a.send('\x00\xff'); // a plain string: its three UTF-8 bytes, back as they went
    expect((await a.receive(3)).equals(Buffer.from('\x00\xff'))).toBe(true);

    a.close();
    // b is still connected when stdin ends: the server closes it too.
    example.child.stdin?.end();
    const err = await socketError(b.receive('*l'));
    expect(err).toBeInstanceOf(SocketError);
    expect(err.code).toBe('closed');

    const { code, signal, stderr } = await example.exit();
    expect([code, signal, stderr]).toEqual([0, null, '']);
    expect(example.printed).toEqual([
      `listening on 127.0.0.1 ${port}`,
      // The order of the two accepts is the kernel's.
      ...example.printed.slice(1, 3),
      `closed 127.0.0.1 ${aPort}`,
      `closed 127.0.0.1 ${bPort}`,
      'served 2 clients, bye',
    ]);
    expect(example.printed.slice(1, 3).sort()).toEqual(
      [`accepted 127.0.0.1 ${aPort}`, `accepted 127.0.0.1 ${bPort}`].sort(),
    );
  });

  test('stops cleanly on SIGTERM', async () => {
    await using example = startExample(ECHO, ['127.0.0.1'], { stdin: 'pipe' });
    const port = await listening(example);
    await using c = await client(port);
    c.settimeout(10);
    await c.send('ping');
    expect((await c.receive(4)).toString()).toBe('ping');
    example.kill('SIGTERM');
    expect((await example.exit()).code).toBe(0);
    expect((await socketError(c.receive('*a'))).code).toBe('closed');
    expect(example.printed.at(-1)).toBe('served 1 client, bye');
  });

  test('reports a port in use with nixio’s errno and message, and exits 1', async () => {
    await using taken = await bind('127.0.0.1', 0);
    const port = String(taken.getsockname().port);
    await using example = startExample(ECHO, ['127.0.0.1', port]);
    expect(await example.exit()).toEqual({
      code: 1,
      signal: null,
      rest: [],
      stderr: 'echo-server: bind failed: 98 Address already in use\n',
    });
  });

  test('takes a service name for the port, and reports an unknown one as getaddrinfo does', async () => {
    await using example = startExample(ECHO, ['127.0.0.1', 'no-such-service']);
    expect(await example.exit()).toEqual({
      code: 1,
      signal: null,
      rest: [],
      stderr: 'echo-server: bind failed: -8 Servname not supported for ai_socktype\n',
    });
  });

  test('refuses an unknown flag with its usage and exits 2', async () => {
    await using example = startExample(ECHO, ['--bogus']);
    const { code, stderr } = await example.exit();
    expect(code).toBe(2);
    expect(stderr).toMatch(/\nusage: echo-server\.ts \[host\] \[port\] \[--once\]\n$/);
  });
});

describe(UDP, () => {
  /** A core UDP socket on 127.0.0.1 and its port. */
  async function peer(): Promise<[UdpSocket, number]> {
    const u = udp({ encoding: 'latin1' });
    await u.setsockname('127.0.0.1', 0);
    u.settimeout(30); // only guards a hang
    return [u, u.getsockname().port];
  }

  test('sends its datagram with sendto and prints the answer recvfrom gets', async () => {
    const [server, port] = await peer();
    await using _server = server;
    const answering = (async () => {
      const { data, address, port: from } = await server.receivefrom();
      await server.sendto(`pong: ${data}`, address, from);
      return data;
    })();
    await using example = startExample(UDP, ['127.0.0.1', String(port), 'hello, nixio']);
    expect(await answering).toBe('hello, nixio');
    expect(await example.exit()).toEqual({
      code: 0,
      signal: null,
      rest: [
        `sent 12 bytes to 127.0.0.1 ${port}`,
        `answer from 127.0.0.1 ${port}: pong: hello, nixio`,
      ],
      stderr: '',
    });
  });

  test('sends "hello" when given no message', async () => {
    const [server, port] = await peer();
    await using _server = server;
    const answering = (async () => {
      const { data, address, port: from } = await server.receivefrom();
      await server.sendto(data.toUpperCase(), address, from);
      return data;
    })();
    await using example = startExample(UDP, ['127.0.0.1', String(port)]);
    expect(await answering).toBe('hello');
    const { code, rest } = await example.exit();
    expect(code).toBe(0);
    expect(rest.at(-1)).toBe(`answer from 127.0.0.1 ${port}: HELLO`);
  });

  test('a peer that gets the datagram and never answers: recvfrom fails with EAGAIN once rcvtimeo runs out', async () => {
    const [server, port] = await peer();
    await using _server = server;
    await using example = startExample(UDP, [
      '127.0.0.1',
      String(port),
      'anyone?',
      '--timeout',
      '0.3',
    ]);
    expect((await server.receivefrom()).data).toBe('anyone?');
    expect(await example.exit()).toEqual({
      code: 1,
      signal: null,
      rest: [`sent 7 bytes to 127.0.0.1 ${port}`],
      stderr: 'udp-client: recvfrom failed: 11 Resource temporarily unavailable\n',
    });
  });

  test('a closed port: an unconnected socket hears no refusal, so it is the same timeout', async () => {
    const [gone, port] = await peer();
    gone.close();
    await using example = startExample(UDP, ['127.0.0.1', String(port), '--timeout', '0.2']);
    expect(await example.exit()).toEqual({
      code: 1,
      signal: null,
      rest: [`sent 5 bytes to 127.0.0.1 ${port}`],
      stderr: 'udp-client: recvfrom failed: 11 Resource temporarily unavailable\n',
    });
  });

  test('a host name is not an address for sendto: EINVAL, as nixio answers', async () => {
    await using example = startExample(UDP, ['localhost', '9']);
    expect(await example.exit()).toEqual({
      code: 1,
      signal: null,
      rest: [],
      stderr: 'udp-client: sendto failed: 22 Invalid argument\n',
    });
  });
});
