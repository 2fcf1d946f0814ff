/**
 * connections: an echo server in a fresh process (raw node:net, core, compat).
 *   cycles  a client process makes 20,000 (quick: 4,000) sequential connect,
 *           "ping\n", echo, close cycles. Figure: connections/s.
 *   idle    a client process opens 5,000 (quick: 2,000) connections and holds
 *           them; figure: the server's RSS growth per connection (after a full GC).
 * Every figure comes from its own server process, so one contender's heap
 * never carries over to the next.
 */
import { alternate, peer, sleepMs, tsChild, type Context, type Workload } from '../lib.js';

const KINDS = ['raw', 'core', 'compat'] as const;

async function cycles(kind: string, n: number): Promise<number> {
  const server = tsChild('peers/server.ts', kind);
  const port = Number((await server.ask())[1]);
  const client = peer('cycles', port, n);
  const [, ms] = await client.ask();
  await client.close();
  await server.close();
  return n / (Number(ms) / 1000);
}

async function idle(kind: string, n: number): Promise<number> {
  const server = tsChild('peers/server.ts', kind);
  const port = Number((await server.ask())[1]);
  // Warm up the code paths, so that compiled code is not counted as per-connection memory.
  const warm = peer('cycles', port, 200);
  await warm.ask();
  await warm.close();
  await sleepMs(100);
  const before = Number((await server.ask('rss'))[1]);
  const client = peer('hold', port, n);
  await client.ask();
  let open = 0;
  let rss = 0;
  for (let i = 0; i < 100 && open < n; i++) {
    await sleepMs(20);
    const answer = (await server.ask('rss')).map(Number);
    rss = answer[1] ?? NaN;
    open = answer[2] ?? 0;
  }
  if (open < n) throw new Error(`${kind}: ${open} of ${n} connections open`);
  await client.close();
  await server.close();
  return (rss - before) / n;
}

export const connections: Workload = {
  name: 'connections',
  async run(ctx: Context): Promise<void> {
    const n = ctx.quick ? 4_000 : 20_000;
    const held = ctx.quick ? 2_000 : 5_000;
    ctx.note(`connections: ${n} sequential cycles per run; ${held} idle connections for RSS`);
    const rate = await alternate(
      ctx.rounds,
      Object.fromEntries(KINDS.map((k) => [k, () => cycles(k, n)])),
    );
    const memory = await alternate(
      ctx.rounds,
      Object.fromEntries(KINDS.map((k) => [k, () => idle(k, held)])),
    );
    for (const [contender, values] of Object.entries(rate)) {
      ctx.rows.push({
        workload: 'connections',
        case: 'connect/echo/close',
        contender,
        unit: 'conn/s',
        higher: true,
        values,
        raw: 'raw',
        ...(contender !== 'raw' && {
          targets: [{ vs: 'raw' as const, limit: 0.9, text: '>= 0.9x raw' }],
        }),
      });
    }
    const rssLimit: Record<string, number> = { core: 1.2, compat: 1.3 };
    for (const [contender, values] of Object.entries(memory)) {
      const limit = rssLimit[contender];
      ctx.rows.push({
        workload: 'connections',
        case: `RSS per idle connection (${held} open)`,
        contender,
        unit: 'bytes',
        higher: false,
        values,
        raw: 'raw',
        ...(limit !== undefined && {
          targets: [{ vs: 'raw' as const, limit, text: `<= ${limit.toFixed(1)}x raw` }],
        }),
      });
    }
  },
};
