/**
 * A line echo server in the async core: one task per client instead of a select loop.
 *
 * LuaSocket programs serve many clients from one thread with a `select`
 * loop: ask which sockets are ready, accept or read on those, go round again.
 * The async core needs no such loop. Each job is written as straight-line
 * code that waits where it must:
 *
 *   - one loop accepts connections: `for await (const conn of server)`;
 *   - one loop per connection echoes its lines: `for await (const line of conn.lines())`.
 *
 * Node.js runs them all at once, and every wait is a readiness wait, exactly
 * where a LuaSocket program would call `select`. (The same server written as
 * a LuaSocket `select` dispatcher is the compat layer's twin of this file.)
 *
 * Usage:
 *   npx tsx examples/select-echo.ts [port] [--clients N]
 *
 *   port         the port to listen on (default 0: any free port)
 *   --clients N  stop accepting after N clients and exit once they have left
 *
 * Prints "listening on <port>", then one line per client that comes and goes.
 * Ctrl-C (SIGINT) or SIGTERM closes everything and exits cleanly.
 * Try it: `nc 127.0.0.1 <port>`, type lines, see them come back.
 */
import { bind, SocketError, type TcpClient } from 'luasocket-async';

// ---- arguments ----------------------------------------------------------

function usage(message: string): never {
  console.error(`${message}\nusage: select-echo.ts [port] [--clients N]`);
  process.exit(2);
}

let port = 0;
let maxClients = Infinity;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i] as string;
  if (arg === '--clients') {
    maxClients = Number(args[++i]);
    if (!Number.isInteger(maxClients) || maxClients < 1)
      usage('--clients takes a whole number >= 1');
  } else {
    port = Number(arg);
    if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`not a port: ${arg}`);
  }
}

// ---- the server ---------------------------------------------------------

// The backlog is how many connections the kernel holds for us before we
// accept them; LuaSocket's default is 32.
const server = await bind('127.0.0.1', port, { backlog: 128 });
console.log(`listening on ${server.getsockname().port}`);

/** Open connections, so that a signal can close them all. */
const open = new Set<TcpClient>();

/** Echoes every line of one client back to it, until the client leaves. */
async function echo(conn: TcpClient): Promise<void> {
  const { address, port: from } = conn.getpeername();
  console.log(`client ${address}:${from} connected`);
  try {
    // lines() yields each line without its LF (and without CRs, as LuaSocket's
    // '*l' pattern does) and ends when the client closes its side.
    for await (const line of conn.lines()) {
      await conn.send(`${line}\n`);
    }
  } catch (err) {
    // A client that resets, or a send to a client that has gone, ends only
    // this connection; the server goes on.
    if (!(err instanceof SocketError)) throw err;
    console.log(`client ${address}:${from}: ${err.message}`);
  } finally {
    conn.close();
    open.delete(conn);
    console.log(`client ${address}:${from} left`);
  }
}

// ---- stopping -----------------------------------------------------------

// Closing the server ends the accept loop below; closing a connection ends
// its lines() loop. Nothing else holds the process open, so it then exits.
function stop(): void {
  server.close();
  for (const conn of open) conn.close();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// ---- the accept loop ----------------------------------------------------

const sessions: Promise<void>[] = [];
let accepted = 0;
// Ends when the server is closed (by stop(), or after --clients N).
for await (const conn of server) {
  open.add(conn);
  // Not awaited: this loop goes straight back to accepting while the
  // connection is served.
  sessions.push(echo(conn));
  if (++accepted >= maxClients) server.close();
}
await Promise.all(sessions);
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
console.log(`served ${accepted} client${accepted === 1 ? '' : 's'}, bye`);
