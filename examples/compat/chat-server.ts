/**
 * A line chat server in LuaSocket's API: one select loop passes each line to the others.
 *
 * The same server as examples/chat-server.ts (the core's, one task per
 * client), written as a LuaSocket program would be: one thread, one
 * `socket.select` over the server and every client, and nothing that ever
 * waits (`settimeout(0)` everywhere). Clients are known by their address;
 * they see `* welcome <name>, <n> here`, `* <name> joined`,
 * `<name>: <line>` and `* <name> left`.
 *
 * A slow reader must not make the server hold its lines without limit.
 * Each client has an outbox: lines for it are appended there, and the loop
 * sends from it whenever `select` reports the client writable, as much as
 * goes without waiting (`send` answers `timeout` and the index of the last
 * byte it sent). Past 64 KiB waiting in an outbox the client is dropped
 * (`* <name> left (too slow)`). A line past 4 KiB drops its sender: Lua's
 * '*l' has no limit of its own, so the loop checks the partial line.
 *
 * Usage:
 *   npx tsx examples/compat/chat-server.ts [port] [--clients N]
 *
 *   port         the port to listen on (default 0: any free port)
 *   --clients N  stop accepting after N clients and exit once they have left
 *
 * Prints "listening on <port>", then a line for each client that joins or
 * leaves. Ctrl-C (SIGINT) or SIGTERM closes everything and exits cleanly.
 */
import { parseArgs } from 'node:util';
import socket, { type TcpObject } from 'luasocket-async/compat';

/** Bytes that may wait in one client's outbox. */
const MAX_OUTBOX = 64 * 1024;
/** The longest line a client may send. */
const MAX_LINE = 4096;

const { values, positionals } = parseArgs({
  options: { clients: { type: 'string' } },
  allowPositionals: true,
});
const maxClients = values.clients === undefined ? Infinity : Number(values.clients);

// local server = assert(socket.bind("127.0.0.1", port))
// (loopback only; bind "*" to let other machines in)
const [server, err] = await socket.bind('127.0.0.1', positionals[0] ?? 0);
if (server === null) throw new Error(err);
// server:settimeout(0) -- select said a client waits: accept must not block
server.settimeout(0);

interface Client {
  name: string;
  /** The start of a line, received before its end. */
  partial: string;
  /** Bytes for this client, not sent yet. */
  outbox: string;
}
const clients = new Map<TcpObject, Client>();

/** Appends `text` to the outbox of `c`, or drops `c` if it is too far behind. */
function queue(c: TcpObject, text: string): void {
  const state = clients.get(c);
  if (state === undefined) return;
  if (state.outbox.length + text.length > MAX_OUTBOX) return drop(c, 'too slow');
  state.outbox += text;
}

function broadcast(text: string, from?: TcpObject): void {
  for (const c of [...clients.keys()]) if (c !== from) queue(c, text);
}

/** Closes `c` and tells the others; `why` is empty for a normal leave. */
function drop(c: TcpObject, why: string): void {
  const state = clients.get(c);
  if (state === undefined) return;
  clients.delete(c);
  const left = why === '' ? `${state.name} left` : `${state.name} left (${why})`;
  console.log(left);
  // Bytes it never read would hold the connection open: reset it instead.
  if (why !== '') c.setoption('linger', { on: true, timeout: 0 });
  c.close();
  broadcast(`* ${left}\n`);
}

let accepting = true;
let accepted = 0;
let stopping = false;

// Ctrl-C: the loop sees `stopping` at its next turn (select has a timeout).
function stop(): void {
  stopping = true;
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// Ready for the signals before saying so: a script that starts this one may
// signal it as soon as it reads the line.
console.log(`listening on ${server.getsockname()[1]}`);

// while true do
while (!stopping && (accepting || clients.size > 0)) {
  //   local readable, writable = socket.select({server, ...}, pending, 1)
  const recvt: TcpObject[] = accepting ? [server, ...clients.keys()] : [...clients.keys()];
  const sendt = [...clients].filter(([, s]) => s.outbox !== '').map(([c]) => c);
  const [readable, writable] = await socket.select(recvt, sendt, 1);

  for (const c of writable) {
    const state = clients.get(c);
    if (state === undefined) continue;
    // Send what goes without waiting; keep the rest for the next turn.
    const [, e, last] = await c.send(state.outbox);
    if (e === null) state.outbox = '';
    else if (e === 'timeout') state.outbox = state.outbox.slice(last);
    else drop(c, '');
  }

  for (const c of readable) {
    if (c === server) {
      const [client] = await server.accept();
      if (client === null) continue;
      client.settimeout(0); // no call on a client ever waits

      const [ip, port] = client.getpeername();
      const name = `${ip}:${port}`;
      clients.set(client, { name, partial: '', outbox: '' });
      console.log(`${name} joined`);
      queue(client, `* welcome ${name}, ${clients.size} here\n`);
      broadcast(`* ${name} joined\n`, client);
      if (++accepted >= maxClients) {
        accepting = false;
        server.close();
      }
      continue;
    }
    const state = clients.get(c);
    if (state === undefined) continue;
    // Readable means bytes (or the end) are here, not a whole line: read
    // without waiting, and keep the start of a line for the next turn.
    const [line, e, partial] = await c.receive('*l', state.partial);
    if ((line ?? partial).length > MAX_LINE) {
      drop(c, 'line too long');
    } else if (line !== null) {
      state.partial = '';
      broadcast(`${state.name}: ${line}\n`, c);
    } else if (e === 'timeout') {
      state.partial = partial;
    } else {
      drop(c, ''); // 'closed': the client left
    }
  }
}
// end

// LuaSocket has no exit hooks: close what is left and say goodbye. The
// server is going away, so what is still queued is dropped with a reset.
server.close();
for (const c of clients.keys()) {
  c.setoption('linger', { on: true, timeout: 0 });
  c.close();
}
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
console.log(`served ${accepted} client${accepted === 1 ? '' : 's'}, bye`);
