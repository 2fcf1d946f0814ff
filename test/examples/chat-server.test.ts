/**
 * examples/chat-server.ts (one task per client) and its select-loop compat
 * twin examples/compat/chat-server.ts, run as programs and held to the same
 * checks by core clients on loopback.
 */

import { basename } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { connect, type SocketError, type TcpClient } from '../../src/index.js';
import { startExample, type ExampleProcess } from '../helpers/example-process.js';
import { socketError } from '../helpers/loopback.js';

/** Reads "listening on <port>" and returns the port. */
async function listeningPort(example: ExampleProcess): Promise<number> {
  const first = await example.line();
  const match = /^listening on (\d+)$/.exec(first);
  if (match === null)
    throw new Error(`expected "listening on <port>", got ${JSON.stringify(first)}`);
  return Number(match[1]);
}

const open: TcpClient[] = [];

afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

/** A chat client, closed after the test; no wait longer than 10 s (only guards a hang). */
async function join(port: number): Promise<TcpClient> {
  const c = await connect('127.0.0.1', port, { timeout: 10 });
  open.push(c);
  c.settimeout(10);
  return c;
}

/** How the server names a client: its address as the server sees it. */
function nameOf(c: TcpClient): string {
  return `127.0.0.1:${c.getsockname().port}`;
}

/** Reads and discards until the connection fails; returns how it failed. */
function end(c: TcpClient): Promise<SocketError> {
  return socketError(
    (async () => {
      for (;;) await c.receive(65536);
    })(),
  );
}

/** Reads lines until `line`; fails if the client is closed first. */
async function until(c: TcpClient, line: string): Promise<void> {
  while ((await c.receive('*l', { timeout: 30 })) !== line);
}

describe.each([
  ['core', 'examples/chat-server.ts'],
  ['compat', 'examples/compat/chat-server.ts'],
] as const)('%s: %s', (_side, script) => {
  const name = basename(script, '.ts');

  test(`${name} passes each line to the other clients, with join and leave notices, and exits after --clients 3`, async () => {
    await using example = startExample(script, ['--clients', '3']);
    const port = await listeningPort(example);
    const a = await join(port);
    expect(await a.receive()).toBe(`* welcome ${nameOf(a)}, 1 here`);
    const b = await join(port);
    expect(await b.receive()).toBe(`* welcome ${nameOf(b)}, 2 here`);
    expect(await a.receive()).toBe(`* ${nameOf(b)} joined`);

    // CRs are dropped, as '*l' does; other bytes pass as they are.
    await b.send('hello, ünïcödé ✓\r\n');
    expect(await a.receive()).toBe(`${nameOf(b)}: hello, ünïcödé ✓`);

    const c = await join(port);
    expect(await c.receive()).toBe(`* welcome ${nameOf(c)}, 3 here`);
    await a.send('hi ');
    await a.send('all\n');
    // b's next lines: had it been sent its own line, that would come first.
    expect([await b.receive(), await b.receive()]).toEqual([
      `* ${nameOf(c)} joined`,
      `${nameOf(a)}: hi all`,
    ]);
    expect(await c.receive()).toBe(`${nameOf(a)}: hi all`);
    expect(await a.receive()).toBe(`* ${nameOf(c)} joined`);

    const bName = nameOf(b);
    b.close();
    expect(await a.receive()).toBe(`* ${bName} left`);
    expect(await c.receive()).toBe(`* ${bName} left`);
    a.close();
    c.close();

    const { code, stderr } = await example.exit();
    expect([code, stderr]).toEqual([0, '']);
    expect(example.printed.filter((l) => l.endsWith(' joined'))).toHaveLength(3);
    expect(example.printed.filter((l) => l.endsWith(' left'))).toHaveLength(3);
    expect(example.printed.at(-1)).toBe('served 3 clients, bye');
  });

  test(`${name} drops a client that stops reading, instead of queueing its lines without limit`, async () => {
    await using example = startExample(script);
    const port = await listeningPort(example);
    const slow = await join(port); // reads its welcome, then nothing more
    expect(await slow.receive()).toBe(`* welcome ${nameOf(slow)}, 1 here`);
    const talker = await join(port);
    expect(await talker.receive()).toBe(`* welcome ${nameOf(talker)}, 2 here`);

    // The talker sends until the server gives up on the slow client; the
    // kernel's buffers on both ends take some megabytes first.
    const notice = `* ${nameOf(slow)} left (too slow)`;
    let dropped = false;
    const noticed = until(talker, notice).then(() => (dropped = true));
    const chunk = `${'x'.repeat(999)}\n`.repeat(64);
    for (let sent = 0; !dropped; sent += chunk.length) {
      if (sent > 512 * 1024 * 1024) throw new Error('the slow client was never dropped');
      await talker.send(chunk);
    }
    await noticed;
    // The notice to the talker and the example's own line on stdout travel
    // apart, so the line may come a little later: wait for it.
    const left = `${nameOf(slow)} left (too slow)`;
    while (!example.printed.includes(left)) await example.line();
    expect(example.printed).toContain(left);
    // The slow client's connection is gone, once it reads what it was sent.
    expect((await end(slow)).code).toBe('closed');

    // The server goes on: a newcomer gets the talker's lines (the end of the
    // flood the server has still to pass on, then a last one).
    const fresh = await join(port);
    expect(await fresh.receive()).toBe(`* welcome ${nameOf(fresh)}, 2 here`);
    await talker.send('still here\n');
    await until(fresh, `${nameOf(talker)}: still here`);
  });

  test(`${name} drops a client whose line passes 4 KiB`, async () => {
    await using example = startExample(script);
    const port = await listeningPort(example);
    const a = await join(port);
    const b = await join(port);
    await until(a, `* ${nameOf(b)} joined`);
    await b.send('y'.repeat(5000));
    expect(await a.receive()).toBe(`* ${nameOf(b)} left (line too long)`);
    expect((await end(b)).code).toBe('closed');
  });

  test.each(['SIGINT', 'SIGTERM'] as const)(
    `${name} closes its clients and exits cleanly on %s`,
    async (signal) => {
      await using example = startExample(script);
      const port = await listeningPort(example);
      const a = await join(port);
      expect(await a.receive()).toBe(`* welcome ${nameOf(a)}, 1 here`);
      example.kill(signal);
      expect((await example.exit()).code).toBe(0);
      expect((await socketError(a.receive())).code).toBe('closed');
      expect(example.printed.at(-1)).toBe('served 1 client, bye');
    },
  );
});
