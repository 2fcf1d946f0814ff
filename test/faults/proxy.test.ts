import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openedAfterEach } from '../helpers/kept.js';
import { pause, rawServer, until, type RawServer } from '../helpers/loopback.js';
import { socketDir } from '../helpers/unix-paths.js';
import {
  faultProxy,
  type Direction,
  type FaultProxy,
  type ProxyOptions,
  type Toxics,
} from './proxy.js';

const opened = openedAfterEach();
const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const p of proxies.splice(0)) {
    await p.close();
    expect(p.stats.open).toBe(0);
  }
});
const { fresh } = socketDir('lsa-proxy-');

/** What a raw socket received: every 'data' chunk, and how the stream ended. */
interface Tap {
  sizes(): number[];
  bytes(): Buffer;
  /** 'end' on a FIN, the error's code otherwise. */
  readonly done: Promise<string>;
}

function tap(socket: Socket): Tap {
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<string>((resolve) => {
    socket.once('end', () => resolve('end'));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
  return { sizes: () => chunks.map((c) => c.length), bytes: () => Buffer.concat(chunks), done };
}

interface Wired {
  proxy: FaultProxy;
  raw: RawServer;
  client: Socket;
  server: Socket;
  atClient: Tap;
  atServer: Tap;
}

async function wired(
  toxics: Partial<Record<Direction, Toxics>> = {},
  options: ProxyOptions = {},
): Promise<Wired> {
  const raw = await rawServer();
  opened.push(raw);
  const proxy = await faultProxy({ host: raw.host, port: raw.port }, toxics, options);
  proxies.push(proxy);
  const client = connectTo(proxy);
  // Tapped at once: a fault at byte 0 ends the stream before any later listener.
  const atClient = tap(client);
  const server = await raw.accepted();
  return { proxy, raw, client, server, atClient, atServer: tap(server) };
}

function connectTo(proxy: FaultProxy): Socket {
  const client =
    proxy.path === undefined
      ? connect({ host: proxy.host, port: proxy.port, allowHalfOpen: true })
      : connect({ path: proxy.path, allowHalfOpen: true });
  client.on('error', () => undefined);
  opened.push(client);
  return client;
}

const payload = (n: number): Buffer => randomBytes(n);

describe('faultProxy: bytes pass unchanged and in order', () => {
  it('without toxics, both ways, and stats count them', async () => {
    const { proxy, client, server, atClient, atServer } = await wired();
    const up = payload(100_000);
    const down = payload(70_000);
    client.end(up);
    server.end(down);
    expect(await atServer.done).toBe('end');
    expect(await atClient.done).toBe('end');
    expect(atServer.bytes().equals(up)).toBe(true);
    expect(atClient.bytes().equals(down)).toBe(true);
    expect(proxy.stats).toMatchObject({ connections: 1, bytes: { up: 100_000, down: 70_000 } });
    expect(proxy.stats.faults).toBe(0);
  });

  it('with latency and jitter, late and never reordered', async () => {
    const { server, atClient } = await wired({ down: { latency: { ms: 30, jitter: 25 } } });
    const sent: Buffer[] = [];
    const started = performance.now();
    for (let i = 0; i < 40; i++) {
      const b = payload(1 + (i % 7) * 100);
      sent.push(b);
      server.write(b);
      if (i % 5 === 0) await pause(1);
    }
    server.end();
    expect(await atClient.done).toBe('end');
    expect(atClient.bytes().equals(Buffer.concat(sent))).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(4);
  });

  it.each<{ max: number; min?: number; delay?: number }>([
    { max: 3 },
    { max: 7, min: 2, delay: 1 },
  ])('with slice $max (min $min, delay $delay): no read beyond max', async (slice) => {
    const { client, server, atClient, atServer } = await wired({ down: { slice }, up: { slice } });
    const down = payload(3000);
    const up = payload(2000);
    server.end(down);
    client.end(up);
    expect(await atClient.done).toBe('end');
    expect(await atServer.done).toBe('end');
    expect(atClient.bytes().equals(down)).toBe(true);
    expect(atServer.bytes().equals(up)).toBe(true);
    expect(Math.max(...atClient.sizes())).toBeLessThanOrEqual(slice.max);
    expect(Math.max(...atServer.sizes())).toBeLessThanOrEqual(slice.max);
    // Cut for real: far more reads than a plain loopback stream would need.
    expect(atClient.sizes().length).toBeGreaterThanOrEqual(down.length / slice.max);
  });

  it('with bandwidth, no faster than the rate allows', async () => {
    const { server, atClient } = await wired({
      down: { bandwidth: { bytesPerSecond: 100_000 } },
    });
    const down = payload(40_000);
    const started = performance.now();
    server.end(down);
    expect(await atClient.done).toBe('end');
    expect(atClient.bytes().equals(down)).toBe(true);
    // 40 kB at 100 kB/s is 400 ms; allow for the first step going out at once.
    expect(performance.now() - started).toBeGreaterThan(250);
  });

  it('with slice, latency and truncate combined: the exact prefix, then FIN', async () => {
    const { proxy, server, atClient, atServer } = await wired({
      down: { slice: { max: 5 }, latency: { ms: 2, jitter: 2 }, truncate: { after: 1234 } },
    });
    const down = payload(5000);
    server.write(down);
    expect(await atClient.done).toBe('end');
    expect(atClient.bytes().equals(down.subarray(0, 1234))).toBe(true);
    expect(Math.max(...atClient.sizes())).toBeLessThanOrEqual(5);
    expect(await atServer.done).toBe('end');
    expect(proxy.stats).toMatchObject({ faults: 1, bytes: { down: 1234 } });
  });
});

describe('faultProxy: faults', () => {
  it('blackhole forwards nothing, then closes both sides after closeAfter', async () => {
    const { proxy, server, atClient, atServer } = await wired({
      down: { blackhole: { closeAfter: 150 } },
    });
    const started = performance.now();
    server.write(payload(5000));
    expect(await atClient.done).toBe('end');
    expect(performance.now() - started).toBeGreaterThan(100);
    expect(atClient.bytes().length).toBe(0);
    expect(await atServer.done).toBe('end');
    expect(proxy.stats).toMatchObject({ faults: 1, bytes: { down: 0 } });
  });

  it('blackhole without closeAfter keeps the connection open and silent', async () => {
    const { client, atServer } = await wired({ up: { blackhole: {} } });
    client.write(payload(5000));
    await pause(100);
    expect(atServer.bytes().length).toBe(0);
    expect(client.destroyed).toBe(false);
  });

  it.each([0, 1, 1000, 4096])('truncate after %i: exactly that many bytes, then FIN', async (n) => {
    const { proxy, client, atClient, atServer } = await wired({
      up: { truncate: { after: n } },
    });
    const up = payload(10_000);
    client.write(up);
    expect(await atServer.done).toBe('end');
    expect(atServer.bytes().equals(up.subarray(0, n))).toBe(true);
    expect(await atClient.done).toBe('end');
    expect(proxy.stats.faults).toBe(1);
  });

  it.each([0, 1, 777, 8192])(
    'reset after %i: exactly that many bytes, then ECONNRESET',
    async (n) => {
      const { proxy, server, atClient, atServer } = await wired({
        down: { reset: { after: n } },
      });
      const down = payload(20_000);
      server.write(down);
      expect(await atClient.done).toBe('ECONNRESET');
      expect(atClient.bytes().equals(down.subarray(0, n))).toBe(true);
      expect(await atServer.done).toBe('ECONNRESET');
      expect(proxy.stats).toMatchObject({ faults: 1, bytes: { down: n } });
    },
  );

  it('stall makes the writer meet backpressure, and resumes after ms', async () => {
    const { client, atServer } = await wired({ up: { stall: { ms: 400 } } });
    const chunk = payload(8192);
    let sent = 0;
    while (client.write(chunk)) {
      sent += chunk.length;
      if (sent > 64 * 1024 * 1024) throw new Error('the writer never met backpressure');
      await new Promise((r) => setImmediate(r));
    }
    sent += chunk.length;
    expect(client.writableNeedDrain).toBe(true);
    expect(atServer.bytes().length).toBe(0);
    await new Promise((r) => client.once('drain', r));
    client.end();
    expect(await atServer.done).toBe('end');
    expect(atServer.bytes().length).toBe(sent);
  });

  it('stall without ms never resumes', async () => {
    const { client } = await wired({ down: {}, up: { stall: {} } });
    const chunk = payload(8192);
    for (let i = 0; client.write(chunk); i++) {
      if (i > 8192) throw new Error('the writer never met backpressure');
      await new Promise((r) => setImmediate(r));
    }
    await pause(200);
    expect(client.writableNeedDrain).toBe(true);
  });
});

describe('faultProxy: the connection', () => {
  it('forwards a half-close as a half-close, both ways', async () => {
    const { client, server, atClient, atServer } = await wired();
    client.end('question');
    expect(await atServer.done).toBe('end');
    // The server can still answer on its half.
    server.write('answer');
    await until(() => atClient.bytes().toString() === 'answer');
    expect(client.readableEnded).toBe(false);
    server.end(' and bye');
    expect(await atClient.done).toBe('end');
    expect(atServer.bytes().toString()).toBe('question');
    expect(atClient.bytes().toString()).toBe('answer and bye');
  });

  it('forwards an RST as an RST, both ways', async () => {
    const a = await wired();
    a.server.resetAndDestroy();
    expect(await a.atClient.done).toBe('ECONNRESET');
    const b = await wired();
    b.client.resetAndDestroy();
    expect(await b.atServer.done).toBe('ECONNRESET');
    expect(a.proxy.stats.faults + b.proxy.stats.faults).toBe(0);
  });

  it('set() changes the toxics of later connections only', async () => {
    const { proxy, raw, server, atClient: first } = await wired();
    proxy.set({ down: { truncate: { after: 3 } } });
    const atSecond = tap(connectTo(proxy));
    const server2 = await raw.accepted();
    server.end('hello');
    server2.end('hello');
    expect(await first.done).toBe('end');
    expect(await atSecond.done).toBe('end');
    expect([first.bytes().toString(), atSecond.bytes().toString()]).toEqual(['hello', 'hel']);
  });

  it('refuses connections beyond maxConnections', async () => {
    const raw = await rawServer();
    opened.push(raw);
    const proxy = await faultProxy(raw, {}, { maxConnections: 2 });
    proxies.push(proxy);
    const [a, b] = [connectTo(proxy), connectTo(proxy)];
    const servers = await Promise.all([raw.accepted(), raw.accepted()]);
    const c = connectTo(proxy);
    const atC = tap(c);
    expect(['end', 'ECONNRESET']).toContain(await atC.done);
    expect(proxy.stats).toMatchObject({ connections: 2, open: 2, refused: 1 });
    // A client's FIN is only half a close: the servers must end too.
    for (const s of [a, b, ...servers]) s.destroy();
    await until(() => proxy.stats.open === 0);
    const d = connectTo(proxy);
    await raw.accepted();
    expect(d.destroyed).toBe(false);
    expect(proxy.stats.connections).toBe(3);
  });

  it('closes itself after its lifetime', async () => {
    const raw = await rawServer();
    opened.push(raw);
    const proxy = await faultProxy(raw, {}, { lifetime: 150 });
    proxies.push(proxy);
    const atClient = tap(connectTo(proxy));
    await raw.accepted();
    expect(['end', 'ECONNRESET']).toContain(await atClient.done);
    await until(() => proxy.stats.open === 0);
    const late = tap(connectTo(proxy));
    expect(await late.done).toBe('ECONNREFUSED');
  });

  it('listens on a Unix path and proxies to a Unix path', async () => {
    const inner = fresh();
    const raw = await rawServer();
    opened.push(raw);
    const proxy = await faultProxy(
      { host: raw.host, port: raw.port },
      {},
      { listen: { path: inner } },
    );
    proxies.push(proxy);
    expect([proxy.path, proxy.port]).toEqual([inner, 0]);
    const outer = await faultProxy(
      { path: inner },
      { down: { slice: { max: 4 } } },
      {
        listen: { path: fresh() },
      },
    );
    proxies.push(outer);
    const atClient = tap(connectTo(outer));
    const server = await raw.accepted();
    const down = payload(1000);
    server.end(down);
    expect(await atClient.done).toBe('end');
    expect(atClient.bytes().equals(down)).toBe(true);
    expect(Math.max(...atClient.sizes())).toBeLessThanOrEqual(4);
  });

  it('a reset toxic on a Unix socket closes both sides', async () => {
    const { atClient, atServer } = await wired(
      { down: { reset: { after: 0 } } },
      { listen: { path: fresh() } },
    );
    // No RST on a Unix socket: the client sees the close as an end.
    expect(await atClient.done).toBe('end');
    expect(await atServer.done).toBe('ECONNRESET');
  });

  it('close() is idempotent and leaves nothing open', async () => {
    const { proxy, client, server, atClient, atServer } = await wired({
      down: { latency: { ms: 10_000 } },
    });
    server.write('held back');
    client.write('on its way');
    await until(() => atServer.bytes().length > 0);
    const first = proxy.close();
    expect(proxy.close()).toBe(first);
    await first;
    await proxy.close();
    expect(proxy.stats.open).toBe(0);
    expect(['end', 'ECONNRESET']).toContain(await atClient.done);
    expect(atClient.bytes().length).toBe(0);
  });

  it('an unreachable target closes the client', async () => {
    const raw = await rawServer();
    await raw.close();
    const proxy = await faultProxy(raw);
    proxies.push(proxy);
    expect(['end', 'ECONNRESET']).toContain(await tap(connectTo(proxy)).done);
    await until(() => proxy.stats.open === 0);
  });
});
