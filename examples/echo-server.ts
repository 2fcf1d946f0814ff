/**
 * LuaSocket's introduction echo server in the async core: one line back per client.
 *
 * The same program as examples/compat/echo-server.ts (the Lua original
 * ported line for line), written the core's way: `for await` over the
 * server, a per-call timeout instead of `settimeout`, `await using` instead
 * of `close()`, and an AbortSignal for Ctrl-C. One difference matters: each
 * client is served in its own task, so a client that keeps quiet no longer
 * holds up the ones behind it for its 10 seconds, as it does in Lua.
 *
 *   npx tsx examples/echo-server.ts [port] [clients]
 *
 * `port` (or $PORT) picks the port; after `clients` (or $CLIENTS) clients the
 * server stops by itself. Ctrl-C stops it too. Try it with
 * `telnet localhost <port>`, or with examples/echo-client.ts.
 */
import { bind, SocketError, type TcpClient } from 'luasocket-async';

const wantedPort = Number(process.argv[2] ?? process.env.PORT ?? 0);
const maxClients = Number(process.argv[3] ?? process.env.CLIENTS ?? Infinity);

// '*' is every interface, as in the Lua original; port 0 lets the system
// choose. 'latin1' gives one character per byte, as Lua strings are, so
// every byte comes back as it came, whether the line is UTF-8 or not.
await using server = await bind('*', wantedPort, { encoding: 'latin1' });
const { port } = server.getsockname();

// Ctrl-C ends the accept loop (closing the server) and every wait for a
// client (the signal), so the program runs to its end and exits cleanly.
const stopping = new AbortController();
process.once('SIGINT', () => {
  stopping.abort();
  server.close();
});

console.log(`Please telnet to localhost on port ${port}`);
console.log('After connecting, you have 10s to enter a line to be echoed');

let served = 0;

/** Reads one line from `conn`, sends it back, and hangs up. */
async function echoOne(conn: TcpClient): Promise<void> {
  // Closed however this function ends.
  await using client = conn;
  const wait = { timeout: 10, signal: stopping.signal };
  try {
    const line = await client.receive('*l', wait);
    await client.send(`${line}\n`, wait);
  } catch (err) {
    // No line within 10 s, a client that left, or Ctrl-C: nothing to echo,
    // and nothing for the server to worry about either.
    if (!(err instanceof SocketError)) throw err;
  }
  served++;
}

// Each client is served in its own task, not awaited here: the loop goes
// straight back to accepting the next one.
const clients: Promise<void>[] = [];
for await (const client of server) {
  clients.push(echoOne(client));
  if (clients.length >= maxClients) break;
}
await Promise.all(clients);
console.log(`Served ${served} client${served === 1 ? '' : 's'}, bye`);
