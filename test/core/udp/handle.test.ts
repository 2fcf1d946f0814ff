import { createSocket, type RemoteInfo, type Socket as DgramSocket } from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { SocketError } from '../../../src/errors/socket-error.js';
import { UdpHandle, type UdpCreation, type UdpEvents } from '../../../src/udp/handle.js';
import { hasIPv6, socketError, until } from '../../helpers/loopback.js';

const IP = '127.0.0.1';
const V4: UdpCreation = { family: 'inet', reuseaddr: false, ipv6Only: false };

/** What a handle reported to its UDP object. */
interface Seen {
  messages: [string, RemoteInfo][];
  errors: SocketError[];
  bound: DgramSocket[];
}

const open: DgramSocket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) {
    try {
      s.close();
    } catch {
      // Closed by the test already.
    }
  }
});

function handle(creation: UdpCreation = V4): { h: UdpHandle; seen: Seen; events: UdpEvents } {
  const seen: Seen = { messages: [], errors: [], bound: [] };
  const events: UdpEvents = {
    message: (bytes, from) => void seen.messages.push([bytes.toString('latin1'), from]),
    error: (error) => void seen.errors.push(error),
    bound: (socket) => void seen.bound.push(socket),
  };
  const h = new UdpHandle(creation, events);
  open.push(h.socket);
  return { h, seen, events };
}

const bind = (h: UdpHandle, port = 0, host = IP): Promise<void> =>
  h.settle((socket, done) => socket.bind(port, host, done));

/** A plain dgram socket bound on loopback, as the other end. */
async function peer(type: 'udp4' | 'udp6' = 'udp4'): Promise<DgramSocket> {
  const socket = createSocket(type);
  open.push(socket);
  socket.bind(0, type === 'udp4' ? IP : '::1');
  await once(socket, 'listening');
  return socket;
}

/** A UDP port nobody listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, IP);
  await once(socket, 'listening');
  const { port } = socket.address();
  socket.close();
  return port;
}

describe('UdpHandle', () => {
  it('an inet handle is an IPv4 socket, with the object’s message listener as its own', async () => {
    const v4 = handle();
    // Registered as it is: one call per datagram, no wrapper in between.
    expect(v4.h.socket.listeners('message')).toEqual([v4.events.message]);
    await bind(v4.h, 0, '0.0.0.0');
    expect(v4.h.socket.address().family).toBe('IPv4');
  });

  it('settle() resolves once a bind is done, and every bind is reported as bound', async () => {
    const { h, seen } = handle();
    await bind(h);
    expect(h.socket.address().port).toBeGreaterThan(0);
    expect(seen.bound).toEqual([h.socket]);
  });

  it('the implicit bind of a first send is reported as bound too', async () => {
    const { h, seen } = handle();
    const other = await peer();
    await h.send(Buffer.from('hi'), IP, other.address().port);
    await once(other, 'message');
    expect(seen.bound).toEqual([h.socket]);
  });

  it("settle() of a bind to a busy port fails that call with 'addrinuse', not the object", async () => {
    const busy = await peer();
    const { h, seen } = handle();
    const err = await socketError(bind(h, busy.address().port));
    expect([err.code, err.message]).toEqual(['addrinuse', 'address already in use']);
    expect(seen.errors).toEqual([]);
  });

  it("settle() fails with 'closed' when the socket closes before the bind is done", async () => {
    const { h } = handle();
    const pending = bind(h);
    h.socket.close();
    expect((await socketError(pending)).code).toBe('closed');
  });

  it('settle() turns what start() throws into that call’s SocketError', async () => {
    const { h, seen } = handle();
    const err = await socketError(h.settle((socket, done) => socket.connect(0, IP, done)));
    expect(err.code).toBe('system');
    expect(err.message).toMatch(/^Port should be > 0/);
    expect(seen.errors).toEqual([]);
  });

  it('datagrams go to the message listener with their sender', async () => {
    const { h, seen } = handle();
    await bind(h);
    const other = await peer();
    other.send(Buffer.from([0, 0xff, 0x0a]), h.socket.address().port, IP);
    await once(h.socket, 'message');
    expect(seen.messages).toEqual([
      ['\x00\xff\n', expect.objectContaining({ address: IP, port: other.address().port })],
    ]);
  });

  it('send(bytes, ip, port) delivers a datagram; send(bytes) goes to the connected peer', async () => {
    const other = await peer();
    const port = other.address().port;
    const { h } = handle();
    await h.send(Buffer.from('to'), IP, port);
    const [first] = (await once(other, 'message')) as [Buffer];
    expect(first.toString()).toBe('to');
    await h.settle((socket, done) => socket.connect(port, IP, done));
    await h.send(Buffer.from('connected'), undefined, undefined);
    const [second] = (await once(other, 'message')) as [Buffer];
    expect(second.toString()).toBe('connected');
  });

  it('send() failures are SocketErrors of that call: too long, or an address on a connected socket', async () => {
    const other = await peer();
    const { h, seen } = handle();
    const long = await socketError(h.send(Buffer.alloc(65_508), IP, other.address().port));
    expect([long.code, long.message]).toEqual(['system', 'Message too long']);
    await h.settle((socket, done) => socket.connect(other.address().port, IP, done));
    const connected = await socketError(h.send(Buffer.from('x'), IP, other.address().port));
    expect(connected.code).toBe('system');
    expect(seen.errors).toEqual([]);
  });

  it("an error no call waits for (a refused datagram on a connected socket) goes to the object as 'refused'", async () => {
    const port = await closedPort();
    const { h, seen } = handle();
    await h.settle((socket, done) => socket.connect(port, IP, done));
    await h.send(Buffer.from('anyone?'), undefined, undefined);
    await until(() => seen.errors.length > 0, 10_000, 'the refusal');
    expect(seen.errors.map((e) => [e.code, e.message])).toEqual([
      ['refused', 'connection refused'],
    ]);
  });

  it('fd is the descriptor once bound, -1 before and after, and reading it raises no deprecation', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const { h } = handle();
      expect(h.fd).toBe(-1);
      await bind(h);
      expect(h.fd).toBeGreaterThan(2);
      h.socket.close();
      expect(h.fd).toBe(-1);
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.name)).toEqual([]);
  });

  it.skipIf(!hasIPv6)('an inet6 handle binds ::1 and exchanges datagrams there', async () => {
    const { h, seen } = handle({ family: 'inet6', reuseaddr: false, ipv6Only: true });
    await bind(h, 0, '::1');
    const other = await peer('udp6');
    await h.send(Buffer.from('six'), '::1', other.address().port);
    const [bytes, from] = (await once(other, 'message')) as [Buffer, RemoteInfo];
    expect([bytes.toString(), from.address, from.port]).toEqual([
      'six',
      '::1',
      h.socket.address().port,
    ]);
    expect(seen.bound).toHaveLength(1);
    expect(h.socket.address().family).toBe('IPv6');
  });
});
