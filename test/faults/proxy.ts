/**
 * A fault-injecting TCP proxy for the tests: sits between a real client and
 * a real server on loopback (or a Unix socket) and delays, re-cuts,
 * throttles, swallows, truncates or resets the byte stream per direction.
 */

import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { Pipe, cutOf, type Direction, type Fault, type Link, type Toxics } from './toxics.js';

export type { Direction, Toxics } from './toxics.js';

export interface ProxyStats {
  connections: number; // accepted so far
  open: number; // client-side connections still open
  bytes: Record<Direction, number>; // bytes forwarded per direction
  faults: number; // truncations + resets + blackhole closes applied
  refused: number; // connections destroyed at once for going over maxConnections
}

export interface FaultProxy extends AsyncDisposable {
  readonly host: string; // where clients connect (the path when listening on a Unix socket)
  readonly port: number; // 0 when listening on a Unix path
  readonly path: string | undefined; // Unix path when `listen.path` was given
  readonly stats: ProxyStats;
  /** Changes the toxics for connections accepted from now on. */
  set(toxics: Partial<Record<Direction, Toxics>>): void;
  close(): Promise<void>; // stops listening and destroys every connection; idempotent
}

export interface ProxyOptions {
  listen?: { host?: string; path?: string }; // default 127.0.0.1:0; `path` = a Unix socket
  maxConnections?: number; // default 64; further connections are refused (destroyed at once)
  lifetime?: number; // ms, default 30000: the proxy closes itself after this (unref'd timer)
  /** Source of the slice sizes and the jitter, for a replayable run; default Math.random. */
  random?: () => number;
}

type Target = { host: string; port: number } | { path: string };

/** Errors that mean the peer reset the connection: passed on as an RST. */
const RESETS = new Set(['ECONNRESET', 'EPIPE']);

/** Sends an RST where the socket type has one (TCP); a Unix socket can only close. */
function reset(socket: Socket): void {
  if (socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/** One accepted client, its upstream connection and the two pipes between them. */
class Connection {
  readonly closed: Promise<void>;
  private readonly timers = new Set<NodeJS.Timeout | NodeJS.Immediate>();
  private dead = false;
  private cut = false;

  constructor(
    readonly client: Socket,
    readonly upstream: Socket,
    toxics: Partial<Record<Direction, Toxics>>,
    private readonly stats: ProxyStats,
    readonly random: () => number,
  ) {
    // Not events.once: that would reject on the socket's 'error'.
    const gone = (s: Socket): Promise<void> => new Promise((done) => s.once('close', () => done()));
    this.closed = Promise.all([gone(client), gone(upstream)]).then(() => undefined);
    const up = toxics.up ?? {};
    const down = toxics.down ?? {};
    // Without Nagle's delay, so that sliced pieces leave one by one.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const upPipe = new Pipe(client, upstream, up, this.linkFor('up'));
    const downPipe = new Pipe(upstream, client, down, this.linkFor('down'));
    this.wire(client, upstream, upPipe);
    this.wire(upstream, client, downPipe);
    for (const t of [up, down]) {
      const close = t.blackhole?.closeAfter;
      if (close !== undefined) void this.later(close).then(() => this.fault('close'));
    }
    // A cut at byte 0 happens on accept, before anything flows.
    const first = [cutOf(up), cutOf(down)].filter((c) => c?.after === 0)[0];
    if (first !== undefined) this.fault(first.kind);
  }

  /** `from` is the pipe that reads `socket`. */
  private wire(socket: Socket, other: Socket, from: Pipe): void {
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (this.dead) return;
      if (RESETS.has(err.code ?? '')) {
        from.reset();
        return;
      }
      this.teardown();
      other.destroy();
    });
    socket.on('close', () => {
      if (socket === this.client) this.stats.open--;
      // A clean close of one side leaves the other to finish its own stream.
      if (socket.destroyed && other.destroyed) this.teardown();
    });
  }

  /** The connection as seen by the pipe of one direction. */
  private linkFor(dir: Direction): Link {
    return {
      random: this.random,
      later: (ms) => this.later(ms),
      turn: () => this.turn(),
      gone: () => this.gone(),
      forwarded: (n) => (this.stats.bytes[dir] += n),
      fault: (kind) => this.fault(kind),
    };
  }

  gone(): boolean {
    return this.dead || this.cut;
  }

  later(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.dead) return;
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      t.unref();
      this.timers.add(t);
    });
  }

  /** An immediate runs after the poll phase of its loop turn; two make sure one lies between. */
  async turn(): Promise<void> {
    await this.immediate();
    await this.immediate();
  }

  private immediate(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.dead) return;
      // Not unref'd: an unref'd immediate does not keep the poll phase from blocking.
      const t = setImmediate(() => {
        this.timers.delete(t);
        resolve();
      });
      this.timers.add(t);
    });
  }

  fault(kind: Fault): void {
    if (this.dead || (this.cut && kind !== 'rst')) return;
    if (kind !== 'rst') this.stats.faults++;
    if (kind === 'reset' || kind === 'rst') {
      this.teardown();
      reset(this.client);
      reset(this.upstream);
      return;
    }
    // A FIN to both sides; keep reading (and dropping) so that neither writer blocks.
    this.cut = true;
    for (const s of [this.client, this.upstream]) {
      s.end();
      s.resume();
    }
  }

  private teardown(): void {
    this.dead = true;
    for (const t of this.timers) {
      clearTimeout(t as NodeJS.Timeout);
      clearImmediate(t as NodeJS.Immediate);
    }
    this.timers.clear();
  }

  destroy(): void {
    this.teardown();
    this.client.destroy();
    this.upstream.destroy();
  }
}

/** Starts a proxy to `target` with the given toxics per direction. */
export async function faultProxy(
  target: Target,
  toxics: Partial<Record<Direction, Toxics>> = {},
  options: ProxyOptions = {},
): Promise<FaultProxy> {
  let current = toxics;
  const stats: ProxyStats = {
    connections: 0,
    open: 0,
    bytes: { up: 0, down: 0 },
    faults: 0,
    refused: 0,
  };
  const conns = new Set<Connection>();
  const max = options.maxConnections ?? 64;
  const random = options.random ?? Math.random;
  let closing: Promise<void> | undefined;

  const server = createServer({ allowHalfOpen: true }, (client) => {
    if (closing !== undefined || stats.open >= max) {
      stats.refused++;
      client.on('error', () => undefined);
      client.destroy();
      return;
    }
    stats.connections++;
    stats.open++;
    const upstream = connect({ ...target, allowHalfOpen: true });
    const conn = new Connection(client, upstream, current, stats, random);
    conns.add(conn);
    void conn.closed.then(() => conns.delete(conn));
  });

  const path = options.listen?.path;
  const host = options.listen?.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (path !== undefined) server.listen(path, resolve);
    else server.listen(0, host, resolve);
  });
  const port = path === undefined ? (server.address() as AddressInfo).port : 0;

  const close = (): Promise<void> =>
    (closing ??= (async () => {
      clearTimeout(lifetime);
      const stopped = new Promise<void>((done) => server.close(() => done()));
      const pending = [...conns].map((c) => c.closed);
      for (const c of conns) c.destroy();
      await Promise.all([stopped, ...pending]);
    })());
  const lifetime = setTimeout(() => void close(), options.lifetime ?? 30_000);
  lifetime.unref();

  return {
    host: path ?? host,
    port,
    path,
    stats,
    set: (next) => {
      current = next;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
