/**
 * Whether this machine delivers IPv4 multicast on the loopback interface:
 * tests that need it probe first and skip, saying why, only where it does not.
 */

import { createSocket } from 'node:dgram';

/** The probe's answer: `ok`, or the reason to print when skipping. */
export interface MulticastProbe {
  readonly ok: boolean;
  readonly reason: string;
}

/** Joins `group` on 127.0.0.1 with plain dgram sockets and sends it one datagram. */
export async function probeMulticast(group: string): Promise<MulticastProbe> {
  const r = createSocket({ type: 'udp4', reuseAddr: true });
  const s = createSocket('udp4');
  try {
    await new Promise<void>((resolve) => r.bind(0, '0.0.0.0', resolve));
    r.addMembership(group, '127.0.0.1');
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    s.setMulticastInterface('127.0.0.1');
    let timer: NodeJS.Timeout | undefined;
    const got = new Promise<boolean>((resolve) => {
      r.once('message', () => resolve(true));
      timer = setTimeout(() => resolve(false), 2000);
    });
    s.send('probe', r.address().port, group);
    const delivered = await got;
    clearTimeout(timer);
    return delivered
      ? { ok: true, reason: '' }
      : { ok: false, reason: 'no multicast delivery on lo' };
  } catch (err) {
    return { ok: false, reason: `cannot join a group on lo: ${String(err)}` };
  } finally {
    r.close();
    s.close();
  }
}
