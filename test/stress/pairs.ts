/**
 * Many connected pairs over loopback: clients dialled in batches to one core
 * server, each matched with the server end that accepted it.
 */

import { bind, type TcpClient } from '../../src/index.js';

/** `n` connections: `conns[i]` is the server end of `clients[i]`. */
export interface Pairs<C> {
  readonly clients: C[];
  readonly conns: TcpClient<Buffer>[];
  readonly port: number;
  /** Closes both ends of every pair and the server. */
  close(): void;
}

/** How many connects are in flight at once: well under the listen backlog. */
const BATCH = 256;

/**
 * Opens `n` pairs: `dial(port)` makes a client, `localPort(client)` names its
 * port so the accepted end can be matched to it.
 */
export async function openPairs<C extends { close(): unknown }>(
  n: number,
  dial: (port: number) => Promise<C>,
  localPort: (client: C) => number,
): Promise<Pairs<C>> {
  const server = await bind('127.0.0.1', 0, {
    encoding: 'buffer',
    backlog: 4096,
    queueLimit: n + BATCH,
  });
  const port = server.getsockname().port;
  const byPort = new Map<number, TcpClient<Buffer>>();
  let arrived: (() => void) | undefined;
  const accepting = (async () => {
    for await (const conn of server) {
      byPort.set(conn.getpeername().port, conn);
      arrived?.();
    }
  })().catch((err: unknown) => err);
  const clients: C[] = [];
  const close = (): void => {
    for (const c of clients) c.close();
    for (const c of byPort.values()) c.close();
    server.close();
  };
  try {
    for (let i = 0; i < n; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, n - i) }, () => dial(port));
      const dialled = await Promise.allSettled(batch);
      for (const d of dialled) if (d.status === 'fulfilled') clients.push(d.value);
      const failed = dialled.find((d) => d.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
    const deadline = performance.now() + 30_000;
    while (byPort.size < n) {
      if (performance.now() > deadline) throw new Error(`${byPort.size} of ${n} accepted`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 100);
        arrived = () => (clearTimeout(timer), r());
      });
    }
    arrived = undefined;
    const conns = clients.map((c) => {
      const conn = byPort.get(localPort(c));
      if (conn === undefined) throw new Error(`no accepted end for port ${localPort(c)}`);
      return conn;
    });
    return { clients, conns, port, close };
  } catch (err) {
    close();
    await accepting;
    throw err;
  }
}
