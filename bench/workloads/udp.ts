/**
 * udp: 200-byte datagrams blasted by a sender process as fast as it can; the
 * receiver counts what arrives. Figures: datagrams/s (first to last
 * datagram), loss (% of those sent), and CPU µs per datagram received (user +
 * system of the receiving process over the round).
 *   raw     dgram's 'message' handler
 *   core    `for await (const d of u)` (the target rows), and a `receivefrom()` loop
 *   compat  a `receivefrom()` loop on `socket.udp()`, as a Lua port is written
 *   Lua     bench/lua/udp.lua, `u:receive()` until 0.3 s of quiet
 * Every contender has the kernel's default receive buffer.
 */
import { createSocket } from 'node:dgram';
import socket from '../../compat/index.js';
import { udp as coreUdp } from '../../src/index.js';
import { alternate, lua, peer, sleepMs, type Context, type Workload } from '../lib.js';

const SIZE = 200;

interface Counter {
  count: number;
  first: number;
  last: number;
}

function tick(c: Counter): void {
  c.last = performance.now();
  if (c.count++ === 0) c.first = c.last;
}

interface Receiver {
  port: number;
  counter: Counter;
  stop(): Promise<void>;
}

async function raw(): Promise<Receiver> {
  const counter: Counter = { count: 0, first: 0, last: 0 };
  const s = createSocket('udp4');
  s.on('message', (msg: Buffer) => msg.length > 0 && tick(counter));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return {
    port: s.address().port,
    counter,
    stop: () => new Promise<void>((r) => s.close(() => r())),
  };
}

async function coreIterate(): Promise<Receiver> {
  const counter: Counter = { count: 0, first: 0, last: 0 };
  const u = coreUdp({ encoding: 'buffer' });
  await u.setsockname('127.0.0.1', 0);
  const loop = (async () => {
    for await (const d of u) if (d.data.length > 0) tick(counter);
  })();
  return { port: u.getsockname().port, counter, stop: async () => (u.close(), await loop) };
}

async function coreReceivefrom(): Promise<Receiver> {
  const counter: Counter = { count: 0, first: 0, last: 0 };
  const u = coreUdp({ encoding: 'buffer' });
  await u.setsockname('127.0.0.1', 0);
  const loop = (async () => {
    try {
      for (;;) if ((await u.receivefrom()).data.length > 0) tick(counter);
    } catch {
      // closed
    }
  })();
  return { port: u.getsockname().port, counter, stop: async () => (u.close(), await loop) };
}

/** A Lua port's loop, `local d, ip, port = u:receivefrom()`, until the close ends it. */
async function compatReceivefrom(): Promise<Receiver> {
  const counter: Counter = { count: 0, first: 0, last: 0 };
  const [u, err] = socket.udp();
  if (u === null) throw new Error(err);
  const [ok, bindErr] = await u.setsockname('127.0.0.1', 0);
  if (ok === null) throw new Error(bindErr);
  const loop = (async () => {
    for (;;) {
      const [d, ip] = await u.receivefrom();
      if (d === null) {
        if (ip === 'closed') return;
        throw new Error(ip);
      }
      if (d.length > 0) tick(counter);
    }
  })();
  return { port: Number(u.getsockname()[1]), counter, stop: async () => (u.close(), await loop) };
}

async function node(make: () => Promise<Receiver>, n: number): Promise<Record<string, number>> {
  const r = await make();
  const cpu = process.cpuUsage();
  const sender = peer('udp', r.port, n, SIZE);
  await sender.ask();
  await sender.close();
  for (let seen = -1; seen !== r.counter.count;) {
    seen = r.counter.count;
    await sleepMs(50);
  }
  const used = process.cpuUsage(cpu);
  const { count, first, last } = r.counter;
  await r.stop();
  return {
    '': count / ((last - first) / 1000),
    loss: (100 * (n - count)) / n,
    cpu: (used.user + used.system) / Math.max(count, 1),
  };
}

async function luaSocket(n: number): Promise<Record<string, number>> {
  const child = lua('udp.lua');
  const port = Number((await child.ask())[1]);
  const done = child.ask();
  const sender = peer('udp', port, n, SIZE);
  await sender.ask();
  await sender.close();
  const [, count, seconds, cpu] = (await done).map(Number) as [number, number, number, number];
  await child.close();
  return {
    '': count / seconds,
    loss: (100 * (n - count)) / n,
    cpu: (cpu * 1e6) / Math.max(count, 1),
  };
}

export const udp: Workload = {
  name: 'udp',
  async run(ctx: Context): Promise<void> {
    const n = ctx.quick ? 50_000 : 200_000;
    ctx.note(`udp: ${n} datagrams of ${SIZE} bytes per run`);
    const results = await alternate(ctx.rounds, {
      raw: () => node(raw, n),
      'core for await': () => node(coreIterate, n),
      'core receivefrom': () => node(coreReceivefrom, n),
      'compat receivefrom': () => node(compatReceivefrom, n),
      ...(ctx.lua && { LuaSocket: () => luaSocket(n) }),
    });
    const cases = [
      ['', 'datagrams/s', 'dgram/s', { vs: 'raw' as const, limit: 0.9, text: '>= 0.9x raw' }],
      ['loss', 'loss', '% lost', { vs: 'raw' as const, limit: 1.0, text: '<= raw' }],
      [
        'cpu',
        'CPU per datagram',
        'µs CPU',
        { vs: 'raw' as const, limit: 1.2, text: '<= 1.2x raw' },
      ],
    ] as const;
    for (const [key, label, unit, target] of cases) {
      for (const [name, values] of Object.entries(results)) {
        const [contender, metric = ''] = name.split('|');
        if (metric !== key || contender === undefined) continue;
        ctx.rows.push({
          workload: 'udp',
          case: label,
          contender,
          unit,
          higher: key === '',
          values,
          raw: 'raw',
          ...(ctx.lua && { lua: 'LuaSocket' }),
          ...(contender === 'core for await' && { target }),
        });
      }
    }
  },
};
