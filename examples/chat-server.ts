/**
 * A line chat server in the async core: each line a client sends goes to all the others.
 *
 * Every client is known by its address (`127.0.0.1:51234`). It is greeted
 * with `* welcome <name>, <n> here`; the others see `* <name> joined`, then
 * `<name>: <line>` for each of its lines, and `* <name> left` when it goes.
 *
 * One async task per client reads its lines (`for await … of conn.lines()`)
 * and hands each to every other client. Nothing waits on a slow reader:
 *
 *   - a line for a client is a `send` that is not awaited; the socket queues
 *     it behind the ones still on their way;
 *   - at most 64 lines may wait for one client, and each may wait 5 seconds
 *     for room; a client past either limit is dropped with a reset (`*
 *     <name> left (too slow)`), so what the server holds for one client is
 *     bounded: 64 lines, on top of the socket's own buffer;
 *   - a line longer than 4 KiB drops its sender (the reading side's bound;
 *     lines waiting to be read are bounded by the socket's buffer).
 *
 * The compat twin, examples/compat/chat-server.ts, is the same server as a
 * LuaSocket `select` loop.
 *
 * Usage:
 *   npx tsx examples/chat-server.ts [port] [--clients N]
 *
 *   port         the port to listen on (default 0: any free port)
 *   --clients N  stop accepting after N clients and exit once they have left
 *
 * Prints "listening on <port>", then a line for each client that joins or
 * leaves. Ctrl-C (SIGINT) or SIGTERM closes everything and exits cleanly.
 * Try it: run `nc 127.0.0.1 <port>` in two terminals and type.
 */
import { parseArgs } from 'node:util';
import { bind, SocketError, type TcpClient } from 'luasocket-async';

/** Lines that may wait to be sent to one client. */
const MAX_QUEUED = 64;
/** Seconds one line may wait for a client to make room. */
const SEND_TIMEOUT = 5;

const { values, positionals } = parseArgs({
  options: { clients: { type: 'string' } },
  allowPositionals: true,
});
const port = Number(positionals[0] ?? 0);
const maxClients = values.clients === undefined ? Infinity : Number(values.clients);

// Loopback only; bind '*' to let other machines in.
const server = await bind('127.0.0.1', port, { maxLineLength: 4096 });

interface Member {
  readonly name: string;
  readonly conn: TcpClient;
  /** Lines handed to `send` and not sent yet. */
  queued: number;
}
const members = new Set<Member>();

/** Queues `text` for `m`, or drops `m` if it is too far behind. */
function deliver(m: Member, text: string): void {
  if (m.queued >= MAX_QUEUED) return leave(m, 'too slow');
  m.queued++;
  m.conn.send(text, { timeout: SEND_TIMEOUT }).then(
    () => {
      m.queued--;
    },
    (err: unknown) =>
      leave(m, err instanceof SocketError && err.code === 'timeout' ? 'too slow' : ''),
  );
}

function broadcast(text: string, from?: Member): void {
  for (const m of members) if (m !== from) deliver(m, text);
}

/** Removes `m` (once) and tells the others; `why` is empty for a normal leave. */
function leave(m: Member, why: string): void {
  if (!members.delete(m)) return;
  const left = why === '' ? `${m.name} left` : `${m.name} left (${why})`;
  console.log(left);
  // A dropped client may have lines queued that it will never read: a reset
  // (linger on, 0 s) discards them instead of waiting for the client.
  if (why !== '') m.conn.setoption('linger', { on: true, timeout: 0 });
  m.conn.close(); // ends its lines() loop, if that is still running
  broadcast(`* ${left}\n`);
}

/** One client's task: greet it, pass its lines on, and say goodbye. */
async function session(conn: TcpClient): Promise<void> {
  const { address, port: from } = conn.getpeername();
  const me: Member = { name: `${address}:${from}`, conn, queued: 0 };
  members.add(me);
  console.log(`${me.name} joined`);
  deliver(me, `* welcome ${me.name}, ${members.size} here\n`);
  broadcast(`* ${me.name} joined\n`, me);
  let why = '';
  try {
    for await (const line of conn.lines()) broadcast(`${me.name}: ${line}\n`, me);
  } catch (err) {
    // A line too long drops the client; a reset ('closed': the client went
    // without reading all it was sent) is a leave like any other. Either
    // way the client goes and the server stays.
    if (!(err instanceof SocketError)) throw err;
    if (err.code !== 'closed') why = err.message;
  }
  leave(me, why);
}

// Closing the server ends the accept loop; closing a client ends its task.
// The server is going away, so lines still queued would only hold up the
// exit: each connection is reset.
function stop(): void {
  server.close();
  for (const { conn } of members) {
    conn.setoption('linger', { on: true, timeout: 0 });
    conn.close();
  }
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// Ready for the signals before saying so: a script that starts this one may
// signal it as soon as it reads the line.
console.log(`listening on ${server.getsockname().port}`);

const sessions: Promise<void>[] = [];
for await (const conn of server) {
  // Not awaited: the loop goes straight back to accepting.
  sessions.push(session(conn));
  if (sessions.length >= maxClients) server.close();
}
await Promise.all(sessions);
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
console.log(`served ${sessions.length} client${sessions.length === 1 ? '' : 's'}, bye`);
