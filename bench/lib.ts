/**
 * Shared pieces of the benchmark: rounds that alternate contenders, child
 * processes (peers and Lua contenders), and the row format `run.ts` prints.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SocketError } from '../src/index.js';

/**
 * A figure the project holds a row to: `limit` is a ratio to the `raw` or
 * LuaSocket contender of the row's case, to another contender of the case
 * (`vs: 'row'`, named by `row`), or an absolute value (`abs`). A rate must
 * reach it, a cost must stay at or below it.
 */
export type Target =
  | { vs: 'raw' | 'lua' | 'abs'; limit: number; text: string }
  | { vs: 'row'; row: string; limit: number; text: string };

/** One measured figure of one contender: a value per round. */
export interface Row {
  workload: string;
  /** What is measured, e.g. 'LF lines'. Rows of one case share it and are compared. */
  case: string;
  contender: string;
  unit: string;
  /** True when a larger value is better (a rate), false for a cost (ns/call). */
  higher: boolean;
  values: number[];
  /** Contender names in the same case to compare against. */
  raw?: string;
  lua?: string;
  /** What this row is held to, e.g. `[{ vs: 'raw', limit: 0.9, text: '>= 0.9x raw' }]`; all must be met. */
  targets?: Target[];
}

export interface Context {
  quick: boolean;
  rounds: number;
  lua: boolean;
  /** Visible notes: skipped contenders, sizes used. */
  note(text: string): void;
  rows: Row[];
}

export interface Workload {
  name: string;
  run(ctx: Context): Promise<void>;
}

/**
 * Runs `rounds` rounds of every contender, A B A B …, and returns each
 * contender's values (a contender returns one number or several named ones).
 */
export async function alternate(
  rounds: number,
  contenders: Record<string, () => Promise<number | Record<string, number>>>,
): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(contenders)) {
      const v = await fn();
      if (typeof v === 'number') (out[name] ??= []).push(v);
      else
        for (const [k, x] of Object.entries(v))
          (out[k === '' ? name : `${name}|${k}`] ??= []).push(x);
    }
  }
  return out;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0
    ? NaN
    : s.length % 2 === 1
      ? (s[m] as number)
      : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

export const here = (rel: string): string => fileURLToPath(new URL(rel, import.meta.url));

let luaChecked: boolean | undefined;
/** True when lua5.4 with LuaSocket is installed. */
export function haveLua(): boolean {
  luaChecked ??= spawnSync('lua5.4', ['-e', 'require("socket")'], { stdio: 'ignore' }).status === 0;
  return luaChecked;
}

let luaSecChecked: boolean | undefined;
/** True when lua5.4 with LuaSocket and LuaSec is installed. */
export function haveLuaSec(): boolean {
  luaSecChecked ??=
    haveLua() && spawnSync('lua5.4', ['-e', 'require("ssl")'], { stdio: 'ignore' }).status === 0;
  return luaSecChecked;
}

/** A child process that speaks one line per answer on stdout. */
export class Child {
  readonly proc: ChildProcess;
  readonly #pending: ((line: string) => void)[] = [];
  readonly #exited: Promise<unknown>;
  #stderr = '';

  constructor(command: string, args: string[]) {
    this.proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr?.on('data', (d: Buffer) => (this.#stderr += d.toString()));
    createInterface({ input: this.proc.stdout! }).on('line', (line) =>
      this.#pending.shift()?.(line),
    );
    this.#exited = once(this.proc, 'exit');
  }

  /** Sends a command (unless empty) and resolves to the next line's fields. */
  ask(command = ''): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.#pending.push((line) => resolve(line.split(' ')));
      void this.#exited.then(() =>
        reject(new Error(`${this.proc.spawnargs.join(' ')} exited: ${this.#stderr.trim()}`)),
      );
      if (command !== '') this.proc.stdin?.write(command + '\n');
    });
  }

  async close(): Promise<void> {
    if (this.proc.exitCode === null) {
      this.proc.stdin?.end();
      this.proc.kill();
      await this.#exited;
    }
  }
}

/** A peer from bench/peers/peer.mjs (plain Node, its own event loop). */
export function peer(...args: (string | number)[]): Child {
  return new Child(process.execPath, [here('peers/peer.mjs'), ...args.map(String)]);
}

/** A contender script from bench/lua/. */
export function lua(script: string, ...args: (string | number)[]): Child {
  return new Child('lua5.4', [here(`lua/${script}`), ...args.map(String)]);
}

/** A TypeScript helper run in its own process (for figures that need a fresh one). */
export function tsChild(script: string, ...args: (string | number)[]): Child {
  return new Child(process.execPath, ['--import', 'tsx', here(script), ...args.map(String)]);
}

export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
export const sleepMs = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A plain node:net connection to a loopback peer, once connected (the `raw` contenders). */
export async function rawConnect(port: number): Promise<Socket> {
  const s = netConnect(port, '127.0.0.1');
  await once(s, 'connect');
  return s;
}

/**
 * The length of what a core receive read before the peer's close ended it
 * (its `partial`); any other error is thrown again.
 */
export function closedWith(err: unknown): number {
  if (!(err instanceof SocketError) || err.code !== 'closed') throw err;
  return (err as SocketError).partial?.length ?? 0;
}
