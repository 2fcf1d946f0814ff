/**
 * The same calls, in Lua and with compat: test/lua/raises.lua runs Lua
 * expressions against a fixed set of LuaSocket objects, {@link compatObjects}
 * builds the same set with the compat layer, and both report each call as
 * "it raised this message" or "it returned these values", in one notation.
 */

import { spawnSync } from 'node:child_process';
import socket, { type TcpObject, type UdpObject, type UnixObject } from '../../compat/index.js';
import { LUA_DIR } from './lua.js';

/** What a call did: raised (with the message), or returned values (shown as raises.lua shows them). */
export type Outcome = { raised: true; message: string } | { raised: false; values: string[] };

/** The objects raises.lua names, made the same way with compat. */
export interface CompatObjects {
  /** `socket.tcp()` */
  m: TcpObject;
  /** `socket.tcp4()` */
  m4: TcpObject;
  /** `socket.tcp()` bound to 127.0.0.1:0 */
  mb: TcpObject;
  /** `socket.bind('127.0.0.1', 0)` */
  s: TcpObject;
  /** a client of `s` */
  c: TcpObject;
  /** `s`'s end of `c` */
  a: TcpObject;
  /** `socket.udp()` */
  u: UdpObject;
  /** `socket.udp4()` */
  u4: UdpObject;
  /** `socket.udp()` with a peer */
  uc: UdpObject;
  /** `socket.unix()` */
  x: UnixObject;
}

function must<T>(result: [T, null] | [null, string]): T {
  if (result[0] === null) throw new Error(`setup failed: ${String(result[1])}`);
  return result[0];
}

/** Builds the objects; `close` them all when done. */
export async function compatObjects(): Promise<CompatObjects & { close(): void }> {
  const s = must(await socket.bind('127.0.0.1', 0));
  const port = Number(s.getsockname()[1]);
  const c = must(await socket.connect('127.0.0.1', port));
  const a = must(await s.accept());
  const mb = must(socket.tcp());
  must(await mb.bind('127.0.0.1', 0));
  const uc = must(socket.udp());
  must(await uc.setpeername('127.0.0.1', port));
  const objects: CompatObjects = {
    m: must(socket.tcp()),
    m4: must(socket.tcp4()),
    mb,
    s,
    c,
    a,
    u: must(socket.udp()),
    u4: must(socket.udp4()),
    uc,
    x: must(socket.unix()),
  };
  return {
    ...objects,
    close: () => {
      const { m, m4, u, u4, x } = objects;
      for (const o of [a, c, s, m, m4, mb, u, u4, uc, x]) o.close();
    },
  };
}

/** One value as raises.lua's `show` prints it. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'number')
    return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(14)));
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([x], [y]) =>
      x < y ? -1 : x > y ? 1 : 0,
    );
    return `{${entries.map(([k, x]) => `${k}=${show(x)}`).join(',')}}`;
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * What a compat call did. A call returns a tuple (its values) or one value;
 * a Promise it returns is not awaited (a raise is synchronous), but its
 * rejection is swallowed so that it cannot outlive the test.
 */
export function compatOutcome(call: () => unknown): Outcome & { error?: unknown } {
  try {
    const result = call();
    if (result instanceof Promise) {
      result.catch(() => undefined);
      return { raised: false, values: ['promise'] };
    }
    const values = Array.isArray(result) ? (result as unknown[]) : [result];
    return { raised: false, values: values.map(show) };
  } catch (error) {
    return { raised: true, message: error instanceof Error ? error.message : String(error), error };
  }
}

/** Runs each Lua expression in one lua5.4 process; one outcome per expression. */
export function luaOutcomes(expressions: readonly string[]): Outcome[] {
  for (const e of expressions) if (e.includes('\n')) throw new Error(`one line per row: ${e}`);
  const r = spawnSync('lua5.4', [LUA_DIR + 'raises.lua'], {
    input: expressions.join('\n') + '\n',
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (r.status !== 0) throw new Error(`raises.lua failed (${String(r.status)}): ${r.stderr}`);
  const lines = r.stdout.split('\n').slice(0, -1);
  if (lines.length !== expressions.length) {
    throw new Error(`raises.lua answered ${lines.length} of ${expressions.length} rows`);
  }
  return lines.map((line): Outcome => {
    const [kind = '', ...rest] = line.split('\t');
    return kind === 'raise'
      ? { raised: true, message: rest.join('\t') }
      : { raised: false, values: rest };
  });
}
