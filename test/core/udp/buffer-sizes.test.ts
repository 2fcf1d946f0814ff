import { describe, expect, test } from 'vitest';
import {
  DATAGRAM_SIZE,
  SocketError,
  udp,
  type Family,
  type UdpOptions,
  type UdpSocket,
} from '../../../src/index.js';
import { BUFFER_MAX, mismatch, procSize, type BufferKind } from '../../helpers/buffer-sizes.js';
import { hasIPv6, socketError } from '../../helpers/loopback.js';

const HOST: Record<Family, string> = { inet: '127.0.0.1', inet6: '::1' };
const KINDS: readonly BufferKind[] = ['recv-buffer-size', 'send-buffer-size'];

function expectUnsupported(call: () => unknown, name: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(SocketError);
  expect((thrown as SocketError).code).toBe('unsupported');
  expect((thrown as SocketError).message).toBe(
    `${name}: Node.js reads it from a bound socket only (bind first)`,
  );
}

describe.each(['inet', 'inet6'] as const)('UdpSocket buffer sizes (%s)', (family) => {
  const host = HOST[family];

  test.skipIf(family === 'inet6' && !hasIPv6)(
    'udp({ rcvbuf, sndbuf }) is applied at the bind, and getoption() reports what the kernel made of it',
    async () => {
      await using u = udp({ family, rcvbuf: 65536, sndbuf: 98304 });
      // No socket exists before the bind, so no kernel value either.
      for (const kind of KINDS) expectUnsupported(() => u.getoption(kind), kind);
      await u.setsockname(host, 0);
      expect(mismatch('recv-buffer-size', 65536, u.getoption('recv-buffer-size'))).toBe('');
      expect(mismatch('send-buffer-size', 98304, u.getoption('send-buffer-size'))).toBe('');
      // Nothing failed at the bind and was kept for the next receive.
      expect((await socketError(u.receive(DATAGRAM_SIZE, { timeout: 0 }))).code).toBe('timeout');
    },
  );

  test
    .skipIf(family === 'inet6' && !hasIPv6)
    .for(['setsockname', 'sendto', 'setpeername'] as const)(
    "setoption('recv-buffer-size') before the bind is applied by the bind %s makes",
    async (how) => {
      await using peer = udp({ family });
      await peer.setsockname(host, 0);
      const port = peer.getsockname().port;
      await using u = udp({ family });
      u.setoption('recv-buffer-size', 1_000_000);
      u.setoption('send-buffer-size', 40_000);
      // The last size set before the bind wins.
      u.setoption('recv-buffer-size', 100_000);
      if (how === 'setsockname') await u.setsockname(host, 0);
      else if (how === 'sendto') await u.sendto('x', host, port);
      else await u.setpeername(host, port);
      expect(mismatch('recv-buffer-size', 100_000, u.getoption('recv-buffer-size'))).toBe('');
      expect(mismatch('send-buffer-size', 40_000, u.getoption('send-buffer-size'))).toBe('');
    },
  );

  test.skipIf(family === 'inet6' && !hasIPv6).for(KINDS)(
    "setoption('%s') on a bound socket applies at once; past the system's cap the kernel caps it",
    async (kind) => {
      await using u = udp({ family });
      await u.setsockname(host, 0);
      const untouched = procSize(kind, 'default');
      if (untouched !== undefined) expect(u.getoption(kind)).toBe(untouched);
      for (const asked of [8192, 4 * 1024 * 1024, 65536]) {
        u.setoption(kind, asked);
        expect(mismatch(kind, asked, u.getoption(kind))).toBe('');
      }
      const max = BUFFER_MAX[kind];
      if (max !== undefined) {
        u.setoption(kind, max + 4096);
        expect(u.getoption(kind)).toBe(2 * max);
      }
    },
  );
});

describe('UdpSocket buffer sizes: usage errors', () => {
  test.for<[UdpOptions, Error]>([
    [{ rcvbuf: 0 }, new RangeError('Expected `rcvbuf` to be an integer 1..2147483647, got `0`')],
    [{ sndbuf: -1 }, new RangeError('Expected `sndbuf` to be an integer 1..2147483647, got `-1`')],
    [
      { rcvbuf: 1.5 },
      new RangeError('Expected `rcvbuf` to be an integer 1..2147483647, got `1.5`'),
    ],
    [
      { rcvbuf: 2 ** 31 },
      new RangeError('Expected `rcvbuf` to be an integer 1..2147483647, got `2147483648`'),
    ],
    [
      { sndbuf: NaN },
      new RangeError('Expected `sndbuf` to be an integer 1..2147483647, got `NaN`'),
    ],
    [
      { rcvbuf: '65536' as unknown as number },
      new TypeError("Expected `rcvbuf` to be a number, got `'65536'`"),
    ],
  ])('udp(%o) throws at once, naming the option', ([options, error]) => {
    expect(() => udp(options)).toThrow(error);
  });

  test.for(KINDS)(
    "setoption('%s') refuses what is not an integer 1..2147483647 with TypeError",
    (kind) => {
      const u = udp();
      for (const bad of [0, -1, 1.5, 2 ** 31, '4096', null]) {
        expect(() => u.setoption(kind, bad as number)).toThrow(
          new TypeError(
            `Expected \`value\` of '${kind}' to be an integer 1..2147483647, got \`${
              typeof bad === 'string' ? `'${bad}'` : String(bad)
            }\``,
          ),
        );
      }
      u.close();
    },
  );

  test('a closed socket answers closed', async () => {
    const u = udp();
    await u.setsockname('127.0.0.1', 0);
    u.close();
    for (const kind of KINDS) {
      expect(() => u.setoption(kind, 65536)).toThrow(new SocketError('closed'));
      expect(() => u.getoption(kind)).toThrow(new SocketError('closed'));
    }
  });
});

/**
 * Sends `count` datagrams of `bytes` bytes to `receiver` from one
 * synchronous loop, so that the receiver cannot read before the burst ends:
 * what the kernel's receive buffer cannot hold is dropped. Resolves to the
 * number of datagrams the receiver then reads.
 */
async function burst(receiver: UdpSocket, count: number, bytes: number): Promise<number> {
  await receiver.setsockname('127.0.0.1', 0);
  const { port } = receiver.getsockname();
  await using sender = udp();
  await sender.setsockname('127.0.0.1', 0);
  const payload = Buffer.alloc(bytes, 0x61);
  const sends: Promise<number>[] = [];
  for (let i = 0; i < count; i++) sends.push(sender.sendto(payload, '127.0.0.1', port));
  await Promise.all(sends);
  // Every datagram that survived sits in the kernel's buffer by now: the
  // loopback delivers within the send. The wait only ends the count.
  let received = 0;
  for (;;) {
    try {
      await receiver.receive(DATAGRAM_SIZE, { timeout: 0.5 });
      received++;
    } catch (err) {
      expect((err as SocketError).code).toBe('timeout');
      return received;
    }
  }
}

describe('UdpSocket buffer sizes take effect', () => {
  test('with rcvbuf 4 MiB a burst the program does not read at once loses fewer datagrams than with rcvbuf 4096', async () => {
    await using small = udp({ rcvbuf: 4096, queueLimit: 20_000 });
    await using large = udp({ rcvbuf: 4 * 1024 * 1024, queueLimit: 20_000 });
    const few = await burst(small, 20_000, 200);
    const many = await burst(large, 20_000, 200);
    // Linux: about 6 against several thousand. The queue dropped none: the kernel did.
    expect(few).toBeLessThan(20_000);
    expect(many).toBeGreaterThan(few * 10);
    expect([small.getstats().dropped, large.getstats().dropped]).toEqual([0, 0]);
  });
});
