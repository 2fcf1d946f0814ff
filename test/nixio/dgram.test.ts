/**
 * nixio datagram sockets over loopback: sendto/recvfrom with addresses,
 * nixio's 8192-byte cap, connected sends and the errnos of the wrong mode.
 */

import { afterEach, describe, expect, it } from 'vitest';
import nixio, { type NixioSocket, type PollEntry } from '../../nixio/index.js';
import { ALL_BYTES } from '../helpers/loopback.js';

const open: NixioSocket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

async function bound(host = '127.0.0.1'): Promise<[NixioSocket, number]> {
  const [sock] = await nixio.bind(host, 0, host.includes(':') ? 'inet6' : 'inet', 'dgram');
  open.push(sock!);
  sock!.setopt('socket', 'rcvtimeo', 5); // only guards a hang
  const [, port] = sock!.getsockname();
  return [sock!, port];
}

describe('datagrams', () => {
  it('sendto and recvfrom carry every byte and the sender\u2019s address', async () => {
    const [a, portA] = await bound();
    const [b, portB] = await bound();
    expect(await a.sendto(ALL_BYTES, '127.0.0.1', portB)).toEqual([256, null, null]);
    const [data, host, port] = await b.recvfrom(65535);
    expect(Buffer.from(data as string, 'latin1')).toEqual(ALL_BYTES);
    expect([host, port]).toEqual(['127.0.0.1', portA]);
  });

  it('a read is one datagram cut to min(length, 8192); the rest is gone', async () => {
    const [a] = await bound();
    const [b, portB] = await bound();
    const big = Buffer.alloc(9000, 0x61);
    await a.sendto(big, '127.0.0.1', portB);
    await a.sendto('abcdef', '127.0.0.1', portB);
    await a.sendto('', '127.0.0.1', portB);
    expect(((await b.recv(65535))[0] as string).length).toBe(8192);
    expect(await b.recv(3)).toEqual(['abc', null, null]);
    expect(await b.recv(10)).toEqual(['', null, null]);
  });

  it('send with offset and length on a connected socket; sendto there is EISCONN', async () => {
    const [a] = await bound();
    const [b, portB] = await bound();
    expect(await a.connect('127.0.0.1', portB)).toEqual([true, null, null]);
    expect(a.getpeername()).toEqual(['127.0.0.1', portB, null]);
    expect(await a.send('0123456789', 2, 3)).toEqual([3, null, null]);
    expect((await b.recvfrom(100))[0]).toBe('234');
    expect(await a.sendto('x', '127.0.0.1', portB)).toEqual([null, 106, nixio.strerror(106)]);
  });

  it('a connected socket reads its peer\u2019s datagrams: recv, and recvfrom naming the peer', async () => {
    const [a, portA] = await bound();
    const [b, portB] = await bound();
    expect(await a.connect('127.0.0.1', portB)).toEqual([true, null, null]);
    await b.sendto('first', '127.0.0.1', portA);
    await b.sendto('second', '127.0.0.1', portA);
    expect(await a.recv(100)).toEqual(['first', null, null]);
    expect(await a.recvfrom(3)).toEqual(['sec', '127.0.0.1', portB]);
  });

  it('wrong-mode calls answer the kernel\u2019s errnos', async () => {
    const [a] = await bound();
    expect(await a.listen(4)).toEqual([null, 95, nixio.strerror(95)]);
    expect(await a.accept()).toEqual([null, 95, nixio.strerror(95)]);
    expect(await a.sendto('x', 'localhost', 9)).toEqual([null, 22, 'Invalid argument']);
    expect(a.shutdown('rdwr')).toEqual([null, 107, nixio.strerror(107)]);
  });

  it('non-blocking recv answers EAGAIN; poll wakes on a datagram', async () => {
    const [a] = await bound();
    const [b, portB] = await bound();
    b.setblocking(false);
    expect(await b.recv(10)).toEqual([false, 11, 'Resource temporarily unavailable']);
    const fds: PollEntry[] = [{ fd: b, events: nixio.poll_flags('in') }];
    const polled = nixio.poll(fds, 5000);
    await a.sendto('wake', '127.0.0.1', portB);
    expect((await polled)[0]).toBe(1);
    expect(await b.recv(10)).toEqual(['wake', null, null]);
  });

  it('IPv6 datagrams on ::1', async () => {
    const [a, portA] = await bound('::1');
    const [b, portB] = await bound('::1');
    await a.sendto('six', '::1', portB);
    expect(await b.recvfrom(10)).toEqual(['six', '::1', portA]);
  });
});
