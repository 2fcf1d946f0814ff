/**
 * examples/multicast-sender.ts and examples/multicast-listener.ts, core and
 * compat, run as programs against a loopback group member or sender the test
 * controls, and against each other. The loopback interface must deliver
 * multicast: that is probed first, and the tests are skipped, saying why,
 * only where it does not.
 */

import { afterEach, describe, expect, test } from 'vitest';
import { udp, type UdpSocket } from '../../src/index.js';
import { startExample, type ExampleProcess } from '../helpers/example-process.js';
import { probeMulticast } from '../helpers/multicast.js';

const multicast = await probeMulticast('239.255.42.101');
if (!multicast.ok) console.warn(`[multicast] example tests skipped: ${multicast.reason}`);

/** The examples' default group. */
const GROUP = '239.255.0.1';

const sockets: UdpSocket[] = [];

afterEach(() => {
  for (const u of sockets.splice(0)) u.close();
});

/** A socket that has joined GROUP on lo, on `port` (shared) or one of its own. */
async function member(port = 0): Promise<UdpSocket> {
  const u = udp();
  sockets.push(u);
  u.setoption('reuseaddr', true);
  await u.setsockname('*', port);
  u.setoption('ip-add-membership', { multiaddr: GROUP, interface: '127.0.0.1' });
  u.settimeout(30); // only guards a hang
  return u;
}

/** A socket that sends to GROUP through lo. */
async function sender(): Promise<UdpSocket> {
  const u = udp();
  sockets.push(u);
  await u.setsockname('127.0.0.1', 0);
  u.setoption('ip-multicast-if', '127.0.0.1');
  return u;
}

/** Reads the listener's "Joined … port <n>..." line; returns n. */
async function joinedPort(listener: ExampleProcess): Promise<number> {
  const line = await listener.line();
  const match = /^Joined 239\.255\.0\.1 on 127\.0\.0\.1, port (\d+)\.\.\.$/.exec(line);
  if (match === null) throw new Error(`expected "Joined …", got ${JSON.stringify(line)}`);
  return Number(match[1]);
}

describe.skipIf(!multicast.ok).each([
  { side: 'core', dir: 'examples' },
  { side: 'compat', dir: 'examples/compat' },
] as const)(
  `$side multicast examples${multicast.ok ? '' : ` (skipped: ${multicast.reason})`}`,
  ({ dir }) => {
    /** Starts `<dir>/<name>.ts`, with a stdin to write to. */
    function run(name: string, ...args: string[]): ExampleProcess {
      return startExample(`${dir}/${name}.ts`, args, { stdin: 'pipe' });
    }

    test('multicast-listener.ts prints what is sent to the group until SIGINT', async () => {
      await using listener = run('multicast-listener', GROUP, '0');
      const port = await joinedPort(listener);
      const s = await sender();
      for (const text of ['hello, group', 'ünïcödé ✓']) await s.sendto(text, GROUP, port);
      const from = `127.0.0.1:${s.getsockname().port}`;
      expect([await listener.line(), await listener.line()]).toEqual([
        `${from}: hello, group`,
        `${from}: ünïcödé ✓`,
      ]);
      listener.kill('SIGINT');
      expect(await listener.exit()).toEqual({
        code: 0,
        signal: null,
        rest: ['closed'],
        stderr: '',
      });
    });

    test('multicast-listener.ts reports an interface it cannot join on and exits 1', async () => {
      // 192.0.2.0/24 is for documentation: no interface of this machine has it.
      await using listener = run('multicast-listener', GROUP, '0', '--interface', '192.0.2.1');
      const { code, stderr } = await listener.exit();
      expect(code).toBe(1);
      expect(stderr).toMatch(/^multicast-listener: .+\n$/);
    });

    test('multicast-sender.ts sends each argument as one datagram to the group', async () => {
      const first = await member();
      const port = first.getsockname().port;
      // Two members on the same port: each gets every datagram.
      const second = await member(port);
      await using s = run('multicast-sender', GROUP, String(port), 'one', 'two words');
      for (const m of [first, second]) {
        expect(await m.receive()).toBe('one');
        expect(await m.receive()).toBe('two words');
      }
      const { code, rest, stderr } = await s.exit();
      expect([code, stderr]).toEqual([0, '']);
      expect(rest).toEqual([
        `Sending to group ${GROUP} port ${port} through 127.0.0.1...`,
        'Sent 2 datagrams.',
      ]);
    });

    test('multicast-sender.ts sends stdin lines until an empty line', async () => {
      const m = await member();
      const port = m.getsockname().port;
      await using s = run('multicast-sender', GROUP, String(port));
      s.child.stdin?.end('first\nsecond\n\nnot sent\n');
      expect((await s.exit()).rest.at(-1)).toBe('Sent 2 datagrams.');
      // A marker sent afterwards: 'not sent', had it been sent, would come before it.
      await (await sender()).sendto('marker', GROUP, port);
      expect([await m.receive(), await m.receive(), await m.receive()]).toEqual([
        'first',
        'second',
        'marker',
      ]);
    });

    test('multicast-sender.ts reports an interface it cannot send through and exits 1', async () => {
      await using s = run('multicast-sender', GROUP, '9', 'x', '--interface', '192.0.2.1');
      const { code, stderr } = await s.exit();
      expect(code).toBe(1);
      expect(stderr).toMatch(/^multicast-sender: cannot send through 192\.0\.2\.1: .+\n$/);
    });

    test('multicast-sender.ts lines show up in two multicast-listener.ts at once', async () => {
      await using first = run('multicast-listener', GROUP, '0');
      const port = String(await joinedPort(first));
      await using second = run('multicast-listener', GROUP, port);
      await joinedPort(second);
      await using s = run('multicast-sender', GROUP, port, 'to everyone');
      expect((await s.exit()).code).toBe(0);
      expect(await first.line()).toMatch(/^127\.0\.0\.1:\d+: to everyone$/);
      expect(await second.line()).toMatch(/^127\.0\.0\.1:\d+: to everyone$/);
      for (const l of [first, second]) {
        l.kill('SIGINT');
        expect((await l.exit()).code).toBe(0);
      }
    });
  },
);
