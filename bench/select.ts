/**
 * µs per select() call over 1,000 idle connected TCP sockets plus one that is
 * readable: the core's select() against real LuaSocket 3's socket.select
 * (bench/select.lua under lua5.4), measured in the same run, in alternating
 * rounds so both see the same machine.
 *
 *   fast     the busy socket already holds an unread byte: select answers at once
 *   waiting  nothing is ready when select starts; the busy socket's peer then
 *            sends one byte (core: from a setImmediate; Lua, single-threaded:
 *            just before the call), select reports it, the byte is read
 *
 * Then heap bytes per fast call: retained (after a full GC) and allocated
 * (core: summed heap growth between collections, an estimate, over 100,000
 * calls; Lua: counted with its collector stopped, over 2,000 calls, since
 * each call allocates about 16 KB there).
 *
 * Last, the fast path again after select() has also seen servers, UDP
 * sockets and objects of other classes ("megamorphic"), as in a real program.
 *
 * LuaSocket costs about 50 times the core per call here, so it runs fewer
 * calls per round; the figures are per call either way.
 *
 * Usage: npx tsx bench/select.ts [rounds]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { bind, connect, readiness, select, udp, type TcpClient } from '../src/index.js';

const IDLE = 1000;
const ROUNDS = Number(process.argv[2] ?? 7);
const CALLS = {
  fast: { core: 20_000, lua: 2_000 },
  waiting: { core: 5_000, lua: 2_000 },
  heap: { core: 100_000, lua: 2_000 },
};

// ---------------------------------------------------------------- peers

/** A raw server holding the peer end of every connection, core's and Lua's. */
const peers: Socket[] = [];
const peerServer = createServer((s) => {
  s.on('error', () => undefined);
  peers.push(s);
});
peerServer.listen({ port: 0, host: '127.0.0.1', backlog: 2048 });
await once(peerServer, 'listening');
const port = (peerServer.address() as AddressInfo).port;

/** The next accepted peer socket. */
async function nextPeer(count: number): Promise<Socket> {
  while (peers.length < count) await new Promise((r) => setImmediate(r));
  return peers[count - 1] as Socket;
}

// ---------------------------------------------------------------- core

const idle: TcpClient[] = [];
for (let i = 0; i < IDLE; i += 100) {
  idle.push(...(await Promise.all(Array.from({ length: 100 }, () => connect('127.0.0.1', port)))));
}
await nextPeer(IDLE);
const busy = await connect('127.0.0.1', port);
const busyPeer = await nextPeer(IDLE + 1);
const recvt = [...idle, busy];

function check(readable: TcpClient[]): void {
  if (readable.length !== 1 || readable[0] !== busy) throw new Error(`${readable.length} readable`);
}

async function makeBusy(): Promise<void> {
  busyPeer.write('x');
  while (busy.buffered === 0) await new Promise((r) => setImmediate(r));
}

async function coreFast(n: number): Promise<number> {
  await makeBusy();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) check((await select(recvt, null)).readable);
  const t1 = performance.now();
  await busy.receive(1, { timeout: 0 });
  return ((t1 - t0) * 1000) / n;
}

async function coreWait(n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const waiting = select(recvt, null);
    setImmediate(() => busyPeer.write('x'));
    check((await waiting).readable);
    await busy.receive(1, { timeout: 0 });
  }
  return ((performance.now() - t0) * 1000) / n;
}

/** One object of each kind select() takes, besides TcpClient. */
async function mixedKinds(): Promise<{ close(): void }[]> {
  const server = await bind('127.0.0.1', 0);
  const u = udp();
  await u.setsockname('127.0.0.1', 0);
  class Own {
    readable = false;
    writable = false;
    closed = false;
    get [readiness](): this {
      return this;
    }
    watch(): void {}
    unwatch(): void {}
    close(): void {}
  }
  class Other extends Own {}
  return [server, u, new Own(), new Other()];
}

function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function coreHeap(n: number): Promise<[allocated: number, retained: number]> {
  const gc = garbageCollector();
  await makeBusy();
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  let grown = 0;
  let counted = 0;
  let last = before;
  for (let i = 0; i < n; i += 100) {
    for (let j = 0; j < 100; j++) check((await select(recvt, null)).readable);
    const now = process.memoryUsage().heapUsed;
    // A scavenge in this slice makes the delta meaningless: skip the slice.
    if (now >= last) {
      grown += now - last;
      counted += 100;
    }
    last = now;
  }
  gc();
  gc();
  const retained = process.memoryUsage().heapUsed - before;
  await busy.receive(1, { timeout: 0 });
  return [grown / Math.max(counted, 1), retained / n];
}

// ---------------------------------------------------------------- LuaSocket

const lua = spawn(
  'lua5.4',
  [fileURLToPath(new URL('select.lua', import.meta.url)), String(port), String(IDLE)],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
lua.once('error', (err) => {
  console.error(`bench/select.ts needs lua5.4 with lua-socket: ${err.message}`);
  process.exit(1);
});
const lines = createInterface({ input: lua.stdout });
const pending: ((line: string) => void)[] = [];
lines.on('line', (line) => pending.shift()?.(line));
const exited = once(lua, 'exit');

function ask(command: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    pending.push((line) => resolve(line.split(' ').slice(1)));
    void exited.then(() => reject(new Error(`lua5.4 exited during "${command}"`)));
    if (command !== '') lua.stdin.write(command + '\n');
  });
}

await ask(''); // READY
await nextPeer(2 * IDLE + 1);

// ---------------------------------------------------------------- rounds

const results: Record<string, number[]> = {};
const record = (name: string, us: number): void => void (results[name] ??= []).push(us);

for (let round = 0; round < ROUNDS; round++) {
  record('fast core', await coreFast(CALLS.fast.core));
  record('fast LuaSocket', Number((await ask(`fast ${CALLS.fast.lua}`))[0]));
  record('waiting core', await coreWait(CALLS.waiting.core));
  record('waiting LuaSocket', Number((await ask(`wait ${CALLS.waiting.lua}`))[0]));
}
const [coreAllocated, coreRetained] = await coreHeap(CALLS.heap.core);
const [luaAllocated, luaRetained] = (await ask(`heap ${CALLS.heap.lua}`)).map(Number) as [
  number,
  number,
];

// The rows above see only TcpClients, so select()'s property reads stay
// monomorphic. A program that selects over several kinds of object (servers,
// UDP sockets, objects of its own) makes them megamorphic: measured last,
// since it cannot be undone within the process.
const kinds = await mixedKinds();
for (let i = 0; i < 2000; i++) await select(kinds, kinds, { timeout: 0 });
const megamorphic: number[] = [];
for (let round = 0; round < ROUNDS; round++) megamorphic.push(await coreFast(CALLS.fast.core));
for (const k of kinds) k.close();

lua.stdin.write('exit\n');
await exited;
for (const c of recvt) c.close();
for (const s of peers) s.destroy();
peerServer.close();

// ---------------------------------------------------------------- report

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (x: number): string => x.toFixed(1).padStart(8);
const per = (c: { core: number; lua: number }): string => `${c.core} core / ${c.lua} Lua calls`;
console.log(`select() over ${IDLE} idle TCP sockets + 1 readable, ${ROUNDS} alternating rounds`);
console.log(`(fast: ${per(CALLS.fast)} per round; waiting: ${per(CALLS.waiting)} per round)\n`);
console.log('path      implementation    median µs    min – max µs     core / Lua');
for (const path of ['fast', 'waiting']) {
  const core = results[`${path} core`] ?? [];
  const luaRuns = results[`${path} LuaSocket`] ?? [];
  for (const [name, xs] of [
    ['core', core],
    ['LuaSocket', luaRuns],
  ] as const) {
    const ratio = name === 'core' ? `×${(median(core) / median(luaRuns)).toFixed(2)}` : '';
    console.log(
      `${path.padEnd(9)} ${name.padEnd(14)} ${fmt(median(xs))}   ${fmt(Math.min(...xs))} – ${fmt(
        Math.max(...xs),
      )
        .trim()
        .padEnd(8)}  ${ratio}`,
    );
  }
}
console.log(
  `${'fast'.padEnd(9)} ${'core, mixed'.padEnd(14)} ${fmt(median(megamorphic))}   ${fmt(Math.min(...megamorphic))} – ${fmt(Math.max(...megamorphic)).trim()}   (after select() saw other kinds)`,
);
console.log('\nheap bytes per fast call');
console.log(
  `core        allocated ≈ ${coreAllocated.toFixed(0).padStart(6)}   retained ${coreRetained.toFixed(2).padStart(6)}   (${CALLS.heap.core} calls)`,
);
console.log(
  `LuaSocket   allocated   ${luaAllocated.toFixed(0).padStart(6)}   retained ${luaRetained.toFixed(2).padStart(6)}   (${CALLS.heap.lua} calls)`,
);
