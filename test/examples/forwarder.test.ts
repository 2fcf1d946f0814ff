/**
 * examples/forwarder.ts and its select-loop compat twin
 * examples/compat/forwarder.ts, run as programs between a core client and a
 * target: their own echo server, or a raw loopback peer the test drives.
 */

import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { describe, expect, test } from 'vitest';
import { connect, type TcpClient } from '../../src/index.js';
import { startExample, type ExampleProcess } from '../helpers/example-process.js';
import { ALL_BYTES, collect, rawServer, socketError, write } from '../helpers/loopback.js';

/** Reads "forwarding 127.0.0.1:<port> to …" and returns the port. */
async function forwardingPort(example: ExampleProcess): Promise<number> {
  const first = await example.line();
  const match = /^forwarding 127\.0\.0\.1:(\d+) to /.exec(first);
  if (match === null) throw new Error(`expected "forwarding …", got ${JSON.stringify(first)}`);
  return Number(match[1]);
}

/** A byte-exact client; no wait longer than 10 s (only guards a hang). */
async function client(port: number): Promise<TcpClient<Buffer>> {
  const c = await connect('127.0.0.1', port, { encoding: 'buffer', timeout: 10 });
  c.settimeout(10);
  return c;
}

describe.each([
  ['core', 'examples/forwarder.ts'],
  ['compat', 'examples/compat/forwarder.ts'],
] as const)('%s: %s', (_side, script) => {
  const name = basename(script, '.ts');

  test(`${name} with no --target relays two clients at once through its own echo server`, async () => {
    await using example = startExample(script, ['--connections', '2']);
    const port = await forwardingPort(example);
    expect(example.printed[0]).toMatch(/ to 127\.0\.0\.1:\d+ \(a local echo server\)$/);
    await using a = await client(port);
    await using b = await client(port);
    // Both are open together; each gets its own bytes back, and its own end.
    await a.send(ALL_BYTES);
    await b.send('second client\r\n\x00');
    a.shutdown('send');
    b.shutdown('send');
    expect(await a.receive('*a')).toEqual(ALL_BYTES);
    expect((await b.receive('*a')).toString('latin1')).toBe('second client\r\n\x00');

    const { code, stderr, rest } = await example.exit();
    expect([code, stderr]).toEqual([0, '']);
    expect(example.printed.filter((l) => /^#\d open$/.test(l))).toHaveLength(2);
    expect(rest).toContain('#1 closed: 256 bytes up, 256 bytes down');
    expect(rest).toContain('#2 closed: 16 bytes up, 16 bytes down');
    expect(rest.at(-1)).toBe('forwarded 2 connections, bye');
  });

  test(`${name} relays 4 MiB each way without holding it: the client reads while it sends`, async () => {
    await using example = startExample(script, ['--connections', '1']);
    await using c = await client(await forwardingPort(example));
    const data = randomBytes(4 * 1024 * 1024);
    const [, back] = await Promise.all([
      c.send(data).then(() => c.shutdown('send')),
      c.receive('*a', { timeout: 60 }),
    ]);
    expect(back.equals(data)).toBe(true);
    expect((await example.exit()).code).toBe(0);
    expect(example.printed).toContain('#1 closed: 4194304 bytes up, 4194304 bytes down');
  });

  test(`${name} passes the client's half-close on, and the target's answer still comes back`, async () => {
    await using target = await rawServer();
    await using example = startExample(script, [
      '--target',
      `127.0.0.1:${target.port}`,
      '--connections',
      '1',
    ]);
    const c = await client(await forwardingPort(example));
    const peer = await target.accepted();
    const request = collect(peer); // resolves at the forwarded FIN
    await c.send(ALL_BYTES);
    c.shutdown('send');
    expect(await request).toEqual(ALL_BYTES);

    await write(peer, 'the answer, after the request ended');
    peer.end();
    expect((await c.receive('*a')).toString()).toBe('the answer, after the request ended');
    c.close();
    expect((await example.exit()).code).toBe(0);
    expect(example.printed).toContain('#1 closed: 256 bytes up, 35 bytes down');
  });

  test(`${name} passes the target's half-close on, and the client's data still goes up`, async () => {
    await using target = await rawServer();
    await using example = startExample(script, ['--target', `127.0.0.1:${target.port}`]);
    const c = await client(await forwardingPort(example));
    const peer = await target.accepted();
    peer.end('hello, and goodbye');
    expect((await c.receive('*a')).toString()).toBe('hello, and goodbye');
    const upload = collect(peer);
    await c.send('late words');
    c.shutdown('send');
    expect((await upload).toString()).toBe('late words');
    c.close();
    example.kill('SIGTERM');
    expect((await example.exit()).code).toBe(0);
  });

  test(`${name} closes a client whose target refuses`, async () => {
    const gone = await rawServer();
    const refusing = gone.port;
    await gone.close();
    await using example = startExample(script, [
      '--target',
      `127.0.0.1:${refusing}`,
      '--connections',
      '1',
    ]);
    await using c = await client(await forwardingPort(example));
    expect((await socketError(c.receive('*a'))).code).toBe('closed');
    expect((await example.exit()).code).toBe(0);
    expect(example.printed).toContain('#1 failed: connection refused');
  });

  test.each(['SIGINT', 'SIGTERM'] as const)(
    `${name} closes its connections and exits cleanly on %s`,
    async (signal) => {
      await using example = startExample(script);
      await using c = await client(await forwardingPort(example));
      await c.send('ping');
      expect((await c.receive(4)).toString()).toBe('ping');
      example.kill(signal);
      expect((await example.exit()).code).toBe(0);
      expect((await socketError(c.receive('*a'))).code).toBe('closed');
    },
  );
});
