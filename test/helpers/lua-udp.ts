/**
 * A real LuaSocket UDP object bound to 127.0.0.1, driven command by command
 * through test/lua/peer-udp.lua: each command one stdin line, each answer one
 * JSON line, datagrams in hex.
 */

import { expect } from 'vitest';
import type { Defer } from './deferred.js';
import { runLua, type LuaProcess } from './lua.js';
import { hex, unhex, type Json } from './lua-peer.js';

/** What LuaSocket's receivefrom (receive when connected) answered. */
export interface LuaDatagram {
  data: Buffer | null;
  ip: unknown;
  port: unknown;
  err: unknown;
}

/** The Lua peer; `defer` stops it when the test ends. */
export class LuaUdp {
  readonly #proc: LuaProcess;
  port = 0;

  constructor(defer: Defer) {
    this.#proc = runLua('peer-udp.lua');
    // A write after an early exit must fail the test through `line()`, not crash the worker.
    this.#proc.child.stdin?.on('error', () => undefined);
    defer(() => this.stop());
  }

  /** Waits for the script's `READY <port>`. */
  async ready(): Promise<this> {
    const line = await this.#proc.line();
    const m = /^READY (\d+)$/.exec(line);
    if (m === null) throw new Error(`Expected READY, got ${line}; stderr: ${this.#proc.stderr()}`);
    this.port = Number(m[1]);
    return this;
  }

  /** Sends one command; `result()` reads its JSON answer. */
  write(...words: (string | number)[]): void {
    this.#proc.write(words.join(' '));
  }

  async result(): Promise<Json> {
    const json = JSON.parse(await this.#proc.line()) as Json;
    if ('error' in json) throw new Error(`lua: ${String(json.error)}`);
    return json;
  }

  async command(...words: (string | number)[]): Promise<Json> {
    this.write(...words);
    return this.result();
  }

  /** Sends one datagram to 127.0.0.1:`port`; checks LuaSocket sent all of it. */
  async sendto(data: Uint8Array, port: number): Promise<void> {
    expect(await this.command('sendto', hex(data), port)).toEqual({ sent: data.length, err: null });
  }

  /** LuaSocket's receivefrom (receive when connected); no size is LuaSocket's default. */
  async receive(size?: number): Promise<LuaDatagram> {
    const r = await this.command('recv', size ?? '-');
    return { data: unhex(r.data), ip: r.ip, port: r.port, err: r.err };
  }

  async stop(): Promise<void> {
    const { child } = this.#proc;
    if (child.exitCode === null && child.signalCode === null) this.#proc.write('exit');
    await this.#proc.exit(3000);
  }
}
