/**
 * examples/compat/select-echo.ts, the select-driven twin of
 * examples/select-echo-core.ts, run as a program and held to the same checks
 * by core clients on loopback. (A LuaSocket client drives it in
 * test/interop/compat-select-luasocket.test.ts.)
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { connect, SocketError, type TcpClient } from '../../src/index.js';
import { socketError } from '../helpers/loopback.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = 'examples/compat/select-echo.ts';

/** The example running as a child process, its stdout read line by line. */
interface Example extends AsyncDisposable {
  readonly child: ChildProcess;
  /** The next line printed (rejects if the process ends first). */
  line(): Promise<string>;
  /** Every line printed so far. */
  readonly printed: string[];
  /** Resolves to the exit code. */
  exited: Promise<number | null>;
}

function start(args: string[]): Example {
  const child = spawn(process.execPath, ['--import', 'tsx', EXAMPLE, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => (stderr += d));
  const printed: string[] = [];
  const queued: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  rl.on('line', (l) => {
    printed.push(l);
    const w = waiting.shift();
    if (w !== undefined) w(l);
    else queued.push(l);
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  rl.on('close', () => {
    for (const w of waiting.splice(0)) w(undefined);
  });
  return {
    child,
    printed,
    exited,
    line: () => {
      const l = queued.shift();
      if (l !== undefined) return Promise.resolve(l);
      return new Promise<string>((resolve, reject) => {
        waiting.push((got) =>
          got === undefined
            ? reject(new Error(`the example ended; stderr: ${stderr}`))
            : resolve(got),
        );
      });
    },
    [Symbol.asyncDispose]: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      rl.close();
    },
  };
}

/** Reads "listening on <port>" and returns the port. */
async function listeningPort(example: Example): Promise<number> {
  const first = await example.line();
  const match = /^listening on (\d+)$/.exec(first);
  if (match === null)
    throw new Error(`expected "listening on <port>", got ${JSON.stringify(first)}`);
  return Number(match[1]);
}

describe('examples/compat/select-echo.ts', () => {
  test('select-echo echoes the lines of three clients at once, then exits after --clients 3', async () => {
    await using example = start(['--clients', '3']);
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
    expect(await example.exited).toBe(0);
    expect(example.printed.at(-1)).toBe('served 3 clients, bye');
    expect(example.printed.filter((l) => l.endsWith(' left'))).toHaveLength(3);
  });

  test.each(['SIGINT', 'SIGTERM'] as const)(
    'select-echo closes its clients and exits cleanly on %s',
    async (signal) => {
      await using example = start([]);
      const port = await listeningPort(example);
      await using client = await connect('127.0.0.1', port, { timeout: 10 });
      client.settimeout(10);
      await client.send('ping\n');
      expect(await client.receive('*l')).toBe('ping');
      example.child.kill(signal);
      expect(await example.exited).toBe(0);
      const err = await socketError(client.receive('*l'));
      expect(err).toBeInstanceOf(SocketError);
      expect(err.code).toBe('closed');
      expect(example.printed.at(-1)).toBe('served 1 client, bye');
    },
  );
});
