/**
 * examples/compat/echo-server.ts, run as a program (as its header says) and
 * talked to by loopback clients.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import socket from '../../compat/index.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/compat/echo-server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
});

/** Starts the example; resolves once it has printed its port. */
async function start(
  args: string[],
): Promise<{ port: number; output: string[]; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', EXAMPLE, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const output: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout });
  // Exited, and every line it printed read.
  const exited = Promise.all([once(child, 'exit'), once(lines, 'close')]).then(
    ([[code]]) => code as number | null,
  );
  const port = await new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      output.push(line);
      const m = /port (\d+)$/.exec(line);
      if (m !== null) resolve(Number(m[1]));
    });
    void exited.then(() => reject(new Error(`the example exited early: ${stderr}`)));
  });
  return { port, output, exited };
}

/** One client as the LuaSocket page suggests: send a line, read the echo. */
async function echo(port: number, line: string): Promise<string | null> {
  const [c, err] = await socket.connect('127.0.0.1', port);
  if (c === null) throw new Error(err);
  c.settimeout(5);
  await c.send(line);
  const [back] = await c.receive();
  c.close();
  return back;
}

describe('examples/compat/echo-server.ts', () => {
  it('echo-server echoes one line per client and exits after the given number of clients', async () => {
    const { port, output, exited } = await start(['0', '2']);
    expect(await echo(port, 'hello, echo\r\n')).toBe('hello, echo');
    expect(await echo(port, 'bytes \x00\xff\n')).toBe('bytes \x00\xff');
    expect(await exited).toBe(0);
    expect(output).toEqual([
      `Please telnet to localhost on port ${port}`,
      'After connecting, you have 10s to enter a line to be echoed',
      'Served 2 clients, bye',
    ]);
  });

  it('echo-server takes its port from $PORT and stops cleanly on SIGINT', async () => {
    const [probe] = await socket.bind('127.0.0.1', 0);
    const [, free] = probe!.getsockname();
    probe!.close();
    const child = spawn(process.execPath, ['--import', 'tsx', EXAMPLE], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(free) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const exited = once(child, 'exit');
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    expect(first).toBe(`Please telnet to localhost on port ${free}`);
    expect(await echo(Number(free), 'one\n')).toBe('one');
    child.kill('SIGINT');
    expect(await exited).toEqual([0, null]);
  });
});
