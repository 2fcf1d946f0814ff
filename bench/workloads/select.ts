/**
 * select: 1,000 idle connected TCP sockets plus one that is readable.
 *   fast     the busy socket already holds an unread byte: select answers at once
 *   waiting  nothing is ready when select starts; the busy socket's peer then
 *            sends one byte (core: from a setImmediate; Lua, single-threaded:
 *            just before the call), select reports it, the byte is read
 * Figures: µs per call; heap bytes allocated per fast call over 100,000 calls
 * (summed heap growth between collections, an estimate) and retained.
 * LuaSocket runs fewer calls per round (it costs much more per call); the
 * figures are per call either way.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import socket, { TcpObject } from '../../compat/index.js';
import { connect, select as coreSelect, type TcpClient } from '../../src/index.js';
import { alternate, lua, tick, type Context, type Workload } from '../lib.js';

const IDLE = 1000;

function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export const select: Workload = {
  name: 'select',
  async run(ctx: Context): Promise<void> {
    const calls = ctx.quick
      ? { core: 5_000, lua: 500, heap: 100_000 }
      : { core: 20_000, lua: 2_000, heap: 100_000 };
    ctx.note(
      `select: ${IDLE} idle sockets + 1 ready; ${calls.core} core / ${calls.lua} Lua calls per round`,
    );
    const peers: Socket[] = [];
    const server = createServer((s) => {
      s.on('error', () => undefined);
      peers.push(s);
    });
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const peerAt = async (count: number): Promise<Socket> => {
      while (peers.length < count) await tick();
      return peers[count - 1] as Socket;
    };

    const idle: TcpClient[] = [];
    for (let i = 0; i < IDLE; i += 100) {
      idle.push(
        ...(await Promise.all(Array.from({ length: 100 }, () => connect('127.0.0.1', port)))),
      );
    }
    await peerAt(IDLE);
    const busy = await connect('127.0.0.1', port);
    const busyPeer = await peerAt(IDLE + 1);
    const recvt = [...idle, busy];
    const check = (readable: unknown[]): void => {
      if (readable.length !== 1 || readable[0] !== busy)
        throw new Error(`${readable.length} readable`);
    };
    const makeBusy = async (): Promise<void> => {
      busyPeer.write('x');
      while (busy.buffered === 0) await tick();
    };
    const fast = async (): Promise<number> => {
      await makeBusy();
      const t0 = performance.now();
      for (let i = 0; i < calls.core; i++) check((await coreSelect(recvt, null)).readable);
      const t1 = performance.now();
      await busy.receive(1, { timeout: 0 });
      return ((t1 - t0) * 1000) / calls.core;
    };
    const waiting = async (): Promise<number> => {
      const n = calls.core / 4;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const ready = coreSelect(recvt, null);
        setImmediate(() => busyPeer.write('x'));
        check((await ready).readable);
        await busy.receive(1, { timeout: 0 });
      }
      return ((performance.now() - t0) * 1000) / n;
    };

    // compat: socket.select over compat objects wrapping the same connections
    // (the constructor is internal; programs get them from socket.connect).
    const wrap = (client: TcpClient): TcpObject =>
      new TcpObject({ state: 'client', client }, { encoding: 'latin1', family: 'inet' });
    const compatRecvt = recvt.map(wrap);
    const compatBusy = compatRecvt.at(-1);
    const compatCheck = (readable: unknown[]): void => {
      if (readable.length !== 1 || readable[0] !== compatBusy)
        throw new Error(`${readable.length} readable`);
    };
    const compatFast = async (): Promise<number> => {
      await makeBusy();
      const t0 = performance.now();
      for (let i = 0; i < calls.core; i++) compatCheck((await socket.select(compatRecvt, null))[0]);
      const t1 = performance.now();
      await busy.receive(1, { timeout: 0 });
      return ((t1 - t0) * 1000) / calls.core;
    };
    const compatWaiting = async (): Promise<number> => {
      const n = calls.core / 4;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const ready = socket.select(compatRecvt, null);
        setImmediate(() => busyPeer.write('x'));
        compatCheck((await ready)[0]);
        await busy.receive(1, { timeout: 0 });
      }
      return ((performance.now() - t0) * 1000) / n;
    };

    const child = ctx.lua ? lua('select.lua', port, IDLE) : undefined;
    if (child !== undefined) {
      await child.ask(); // READY
      await peerAt(2 * IDLE + 1);
    }
    const results = await alternate(ctx.rounds, {
      'core fast': fast,
      ...(child && {
        'LuaSocket fast': async () => Number((await child.ask(`fast ${calls.lua}`))[1]),
      }),
      'core waiting': waiting,
      ...(child && {
        'LuaSocket waiting': async () => Number((await child.ask(`wait ${calls.lua}`))[1]),
      }),
    });

    // Heap per fast call, once (it needs collections around it).
    const gc = garbageCollector();
    await makeBusy();
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    let grown = 0;
    let counted = 0;
    let last = before;
    for (let i = 0; i < calls.heap; i += 100) {
      for (let j = 0; j < 100; j++) check((await coreSelect(recvt, null)).readable);
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
    const retained = (process.memoryUsage().heapUsed - before) / calls.heap;
    await busy.receive(1, { timeout: 0 });
    const allocated = grown / Math.max(counted, 1);
    // compat last, in rounds of its own: select() then sees a second kind of
    // object, which makes its property reads megamorphic for the rest of the
    // process, and the core's rows above must not pay for that.
    Object.assign(
      results,
      await alternate(ctx.rounds, { 'compat fast': compatFast, 'compat waiting': compatWaiting }),
    );
    let luaHeap: number[] = [];
    if (child !== undefined) {
      luaHeap = (await child.ask(`heap ${calls.lua}`)).slice(1).map(Number);
      await child.close();
    }
    for (const c of recvt) c.close();
    for (const s of peers) s.destroy();
    server.close();

    for (const path of ['fast', 'waiting']) {
      for (const who of ['core', 'compat', 'LuaSocket']) {
        const values = results[`${who} ${path}`];
        if (values === undefined) continue;
        ctx.rows.push({
          workload: 'select',
          case: `${path}, ${IDLE + 1} sockets`,
          contender: who,
          unit: 'µs/call',
          higher: false,
          values,
          ...(ctx.lua && { lua: 'LuaSocket' }),
          ...(who !== 'LuaSocket' &&
            path === 'fast' && { targets: [{ vs: 'abs' as const, limit: 10, text: '<= 10 µs' }] }),
        });
      }
    }
    const heapRow = (contender: string, values: number[], what: string, target?: boolean): void =>
      void ctx.rows.push({
        workload: 'select',
        case: `heap ${what} per fast call`,
        contender,
        unit: 'bytes',
        higher: false,
        values,
        ...(target === true && {
          targets: [{ vs: 'abs' as const, limit: 1, text: '<= 1 byte' }],
        }),
      });
    heapRow('core', [allocated], 'allocated');
    if (luaHeap.length === 2) heapRow('LuaSocket', [luaHeap[0] as number], 'allocated');
    heapRow('core', [retained], 'retained', true);
    if (luaHeap.length === 2) heapRow('LuaSocket', [luaHeap[1] as number], 'retained');
  },
};
