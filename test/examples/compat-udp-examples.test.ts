/**
 * Runs each compat UDP example as a user would
 * (`node --import tsx examples/compat/<name>.ts`) against a loopback peer the
 * test controls, and checks what it prints. The same checks as the core
 * twins' (test/examples/udp-examples.test.ts): the outputs are the same.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { udp, type UdpSocket } from '../../src/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A running example: its stdout line by line, its exit. */
class Example {
  readonly child: ChildProcess;
  readonly #lines: string[] = [];
  readonly #waiters: ((line: string | undefined) => void)[] = [];
  readonly #exited: Promise<number | null>;
  #ended = false;
  #stderr = '';

  constructor(name: string, args: readonly string[]) {
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', `examples/compat/${name}.ts`, ...args],
      {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.#stderr += d));
    const rl = createInterface({ input: this.child.stdout! });
    rl.on('line', (line) => {
      const w = this.#waiters.shift();
      if (w !== undefined) w(line);
      else this.#lines.push(line);
    });
    rl.on('close', () => {
      this.#ended = true;
      for (const w of this.#waiters.splice(0)) w(undefined);
    });
    // 'close': the process is gone and its pipes are closed too.
    this.#exited = once(this.child, 'close').then(([code]) => code as number | null);
  }

  /** The next line it prints (fails when it ends first). */
  async line(): Promise<string> {
    const ready = this.#lines.shift();
    if (ready !== undefined) return ready;
    if (this.#ended) throw new Error(`The example ended; stderr: ${this.#stderr}`);
    const line = await new Promise<string | undefined>((resolve) => this.#waiters.push(resolve));
    if (line === undefined) throw new Error(`The example ended; stderr: ${this.#stderr}`);
    return line;
  }

  /** Waits for the exit; returns the exit code and every line not read yet. */
  async exit(): Promise<{ code: number | null; rest: string[]; stderr: string }> {
    const code = await this.#exited;
    return { code, rest: this.#lines.splice(0), stderr: this.#stderr };
  }

  /** Sends a signal, once the process is still there. */
  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

const running: Example[] = [];
const sockets: UdpSocket[] = [];

function run(name: string, ...args: string[]): Example {
  const e = new Example(name, args);
  running.push(e);
  return e;
}

async function peer(): Promise<UdpSocket> {
  const u = udp();
  sockets.push(u);
  await u.setsockname('127.0.0.1', 0);
  u.settimeout(30); // only guards a hang
  return u;
}

afterEach(async () => {
  for (const u of sockets.splice(0)) u.close();
  for (const e of running.splice(0)) {
    e.kill('SIGKILL');
    await e.exit();
  }
});

describe('examples/compat/udp-daytime.ts', () => {
  test('udp-daytime.ts with no arguments asks its own loopback daytime server and prints the date', async () => {
    const { code, rest, stderr } = await run('udp-daytime').exit();
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
    const example = run('udp-daytime', 'localhost', String(server.getsockname().port));
    await answering;
    expect(await example.exit()).toEqual({
      code: 0,
      rest: ['Thursday, January 1, 2026 00:00:00-UTC'],
      stderr: '',
    });
  });
});

describe('examples/compat/udp-listener.ts', () => {
  test('udp-listener.ts prints every datagram with its sender until SIGINT', async () => {
    const listener = run('udp-listener', '127.0.0.1', '0');
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
      rest: ['closed'],
      stderr: '',
    });
  });
});

describe('examples/compat/udp-talker.ts', () => {
  test('udp-talker.ts sends each argument after the port as one datagram', async () => {
    const listener = await peer();
    const talker = run(
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
    const talker = run('udp-talker', '127.0.0.1', String(listener.getsockname().port));
    talker.child.stdin?.end('one\ntwo\n\nnot sent\n');
    const { code, rest } = await talker.exit();
    expect(code).toBe(0);
    expect(rest.at(-1)).toBe('Sent 2 datagrams.');
    // A marker sent after the talker exited: 'not sent', had it been sent, would come before it.
    const marker = await peer();
    await marker.sendto('marker', '127.0.0.1', listener.getsockname().port);
    expect([await listener.receive(), await listener.receive(), await listener.receive()]).toEqual([
      'one',
      'two',
      'marker',
    ]);
  });

  test('udp-talker.ts reports a refused peer and exits 1', async () => {
    const gone = await peer();
    const port = String(gone.getsockname().port);
    gone.close();
    // The first datagram draws the ICMP "port unreachable" that fails a later send.
    const talker = run('udp-talker', '127.0.0.1', port, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    const { code, stderr } = await talker.exit();
    expect(code).toBe(1);
    expect(stderr).toBe('talker: connection refused\n');
  });
});

describe('examples/compat/udp-talker.ts ⇄ examples/compat/udp-listener.ts', () => {
  test('udp-talker.ts lines show up in udp-listener.ts, one datagram each', async () => {
    const listener = run('udp-listener', '127.0.0.1', '0');
    await listener.line();
    const port = /:(\d+)\.\.\.$/.exec(await listener.line())?.[1] ?? '';
    const talker = run('udp-talker', 'localhost', port);
    talker.child.stdin?.end('first line\nsecond line\n');
    expect((await talker.exit()).code).toBe(0);
    expect(await listener.line()).toMatch(/^127\.0\.0\.1:\d+: first line$/);
    expect(await listener.line()).toMatch(/^127\.0\.0\.1:\d+: second line$/);
    listener.kill('SIGINT');
    expect((await listener.exit()).code).toBe(0);
  });
});
