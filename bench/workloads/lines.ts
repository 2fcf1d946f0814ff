/**
 * lines: 40-byte lines (LF and CRLF) from a peer process that streams them
 * from connect to its FIN, read by each contender as they arrive. Figure:
 * lines per second. Every contender counts lines and their characters (the
 * line without CR and LF), and a wrong count throws.
 *   raw            'data' strings and an indexOf split that drops the CR
 *   node:readline  its async iterator over the socket
 *   core           `for await … of c.lines()`, `await c.receive('*l')` (default
 *                  options), and `receive('*l')` with `encoding: 'buffer'`
 *   compat         a `c:receive()` loop on `socket.connect`'s default object
 *   Lua            bench/lua/lines.lua, a `receive('*l')` loop
 */
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import socket from '../../compat/index.js';
import { connect } from '../../src/index.js';
import {
  alternate,
  closedWith,
  lua,
  peer,
  rawConnect,
  type Context,
  type Target,
  type Workload,
} from '../lib.js';

export const LINE = 40;

/** Lines read, and their characters: what every contender answers. */
export type Count = [lines: number, chars: number];

/** The fastest plain Node: 'data' strings and an indexOf loop that drops a CR before LF. */
async function raw(port: number): Promise<Count> {
  return splitLines(await rawConnect(port));
}

/** The raw contender's reading, on a connected socket (plain or TLS), to its end. */
export async function splitLines(s: Socket): Promise<Count> {
  s.setEncoding('utf8');
  let count = 0;
  let total = 0;
  let rest = '';
  s.on('data', (chunk: string) => {
    const text = rest === '' ? chunk : rest + chunk;
    let from = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', from)) {
      const end = at > from && text.charCodeAt(at - 1) === 13 ? at - 1 : at;
      total += text.slice(from, end).length;
      count++;
      from = at + 1;
    }
    rest = from === text.length ? '' : text.slice(from);
  });
  await once(s, 'end');
  s.destroy();
  return [count, total];
}

async function readline(port: number): Promise<Count> {
  const s = await rawConnect(port);
  let count = 0;
  let total = 0;
  for await (const line of createInterface({ input: s, crlfDelay: Infinity })) {
    total += line.length;
    count++;
  }
  s.destroy();
  return [count, total];
}

async function coreLines(port: number): Promise<Count> {
  return iterateLines(await connect('127.0.0.1', port));
}

/** `for await … of c.lines()` to the peer's close. */
export async function iterateLines(c: {
  lines(): AsyncIterable<{ length: number }>;
  close(): void;
}): Promise<Count> {
  let count = 0;
  let total = 0;
  for await (const line of c.lines()) {
    total += line.length;
    count++;
  }
  c.close();
  return [count, total];
}

/** A `receive('*l')` loop to the peer's close, which must come with nothing unread. */
export async function receiveLines(c: {
  receive(pattern: '*l'): Promise<{ length: number }>;
  close(): void;
}): Promise<Count> {
  let count = 0;
  let total = 0;
  try {
    for (;;) {
      total += (await c.receive('*l')).length;
      count++;
    }
  } catch (err) {
    const rest = closedWith(err);
    if (rest !== 0) throw new Error(`a line of ${rest} characters without its LF`);
  }
  c.close();
  return [count, total];
}

async function compatReceive(port: number): Promise<Count> {
  const [c, err] = await socket.connect('127.0.0.1', port);
  if (c === null) throw new Error(err);
  let count = 0;
  let total = 0;
  for (;;) {
    const [line, e, partial] = await c.receive();
    if (line === null) {
      if (e !== 'closed' || partial !== '') throw new Error(`compat: ${e}, '${partial}' left`);
      break;
    }
    total += line.length;
    count++;
  }
  c.close();
  return [count, total];
}

async function luaSocket(port: number): Promise<[...Count, number]> {
  const child = lua('lines.lua', port);
  const [, n, seconds, total] = (await child.ask()).map(Number);
  await child.close();
  return [n as number, total as number, seconds as number];
}

export const lines: Workload = {
  name: 'lines',
  async run(ctx: Context): Promise<void> {
    const count = ctx.quick ? 400_000 : 2_000_000;
    ctx.note(`lines: ${count} lines of ${LINE} bytes per run, ${ctx.rounds} rounds`);
    for (const kind of ['lf', 'crlf'] as const) {
      const server = peer('stream', kind, count * LINE);
      const port = Number((await server.ask())[1]);
      // Characters per line once the LF (and the CR) are dropped.
      const chars = count * (kind === 'lf' ? LINE - 1 : LINE - 2);
      const check = (who: string, [n, total]: Count): void => {
        if (n !== count || total !== chars)
          throw new Error(`${who}: ${n} lines, ${total} chars; expected ${count}, ${chars}`);
      };
      const timed =
        (who: string, fn: (p: number) => Promise<Count>) => async (): Promise<number> => {
          const t0 = performance.now();
          const got = await fn(port);
          const s = (performance.now() - t0) / 1000;
          check(who, got);
          return count / s;
        };
      const contenders: Record<string, () => Promise<number>> = {
        raw: timed('raw', raw),
        'node:readline': timed('node:readline', readline),
        'core lines()': timed('core lines()', coreLines),
        "core receive('*l')": timed('core', async (p) =>
          receiveLines(await connect('127.0.0.1', p)),
        ),
        "core receive('*l') [buffer]": timed('core [buffer]', async (p) =>
          receiveLines(await connect('127.0.0.1', p, { encoding: 'buffer' })),
        ),
        'compat receive()': timed('compat', compatReceive),
      };
      if (ctx.lua) {
        contenders.LuaSocket = async () => {
          const [n, total, s] = await luaSocket(port);
          check('LuaSocket', [n, total]);
          return n / s;
        };
      }
      const results = await alternate(ctx.rounds, contenders);
      await server.close();
      const vsLua = (limit: number): Target => ({
        vs: 'lua',
        limit,
        text: `>= ${limit.toFixed(1)}x LuaSocket`,
      });
      const raw07: Target = { vs: 'raw', limit: 0.7, text: '>= 0.7x raw' };
      const targets: Record<string, Target[]> =
        kind === 'lf'
          ? {
              'core lines()': [raw07],
              "core receive('*l')": [vsLua(1.5)],
              'compat receive()': [vsLua(1.3)],
            }
          : {
              'core lines()': [vsLua(1.3), raw07],
              "core receive('*l')": [vsLua(1.3)],
              'compat receive()': [vsLua(1.3)],
            };
      for (const [contender, values] of Object.entries(results)) {
        const target = targets[contender];
        ctx.rows.push({
          workload: 'lines',
          case: `${kind.toUpperCase()} lines`,
          contender,
          unit: 'lines/s',
          higher: true,
          values,
          raw: 'raw',
          ...(ctx.lua && { lua: 'LuaSocket' }),
          ...(target !== undefined && { targets: target }),
        });
      }
    }
  },
};
