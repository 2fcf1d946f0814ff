/**
 * Real LuaSocket as a test peer: runs Lua scripts under lua5.4 with
 * lua-socket. Under CI=true a missing Lua is a failure, not a skip.
 */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** The directory holding the Lua peer scripts. */
export const LUA_DIR = fileURLToPath(new URL('../lua/', import.meta.url));

function probe(): boolean {
  const r = spawnSync('lua5.4', ['-e', 'require("socket")'], { stdio: 'ignore' });
  return r.status === 0;
}

/** True when lua5.4 with LuaSocket can run here. */
export const hasLua: boolean = probe();

if (!hasLua) {
  if (process.env.CI === 'true') {
    throw new Error(
      'CI=true but lua5.4 with lua-socket is not installed: interop tests must run in CI',
    );
  }
  console.warn(
    '[interop] lua5.4 + lua-socket not found: interop tests are skipped (apt-get install -y lua5.4 lua-socket)',
  );
}

/** True when LuaSec (lua-sec) loads too: the TLS interop tests' peer. */
export const hasLuaSec: boolean =
  hasLua && spawnSync('lua5.4', ['-e', 'require("ssl")'], { stdio: 'ignore' }).status === 0;

if (hasLua && !hasLuaSec) {
  if (process.env.CI === 'true') {
    throw new Error('CI=true but lua-sec is not installed: the TLS interop tests must run in CI');
  }
  console.warn(
    '[interop] LuaSec not found: TLS interop tests are skipped (apt-get install -y lua-sec)',
  );
}

/** A running Lua script whose stdout is read line by line. */
export interface LuaProcess {
  readonly child: ChildProcess;
  /** Resolves to the next line the script prints. */
  line(): Promise<string>;
  /** Writes a line to the script's stdin. */
  write(line: string): void;
  /** Resolves when the script exits, with its exit code; kills it after `ms`. */
  exit(ms?: number): Promise<number | null>;
  /** Everything the script wrote to stderr so far. */
  stderr(): string;
}

/**
 * Starts `test/lua/<script>` with arguments. The script should print lines on
 * stdout (for example "READY <port>") that the test reads with `line()`.
 */
export function runLua(script: string, args: readonly string[] = []): LuaProcess {
  const child = spawn('lua5.4', [LUA_DIR + script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (err += d));
  const rl = createInterface({ input: child.stdout });
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  rl.on('line', (l) => {
    const w = waiters.shift();
    if (w) w(l);
    else lines.push(l);
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    line: () =>
      new Promise<string>((resolve, reject) => {
        const l = lines.shift();
        if (l !== undefined) return resolve(l);
        const timer = setTimeout(
          () => reject(new Error(`lua ${script}: no line in 10 s; stderr: ${err}`)),
          10_000,
        );
        waiters.push((x) => {
          clearTimeout(timer);
          resolve(x);
        });
        void exited.then(() => {
          // Let buffered lines arrive first.
          setImmediate(() => {
            const i = waiters.length;
            if (i > 0 && lines.length === 0) {
              clearTimeout(timer);
              reject(new Error(`lua ${script} exited; stderr: ${err}`));
            }
          });
        });
      }),
    write: (l) => {
      child.stdin.write(l + '\n');
    },
    exit: async (ms = 10_000) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
        child.stdin.destroy();
        rl.close();
      }
    },
    stderr: () => err,
  };
}
