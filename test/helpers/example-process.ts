/**
 * An example run as a user would run it (`node --import tsx <example> ...args`)
 * from the repository root, its stdout read line by line.
 *
 * When the run compiled the examples beforehand (compile-examples.ts, the
 * integration project's globalSetup), a `.ts` example runs from its compiled
 * `.mjs` with plain node, which starts in a fraction of the time; anything
 * else, or an example run outside that setup, runs under tsx as before.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How to start `example`: node's arguments before the example's own. */
function command(example: string): string[] {
  const compiled = inject('compiledExamples') as string | undefined;
  if (compiled === undefined || !example.endsWith('.ts')) return ['--import', 'tsx', example];
  return ['--enable-source-maps', join(compiled, example.replace(/\.ts$/, '.mjs'))];
}

export interface ExampleOptions {
  /** Extra environment variables, on top of this process's. */
  readonly env?: Record<string, string>;
  /** 'pipe' to write to the example's stdin through `child.stdin`; 'ignore' by default. */
  readonly stdin?: 'pipe' | 'ignore';
}

/** How the example ended, and what it printed that was not read with `line()`. */
export interface ExampleExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly rest: string[];
  readonly stderr: string;
}

/** A running example. Disposing of it kills it (SIGKILL) if it still runs, and waits for it. */
export class ExampleProcess implements AsyncDisposable {
  readonly child: ChildProcess;
  /** Every line printed so far, read or not. */
  readonly printed: string[] = [];
  readonly #unread: string[] = [];
  readonly #waiters: ((line: string | undefined) => void)[] = [];
  readonly #closed: Promise<[number | null, NodeJS.Signals | null]>;
  #ended = false;
  #stderr = '';

  /** `example` is a path from the repository root, such as 'examples/udp-talker.ts'. */
  constructor(example: string, args: readonly string[] = [], options: ExampleOptions = {}) {
    this.child = spawn(process.execPath, [...command(example), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    });
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.#stderr += d));
    const rl = createInterface({ input: this.child.stdout! });
    rl.on('line', (line) => {
      this.printed.push(line);
      const w = this.#waiters.shift();
      if (w !== undefined) w(line);
      else this.#unread.push(line);
    });
    const linesDone = once(rl, 'close').then(() => {
      this.#ended = true;
      for (const w of this.#waiters.splice(0)) w(undefined);
    });
    // 'close': the process is gone and its pipes are closed too; and every line has been read.
    this.#closed = Promise.all([once(this.child, 'close'), linesDone]).then(([[code, signal]]) => [
      code as number | null,
      signal as NodeJS.Signals | null,
    ]);
  }

  /** Everything it wrote to stderr so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** The next line it prints (fails when it ends first). */
  async line(): Promise<string> {
    const ready = this.#unread.shift();
    if (ready !== undefined) return ready;
    if (this.#ended) throw new Error(`The example ended; stderr: ${this.#stderr}`);
    const line = await new Promise<string | undefined>((resolve) => this.#waiters.push(resolve));
    if (line === undefined) throw new Error(`The example ended; stderr: ${this.#stderr}`);
    return line;
  }

  /** Waits for the exit; returns the exit code, the signal and every line not read yet. */
  async exit(): Promise<ExampleExit> {
    const [code, signal] = await this.#closed;
    return { code, signal, rest: this.#unread.splice(0), stderr: this.#stderr };
  }

  /** Sends a signal, if the process is still there. */
  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.kill('SIGKILL');
    await this.#closed;
  }
}

/** Starts `example` (a path from the repository root) with `args`. */
export function startExample(
  example: string,
  args: readonly string[] = [],
  options: ExampleOptions = {},
): ExampleProcess {
  return new ExampleProcess(example, args, options);
}
