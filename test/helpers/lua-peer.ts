/**
 * A Lua script running test/lua/peer-session.lua's command loop, driven step
 * by step: each command is one stdin line, each answer one JSON line, byte
 * strings in hex.
 */

import { runLua, type LuaProcess } from './lua.js';

/** One JSON answer of peer-session.lua. */
export type Json = Record<string, unknown>;

/** Bytes as peer-session.lua takes them: hex, `-` for none. */
export const hex = (b: string | Uint8Array): string => {
  const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : Buffer.from(b);
  return buf.length === 0 ? '-' : buf.toString('hex');
};

/** Hex from peer-session.lua as a Buffer, or null. */
export const unhex = (h: unknown): Buffer | null =>
  typeof h === 'string' ? Buffer.from(h, 'hex') : null;

/**
 * peer-session.lua's generator (`gen`): a 31-bit LCG, one byte from bits
 * 16..23 per step, so both ends can make the same large block from a seed.
 */
export function genBytes(n: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    out[i] = (x >>> 16) & 255;
  }
  return out;
}

/** 32-bit FNV-1a of bytes, as peer-session.lua and test-bytes.lua report a large block. */
export function fnvBytes(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h;
}

/** A running session peer. Call {@link SessionPeer.stop} when done. */
export class SessionPeer {
  readonly #proc: LuaProcess;

  constructor(script: string, args: readonly string[]) {
    this.#proc = runLua(script, args);
    // A write after an early exit must fail the test through `line()`, not crash the worker.
    this.#proc.child.stdin?.on('error', () => undefined);
  }

  /** The next line the script prints, checked against `pattern`. */
  async expectLine(pattern: RegExp): Promise<RegExpExecArray> {
    const line = await this.#proc.line();
    const m = pattern.exec(line);
    if (m !== null) return m;
    throw new Error(
      `Expected a line like ${String(pattern)}, got ${line}; stderr: ${this.#proc.stderr()}`,
    );
  }

  /** Runs one command and returns its JSON answer. */
  async command(...words: (string | number)[]): Promise<Json> {
    this.#proc.write(words.join(' '));
    const result = JSON.parse(await this.#proc.line()) as Json;
    if ('error' in result) throw new Error(`lua: ${String(result.error)}`);
    return result;
  }

  /** Tells the script to exit and waits for it. */
  async stop(): Promise<number | null> {
    this.#proc.write('exit');
    return this.#proc.exit();
  }
}
