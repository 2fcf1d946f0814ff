import { getEventListeners } from 'node:events';
import { setImmediate as turn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import {
  bind,
  connect,
  readiness,
  select,
  tcp,
  udp,
  type TcpClient,
  type TcpServer,
  type UdpSocket,
} from '../../../src/index.js';
import { rejection, socketError, until } from '../../helpers/loopback.js';
import {
  activeTimers,
  activeWatchers,
  Counted,
  Flag,
  trackTimers,
} from '../../helpers/selectable.js';

// ---------------------------------------------------------------- fixtures

/** Closes everything added to it, at the end of the test (`await using`). */
class Bag implements AsyncDisposable {
  readonly #items: { close(): void }[] = [];

  add<T extends { close(): void }>(item: T): T {
    this.#items.push(item);
    return item;
  }

  [Symbol.asyncDispose](): Promise<void> {
    for (const item of this.#items.splice(0)) item.close();
    return Promise.resolve();
  }
}

/** A connected pair: `client` from connect, `conn` from the server's accept. */
async function tcpPair(bag: Bag, server: TcpServer): Promise<[TcpClient, TcpClient]> {
  const client = bag.add(await connect('127.0.0.1', server.getsockname().port));
  const conn = bag.add(await server.accept({ timeout: 5 }));
  return [client, conn];
}

/** `count` accepted connections whose peers stay silent, made in batches. */
async function idleConnections(bag: Bag, server: TcpServer, count: number): Promise<TcpClient[]> {
  const port = server.getsockname().port;
  const conns: TcpClient[] = [];
  while (conns.length < count) {
    const batch = Math.min(100, count - conns.length);
    const clients = await Promise.all(
      Array.from({ length: batch }, () => connect('127.0.0.1', port)),
    );
    for (const c of clients) bag.add(c);
    for (let i = 0; i < batch; i++) conns.push(bag.add(await server.accept({ timeout: 5 })));
  }
  return conns;
}

/** A UDP socket bound on loopback. */
async function boundUdp(bag: Bag): Promise<UdpSocket> {
  const u = bag.add(udp());
  await u.setsockname('127.0.0.1', 0);
  return u;
}

/** Labels objects by identity, so a failed comparison reads as names. */
function labels(named: Record<string, object>): (list: readonly unknown[]) => string[] {
  const byObject = new Map<unknown, string>(Object.entries(named).map(([k, v]) => [v, k]));
  return (list) => list.map((item) => byObject.get(item) ?? '?');
}

/** A gc function: the global one under --expose-gc, else one obtained at run time. */
function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Whether a promise has settled, without awaiting it. */
function settledFlag(promise: Promise<unknown>): () => boolean {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return () => settled;
}

// ---------------------------------------------------------------- readiness

describe('select() readiness of each kind', () => {
  test('select() reports a client readable when bytes wait, and the next receive answers at once', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const [client, conn] = await tcpPair(bag, server);
    const name = labels({ conn });
    const waiting = select([conn], null);
    await client.send('hello\nworld\n');
    const result = await waiting;
    expect(name(result.readable)).toEqual(['conn']);
    expect(result.writable).toEqual([]);
    expect(result.timedOut).toBe(false);
    // A zero timeout fails with 'timeout' whenever the call would have to wait.
    expect(await conn.receive('*l', { timeout: 0 })).toBe('hello');
    expect(await conn.receive('*l', { timeout: 0 })).toBe('world');
    expect((await select([conn], null, { timeout: 0 })).timedOut).toBe(true);
  });

  test('select() reports a client readable when the peer closed, and receive fails at once', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const [client, conn] = await tcpPair(bag, server);
    const waiting = select([conn], null);
    client.close();
    expect(labels({ conn })((await waiting).readable)).toEqual(['conn']);
    const err = await socketError(conn.receive('*l', { timeout: 0 }));
    expect(err.code).toBe('closed');
    // Still readable: every later receive answers at once too.
    expect((await select([conn], null, { timeout: 0 })).readable).toHaveLength(1);
  });

  test('select() reports a client readable when the peer resets the connection', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const [client, conn] = await tcpPair(bag, server);
    const waiting = select([conn], null);
    client.resetOnClose = true;
    client.close();
    expect((await waiting).readable).toHaveLength(1);
    const err = await socketError(conn.receive('*l', { timeout: 0 }));
    expect(err.code).not.toBe('timeout');
  });

  test('select() reports a server readable when a connection waits, and accept answers at once', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const waiting = select([server], null);
    const client = bag.add(await connect('127.0.0.1', server.getsockname().port));
    expect(labels({ server })((await waiting).readable)).toEqual(['server']);
    const conn = bag.add(await server.accept({ timeout: 0 }));
    expect(conn.getpeername()).toEqual(client.getsockname());
    expect((await select([server], null, { timeout: 0 })).timedOut).toBe(true);
  });

  test('select() reports a UDP socket readable when a datagram waits, and receive answers at once', async () => {
    await using bag = new Bag();
    const u = await boundUdp(bag);
    const sender = bag.add(udp());
    const waiting = select([u], null);
    await sender.sendto('ping', '127.0.0.1', u.getsockname().port);
    expect(labels({ u })((await waiting).readable)).toEqual(['u']);
    const datagram = await u.receivefrom(undefined, { timeout: 0 });
    expect(datagram.data).toBe('ping');
    expect((await select([u], null, { timeout: 0 })).timedOut).toBe(true);
  });

  test('select() reports a connected client writable when a send would not wait', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const [client, conn] = await tcpPair(bag, server);
    const result = await select(null, [client, conn], { timeout: 0 });
    expect(labels({ client, conn })(result.writable)).toEqual(['client', 'conn']);
    expect(result.timedOut).toBe(false);
  });

  test('select() does not report a client writable while a send waits for a slow peer', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const [client, conn] = await tcpPair(bag, server);
    // Far more than the kernel buffers and the peer's read-ahead hold: the
    // send waits until the peer reads.
    const size = 64 * 1024 * 1024;
    const sending = client.send(Buffer.alloc(size));
    expect((await select(null, [client], { timeout: 0 })).timedOut).toBe(true);
    let received = 0;
    while (received < size) received += (await conn.receiveany(1 << 20)).length;
    expect(await sending).toBe(size);
    await turn();
    expect(labels({ client })((await select(null, [client], { timeout: 0 })).writable)).toEqual([
      'client',
    ]);
  });

  test("select() wakes a client's writable watcher on 'drain' after sends that each returned at once", async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const [client, conn] = await tcpPair(bag, server);
    // Sends the stream takes at once, until one leaves it holding bytes.
    let sent = 0;
    while (client.writable) sent += await client.send(Buffer.alloc(64 * 1024, 'x'));
    const controller = new AbortController();
    const waiting = select(null, [client], { signal: controller.signal });
    try {
      let received = 0;
      while (received < sent) received += (await conn.receiveany(1 << 20)).length;
      expect(labels({ client })((await waiting).writable)).toEqual(['client']);
    } finally {
      controller.abort();
      await waiting.catch(() => undefined);
    }
  });

  // A send that has to wait for the peer makes the client unwritable while
  // it runs; its last piece goes out with no later 'drain' event, so the
  // writer itself must tell the watchers when it ends.
  test('select() reports a client writable as soon as a queued send completes', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const [client, conn] = await tcpPair(bag, server);
    // More than the loopback's socket buffers and the peer's high-water mark hold.
    const size = 32 * 1024 * 1024;
    const sending = client.send(Buffer.alloc(size, 'x'));
    expect(client.writable).toBe(false);
    const controller = new AbortController();
    const waiting = select(null, [client], { signal: controller.signal });
    const done = settledFlag(waiting);
    try {
      expect((await conn.receive(size)).length).toBe(size);
      expect(await sending).toBe(size);
      await turn();
      await turn();
      expect(client.writable).toBe(true);
      expect(done()).toBe(true);
    } finally {
      controller.abort();
      await waiting.catch(() => undefined);
    }
  });

  test('select() reports UDP sockets always writable and servers never', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const bound = await boundUdp(bag);
    const fresh = bag.add(udp());
    const result = await select(null, [server, bound, fresh], { timeout: 0 });
    expect(labels({ bound, fresh })(result.writable)).toEqual(['bound', 'fresh']);
    expect((await select(null, [server], { timeout: 0 })).timedOut).toBe(true);
  });
});

// ---------------------------------------------------------------- results

describe('select() results', () => {
  test('select() lists ready objects in the order given, each once', async () => {
    await using bag = new Bag();
    const [a, b, c] = [await boundUdp(bag), await boundUdp(bag), await boundUdp(bag)];
    const sender = bag.add(udp());
    for (const u of [a, b, c]) await sender.sendto('x', '127.0.0.1', u.getsockname().port);
    await until(() => a.pending + b.pending + c.pending === 3, 5000, 'three datagrams');
    const name = labels({ a, b, c });
    const result = await select([c, a, b, a, c], [b, b, a], { timeout: 0 });
    expect(name(result.readable)).toEqual(['c', 'a', 'b']);
    expect(name(result.writable)).toEqual(['b', 'a']);
  });

  test('select() reports the readable and the writable lists of one call together', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const [client, conn] = await tcpPair(bag, server);
    await client.send('x');
    await until(() => conn.buffered > 0, 5000, 'a byte');
    const result = await select([client, conn], [server, conn], { timeout: 0 });
    const name = labels({ client, conn, server });
    expect(name(result.readable)).toEqual(['conn']);
    expect(name(result.writable)).toEqual(['conn']);
  });

  test('select() takes any iterable, a one-shot generator included', async () => {
    await using bag = new Bag();
    const idle = await boundUdp(bag);
    const u = await boundUdp(bag);
    const sender = bag.add(udp());
    function* entries(): Generator<UdpSocket> {
      yield idle;
      yield u;
    }
    const fromSet = select(new Set([idle, u]), null, { timeout: 5 });
    const fromGenerator = select(entries(), new Map<string, UdpSocket>().values(), { timeout: 5 });
    await sender.sendto('x', '127.0.0.1', u.getsockname().port);
    const name = labels({ idle, u });
    for (const result of await Promise.all([fromSet, fromGenerator])) {
      expect(result.timedOut).toBe(false);
      expect(name(result.readable)).toEqual(['u']);
    }
  });
});

// ---------------------------------------------------------------- ignored entries

describe('select() ignored entries', () => {
  test('select() ignores null and undefined lists', async () => {
    expect(await select(null, undefined, { timeout: 0 })).toEqual({
      readable: [],
      writable: [],
      timedOut: true,
    });
    await using bag = new Bag();
    const u = bag.add(udp());
    expect(labels({ u })((await select(undefined, [u])).writable)).toEqual(['u']);
  });

  test('select() ignores closed sockets of every kind, in both lists', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const [client, conn] = await tcpPair(bag, server);
    const u = await boundUdp(bag);
    await client.send('bytes');
    await until(() => conn.buffered > 0, 5000, 'bytes');
    for (const s of [client, conn, server, u]) s.close();
    // Each claims readable once closed (so a receive fails at once); select ignores them anyway.
    expect(conn.readable && server.readable && u.readable).toBe(true);
    const everything = [client, conn, server, u];
    expect(await select(everything, everything, { timeout: 0 })).toEqual({
      readable: [],
      writable: [],
      timedOut: true,
    });
  });

  test('select() ignores entries that are not selectable, and still reports the others', async () => {
    await using bag = new Bag();
    const u = bag.add(udp());
    const master = bag.add(tcp());
    const junk: unknown[] = [
      'x',
      42,
      {},
      null,
      undefined,
      true,
      () => 1,
      { [readiness]: 5 },
      { [readiness]: null },
      master,
    ];
    expect(await select(junk, junk, { timeout: 0 })).toEqual({
      readable: [],
      writable: [],
      timedOut: true,
    });
    const result = await select(junk, [...junk, u, ...junk], { timeout: 0 });
    expect(labels({ u })(result.writable)).toEqual(['u']);
  });
});

// ---------------------------------------------------------------- usage errors

describe('select() usage errors', () => {
  test('select() throws a TypeError, synchronously, for a list that is not a list', () => {
    for (const bad of ['x', 42, {}, true]) {
      expect(() => select(bad as never, null)).toThrow(TypeError);
      expect(() => select(null, bad as never)).toThrow(TypeError);
    }
    expect(() => select('x' as never, null)).toThrow(
      new TypeError("Expected `recvt` to be an array, an iterable or null, got `'x'`"),
    );
    expect(() => select(null, 5 as never)).toThrow(
      new TypeError('Expected `sendt` to be an array, an iterable or null, got `5`'),
    );
  });

  test('select() throws a TypeError, synchronously, for bad options', () => {
    expect(() => select([], [], { timeout: 'x' as never })).toThrow(TypeError);
    expect(() => select([], [], { timeout: Number.NaN })).toThrow(TypeError);
    expect(() => select([], [], { signal: {} as never })).toThrow(TypeError);
    expect(() => select([], [], 5 as never)).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------- timeouts

describe('select() timeouts', () => {
  test('select() with timeout 0 answers without a macrotask when something is ready', async () => {
    await using bag = new Bag();
    const u = bag.add(udp());
    let turned = false;
    const immediate = setImmediate(() => (turned = true));
    const result = await select(null, [u], { timeout: 0 });
    expect(result.writable).toHaveLength(1);
    expect(turned).toBe(false);
    clearImmediate(immediate);
  });

  test('select() with timeout 0 and nothing ready lets the event loop turn before it says timedOut', async () => {
    await using bag = new Bag();
    const u = await boundUdp(bag);
    let turned = false;
    setImmediate(() => (turned = true));
    using timers = trackTimers();
    expect(await select([u], null, { timeout: 0 })).toEqual({
      readable: [],
      writable: [],
      timedOut: true,
    });
    expect(turned).toBe(true);
    expect(timers.live).toBe(0);
  });

  test('select() in a timeout-0 polling loop sees a datagram that arrives meanwhile', async () => {
    await using bag = new Bag();
    const u = await boundUdp(bag);
    const sender = bag.add(udp());
    await sender.sendto('late', '127.0.0.1', u.getsockname().port);
    let polls = 0;
    let readable: UdpSocket[] = [];
    // Were a zero timeout answered by a microtask alone, I/O could never run
    // and this loop would spin to its bound.
    while (readable.length === 0 && polls < 100_000) {
      polls++;
      readable = (await select([u], null, { timeout: 0 })).readable;
    }
    expect(labels({ u })(readable)).toEqual(['u']);
    expect(polls).toBeLessThan(100_000);
  });

  test('select() in a timeout-0 polling loop lets a connection in', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const connecting = connect('127.0.0.1', server.getsockname().port);
    let polls = 0;
    while ((await select([server], null, { timeout: 0 })).timedOut && polls < 100_000) polls++;
    bag.add(await connecting);
    bag.add(await server.accept({ timeout: 0 }));
    expect(polls).toBeLessThan(100_000);
  });

  test('select() says timedOut with both lists empty when its timeout passes', async () => {
    await using bag = new Bag();
    const u = await boundUdp(bag);
    const flag = new Flag();
    using timers = trackTimers();
    const waiting = select([u, flag], [flag], { timeout: 0.05 });
    expect(timers.live).toBe(1);
    expect(await waiting).toEqual({ readable: [], writable: [], timedOut: true });
    expect(flag.watching).toBe(0);
    expect(flag.unwatches).toBe(flag.watches);
    expect(timers.live).toBe(0);
  });

  test.each([
    ['null', { timeout: null }],
    ['a negative timeout', { timeout: -1 }],
    ['no timeout', {}],
    ['no options', undefined],
  ])('select() with %s waits, with no timer, until something is ready', async (_, options) => {
    await using bag = new Bag();
    const u = await boundUdp(bag);
    const sender = bag.add(udp());
    using timers = trackTimers();
    const waiting = select([u], null, options);
    expect(timers.created).toBe(0);
    await sender.sendto('x', '127.0.0.1', u.getsockname().port);
    const result = await waiting;
    expect(result.timedOut).toBe(false);
    expect(result.readable).toHaveLength(1);
  });

  test('select() that returns by readiness leaves no watcher, timer or abort listener behind', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const [client, conn] = await tcpPair(bag, server);
    const watched = [new Counted(conn), new Counted(server), new Counted(await boundUdp(bag))];
    const { signal } = new AbortController();
    using timers = trackTimers();
    const before = activeTimers();
    const waiting = select(watched, null, { timeout: 30, signal });
    expect(activeWatchers(watched)).toBe(3);
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    expect(timers.live).toBe(1);
    expect(activeTimers()).toBe(before + 1);
    await client.send('wake\n');
    const result = await waiting;
    expect(result.readable).toEqual([watched[0]]);
    expect(activeWatchers(watched)).toBe(0);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(timers.live).toBe(0);
    // The process agrees (another timer of the runner's may have ended meanwhile).
    expect(activeTimers()).toBeLessThanOrEqual(before);
  });
});

// ---------------------------------------------------------------- abort

describe('select() abort', () => {
  test('select() rejects with the signal’s reason when aborted while waiting, and leaves nothing behind', async () => {
    await using bag = new Bag();
    const watched = [new Counted(await boundUdp(bag))];
    const flag = new Flag();
    const controller = new AbortController();
    using timers = trackTimers();
    const waiting = select([...watched, flag], [flag], { signal: controller.signal, timeout: 30 });
    const reason = new Error('stop selecting');
    controller.abort(reason);
    expect(await rejection(waiting)).toBe(reason);
    expect(activeWatchers(watched)).toBe(0);
    expect(flag.watching).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(timers.live).toBe(0);
  });

  test('select() rejects with the default AbortError when aborted without a reason', async () => {
    const controller = new AbortController();
    const waiting = select([new Flag()], null, { signal: controller.signal });
    controller.abort();
    const err = await rejection(waiting);
    expect(err).toBe(controller.signal.reason);
    expect((err as Error).name).toBe('AbortError');
  });

  test('select() with an already aborted signal rejects at once and watches nothing, ready or not', async () => {
    const reason = new Error('too late');
    const idle = new Flag();
    const ready = new Flag('ready', { readable: true });
    await expect(select([idle, ready], null, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(idle.watches + ready.watches).toBe(0);
  });

  test('select() run 1,000 times on one long-lived signal leaves no listener and no warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const { signal } = new AbortController();
      const flag = new Flag();
      for (let i = 0; i < 1000; i++) {
        const waiting = select([flag], null, { signal });
        flag.set({ readable: true });
        expect((await waiting).readable).toHaveLength(1);
        flag.set({ readable: false });
      }
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
      expect(flag.watching).toBe(0);
      await turn();
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});

// ---------------------------------------------------------------- closed while watched

describe('select() and sockets closed while watched', () => {
  test('select() ignores a socket closed while it waits and goes on watching the others', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const [, conn] = await tcpPair(bag, server);
    const u = await boundUdp(bag);
    const sender = bag.add(udp());
    const watched = [new Counted(conn), new Counted(server), new Counted(u)];
    const waiting = select(watched, [server]);
    const done = settledFlag(waiting);
    conn.close();
    server.close();
    await turn();
    await turn();
    expect(done()).toBe(false);
    await sender.sendto('still here', '127.0.0.1', u.getsockname().port);
    const result = await waiting;
    expect(result.readable).toEqual([watched[2]]);
    expect(result.writable).toEqual([]);
    expect(activeWatchers(watched)).toBe(0);
  });

  test('select() whose every socket closes while it waits ends by its timeout', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0));
    const [, conn] = await tcpPair(bag, server);
    const u = await boundUdp(bag);
    const watched = [new Counted(conn), new Counted(server), new Counted(u)];
    const waiting = select(watched, [server], { timeout: 0.05 });
    for (const s of [conn, server, u]) s.close();
    expect(await waiting).toEqual({ readable: [], writable: [], timedOut: true });
    expect(activeWatchers(watched)).toBe(0);
  });
});

// ---------------------------------------------------------------- scale and leaks

describe('select() at scale', () => {
  test('select() watches 10,000 sockets in one call (no FD_SETSIZE)', async () => {
    await using bag = new Bag();
    const sockets = await Promise.all(Array.from({ length: 10_000 }, () => boundUdp(bag)));
    const sender = bag.add(udp());
    expect(Math.max(...sockets.map((s) => s.fd))).toBeGreaterThan(1024);
    expect((await select(sockets, null, { timeout: 0 })).timedOut).toBe(true);

    const last = sockets[sockets.length - 1] as UdpSocket;
    const first = sockets[0] as UdpSocket;
    const waiting = select(sockets, null);
    await sender.sendto('to the last', '127.0.0.1', last.getsockname().port);
    expect(labels({ last })((await waiting).readable)).toEqual(['last']);

    await sender.sendto('to the first', '127.0.0.1', first.getsockname().port);
    await until(() => first.pending > 0, 5000, 'a datagram');
    expect(labels({ first, last })((await select(sockets, null, { timeout: 0 })).readable)).toEqual(
      ['first', 'last'],
    );
    const { writable } = await select(null, sockets, { timeout: 0 });
    expect(writable).toHaveLength(10_000);
  });

  test('select() called 100,000 times over 1,000 idle sockets and a busy one keeps heap and watchers flat', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0, { backlog: 1024 }));
    const idle = await idleConnections(bag, server, 1000);
    const [peer, busy] = await tcpPair(bag, server);
    await peer.send('work\n');
    await until(() => busy.buffered > 0, 5000, 'bytes for the busy socket');
    // The sockets themselves, as a dispatcher lists them; the flag (never
    // ready) would count any watch the calls made.
    const flag = new Flag();
    const list = [flag, ...idle, busy];
    const { signal } = new AbortController();
    const gc = garbageCollector();
    using timers = trackTimers();

    const round = async (calls: number): Promise<void> => {
      for (let i = 0; i < calls; i++) {
        const { readable } = await select(list, null, { signal, timeout: 1 });
        if (readable.length !== 1) throw new Error(`call ${i}: ${readable.length} readable`);
      }
    };
    await round(1000);
    const heapBefore = heapAfterGc(gc);
    await round(100_000);
    const heapAfter = heapAfterGc(gc);

    expect(heapAfter - heapBefore).toBeLessThan(2 * 1024 * 1024);
    // A ready socket answers the call at once: nothing is ever registered.
    expect(flag.reads).toBe(101_000);
    expect(flag.watches).toBe(0);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(timers.created).toBe(0);
    expect(await busy.receive('*l', { timeout: 0 })).toBe('work');
  });

  test('select() that waits 2,000 times over 1,000 idle sockets keeps heap and watchers flat', async () => {
    await using bag = new Bag();
    const server = bag.add(await bind('127.0.0.1', 0, { backlog: 1024 }));
    const idle = await idleConnections(bag, server, 1000);
    const [peer, busy] = await tcpPair(bag, server);
    const watched = [...idle, busy].map((s) => new Counted(s));
    const last = watched[watched.length - 1];
    const { signal } = new AbortController();
    const gc = garbageCollector();
    using timers = trackTimers();

    const round = async (calls: number): Promise<void> => {
      for (let i = 0; i < calls; i++) {
        const waiting = select(watched, null, { signal, timeout: 30 });
        // Nothing is ready when the call starts; a macrotask makes one socket ready.
        setImmediate(() => void peer.send('x'));
        const { readable } = await waiting;
        if (readable.length !== 1 || readable[0] !== last)
          throw new Error(`call ${i}: wrong result`);
        await busy.receive(1, { timeout: 0 });
      }
    };
    await round(200);
    const heapBefore = heapAfterGc(gc);
    await round(2000);
    const heapAfter = heapAfterGc(gc);

    expect(heapAfter - heapBefore).toBeLessThan(2 * 1024 * 1024);
    expect(watched.reduce((n, c) => n + c.watches, 0)).toBe(2200 * 1001);
    expect(activeWatchers(watched)).toBe(0);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(timers.created).toBe(2200);
    expect(timers.live).toBe(0);
  });
});
