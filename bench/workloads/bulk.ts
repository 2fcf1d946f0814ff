/**
 * bulk: 64 KiB pieces on loopback, the peer in its own process.
 *   receive  the peer sends 1 GiB (quick: 256 MiB): raw 'data', core receive(65536) loop
 *   '*a'     the peer sends 256 MiB (quick: 64 MiB): raw 'data' + Buffer.concat, core receive('*a')
 *   send     1 GiB (quick: 256 MiB) to a sink that answers "k" at EOF:
 *            raw write()/'drain', core `await send()` loop
 * Figure: MB/s (10^6 bytes per second), timed from connect to the last byte.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { once } from 'node:events';
import { connect } from '../../src/index.js';
import { alternate, lua, peer, type Context, type Row, type Workload } from '../lib.js';

const PIECE = 65536;

async function rawSocket(port: number): Promise<Socket> {
  const s = netConnect(port, '127.0.0.1');
  await once(s, 'connect');
  return s;
}

async function rawReceive(port: number): Promise<number> {
  const s = await rawSocket(port);
  let total = 0;
  s.on('data', (chunk: Buffer) => (total += chunk.length));
  await once(s, 'end');
  s.destroy();
  return total;
}

async function rawAll(port: number): Promise<number> {
  const s = await rawSocket(port);
  const chunks: Buffer[] = [];
  s.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(s, 'end');
  s.destroy();
  return Buffer.concat(chunks).length;
}

async function coreReceive(port: number): Promise<number> {
  const c = await connect('127.0.0.1', port, { encoding: 'buffer' });
  let total = 0;
  try {
    for (;;) total += (await c.receive(PIECE)).length;
  } catch (err) {
    total += ((err as { partial?: Buffer }).partial ?? Buffer.alloc(0)).length;
  }
  c.close();
  return total;
}

async function coreAll(port: number): Promise<number> {
  const c = await connect('127.0.0.1', port, { encoding: 'buffer' });
  const n = (await c.receive('*a')).length;
  c.close();
  return n;
}

async function rawSend(port: number, bytes: number): Promise<number> {
  const s = await rawSocket(port);
  const piece = Buffer.alloc(PIECE, 121);
  let sent = 0;
  while (sent < bytes) {
    sent += PIECE;
    if (!s.write(piece)) await once(s, 'drain');
  }
  s.end();
  await once(s, 'data');
  s.destroy();
  return sent;
}

async function coreSend(port: number, bytes: number): Promise<number> {
  const c = await connect('127.0.0.1', port, { encoding: 'buffer' });
  const piece = Buffer.alloc(PIECE, 121);
  let sent = 0;
  while (sent < bytes) sent += await c.send(piece);
  c.shutdown('send');
  await c.receive(1);
  c.close();
  return sent;
}

async function luaBulk(mode: string, port: number, bytes: number): Promise<number> {
  const child = lua('bulk.lua', mode, port, bytes);
  const [, n, seconds] = await child.ask();
  await child.close();
  if (Number(n) !== bytes) throw new Error(`LuaSocket ${mode}: ${n} bytes, expected ${bytes}`);
  return bytes / 1e6 / Number(seconds);
}

function timed(bytes: number, fn: () => Promise<number>): () => Promise<number> {
  return async () => {
    const t0 = performance.now();
    const n = await fn();
    const s = (performance.now() - t0) / 1000;
    if (n !== bytes) throw new Error(`${n} bytes, expected ${bytes}`);
    return bytes / 1e6 / s;
  };
}

function rows(
  ctx: Context,
  name: string,
  results: Record<string, number[]>,
  target?: Row['target'],
  who = '',
): void {
  for (const [contender, values] of Object.entries(results)) {
    ctx.rows.push({
      workload: 'bulk',
      case: name,
      contender,
      unit: 'MB/s',
      higher: true,
      values,
      raw: 'raw',
      ...(ctx.lua && { lua: 'LuaSocket' }),
      ...(target !== undefined && contender === who && { target }),
    });
  }
}

export const bulk: Workload = {
  name: 'bulk',
  async run(ctx: Context): Promise<void> {
    const MiB = 1024 * 1024;
    const big = ctx.quick ? 256 * MiB : 1024 * MiB;
    const all = ctx.quick ? 64 * MiB : 256 * MiB;
    ctx.note(
      `bulk: receive and send ${big / MiB} MiB, '*a' of ${all / MiB} MiB, in ${PIECE}-byte pieces`,
    );

    let server = peer('stream', 'bulk', big);
    let port = Number((await server.ask())[1]);
    let results = await alternate(ctx.rounds, {
      raw: timed(big, () => rawReceive(port)),
      'core receive(65536)': timed(big, () => coreReceive(port)),
      ...(ctx.lua && { LuaSocket: () => luaBulk('recv', port, big) }),
    });
    await server.close();
    rows(
      ctx,
      'receive(65536)',
      results,
      { vs: 'raw', limit: 0.9, text: '>= 0.9x raw' },
      'core receive(65536)',
    );

    server = peer('stream', 'bulk', all);
    port = Number((await server.ask())[1]);
    results = await alternate(ctx.rounds, {
      raw: timed(all, () => rawAll(port)),
      "core receive('*a')": timed(all, () => coreAll(port)),
      ...(ctx.lua && { LuaSocket: () => luaBulk('all', port, all) }),
    });
    await server.close();
    rows(
      ctx,
      "'*a'",
      results,
      { vs: 'lua', limit: 1.0, text: '>= 1.0x LuaSocket' },
      "core receive('*a')",
    );

    server = peer('sink');
    port = Number((await server.ask())[1]);
    results = await alternate(ctx.rounds, {
      raw: timed(big, () => rawSend(port, big)),
      'core send()': timed(big, () => coreSend(port, big)),
      ...(ctx.lua && { LuaSocket: () => luaBulk('send', port, big) }),
    });
    await server.close();
    rows(ctx, 'send', results, { vs: 'raw', limit: 1.0, text: '>= 1.0x raw' }, 'core send()');
  },
};
