/**
 * A line echo client in the async core: sends each line and prints what comes back.
 *
 *   npx tsx examples/echo-client.ts [--host H] [--port P] [line ...]
 *
 * The lines given are sent one by one; with none, the lines of stdin are,
 * until the end of input. Each echo is printed as it comes back.
 *
 * The echo server of LuaSocket's introduction (examples/echo-server.ts)
 * answers one line per connection and then hangs up, so this client opens a
 * connection for each line, as a telnet user of that page would. It works
 * the same against servers that keep the connection open.
 *
 * With no --port it starts a small echo server of its own on 127.0.0.1 and
 * talks to that one, so it runs alone. --host defaults to localhost.
 * The compat twin is examples/compat/echo-client.ts.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { bind, connect, SocketError, type TcpServer } from 'luasocket-async';

const { values, positionals } = parseArgs({
  options: { host: { type: 'string', default: 'localhost' }, port: { type: 'string' } },
  allowPositionals: true,
});

/** Each connection: one line in, the same line back, hang up (the introduction's server). */
async function serveEchoes(server: TcpServer): Promise<void> {
  for await (const conn of server) {
    await using client = conn;
    try {
      const line = await client.receive('*l', { timeout: 10 });
      await client.send(`${line}\n`);
    } catch (err) {
      // A client that kept quiet or left: on to the next one.
      if (!(err instanceof SocketError)) throw err;
    }
  }
}

// Only when no --port is given: a server of our own, closed at the end.
let local: { server: TcpServer; serving: Promise<void> } | undefined;
if (values.port === undefined) {
  const server = await bind('127.0.0.1', 0);
  local = { server, serving: serveEchoes(server) };
  console.log(
    `No --port given: echoing through a local server on port ${server.getsockname().port}`,
  );
}
const host = local === undefined ? values.host : '127.0.0.1';
const port = local?.server.getsockname().port ?? Number(values.port);

/** The lines to send: the arguments, or else stdin's. */
async function* lines(): AsyncGenerator<string> {
  if (positionals.length > 0) return yield* positionals;
  // Stopping early (a failure) closes the readline interface too, so stdin
  // no longer holds the process.
  yield* createInterface({ input: process.stdin, terminal: false });
}

try {
  for await (const line of lines()) {
    // `await using`: the connection is closed at the end of each turn, however it ends.
    await using client = await connect(host, port, { timeout: 10 });
    // A per-call timeout: no wait for this server longer than 10 seconds.
    await client.send(`${line}\n`, { timeout: 10 });
    console.log(await client.receive('*l', { timeout: 10 }));
  }
} catch (err) {
  // Refused, timed out, or hung up on before the echo: say so and fail.
  if (!(err instanceof SocketError)) throw err;
  console.error(`echo-client: ${err.message}`);
  process.exitCode = 1;
} finally {
  local?.server.close();
  await local?.serving;
}
