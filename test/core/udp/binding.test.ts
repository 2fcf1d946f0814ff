import { createSocket, type RemoteInfo, type Socket as DgramSocket } from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { SocketError } from '../../../src/errors/socket-error.js';
import { UdpBinding, type DatagramSink } from '../../../src/udp/binding.js';
import { socketError, until } from '../../helpers/loopback.js';

const IP = '127.0.0.1';
const open: DgramSocket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/** A sink that records what the binding hands on. */
function recorder(): DatagramSink & { got: [string, number][]; errors: SocketError[] } {
  const got: [string, number][] = [];
  const errors: SocketError[] = [];
  return {
    got,
    errors,
    push: (bytes: Buffer, from: RemoteInfo) => got.push([bytes.toString(), from.port]),
    error: (err: SocketError) => errors.push(err),
  };
}

const never = (): boolean => false;

describe('UdpBinding', () => {
  it('UdpBinding creates nothing until first use', () => {
    const binding = new UdpBinding('inet', recorder());
    expect(binding.socket).toBeUndefined();
    expect(binding.bound).toBe(false);
    expect(binding.fd).toBe(-1);
  });

  it('UdpBinding.settle binds, marks the binding bound and delivers datagrams to the sink', async () => {
    const sink = recorder();
    const binding = new UdpBinding('inet', sink);
    await binding.settle(IP, never, (socket, ip, done) =>
      socket.bind({ address: ip, port: 0 }, done),
    );
    const socket = binding.socket as DgramSocket;
    open.push(socket);
    expect(binding.bound).toBe(true);
    const { port } = socket.address();
    expect(port).toBeGreaterThan(0);
    const peer = createSocket('udp4');
    open.push(peer);
    peer.bind(0, IP);
    await once(peer, 'listening');
    peer.send('ping', port, IP);
    await until(() => sink.got.length === 1, 10_000, 'the datagram');
    expect(sink.got[0]).toEqual(['ping', peer.address().port]);
  });

  it("UdpBinding.settle rejects with 'closed' and creates no socket when closed() holds", async () => {
    const binding = new UdpBinding('inet', recorder());
    const err = await socketError(
      binding.settle(
        IP,
        () => true,
        () => undefined,
      ),
    );
    expect(err.code).toBe('closed');
    expect(binding.socket).toBeUndefined();
  });

  it('UdpBinding keeps an option set before the bind and applies it once bound', async () => {
    const binding = new UdpBinding('inet', recorder());
    binding.setOption('broadcast', true);
    expect(binding.getOption('broadcast')).toBe(true);
    await binding.settle(IP, never, (socket, ip, done) =>
      socket.bind({ address: ip, port: 0 }, done),
    );
    open.push(binding.socket as DgramSocket);
    expect(binding.getOption('broadcast')).toBe(true);
  });

  it('UdpBinding.setOption throws a TypeError for an unknown name', () => {
    const binding = new UdpBinding('inet', recorder());
    expect(() => binding.setOption('no-such-option' as 'broadcast', true)).toThrow(TypeError);
  });

  it('UdpBinding.handle makes one handle and sends through it', async () => {
    const binding = new UdpBinding('inet', recorder());
    const handle = binding.handle();
    expect(binding.handle()).toBe(handle);
    open.push(handle.socket);
    const peer = createSocket('udp4');
    open.push(peer);
    peer.bind(0, IP);
    await once(peer, 'listening');
    const arrived = once(peer, 'message');
    await handle.send(Buffer.from('hi'), IP, peer.address().port);
    const [msg] = (await arrived) as [Buffer];
    expect(msg.toString()).toBe('hi');
    await until(() => binding.bound, 10_000, 'the implicit bind');
  });
});
