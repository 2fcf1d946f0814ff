/**
 * scripts/example.mjs, what `npm run example <name> [args…]` runs: it lists
 * the examples with their descriptions, runs one by name with its arguments,
 * and passes on its exit code and the signals sent to it.
 */

import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { startExample } from '../helpers/example-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = 'scripts/example.mjs';

/** Runs the script to its end with plain node, as npm does. */
function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every example by the name the script knows it by, with its header's first line. */
function examples(): [string, string][] {
  return ['', 'compat/', 'nixio/'].flatMap((prefix) =>
    readdirSync(`${ROOT}examples/${prefix}`)
      .filter((f) => f.endsWith('.ts'))
      .map((f): [string, string] => {
        const text = readFileSync(`${ROOT}examples/${prefix}${f}`, 'utf8');
        return [`${prefix}${f.slice(0, -3)}`, text.split('\n')[1]?.replace(/^ \* /, '') ?? ''];
      }),
  );
}

describe('scripts/example.mjs', () => {
  test('with no name, lists every example with the first line of its header, and exits 0', async () => {
    const { code, stdout, stderr } = await run();
    expect([code, stderr]).toEqual([0, '']);
    const listed = stdout.split('\n').filter((l) => l.startsWith('  '));
    const all = examples();
    expect(listed).toHaveLength(all.length);
    for (const [name, description] of all) {
      expect(description).not.toBe('');
      expect(listed).toContainEqual(expect.stringMatching(new RegExp(`^  ${name} +`)));
      expect(stdout).toContain(description);
    }
  });

  test('with an unknown name, says so, lists the examples on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await run('no-such-example');
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(/^Unknown example: no-such-example\n/);
    expect(stderr).toContain('  compat/echo-server ');
  });

  test('runs an example by name with its arguments and passes on its exit code', async () => {
    const ok = await run('echo-client', 'hello', 'there');
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toMatch(/\nhello\nthere\n$/);
    // compat/<name>, and the exit code of a failing example.
    const refused = await run('compat/echo-client', '--host', '127.0.0.1', '--port', '1', 'x');
    expect([refused.code, refused.stderr]).toEqual([1, 'echo-client: connection refused\n']);
  });

  test('finds a name that only the compat layer has, and accepts a path-like name', async () => {
    for (const name of ['select-echo', 'examples/compat/select-echo.ts']) {
      const { code, stderr } = await run(name, 'not-a-port');
      // The example itself ran: its own usage error, and its exit code.
      expect(code).toBe(2);
      expect(stderr).toMatch(/^not a port: not-a-port\nusage: select-echo\.ts/);
    }
  });

  test('runs a nixio example by nixio/<name>, or by its bare name when only nixio has it', async () => {
    for (const name of ['nixio/udp-client', 'udp-client']) {
      // A host name is no address for nixio's sendto: the example's own failure.
      const { code, stderr } = await run(name, 'localhost', '9');
      expect([code, stderr]).toEqual([1, 'udp-client: sendto failed: 22 Invalid argument\n']);
    }
  });

  test('passes SIGTERM on to the example, which stops cleanly', async () => {
    // Started as a user would start it; the script is the process signalled.
    await using runner = startExample(SCRIPT, ['chat-server']);
    expect(await runner.line()).toMatch(/^listening on \d+$/);
    runner.kill('SIGTERM');
    const { code, rest } = await runner.exit();
    expect(code).toBe(0);
    expect(rest).toEqual(['served 0 clients, bye']);
  });
});
