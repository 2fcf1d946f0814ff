/**
 * The introduction's echo server (examples/echo-server.ts and its line-for-line
 * compat original examples/compat/echo-server.ts) and the echo clients
 * (examples/echo-client.ts, examples/compat/echo-client.ts), run as programs
 * against loopback peers the test controls, and against each other.
 */

import { describe, expect, test } from 'vitest';
import { bind, connect } from '../../src/index.js';
import { startExample, type ExampleProcess } from '../helpers/example-process.js';

/** Reads lines until the one that ends with "port <n>"; returns n. */
async function printedPort(example: ExampleProcess): Promise<number> {
  for (;;) {
    const m = /port (\d+)$/.exec(await example.line());
    if (m !== null) return Number(m[1]);
  }
}

/** One client as the LuaSocket page suggests: send a line, read the echo. */
async function echo(port: number, line: string): Promise<string> {
  await using c = await connect('127.0.0.1', port, { timeout: 10, encoding: 'latin1' });
  c.settimeout(10);
  await c.send(Buffer.from(line, 'latin1'));
  // Awaited here, before `await using` closes the connection.
  return await c.receive();
}

const SERVERS = [
  ['core', 'examples/echo-server.ts'],
  ['compat', 'examples/compat/echo-server.ts'],
] as const;
const CLIENTS = [
  ['core', 'examples/echo-client.ts'],
  ['compat', 'examples/compat/echo-client.ts'],
] as const;

describe.each(SERVERS)('%s: %s', (side, script) => {
  test('echo-server echoes one line per client and exits after the given number of clients', async () => {
    await using example = startExample(script, ['0', '2']);
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

  test('echo-server takes its port from $PORT and stops cleanly on SIGINT', async () => {
    const probe = await bind('127.0.0.1', 0);
    const free = probe.getsockname().port;
    probe.close();
    await using example = startExample(script, [], { env: { PORT: String(free) } });
    expect(await example.line()).toBe(`Please telnet to localhost on port ${free}`);
    expect(await echo(free, 'one\n')).toBe('one');
    example.kill('SIGINT');
    const { code, signal } = await example.exit();
    expect([code, signal]).toEqual([0, null]);
  });
});

// The Lua original (and its compat port) serves one client at a time; the
// core's serves each in its own task.
test('core echo-server answers a second client while the first keeps quiet', async () => {
  await using example = startExample('examples/echo-server.ts', ['0', '2']);
  const port = await printedPort(example);
  await using quiet = await connect('127.0.0.1', port, { timeout: 10 });
  expect(await echo(port, 'not kept waiting\n')).toBe('not kept waiting');
  quiet.close();
  expect((await example.exit()).code).toBe(0);
});

describe.each(CLIENTS)('%s: %s', (_side, script) => {
  test('echo-client with no --port echoes its arguments through a server of its own', async () => {
    await using client = startExample(script, ['hello', 'ünïcödé ✓', '']);
    const { code, rest, stderr } = await client.exit();
    expect([code, stderr]).toEqual([0, '']);
    expect(rest[0]).toMatch(/^No --port given: echoing through a local server on port \d+$/);
    expect(rest.slice(1)).toEqual(['hello', 'ünïcödé ✓', '']);
  });

  test('echo-client --port sends stdin lines, one connection each, and prints the answers', async () => {
    // The test is the server: it answers each line in its own way, so what
    // the client prints is shown to come from the server.
    await using server = await bind('127.0.0.1', 0, { encoding: 'buffer' });
    const answering = (async () => {
      for (let i = 1; i <= 2; i++) {
        await using conn = await server.accept({ timeout: 30 });
        const line = await conn.receive('*l', { timeout: 30 });
        await conn.send(Buffer.concat([Buffer.from(`${i}: `), line, Buffer.from('\n')]));
      }
    })();
    const port = String(server.getsockname().port);
    await using client = startExample(script, ['--host', '127.0.0.1', '--port', port], {
      stdin: 'pipe',
    });
    client.child.stdin?.end('first line\nsecond, ünï\n');
    await answering;
    expect(await client.exit()).toEqual({
      code: 0,
      signal: null,
      rest: ['1: first line', '2: second, ünï'],
      stderr: '',
    });
  });

  test('echo-client reports a refused connection and exits 1', async () => {
    const probe = await bind('127.0.0.1', 0);
    const gone = String(probe.getsockname().port);
    probe.close();
    await using client = startExample(script, ['--host', '127.0.0.1', '--port', gone, 'x']);
    const { code, stderr } = await client.exit();
    expect([code, stderr]).toEqual([1, 'echo-client: connection refused\n']);
  });

  test('echo-client reports a server that hangs up without an answer and exits 1', async () => {
    await using server = await bind('127.0.0.1', 0);
    const hangingUp = (async () => {
      const conn = await server.accept({ timeout: 30 });
      await conn.receive('*l', { timeout: 30 });
      conn.close();
    })();
    const port = String(server.getsockname().port);
    await using client = startExample(script, ['--host', '127.0.0.1', '--port', port, 'x', 'y']);
    await hangingUp;
    const { code, rest, stderr } = await client.exit();
    expect([code, rest, stderr]).toEqual([1, [], 'echo-client: closed\n']);
  });
});

describe.each(CLIENTS.flatMap((c) => SERVERS.map((s) => [c[1], s[1]] as const)))(
  '%s ⇄ %s',
  (clientScript, serverScript) => {
    test('echo-client lines come back through echo-server', async () => {
      await using server = startExample(serverScript, ['0', '3']);
      const port = String(await printedPort(server));
      await using client = startExample(clientScript, ['--port', port, 'one', 'two', 'three']);
      expect(await client.exit()).toMatchObject({ code: 0, rest: ['one', 'two', 'three'] });
      expect((await server.exit()).rest.at(-1)).toBe('Served 3 clients, bye');
    });
  },
);
