/**
 * Real loopback peers for the core's socket tests: a raw `net.Server` that
 * the test drives byte by byte, paired with a core `TcpClient`.
 */

import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { setImmediate as turn } from 'node:timers/promises';
import {
  connect,
  SocketError,
  type ConnectOptions,
  type DataOf,
  type Encoding,
  type TcpClient,
} from '../../src/index.js';

/** A raw listening server that records the sockets it accepts. */
export interface RawServer extends AsyncDisposable {
  readonly server: Server;
  readonly port: number;
  readonly host: string;
  /** Resolves to the next accepted socket (in arrival order). */
  accepted(): Promise<Socket>;
  /** Destroys every accepted socket and closes the server. */
  close(): Promise<void>;
}

/** Starts a raw `net.Server` (half-open allowed) on `host`, port 0. */
export async function rawServer(host = '127.0.0.1'): Promise<RawServer> {
  const server = createServer({ allowHalfOpen: true });
  const sockets: Socket[] = [];
  const ready: Socket[] = [];
  const waiting: ((s: Socket) => void)[] = [];
  server.on('connection', (socket: Socket) => {
    sockets.push(socket);
    // The tests provoke resets on purpose; a raw peer must never crash the run.
    socket.on('error', () => undefined);
    const w = waiting.shift();
    if (w !== undefined) w(socket);
    else ready.push(socket);
  });
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    if (server.listening) await new Promise<void>((done) => server.close(() => done()));
  };
  return {
    server,
    port,
    host,
    accepted: () => {
      const s = ready.shift();
      if (s !== undefined) return Promise.resolve(s);
      return new Promise<Socket>((resolve) => waiting.push(resolve));
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A core client connected to a raw peer socket the test controls. */
export interface Loopback<T extends string | Buffer> extends AsyncDisposable {
  readonly client: TcpClient<T>;
  /** The server side of the connection: write exact bytes, end, reset. */
  readonly peer: Socket;
  readonly raw: RawServer;
  close(): Promise<void>;
}

/** Connects a core client to a fresh raw server on `host`. */
export async function loopback<E extends Encoding = 'utf8'>(
  options: ConnectOptions<E> = {},
  host = '127.0.0.1',
): Promise<Loopback<DataOf<E>>> {
  const raw = await rawServer(host);
  try {
    const [client, peer] = await Promise.all([connect(host, raw.port, options), raw.accepted()]);
    const close = async (): Promise<void> => {
      client.close();
      await raw.close();
    };
    return { client, peer, raw, close, [Symbol.asyncDispose]: close };
  } catch (err) {
    await raw.close();
    throw err;
  }
}

/**
 * Turns the event loop until `condition` holds; fails after `ms`. For states
 * that arrive over the wire (bytes buffered, a peer's EOF), never for timing.
 */
export async function until(
  condition: () => boolean,
  ms = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await turn();
    await new Promise<void>((r) => setTimeout(r, 1));
  }
}

/** Everything a raw socket receives until its peer ends, as one Buffer. */
export function collect(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve, reject) => {
    socket.once('end', () => resolve(Buffer.concat(chunks)));
    socket.once('error', reject);
  });
}

/** Writes `data` on a raw socket and waits until Node.js has flushed it to the kernel. */
export function write(socket: Socket, data: string | Uint8Array): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    socket.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

/** A TCP port on `host` that nobody listens on: bound by a raw server, then released. */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const raw = await rawServer(host);
  await raw.close();
  return raw.port;
}

/** Awaits a promise expected to reject and returns its reason. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('Expected the promise to reject, but it resolved');
}

/** Awaits a promise expected to reject with a {@link SocketError} and returns it. */
export async function socketError(promise: Promise<unknown>): Promise<SocketError> {
  const err = await rejection(promise);
  if (!(err instanceof SocketError))
    throw new Error(`Expected a SocketError, got ${String(err)}`, { cause: err });
  return err;
}

/** Resolves after `ms`; only for pacing a peer, never for asserting timing. */
export function pause(ms: number): Promise<void> {
  return new Promise<void>((r) => setTimeout(r, ms));
}

async function probeIPv6(): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(0, '::1');
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    if (server.listening) await new Promise<void>((done) => server.close(() => done()));
  }
}

/** True when this host can listen on `::1`. */
export const hasIPv6: boolean = await probeIPv6();

if (!hasIPv6) console.warn('[ipv6] cannot listen on ::1 here: the IPv6 loopback tests are skipped');

/** The 256 byte values in order. */
export const ALL_BYTES: Buffer = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
