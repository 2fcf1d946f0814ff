/**
 * lines: ~40-byte lines (LF and CRLF) from a peer process, read by each
 * contender to the peer's FIN. Figure: lines per second.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import socket from '../../compat/index.js';
import { connect } from '../../src/index.js';
import { alternate, lua, peer, type Context, type Workload } from '../lib.js';

const LINE = 40;

async function rawSocket(port: number): Promise<Socket> {
  const s = netConnect(port, '127.0.0.1');
  await once(s, 'connect');
  return s;
}

/** The fastest plain Node: 'data' strings and an indexOf loop that drops a CR before LF. */
async function raw(port: number): Promise<number> {
  const s = await rawSocket(port);
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
  return count + (total & 0);
}

async function readline(port: number): Promise<number> {
  const s = await rawSocket(port);
  let count = 0;
  for await (const line of createInterface({ input: s, crlfDelay: Infinity })) {
    count += line.length >= 0 ? 1 : 0;
  }
  s.destroy();
  return count;
}

async function coreLines(port: number): Promise<number> {
  const c = await connect('127.0.0.1', port);
  let count = 0;
  for await (const line of c.lines()) count += line.length >= 0 ? 1 : 0;
  c.close();
  return count;
}

async function coreReceive(port: number): Promise<number> {
  const c = await connect('127.0.0.1', port);
  let count = 0;
  try {
    for (;;) count += (await c.receive('*l')).length >= 0 ? 1 : 0;
  } catch {
    // closed: the end
  }
  c.close();
  return count;
}

async function compatReceive(port: number): Promise<number> {
  const [c, err] = await socket.connect('127.0.0.1', port);
  if (c === null) throw new Error(err);
  let count = 0;
  for (;;) {
    const [line] = await c.receive();
    if (line === null) break;
    count++;
  }
  c.close();
  return count;
}

async function luaSocket(port: number): Promise<[number, number]> {
  const child = lua('lines.lua', port);
  const [, n, seconds] = await child.ask();
  await child.close();
  return [Number(n), Number(seconds)];
}

export const lines: Workload = {
  name: 'lines',
  async run(ctx: Context): Promise<void> {
    const count = ctx.quick ? 400_000 : 2_000_000;
    ctx.note(`lines: ${count} lines of ${LINE} bytes per run, ${ctx.rounds} rounds`);
    for (const kind of ['lf', 'crlf'] as const) {
      const server = peer('stream', kind, count * LINE);
      const port = Number((await server.ask())[1]);
      const timed = (fn: (p: number) => Promise<number>) => async (): Promise<number> => {
        const t0 = performance.now();
        const n = await fn(port);
        const s = (performance.now() - t0) / 1000;
        if (n !== count) throw new Error(`${n} lines, expected ${count}`);
        return n / s;
      };
      const contenders: Record<string, () => Promise<number>> = {
        raw: timed(raw),
        'node:readline': timed(readline),
        'core lines()': timed(coreLines),
        "core receive('*l')": timed(coreReceive),
        'compat receive()': timed(compatReceive),
      };
      if (ctx.lua) {
        contenders.LuaSocket = async () => {
          const [n, s] = await luaSocket(port);
          if (n !== count) throw new Error(`LuaSocket: ${n} lines, expected ${count}`);
          return n / s;
        };
      }
      const results = await alternate(ctx.rounds, contenders);
      await server.close();
      const targets: Record<string, { vs: 'raw' | 'lua'; limit: number; text: string }> = {
        'core lines()': { vs: 'raw', limit: 0.6, text: '>= 0.6x raw' },
        "core receive('*l')": { vs: 'lua', limit: 1.5, text: '>= 1.5x LuaSocket' },
        'compat receive()': { vs: 'lua', limit: 1.2, text: '>= 1.2x LuaSocket' },
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
          ...(target !== undefined && { target }),
        });
      }
    }
  },
};
