/**
 * The contenders of the tls workload (see tls.ts), each against a node:tls
 * peer in its own process, verifying it against the run's CA as localhost.
 *   raw     tls.connect({ ca, servername: 'localhost' }): 'data' Buffers
 *           counted, or kept and concatenated ('*a'); lines.ts's indexOf split
 *   core    connect('127.0.0.1', port, { tls: { ca, servername: 'localhost' } }),
 *           reading as bulk-receive.ts and lines.ts do, and a receiveBuffered('*l') loop
 *   LuaSec  bench/lua/tls.lua
 * and the servers of the server-side handshakes: tls.createServer and
 * bind({ tls }), in this process, each ending every connection it accepts.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect as tlsConnect, createServer, type TLSSocket } from 'node:tls';
import { bind, connect } from '../../src/index.js';
import { closedWith, lua } from '../lib.js';
import type { Count } from './lines.js';

/** What a client needs to trust the peer: the CA, as Buffer (Node) and file (LuaSec). */
export interface Trust {
  ca: Buffer;
  caFile: string;
}

/** The core's TLS options: the run's CA, the certificate's name. */
export const coreTls = (trust: Trust) =>
  ({ tls: { ca: trust.ca, servername: 'localhost' } }) as const;

/** A node:tls connection to a loopback peer, once its handshake is done. */
export async function rawTls(port: number, trust: Trust): Promise<TLSSocket> {
  const s = tlsConnect({ port, host: '127.0.0.1', ca: trust.ca, servername: 'localhost' });
  await once(s, 'secureConnect');
  return s;
}

export async function rawReceive(port: number, trust: Trust): Promise<number> {
  const s = await rawTls(port, trust);
  let total = 0;
  s.on('data', (chunk: Buffer) => (total += chunk.length));
  await once(s, 'end');
  s.destroy();
  return total;
}

export async function rawAll(port: number, trust: Trust): Promise<number> {
  const s = await rawTls(port, trust);
  const chunks: Buffer[] = [];
  s.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(s, 'end');
  s.destroy();
  return Buffer.concat(chunks).length;
}

/**
 * `n` sequential handshakes, each connection read to the server's end:
 * answers how many verified, and throws if one brought a byte.
 */
export async function rawHandshakes(port: number, trust: Trust, n: number): Promise<number> {
  let verified = 0;
  for (let i = 0; i < n; i++) {
    const s = await rawTls(port, trust);
    if (s.authorized) verified++;
    let bytes = 0;
    s.on('data', (chunk: Buffer) => (bytes += chunk.length));
    await once(s, 'end');
    s.destroy();
    if (bytes !== 0) throw new Error(`raw: ${bytes} bytes before the server's end`);
  }
  return verified;
}

export async function coreHandshakes(port: number, trust: Trust, n: number): Promise<number> {
  const options = coreTls(trust);
  let verified = 0;
  for (let i = 0; i < n; i++) {
    const c = await connect('127.0.0.1', port, options);
    if (c.getpeerverification()?.authorized === true) verified++;
    // As LuaSocket's, a '*a' that finds only the close fails `closed`, with nothing partial.
    const rest = await c.receive('*a').then((all) => all.length, closedWith);
    c.close();
    if (rest !== 0) throw new Error(`core: ${rest} characters before the server's end`);
  }
  return verified;
}

/**
 * `c.receiveBuffered('*l') ?? await c.receive('*l')` to the peer's close:
 * the synchronous read of the lines buffered, awaiting only when it answers
 * `undefined`. The close must come with nothing unread.
 */
export async function bufferedLines(c: {
  receiveBuffered(pattern: '*l'): { length: number } | undefined;
  receive(pattern: '*l'): Promise<{ length: number }>;
  close(): void;
}): Promise<Count> {
  let count = 0;
  let total = 0;
  try {
    for (;;) {
      total += (c.receiveBuffered('*l') ?? (await c.receive('*l'))).length;
      count++;
    }
  } catch (err) {
    const rest = closedWith(err);
    if (rest !== 0) throw new Error(`a line of ${rest} characters without its LF`);
  }
  c.close();
  return [count, total];
}

/** bench/lua/tls.lua in `mode`: its answer's numbers (see the script). */
export async function luaSec(
  mode: 'recv' | 'all' | 'lines' | 'handshakes',
  port: number,
  trust: Trust,
  n = 0,
): Promise<number[]> {
  const child = lua('tls.lua', mode, port, trust.caFile, n);
  const [, ...answer] = await child.ask();
  await child.close();
  return answer.map(Number);
}

/** A measured TLS server: its port, how many connections it accepted, and its close. */
export interface Server {
  port: number;
  accepted(): number;
  close(): Promise<void>;
}

/** node:tls's server: ends each connection once its handshake is done. */
export async function rawServer(cert: Buffer, key: Buffer): Promise<Server> {
  let accepted = 0;
  const server = createServer({ cert, key }, (s) => {
    accepted++;
    s.on('error', () => undefined);
    s.end();
  });
  server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** bind({ tls }) with default options: closes each connection it accepts (handshake done). */
export async function coreServer(cert: Buffer, key: Buffer): Promise<Server> {
  let accepted = 0;
  const server = await bind('127.0.0.1', 0, { backlog: 4096, tls: { cert, key } });
  const loop = (async () => {
    for await (const c of server) {
      accepted++;
      c.close();
    }
  })();
  return {
    port: server.getsockname().port,
    accepted: () => accepted,
    close: async () => {
      server.close();
      await loop;
    },
  };
}
