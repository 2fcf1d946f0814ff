/**
 * bulk: 64 KiB pieces on loopback, the peer in its own process, streaming
 * from connect. Figure: MB/s (10^6 bytes per second), timed from connect to
 * the last byte; a contender that moves the wrong byte count throws.
 *   receive(65536)  the peer sends 1 GiB (quick: 256 MiB)
 *   '*a'            the peer sends 256 MiB (quick: 64 MiB)
 *   send            1 GiB (quick: 256 MiB) to a sink that answers its byte count at EOF
 * The contenders are in bulk-receive.ts and bulk-send.ts; LuaSocket's in bench/lua/bulk.lua.
 */
import { connect } from '../../src/index.js';
import { alternate, lua, peer, type Context, type Target, type Workload } from '../lib.js';
import {
  coreAll,
  coreReceive,
  compatAll,
  compatReceive,
  PIECE,
  rawAll,
  rawOnread,
  rawReceive,
} from './bulk-receive.js';
import { compatSend, coreSend, rawSend } from './bulk-send.js';

type Contenders = Record<string, () => Promise<number>>;

async function luaBulk(mode: string, port: number, bytes: number): Promise<number> {
  const child = lua('bulk.lua', mode, port, bytes);
  const [, n, seconds] = await child.ask();
  await child.close();
  if (Number(n) !== bytes) throw new Error(`LuaSocket ${mode}: ${n} bytes, expected ${bytes}`);
  return bytes / 1e6 / Number(seconds);
}

function timed(who: string, bytes: number, fn: () => Promise<number>): () => Promise<number> {
  return async () => {
    const t0 = performance.now();
    const n = await fn();
    const s = (performance.now() - t0) / 1000;
    if (n !== bytes) throw new Error(`${who}: ${n} bytes, expected ${bytes}`);
    return bytes / 1e6 / s;
  };
}

/** Starts the case's peer, alternates its contenders (made for the peer's port), adds its rows. */
async function measure(
  ctx: Context,
  name: string,
  server: (string | number)[],
  contenders: (port: number) => Contenders,
  targets: Record<string, Target[]>,
): Promise<void> {
  const peerProcess = peer(...server);
  const port = Number((await peerProcess.ask())[1]);
  const results = await alternate(ctx.rounds, contenders(port));
  await peerProcess.close();
  for (const [contender, values] of Object.entries(results)) {
    const target = targets[contender];
    ctx.rows.push({
      workload: 'bulk',
      case: name,
      contender,
      unit: 'MB/s',
      higher: true,
      values,
      raw: 'raw',
      ...(ctx.lua && { lua: 'LuaSocket' }),
      ...(target !== undefined && { targets: target }),
    });
  }
}

const atLeast = (vs: 'raw' | 'lua', limit: number): Target[] => [
  {
    vs,
    limit,
    text: `>= ${Number.isInteger(limit) ? limit.toFixed(1) : limit}x ${vs === 'raw' ? 'raw' : 'LuaSocket'}`,
  },
];

export const bulk: Workload = {
  name: 'bulk',
  async run(ctx: Context): Promise<void> {
    const MiB = 1024 * 1024;
    const big = ctx.quick ? 256 * MiB : 1024 * MiB;
    const all = ctx.quick ? 64 * MiB : 256 * MiB;
    ctx.note(
      `bulk: receive and send ${big / MiB} MiB, '*a' of ${all / MiB} MiB, in ${PIECE}-byte pieces`,
    );
    const buffer = { encoding: 'buffer' } as const;

    await measure(
      ctx,
      'receive(65536)',
      ['stream', 'bulk', big],
      (p) => ({
        raw: timed('raw', big, () => rawReceive(p)),
        'raw onread': timed('raw onread', big, () => rawOnread(p)),
        'core receive(65536) [buffer]': timed('core [buffer]', big, () =>
          coreReceive(connect('127.0.0.1', p, buffer)),
        ),
        'core receive(65536)': timed('core', big, () => coreReceive(connect('127.0.0.1', p))),
        'compat receive(65536)': timed('compat', big, () => compatReceive(p)),
        ...(ctx.lua && { LuaSocket: () => luaBulk('recv', p, big) }),
      }),
      {
        'core receive(65536) [buffer]': atLeast('raw', 0.9),
        'core receive(65536)': atLeast('raw', 0.75),
        'compat receive(65536)': atLeast('raw', 0.75),
      },
    );

    await measure(
      ctx,
      "'*a'",
      ['stream', 'bulk', all],
      (p) => ({
        raw: timed('raw', all, () => rawAll(p)),
        'raw onread': timed('raw onread', all, () => rawOnread(p)),
        "core receive('*a') [buffer]": timed('core [buffer]', all, () =>
          coreAll(connect('127.0.0.1', p, buffer)),
        ),
        "core receive('*a')": timed('core', all, () => coreAll(connect('127.0.0.1', p))),
        "compat receive('*a')": timed('compat', all, () => compatAll(p)),
        ...(ctx.lua && { LuaSocket: () => luaBulk('all', p, all) }),
      }),
      {
        "core receive('*a') [buffer]": atLeast('lua', 2),
        "core receive('*a')": atLeast('lua', 2),
        "compat receive('*a')": atLeast('lua', 1.5),
      },
    );

    await measure(
      ctx,
      'send',
      ['sink'],
      (p) => ({
        raw: timed('raw', big, () => rawSend(p, big)),
        'raw write(string)': timed('raw string', big, () => rawSend(p, big, true)),
        'core send()': timed('core', big, () => coreSend(p, big)),
        'compat send()': timed('compat', big, () => compatSend(p, big)),
        ...(ctx.lua && { LuaSocket: () => luaBulk('send', p, big) }),
      }),
      { 'core send()': atLeast('raw', 1.0), 'compat send()': atLeast('raw', 0.9) },
    );
  },
};
