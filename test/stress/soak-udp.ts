/**
 * The soak's UDP traffic: an echo socket (`for await` over a core
 * `UdpSocket`, `sendto` back), and stop-and-wait clients of four kinds —
 * core connected (`send`/`receive`), core unconnected (`sendto`/
 * `receivefrom`), and the same two on compat. Each datagram carries its
 * sequence number; a reply must be byte for byte the datagram sent. A
 * reply that does not come within the wait counts as lost, and a late one
 * is recognised by its number and skipped.
 */

import socket, { type UdpObject } from '../../compat/index.js';
import { SocketError, udp, type UdpSocket } from '../../src/index.js';
import type { Random } from './probes.js';

export interface UdpEcho {
  readonly port: number;
  close(): Promise<void>;
}

export async function udpEcho(): Promise<UdpEcho> {
  const server = udp({ encoding: 'buffer' });
  await server.setsockname('127.0.0.1', 0);
  const serving = (async () => {
    for await (const { data, address, port } of server) await server.sendto(data, address, port);
  })().catch(() => undefined);
  return {
    port: server.getsockname().port,
    close: async () => {
      server.close();
      await serving;
    },
  };
}

export interface UdpTally {
  datagrams: number;
  bytes: number;
  lost: number;
  late: number;
  readonly failures: string[];
}

/** One client: sends a datagram; receives the next reply, or `'timeout'`. */
interface Client {
  send(data: Buffer): Promise<void>;
  receive(): Promise<Buffer | 'timeout'>;
  close(): void;
}

const REPLY_WAIT = 2;

function coreClient(port: number, connected: boolean): Promise<Client> | Client {
  const u: UdpSocket<Buffer> = udp({ encoding: 'buffer' });
  const client: Client = {
    send: async (data) =>
      void (await (connected ? u.send(data) : u.sendto(data, '127.0.0.1', port))),
    receive: async () => {
      try {
        return connected
          ? await u.receive(8192, { timeout: REPLY_WAIT })
          : (await u.receivefrom(8192, { timeout: REPLY_WAIT })).data;
      } catch (err) {
        if (err instanceof SocketError && err.code === 'timeout') return 'timeout';
        throw err;
      }
    },
    close: () => u.close(),
  };
  return connected ? u.setpeername('127.0.0.1', port).then(() => client) : client;
}

async function compatClient(port: number, connected: boolean): Promise<Client> {
  const [u, err] = socket.udp();
  if (u === null) throw new Error(`socket.udp: ${err}`);
  const object: UdpObject = u;
  object.settimeout(REPLY_WAIT);
  if (connected) await object.setpeername('127.0.0.1', port);
  return {
    send: async (data) => {
      const text = data.toString('latin1');
      const [, e] = await (connected ? object.send(text) : object.sendto(text, '127.0.0.1', port));
      if (e !== null) throw new Error(`send: ${e}`);
    },
    receive: async () => {
      const [got, e] = connected ? await object.receive() : await object.receivefrom();
      if (got !== null) return Buffer.from(got, 'latin1');
      if (e === 'timeout') return 'timeout';
      throw new Error(`receive: ${String(e)}`);
    },
    close: () => void object.close(),
  };
}

/** Round trips until `stop()`, on one client of a kind drawn at random. */
export async function udpWorker(
  port: number,
  rng: Random,
  stop: () => boolean,
  tally: UdpTally,
): Promise<void> {
  const kind = rng.int(0, 3);
  const client = await (kind < 2 ? coreClient : compatClient)(port, kind % 2 === 0);
  let seq = 0;
  try {
    while (!stop()) {
      seq++;
      const data = Buffer.concat([Buffer.alloc(4), rng.bytes(rng.int(0, 8188))]);
      data.writeUInt32BE(seq);
      await client.send(data);
      let reply = await client.receive();
      // A reply to an earlier datagram, come after its wait ended: read on.
      while (reply !== 'timeout' && reply.length >= 4 && reply.readUInt32BE(0) < seq) {
        tally.late++;
        reply = await client.receive();
      }
      tally.datagrams++;
      if (reply === 'timeout') tally.lost++;
      else if (!reply.equals(data))
        tally.failures.push(`UDP reply ${seq} differs from the datagram`);
      else tally.bytes += data.length;
    }
  } catch (err) {
    tally.failures.push(`UDP: ${String(err)}`);
  } finally {
    client.close();
  }
}
