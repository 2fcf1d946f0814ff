/**
 * A core echo server for the proxied runs: `bind` and `for await (const
 * conn of server)`, each connection echoing what it receives until the peer
 * closes, then closing. It counts how its connections ended.
 */

import { isReset } from '../../src/errors/socket-error.js';
import { bind, SocketError, type TcpClient } from '../../src/index.js';

export interface EchoStats {
  /** Connections the peer closed cleanly (its FIN). */
  closed: number;
  /** Connections the peer reset. */
  reset: number;
  /** Any other ending, described. */
  readonly other: string[];
}

export interface EchoServer {
  readonly address: { host: string; port: number };
  readonly stats: EchoStats;
  /** Stops accepting, closes every connection and waits for their tasks. */
  close(): Promise<void>;
}

async function echo(conn: TcpClient<Buffer>, stats: EchoStats): Promise<void> {
  try {
    for (;;) await conn.send(await conn.receiveany());
  } catch (err) {
    if (isReset(err)) stats.reset++;
    else if (err instanceof SocketError && err.code === 'closed') stats.closed++;
    else stats.other.push(String(err));
  } finally {
    conn.close();
  }
}

export async function echoServer(): Promise<EchoServer> {
  const server = await bind('127.0.0.1', 0, { encoding: 'buffer', backlog: 1024 });
  const stats: EchoStats = { closed: 0, reset: 0, other: [] };
  const open = new Set<TcpClient<Buffer>>();
  const tasks = new Set<Promise<void>>();
  const accepting = (async () => {
    for await (const conn of server) {
      open.add(conn);
      const task = echo(conn, stats).finally(() => {
        open.delete(conn);
        tasks.delete(task);
      });
      tasks.add(task);
    }
  })().catch((err: unknown) => void stats.other.push(`accept: ${String(err)}`));
  return {
    address: { host: '127.0.0.1', port: server.getsockname().port },
    stats,
    close: async () => {
      server.close();
      await accepting;
      for (const conn of open) conn.close();
      await Promise.all(tasks);
    },
  };
}
