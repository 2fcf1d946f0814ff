/**
 * A TCP forwarder (a port proxy) in LuaSocket's API: one select loop relays every connection.
 *
 * The same forwarder as examples/forwarder.ts (the core's, two loops per
 * connection), written as a LuaSocket program would be: one thread, one
 * `socket.select`, and no call that ever waits (`settimeout(0)`):
 *
 *   - a readable side is read the classic way: `receive(8192)` answers
 *     `timeout` with what did arrive as its partial result, and that partial
 *     is what goes on;
 *   - what goes on waits in the other side's outbox, and is sent when
 *     `select` reports that side writable, as much as goes at a time (`send`
 *     answers `timeout` and the index of the last byte it sent);
 *   - a side is not read again until its last chunk has gone on, so each
 *     direction holds at most 8 KiB, however slow the reader at its end;
 *   - when a side ends its sending (`receive` answers `closed`), the other
 *     side gets `shutdown("send")` once its outbox is empty: a half-close,
 *     so the other direction goes on until it ends too; then both are closed.
 *
 * Usage:
 *   npx tsx examples/compat/forwarder.ts [--port P] [--target host:port] [--connections N]
 *
 *   --port P         the local port (default 0: any free port)
 *   --target h:p     where to forward to; without it, the forwarder starts
 *                    an echo server of its own on 127.0.0.1 and forwards there
 *   --connections N  stop accepting after N connections, exit once they end
 *
 * Prints "forwarding 127.0.0.1:<port> to <host>:<port>", then a line for
 * each connection that opens and closes. Ctrl-C (SIGINT) or SIGTERM closes
 * everything and exits cleanly.
 */
import { parseArgs } from 'node:util';
import socket, { type TcpObject } from 'luasocket-async/compat';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    target: { type: 'string' },
    connections: { type: 'string' },
  },
});
const maxConnections = values.connections === undefined ? Infinity : Number(values.connections);

/** Sends back every byte `c` sends, then closes once `c` has ended its sending. */
async function echo(c: TcpObject): Promise<void> {
  for (;;) {
    // receiveany (OpenResty's name, not LuaSocket 3's): whatever has arrived.
    const [data] = await c.receiveany(8192);
    if (data === null) break; // 'closed'
    await c.send(data);
  }
  c.close();
}

/** A target of our own, for when none is given: an echo server. */
async function echoEverything(server: TcpObject): Promise<void> {
  const echoes: Promise<void>[] = [];
  for (;;) {
    const [c] = await server.accept();
    if (c === null) break; // 'closed': the forwarder is done
    echoes.push(echo(c));
  }
  await Promise.all(echoes);
}

let local: { server: TcpObject; serving: Promise<void> } | undefined;
let target = values.target;
if (target === undefined) {
  const [server, err] = await socket.bind('127.0.0.1', 0);
  if (server === null) throw new Error(err);
  local = { server, serving: echoEverything(server) };
  target = `127.0.0.1:${server.getsockname()[1]}`;
}
const colon = target.lastIndexOf(':');
const host = target.slice(0, colon);
const port = target.slice(colon + 1);

// local server = assert(socket.bind("127.0.0.1", port)); server:settimeout(0)
const [server, err] = await socket.bind('127.0.0.1', values.port);
if (server === null) throw new Error(err);
server.settimeout(0);

/** One end of a relayed connection: the client's, or the target's. */
interface Side {
  readonly conn: TcpObject;
  /** Bytes from the other side, not yet sent to this one. */
  outbox: string;
  /** This side has ended its sending (its FIN came). */
  done: boolean;
  /** The other side's FIN has been passed on to this one. */
  shut: boolean;
}
interface Pair {
  readonly name: string;
  readonly client: Side;
  readonly upstream: Side;
}
/** The pair of each open object, client or upstream. */
const pairs = new Map<TcpObject, Pair>();
/** The side of `pair` that `conn` is, and the other one. */
const sidesOf = (pair: Pair, conn: TcpObject): [Side, Side] =>
  conn === pair.client.conn ? [pair.client, pair.upstream] : [pair.upstream, pair.client];
let accepted = 0;

/** Accepts a client and connects it to the target. */
async function open(server: TcpObject): Promise<void> {
  const [client] = await server.accept();
  if (client === null) return;
  const name = `#${++accepted}`;
  // local upstream = socket.tcp(); upstream:settimeout(10)
  const [upstream, err] = socket.tcp();
  if (upstream === null) throw new Error(err);
  upstream.settimeout(10);
  // local ok, err = upstream:connect(host, port)
  const [ok, connectErr] = await upstream.connect(host, port);
  if (ok === null) {
    console.log(`${name} failed: ${connectErr}`);
    upstream.close();
    client.close();
    return;
  }
  console.log(`${name} open`);
  // From here on, no call on either side waits.
  client.settimeout(0);
  upstream.settimeout(0);
  const side = (conn: TcpObject): Side => ({ conn, outbox: '', done: false, shut: false });
  const pair = { name, client: side(client), upstream: side(upstream) };
  pairs.set(client, pair).set(upstream, pair);
}

/** Closes both sides of `pair`; `why` is null when both directions ended normally. */
function closePair(pair: Pair, why: string | null): void {
  if (!pairs.has(pair.client.conn)) return;
  // What the client sent went up; what it was sent came down.
  const [up, down] = pair.client.conn.getstats();
  console.log(
    why === null
      ? `${pair.name} closed: ${up} bytes up, ${down} bytes down`
      : `${pair.name} failed: ${why}`,
  );
  for (const { conn } of [pair.client, pair.upstream]) {
    pairs.delete(conn);
    conn.close();
  }
}

/** Passes on each FIN whose bytes have all gone; closes the pair once both have. */
function settle(pair: Pair): void {
  const { client, upstream } = pair;
  for (const [side, other] of [
    [client, upstream],
    [upstream, client],
  ] as const) {
    if (!side.shut && side.outbox === '' && other.done) {
      side.conn.shutdown('send');
      side.shut = true;
    }
  }
  if (pair.client.shut && pair.upstream.shut) closePair(pair, null);
}

/** Reads what has arrived from `side` into the outbox of `other`. */
async function read(side: Side, other: Side): Promise<void> {
  // local data, err, partial = side:receive(8192)
  const [data, err, partial] = await side.conn.receive(8192);
  other.outbox += data ?? partial;
  if (err === 'closed') side.done = true;
}

/** Sends what goes of the outbox of `side` without waiting; returns the error, if not 'timeout'. */
async function flush(side: Side): Promise<string | null> {
  // local last, err, sent = side:send(outbox)
  const [, err, last] = await side.conn.send(side.outbox);
  if (err === null) side.outbox = '';
  else if (err === 'timeout') side.outbox = side.outbox.slice(last);
  else return err;
  return null;
}

let accepting = true;
let stopping = false;
const stop = (): void => void (stopping = true);
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// Ready for the signals before saying so: a script that starts this one may
// signal it as soon as it reads the line.
const suffix = local === undefined ? '' : ' (a local echo server)';
console.log(`forwarding 127.0.0.1:${server.getsockname()[1]} to ${target}${suffix}`);

// while true do
while (!stopping && (accepting || pairs.size > 0)) {
  //   local readable, writable = socket.select(recvt, sendt, 1)
  const recvt: TcpObject[] = accepting ? [server] : [];
  const sendt: TcpObject[] = [];
  for (const [conn, pair] of pairs) {
    const [side, other] = sidesOf(pair, conn);
    // Read a side only once its last chunk has gone on: flow control.
    if (!side.done && other.outbox === '') recvt.push(conn);
    if (side.outbox !== '') sendt.push(conn);
  }
  const [readable, writable] = await socket.select(recvt, sendt, 1);
  for (const conn of writable) {
    const pair = pairs.get(conn);
    if (pair === undefined) continue; // closed meanwhile
    const err = await flush(sidesOf(pair, conn)[0]);
    if (err === null) settle(pair);
    else closePair(pair, err);
  }
  for (const conn of readable) {
    if (conn === server) {
      await open(server);
      if (accepted >= maxConnections) {
        accepting = false;
        server.close();
      }
      continue;
    }
    const pair = pairs.get(conn);
    if (pair === undefined) continue;
    await read(...sidesOf(pair, conn));
    settle(pair);
  }
}
// end

server.close();
for (const pair of new Set(pairs.values())) closePair(pair, 'forwarder stopping');
local?.server.close();
await local?.serving;
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
console.log(`forwarded ${accepted} connection${accepted === 1 ? '' : 's'}, bye`);
