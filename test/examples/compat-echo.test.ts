/**
 * examples/compat/echo-server.ts, run as a program (as its header says) and
 * talked to by loopback clients.
 */

import { describe, expect, it } from 'vitest';
import socket from '../../compat/index.js';
import { startExample, type ExampleProcess } from '../helpers/example-process.js';

const EXAMPLE = 'examples/compat/echo-server.ts';

/** Reads lines until the one that ends with "port <n>"; returns n. */
async function printedPort(example: ExampleProcess): Promise<number> {
  for (;;) {
    const m = /port (\d+)$/.exec(await example.line());
    if (m !== null) return Number(m[1]);
  }
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
    await using example = startExample(EXAMPLE, ['0', '2']);
    const port = await printedPort(example);
    expect(await echo(port, 'hello, echo\r\n')).toBe('hello, echo');
    expect(await echo(port, 'bytes \x00\xff\n')).toBe('bytes \x00\xff');
    expect((await example.exit()).code).toBe(0);
    expect(example.printed).toEqual([
      `Please telnet to localhost on port ${port}`,
      'After connecting, you have 10s to enter a line to be echoed',
      'Served 2 clients, bye',
    ]);
  });

  it('echo-server takes its port from $PORT and stops cleanly on SIGINT', async () => {
    const [probe] = await socket.bind('127.0.0.1', 0);
    const [, free] = probe!.getsockname();
    probe!.close();
    await using example = startExample(EXAMPLE, [], { env: { PORT: String(free) } });
    expect(await example.line()).toBe(`Please telnet to localhost on port ${free}`);
    expect(await echo(Number(free), 'one\n')).toBe('one');
    example.kill('SIGINT');
    const { code, signal } = await example.exit();
    expect([code, signal]).toEqual([0, null]);
  });
});
