/**
 * examples/select-echo.ts and its select-driven compat twin
 * examples/compat/select-echo.ts, run as programs and held to the same checks
 * by core clients on loopback. (A LuaSocket client drives the compat one in
 * test/interop/compat-select-luasocket.test.ts.)
 */

import { basename } from 'node:path';
import { describe, expect, test } from 'vitest';
import { connect, SocketError, type TcpClient } from '../../src/index.js';
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

describe.each([
  ['core', 'examples/select-echo.ts'],
  ['compat', 'examples/compat/select-echo.ts'],
] as const)('%s: %s', (_side, script) => {
  const name = basename(script, '.ts');

  test(`${name} echoes the lines of three clients at once, then exits after --clients 3`, async () => {
    await using example = startExample(script, ['--clients', '3']);
    const port = await listeningPort(example);
    const clients = await Promise.all(
      [1, 2, 3].map(() => connect('127.0.0.1', port, { timeout: 10 })),
    );
    try {
      // All three are connected together: each is served while the others wait.
      for (const c of clients) c.settimeout(10);
      for (const [i, c] of clients.entries()) await c.send(`hello from ${i}\r\n`);
      for (const [i, c] of clients.entries()) expect(await c.receive('*l')).toBe(`hello from ${i}`);
      // A line sent in pieces comes back whole; bytes are exact.
      const [a, b, c] = clients as [TcpClient, TcpClient, TcpClient];
      await a.send('spl');
      await b.send('ünïcödé ✓\n');
      await a.send('it\nsecond\n');
      expect(await b.receive('*l')).toBe('ünïcödé ✓');
      expect(await a.receive('*l')).toBe('split');
      expect(await a.receive('*l')).toBe('second');
      await c.send('last words\n');
      c.shutdown('send');
      expect(await c.receive('*a')).toBe('last words\n');
    } finally {
      for (const c of clients) c.close();
    }
    expect((await example.exit()).code).toBe(0);
    expect(example.printed.at(-1)).toBe('served 3 clients, bye');
    expect(example.printed.filter((l) => l.endsWith(' left'))).toHaveLength(3);
  });

  test.each(['SIGINT', 'SIGTERM'] as const)(
    `${name} closes its clients and exits cleanly on %s`,
    async (signal) => {
      await using example = startExample(script);
      const port = await listeningPort(example);
      await using client = await connect('127.0.0.1', port, { timeout: 10 });
      client.settimeout(10);
      await client.send('ping\n');
      expect(await client.receive('*l')).toBe('ping');
      example.kill(signal);
      expect((await example.exit()).code).toBe(0);
      const err = await socketError(client.receive('*l'));
      expect(err).toBeInstanceOf(SocketError);
      expect(err.code).toBe('closed');
      expect(example.printed.at(-1)).toBe('served 1 client, bye');
    },
  );
});
