/**
 * A TCP forwarder (a port proxy) in the async core: relays each connection to a target.
 *
 * Every connection to the local port gets its own connection to the target,
 * and two loops copy bytes, one per direction (`for await` over the
 * chunks, `send` to the other side). Awaiting each send is the flow control:
 * a side that reads slowly slows down the side that writes, and nothing
 * piles up in between. When one side ends its sending (a FIN), the
 * forwarder passes that on with `shutdown('send')` and keeps the other
 * direction open: a half-close, so a client may send its request, close its
 * sending side and still read the whole answer. Once both directions have
 * ended (or one side resets), both connections are closed.
 *
 * Usage:
 *   npx tsx examples/forwarder.ts [--port P] [--target host:port] [--connections N]
 *
 *   --port P         the local port (default 0: any free port)
 *   --target h:p     where to forward to; without it, the forwarder starts
 *                    an echo server of its own on 127.0.0.1 and forwards there
 *   --connections N  stop accepting after N connections, exit once they end
 *
 * Prints "forwarding 127.0.0.1:<port> to <host>:<port>", then a line for
 * each connection that opens and closes. Ctrl-C (SIGINT) or SIGTERM closes
 * everything and exits cleanly. The compat twin, examples/compat/forwarder.ts,
 * is the same forwarder as a LuaSocket `select` loop.
 */
import { parseArgs } from 'node:util';
import { bind, connect, SocketError, type TcpClient, type TcpServer } from 'luasocket-async';

type Connection = TcpClient<Buffer>;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    target: { type: 'string' },
    connections: { type: 'string' },
  },
});
const maxConnections = values.connections === undefined ? Infinity : Number(values.connections);

/** Copies `from` to `to` until `from` ends its sending, then passes the end on. */
async function pump(from: Connection, to: Connection): Promise<number> {
  let bytes = 0;
  // Chunks as they arrive, until the FIN: 'buffer' sockets keep bytes exact.
  for await (const chunk of from) bytes += await to.send(chunk, { timeout: 30 });
  to.shutdown('send');
  return bytes;
}

/** A target of our own, for when none is given: every byte straight back, FIN included. */
async function echoEverything(server: TcpServer<Buffer>): Promise<void> {
  const echoBack = async (conn: Connection): Promise<void> => {
    try {
      await pump(conn, conn);
    } catch (err) {
      // A forwarder side that reset: only this echo ends.
      if (!(err instanceof SocketError)) throw err;
    } finally {
      conn.close();
    }
  };
  const echoes: Promise<void>[] = [];
  for await (const conn of server) echoes.push(echoBack(conn));
  await Promise.all(echoes);
}

let local: { server: TcpServer<Buffer>; serving: Promise<void> } | undefined;
let target = values.target;
if (target === undefined) {
  const server = await bind('127.0.0.1', 0, { encoding: 'buffer' });
  local = { server, serving: echoEverything(server) };
  target = `127.0.0.1:${server.getsockname().port}`;
}
const colon = target.lastIndexOf(':');
const host = target.slice(0, colon);
const port = Number(target.slice(colon + 1));

const server = await bind('127.0.0.1', Number(values.port), { encoding: 'buffer' });

/** Open connections, both sides, so that a signal can close them all. */
const open = new Set<Connection>();

/** Relays one accepted connection until both directions have ended. */
async function relay(id: number, client: Connection): Promise<void> {
  let upstream: Connection | undefined;
  open.add(client);
  try {
    upstream = await connect(host, port, { encoding: 'buffer', timeout: 10 });
    open.add(upstream);
    console.log(`#${id} open`);
    const [up, down] = await Promise.all([pump(client, upstream), pump(upstream, client)]);
    console.log(`#${id} closed: ${up} bytes up, ${down} bytes down`);
  } catch (err) {
    // The target refused, or a send failed (its peer reset, or took no data
    // for 30 s): both sides are closed below, which ends the other loop too.
    if (!(err instanceof SocketError)) throw err;
    console.log(`#${id} failed: ${err.message}`);
  } finally {
    for (const c of [client, upstream]) {
      if (c === undefined) continue;
      c.close();
      open.delete(c);
    }
  }
}

// Closing the server ends the accept loop; closing a connection ends its pumps.
function stop(): void {
  server.close();
  for (const c of open) c.close();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// Ready for the signals before saying so: a script that starts this one may
// signal it as soon as it reads the line.
const where = `127.0.0.1:${server.getsockname().port}`;
const suffix = local === undefined ? '' : ' (a local echo server)';
console.log(`forwarding ${where} to ${target}${suffix}`);

const relays: Promise<void>[] = [];
for await (const conn of server) {
  relays.push(relay(relays.length + 1, conn));
  if (relays.length >= maxConnections) server.close();
}
await Promise.all(relays);
local?.server.close();
await local?.serving;
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
console.log(`forwarded ${relays.length} connection${relays.length === 1 ? '' : 's'}, bye`);
