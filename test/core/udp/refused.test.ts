/**
 * UdpSocket on a connected socket whose peer's port is closed: each datagram
 * draws an ICMP port-unreachable, reported once, to the next call that asks —
 * a send (which then sends nothing) or a receive — as LuaSocket (the kernel)
 * does.
 */
import { describe, expect, test } from 'vitest';
import { udp } from '../../../src/index.js';
import { pause, socketError } from '../../helpers/loopback.js';

async function closedPort(): Promise<number> {
  await using u = udp();
  await u.setsockname('127.0.0.1', 0);
  return u.getsockname().port;
}

describe('UdpSocket refused by the peer', () => {
  test("send() after a send the peer refused fails once with 'refused' and sends nothing", async () => {
    await using u = udp();
    await u.setpeername('127.0.0.1', await closedPort());
    u.settimeout(0.2);
    expect(await u.send('a')).toBe(1);
    // Pacing: let the ICMP error come back and be read off the socket.
    await pause(50);
    const err = await socketError(u.send('b'));
    expect([err.code, err.message]).toEqual(['refused', 'connection refused']);
    // That send sent nothing, so nothing more was refused.
    expect((await socketError(u.receive())).code).toBe('timeout');
    expect(await u.send('c')).toBe(1);
    expect(u.getstats().sent).toBe(2);
  });

  test('a refused error taken by receive() is not reported again by send()', async () => {
    await using u = udp();
    await u.setpeername('127.0.0.1', await closedPort());
    u.settimeout(0.2);
    expect(await u.send('a')).toBe(1);
    expect((await socketError(u.receive())).code).toBe('refused');
    expect(await u.send('b')).toBe(1);
    await pause(50);
    expect((await socketError(u.send('c'))).code).toBe('refused');
    expect((await socketError(u.receive())).code).toBe('timeout');
  });
});
