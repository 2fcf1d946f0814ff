/**
 * A line echo server in LuaSocket's API: one socket.select loop serves every client.
 *
 * A line echo server driven only by `socket.select`, the way LuaSocket
 * programs serve many clients from one thread — in LuaSocket's own API,
 * through luasocket-async/compat. The core's twin, written with async loops
 * instead of a dispatcher, is examples/select-echo.ts.
 *
 * The loop: ask `select` which sockets are readable; on the server, accept
 * the new client; on a client, read what it sent without waiting
 * (`settimeout(0)`), keep a partial line for later, echo each whole line.
 *
 * Usage:
 *   npx tsx examples/compat/select-echo.ts [port] [--clients N]
 *
 *   port         the port to listen on (default 0: any free port)
 *   --clients N  stop accepting after N clients and exit once they have left
 *
 * Prints "listening on <port>", then one line per client that comes and goes.
 * Ctrl-C (SIGINT) or SIGTERM closes everything and exits cleanly.
 * Try it: `nc 127.0.0.1 <port>`, type lines, see them come back.
 */
import socket, { type TcpObject } from 'luasocket-async/compat';

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

// server = assert(socket.bind("127.0.0.1", port, 128))
const [server, err] = await socket.bind('127.0.0.1', port, 128);
if (server === null) throw new Error(err);
console.log(`listening on ${server.getsockname()[1]}`);

/** The connected clients, each with the part of a line received so far. */
const clients = new Map<TcpObject, { name: string; partial: string }>();
let accepting = true;
let accepted = 0;
let stopping = false;

function drop(client: TcpObject): void {
  console.log(`client ${clients.get(client)?.name} left`);
  clients.delete(client);
  client.close();
}

// Ctrl-C closes every socket; the loop sees `stopping` at its next turn
// (select is given a timeout below so that it does turn).
function stop(): void {
  stopping = true;
  server!.close();
  for (const client of clients.keys()) client.close();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// ---- the dispatcher -----------------------------------------------------

while (!stopping && (accepting || clients.size > 0)) {
  // readable = socket.select(recvt, nil, 1)
  const recvt: TcpObject[] = accepting ? [server, ...clients.keys()] : [...clients.keys()];
  const [readable] = await socket.select(recvt, null, 1);
  for (const s of readable) {
    if (s === server) {
      // A connection waits: accept() answers at once.
      const [client] = await server.accept();
      if (client === null) continue;
      const [ip, from] = client.getpeername();
      clients.set(client, { name: `${ip}:${from}`, partial: '' });
      console.log(`client ${ip}:${from} connected`);
      if (++accepted >= maxClients) {
        accepting = false;
        server.close();
      }
      continue;
    }
    const state = clients.get(s);
    if (state === undefined) continue;
    // Readable means bytes are here (or the peer left), not that a whole
    // line is: read without waiting, and keep a partial line for next time.
    s.settimeout(0);
    const [line, e, partial] = await s.receive('*l', state.partial);
    if (line !== null) {
      state.partial = '';
      // The echo may wait for a slow client, but not forever.
      s.settimeout(10);
      const [sent] = await s.send(line + '\n');
      if (sent === null) drop(s);
    } else if (e === 'timeout') {
      state.partial = partial;
    } else {
      // 'closed': the client left (an unfinished last line is dropped).
      drop(s);
    }
  }
}

// LuaSocket has no exit hooks: close what is left and say goodbye.
server.close();
for (const client of clients.keys()) client.close();
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
console.log(`served ${accepted} client${accepted === 1 ? '' : 's'}, bye`);
