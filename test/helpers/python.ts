/**
 * python3 as the machine's glibc oracle: os.strerror, socket.getaddrinfo and
 * ctypes reach the same C library nixio calls, so tests compare against it
 * instead of against texts copied by hand. Under CI=true a missing python3 is
 * a failure, not a skip.
 */

import { spawnSync } from 'node:child_process';

function probe(): boolean {
  const r = spawnSync('python3', ['-c', 'import ctypes, socket'], { stdio: 'ignore' });
  return r.status === 0;
}

/** True when python3 (with ctypes and socket) can run here. */
export const hasPython: boolean = probe();

if (!hasPython) {
  if (process.env.CI === 'true') {
    throw new Error('CI=true but python3 is not installed: the glibc checks must run in CI');
  }
  console.warn(
    '[glibc] python3 not found: checks against glibc are skipped (apt-get install -y python3)',
  );
}

/**
 * Runs `python3 -c code` and returns what it printed on stdout.
 *
 * @throws Error with python's stderr when it exits non-zero or cannot start.
 */
export function runPython(code: string): string {
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.error) throw new Error(`python3 did not run: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`python3 exited with ${String(r.status ?? r.signal)}: ${r.stderr}`);
  }
  return r.stdout;
}
