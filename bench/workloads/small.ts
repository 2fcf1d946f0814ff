/**
 * small: receive(1), receive(10), receive(16) from a buffer that already
 * holds the data. Figure: ns per call (lower is better).
 *   core    highWaterMark above the whole payload; timing starts once all of it is buffered
 *   compat  the default 256 KiB buffer, filled before timing; refills are counted in
 *   Lua     timing starts after a 0.2 s pause that lets the kernel buffer fill; its
 *           8 KiB refills (one recv per 8 KiB) are counted in, as they are part of its receive
 */
import socket from '../../compat/index.js';
import { connect } from '../../src/index.js';
import { alternate, lua, peer, sleepMs, tick, type Context, type Workload } from '../lib.js';

async function core(port: number, n: number, bytes: number): Promise<number> {
  const c = await connect('127.0.0.1', port, { encoding: 'latin1', highWaterMark: bytes + 1 });
  while (c.buffered < bytes) await tick();
  const calls = Math.floor(bytes / n);
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await c.receive(n);
  const ns = ((performance.now() - t0) * 1e6) / calls;
  c.close();
  return ns;
}

async function compat(port: number, n: number, bytes: number): Promise<number> {
  const [c, err] = await socket.connect('127.0.0.1', port);
  if (c === null) throw new Error(err);
  await sleepMs(50);
  const calls = Math.floor(bytes / n);
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const [data, e] = await c.receive(n);
    if (data === null) throw new Error(e);
  }
  const ns = ((performance.now() - t0) * 1e6) / calls;
  c.close();
  return ns;
}

async function luaSmall(port: number, n: number, bytes: number): Promise<number> {
  const child = lua('small.lua', port, n, bytes);
  const [, calls, seconds] = await child.ask();
  await child.close();
  return (Number(seconds) * 1e9) / Number(calls);
}

export const small: Workload = {
  name: 'small',
  async run(ctx: Context): Promise<void> {
    for (const n of [1, 10, 16]) {
      const bytes = (ctx.quick ? 200_000 : 1_000_000) * (n === 1 ? 1 : 4);
      const server = peer('stream', 'bulk', bytes);
      const port = Number((await server.ask())[1]);
      const results = await alternate(ctx.rounds, {
        core: () => core(port, n, bytes),
        compat: () => compat(port, n, bytes),
        ...(ctx.lua && { LuaSocket: () => luaSmall(port, n, bytes) }),
      });
      await server.close();
      ctx.note(`small: receive(${n}) × ${Math.floor(bytes / n)} calls per run`);
      for (const [contender, values] of Object.entries(results)) {
        const limit = contender === 'core' ? 1.0 : 1.3;
        ctx.rows.push({
          workload: 'small',
          case: `receive(${n})`,
          contender,
          unit: 'ns/call',
          higher: false,
          values,
          ...(ctx.lua && { lua: 'LuaSocket' }),
          ...(contender !== 'LuaSocket' && {
            target: { vs: 'lua', limit, text: `<= ${limit.toFixed(1)}x LuaSocket` },
          }),
        });
      }
    }
  },
};
