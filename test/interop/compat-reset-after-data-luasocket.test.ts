/**
 * A peer that sends and then resets the connection at once, against real
 * LuaSocket 3: the reset travels right behind the data, so Node.js's event
 * loop sees the data and the hang-up together and reports a plain end of
 * stream. LuaSocket reads on and meets the reset, answering `'*a'` with
 * `nil, 'closed', partial`; after a FIN it answers the data. Compat must
 * answer as LuaSocket does in both cases, and the core must tell them apart.
 */

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import socket from '../../compat/index.js';
import { connect, SocketError } from '../../src/index.js';
import { pause } from '../helpers/loopback.js';
import { SessionPeer, unhex } from '../helpers/lua-peer.js';
import { hasLua } from '../helpers/lua.js';

const DATA = 'the first half of a transfer\n';

type Ending = 'reset' | 'fin';

/** A server that writes DATA to each connection, then ends it the given way one turn later. */
async function sender(ending: Ending): Promise<Server> {
  const server = createServer((peer: Socket) => {
    peer.on('error', () => undefined);
    // One turn after the write's callback: Node.js sends a FIN from inside it, not a RST.
    peer.write(DATA, () =>
      setImmediate(() => (ending === 'reset' ? peer.resetAndDestroy() : peer.end())),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return server;
}

const servers: Server[] = [];
const peers: SessionPeer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
  for (const s of servers.splice(0)) s.close();
});

const portOf = (s: Server): number => (s.address() as AddressInfo).port;

/** LuaSocket's answer to `receive(pattern)` after the data and the ending have arrived. */
async function lua(
  port: number,
  pattern: string,
): Promise<[string | null, string | null, string | null]> {
  const peer = new SessionPeer('peer-client.lua', ['127.0.0.1', String(port)]);
  peers.push(peer);
  await peer.expectLine(/^CONNECTED \d+$/);
  await pause(50); // pacing the sender: its data and its ending are on the wire
  const r = await peer.command('recv', pattern);
  const text = (h: unknown): string | null => unhex(h)?.toString('latin1') ?? null;
  return [text(r.data), (r.err as string | undefined) ?? null, text(r.partial)];
}

async function compat(
  port: number,
  pattern: string,
): Promise<[string | null, string | null, string | null]> {
  const [c, err] = await socket.connect('127.0.0.1', port);
  if (c === null) throw new Error(String(err));
  try {
    await pause(50);
    c.settimeout(5);
    const [data, e, partial] = await c.receive(pattern);
    return [data, e, partial ?? null];
  } finally {
    c.close();
  }
}

describe.skipIf(!hasLua)('a reset right behind the data, against real LuaSocket', () => {
  for (const ending of ['reset', 'fin'] as const) {
    for (const pattern of ['*a', '*l'] as const) {
      it(`receive('${pattern}') after data and a ${ending}: compat answers as LuaSocket, five times of five`, async () => {
        const server = await sender(ending);
        for (let i = 0; i < 5; i++) {
          const theirs = await lua(portOf(server), pattern);
          const mine = await compat(portOf(server), pattern);
          expect(mine).toEqual(theirs);
        }
      });
    }
  }

  it("the core fails '*a' with closed (cause ECONNRESET) after a reset, and answers the data after a FIN", async () => {
    for (const ending of ['reset', 'fin'] as const) {
      const server = await sender(ending);
      for (let i = 0; i < 5; i++) {
        const client = await connect('127.0.0.1', portOf(server));
        try {
          await pause(50);
          const outcome = await client.receive('*a', { timeout: 5 }).then(
            (value) => ({ value }),
            (err: unknown) => ({ err: err as SocketError }),
          );
          if (ending === 'fin') {
            expect(outcome).toEqual({ value: DATA });
          } else {
            expect('err' in outcome && outcome.err.code).toBe('closed');
            const err = (outcome as { err: SocketError }).err;
            expect(err.partial).toBe(DATA);
            expect((err.cause as NodeJS.ErrnoException).code).toBe('ECONNRESET');
          }
        } finally {
          client.close();
        }
      }
    }
  });
});
