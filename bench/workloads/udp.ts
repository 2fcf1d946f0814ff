/**
 * udp: 200-byte datagrams blasted by a sender process as fast as it can; the
 * receiver counts what arrives. Figures: datagrams/s (first to last
 * datagram), loss (% of those sent), and CPU µs per datagram received (user +
 * system of the receiving process over the round).
 *   raw     dgram's 'message' handler
 *   core    `for await (const d of u)` (the target rows), and a `receivefrom()` loop
 *   compat  a `receivefrom()` loop on `socket.udp()`, as a Lua port is written
 *   Lua     bench/lua/udp.lua, `u:receive()` until 0.3 s of quiet
 * Every contender runs twice: with the kernel's default receive buffer, and
 * with a 4 MiB one (the `[rcvbuf 4 MiB]` cases): raw `recvBufferSize`, core
 * `udp({ rcvbuf })`, compat and Lua `setoption('recv-buffer-size', …)` after
 * setsockname. Where this version of the core or compat lacks that option,
 * its rows are skipped with a note.
 */
import { createSocket } from 'node:dgram';
import socket from '../../compat/index.js';
import { udp as coreUdp, type UdpOptions } from '../../src/index.js';
import { alternate, lua, peer, sleepMs, type Context, type Target, type Workload } from '../lib.js';

const SIZE = 200;
const RCVBUF = 4 * 1024 * 1024;
const BIG = ' [rcvbuf 4 MiB]';

const coreOptions = (rcvbuf: number | undefined): UdpOptions<'buffer'> => ({
  encoding: 'buffer',
  ...(rcvbuf !== undefined && { rcvbuf }),
});

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

async function raw(rcvbuf: number | undefined): Promise<Receiver> {
  const counter: Counter = { count: 0, first: 0, last: 0 };
  const s = createSocket({
    type: 'udp4',
    ...(rcvbuf !== undefined && { recvBufferSize: rcvbuf }),
  });
  s.on('message', (msg: Buffer) => msg.length > 0 && tick(counter));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return {
    port: s.address().port,
    counter,
    stop: () => new Promise<void>((r) => s.close(() => r())),
  };
}

async function coreIterate(rcvbuf: number | undefined): Promise<Receiver> {
  const counter: Counter = { count: 0, first: 0, last: 0 };
  const u = coreUdp(coreOptions(rcvbuf));
  await u.setsockname('127.0.0.1', 0);
  const loop = (async () => {
    for await (const d of u) if (d.data.length > 0) tick(counter);
  })();
  return { port: u.getsockname().port, counter, stop: async () => (u.close(), await loop) };
}

async function coreReceivefrom(rcvbuf: number | undefined): Promise<Receiver> {
  const counter: Counter = { count: 0, first: 0, last: 0 };
  const u = coreUdp(coreOptions(rcvbuf));
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
async function compatReceivefrom(rcvbuf: number | undefined): Promise<Receiver> {
  const counter: Counter = { count: 0, first: 0, last: 0 };
  const [u, err] = socket.udp();
  if (u === null) throw new Error(err);
  const [ok, bindErr] = await u.setsockname('127.0.0.1', 0);
  if (ok === null) throw new Error(bindErr);
  if (rcvbuf !== undefined) {
    const [set, setErr] = u.setoption('recv-buffer-size', rcvbuf);
    if (set === null) throw new Error(setErr);
  }
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

async function node(
  make: (rcvbuf: number | undefined) => Promise<Receiver>,
  rcvbuf: number | undefined,
  n: number,
): Promise<Record<string, number>> {
  const r = await make(rcvbuf);
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

async function luaSocket(rcvbuf: number | undefined, n: number): Promise<Record<string, number>> {
  const child = lua('udp.lua', ...(rcvbuf !== undefined ? [rcvbuf] : []));
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
      raw: () => node(raw, undefined, n),
      'core for await': () => node(coreIterate, undefined, n),
      'core receivefrom': () => node(coreReceivefrom, undefined, n),
      'compat receivefrom': () => node(compatReceivefrom, undefined, n),
      ...(ctx.lua && { LuaSocket: () => luaSocket(undefined, n) }),
      [`raw${BIG}`]: () => node(raw, RCVBUF, n),
      [`core for await${BIG}`]: () => node(coreIterate, RCVBUF, n),
      [`core receivefrom${BIG}`]: () => node(coreReceivefrom, RCVBUF, n),
      [`compat receivefrom${BIG}`]: () => node(compatReceivefrom, RCVBUF, n),
      ...(ctx.lua && { [`LuaSocket${BIG}`]: () => luaSocket(RCVBUF, n) }),
    });
    const cases: [key: string, label: string, unit: string, target: Target][] = [
      ['', 'datagrams/s', 'dgram/s', { vs: 'raw', limit: 0.95, text: '>= 0.95x raw' }],
      ['loss', 'loss', '% lost', { vs: 'raw', limit: 1.0, text: '<= raw' }],
      ['cpu', 'CPU per datagram', 'µs CPU', { vs: 'raw', limit: 1.15, text: '<= 1.15x raw' }],
    ];
    for (const suffix of ['', BIG]) {
      for (const [key, label, unit, target] of cases) {
        for (const [name, values] of Object.entries(results)) {
          const [who = '', metric = ''] = name.split('|');
          if (metric !== key || !who.endsWith(suffix) || (suffix === '' && who.endsWith(BIG)))
            continue;
          const contender = who.slice(0, who.length - suffix.length);
          ctx.rows.push({
            workload: 'udp',
            case: label + suffix,
            contender,
            unit,
            higher: key === '',
            values,
            raw: 'raw',
            ...(ctx.lua && { lua: 'LuaSocket' }),
            ...(contender === 'core for await' && { targets: [target] }),
          });
        }
      }
    }
  },
};
