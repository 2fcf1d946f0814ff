/**
 * Runs each UDP example, core (examples/<name>.ts) and compat
 * (examples/compat/<name>.ts), as a user would (`node --import tsx <example>`)
 * against a loopback peer the test controls, and checks what it prints. The
 * twins are held to the same checks: their outputs are the same, but for the
 * listener's last line.
 */

import { afterEach, describe, expect, test } from 'vitest';
import { udp, type UdpSocket } from '../../src/index.js';
import { startExample, type ExampleProcess } from '../helpers/example-process.js';

const sockets: UdpSocket[] = [];

async function peer(): Promise<UdpSocket> {
  const u = udp();
  sockets.push(u);
  await u.setsockname('127.0.0.1', 0);
  u.settimeout(30); // only guards a hang
  return u;
}

afterEach(() => {
  for (const u of sockets.splice(0)) u.close();
});

describe.each([
  // The core listener also reports how many datagrams it dropped.
  { side: 'core', dir: 'examples', listenerClosed: 'closed (0 datagrams dropped)' },
  { side: 'compat', dir: 'examples/compat', listenerClosed: 'closed' },
] as const)('$side UDP examples', ({ dir, listenerClosed }) => {
  /** Starts `<dir>/<name>.ts`, with a stdin to write to. */
  function run(name: string, ...args: string[]): ExampleProcess {
    return startExample(`${dir}/${name}.ts`, args, { stdin: 'pipe' });
  }

  describe(`${dir}/udp-daytime.ts`, () => {
    test('udp-daytime.ts with no arguments asks its own loopback daytime server and prints the date', async () => {
      await using daytime = run('udp-daytime');
      const { code, rest, stderr } = await daytime.exit();
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(rest).toHaveLength(1);
      expect(rest[0]).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    });

    test('udp-daytime.ts host port asks that daytime server and prints its answer', async () => {
      const server = await peer();
      const answering = (async () => {
        const { data, address, port } = await server.receivefrom();
        expect(data).toBe('anything'); // what the Lua original sends
        await server.sendto('Thursday, January 1, 2026 00:00:00-UTC\r\n', address, port);
      })();
      await using example = run('udp-daytime', 'localhost', String(server.getsockname().port));
      await answering;
      expect(await example.exit()).toEqual({
        code: 0,
        signal: null,
        rest: ['Thursday, January 1, 2026 00:00:00-UTC'],
        stderr: '',
      });
    });
  });

  describe(`${dir}/udp-listener.ts`, () => {
    test('udp-listener.ts prints every datagram with its sender until SIGINT', async () => {
      await using listener = run('udp-listener', '127.0.0.1', '0');
      expect(await listener.line()).toBe("Binding to host '127.0.0.1' and port 0...");
      const waiting = /^Waiting datagrams from talker on 127\.0\.0\.1:(\d+)\.\.\.$/.exec(
        await listener.line(),
      );
      expect(waiting).not.toBeNull();
      const port = Number(waiting?.[1]);
      const talker = await peer();
      for (const text of ['hello', 'two words', '']) await talker.sendto(text, '127.0.0.1', port);
      const from = `127.0.0.1:${talker.getsockname().port}`;
      expect([await listener.line(), await listener.line(), await listener.line()]).toEqual([
        `${from}: hello`,
        `${from}: two words`,
        `${from}: `,
      ]);
      listener.kill('SIGINT');
      expect(await listener.exit()).toEqual({
        code: 0,
        signal: null,
        rest: [listenerClosed],
        stderr: '',
      });
    });
  });

  describe(`${dir}/udp-talker.ts`, () => {
    test('udp-talker.ts sends each argument after the port as one datagram', async () => {
      const listener = await peer();
      await using talker = run(
        'udp-talker',
        'localhost',
        String(listener.getsockname().port),
        'hello',
        'two words',
      );
      expect(await listener.receive()).toBe('hello');
      expect(await listener.receive()).toBe('two words');
      const { code, rest, stderr } = await talker.exit();
      expect([code, stderr]).toEqual([0, '']);
      expect(rest.at(-1)).toBe('Sent 2 datagrams.');
    });

    test('udp-talker.ts sends stdin lines until an empty line', async () => {
      const listener = await peer();
      await using talker = run('udp-talker', '127.0.0.1', String(listener.getsockname().port));
      talker.child.stdin?.end('one\ntwo\n\nnot sent\n');
      const { code, rest } = await talker.exit();
      expect(code).toBe(0);
      expect(rest.at(-1)).toBe('Sent 2 datagrams.');
      // A marker sent after the talker exited: 'not sent', had it been sent, would come before it.
      const marker = await peer();
      await marker.sendto('marker', '127.0.0.1', listener.getsockname().port);
      expect([
        await listener.receive(),
        await listener.receive(),
        await listener.receive(),
      ]).toEqual(['one', 'two', 'marker']);
    });

    test('udp-talker.ts reports a refused peer and exits 1', async () => {
      const gone = await peer();
      const port = String(gone.getsockname().port);
      gone.close();
      // The first datagram draws the ICMP "port unreachable" that fails a later send.
      await using talker = run(
        'udp-talker',
        '127.0.0.1',
        port,
        'a',
        'b',
        'c',
        'd',
        'e',
        'f',
        'g',
        'h',
      );
      const { code, stderr } = await talker.exit();
      expect(code).toBe(1);
      expect(stderr).toBe('talker: connection refused\n');
    });
  });

  describe(`${dir}/udp-talker.ts ⇄ ${dir}/udp-listener.ts`, () => {
    test('udp-talker.ts lines show up in udp-listener.ts, one datagram each', async () => {
      await using listener = run('udp-listener', '127.0.0.1', '0');
      await listener.line();
      const port = /:(\d+)\.\.\.$/.exec(await listener.line())?.[1] ?? '';
      await using talker = run('udp-talker', 'localhost', port);
      talker.child.stdin?.end('first line\nsecond line\n');
      expect((await talker.exit()).code).toBe(0);
      expect(await listener.line()).toMatch(/^127\.0\.0\.1:\d+: first line$/);
      expect(await listener.line()).toMatch(/^127\.0\.0\.1:\d+: second line$/);
      listener.kill('SIGINT');
      expect((await listener.exit()).code).toBe(0);
    });
  });
});
