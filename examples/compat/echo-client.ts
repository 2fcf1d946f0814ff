/**
 * A line echo client in LuaSocket's API: sends each line and prints what comes back.
 *
 *   npx tsx examples/compat/echo-client.ts [--host H] [--port P] [line ...]
 *
 * The Lua program it ports is the one a reader of LuaSocket's introduction
 * would write against its echo server (examples/compat/echo-server.ts); each
 * Lua line stands above its port. That server answers one line per
 * connection and then hangs up, so the client connects once per line.
 *
 * The lines given are sent one by one; with none, the lines of stdin are,
 * until the end of input. With no --port it starts a small echo server of
 * its own on 127.0.0.1 and talks to that one, so it runs alone. --host
 * defaults to localhost. The core's twin is examples/echo-client.ts.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import socket, { type TcpObject } from 'luasocket-async/compat';

const { values, positionals } = parseArgs({
  options: { host: { type: 'string', default: 'localhost' }, port: { type: 'string' } },
  allowPositionals: true,
});

// Lua strings are bytes, and compat strings are Lua strings (one character
// per byte): text from the command line or stdin becomes its UTF-8 bytes on
// the way in, and bytes go to stdout as they are on the way out.
const fromText = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
const print = (bytes: string): boolean => process.stdout.write(Buffer.from(`${bytes}\n`, 'latin1'));

/** Each connection: one line in, the same line back, hang up (the introduction's server). */
async function serveEchoes(server: TcpObject): Promise<void> {
  for (;;) {
    const [client] = await server.accept();
    if (client === null) return; // 'closed': the server was closed
    client.settimeout(10);
    const [line, err] = await client.receive();
    if (err === null) await client.send(line + '\n');
    client.close();
  }
}

// Only when no --port is given: a server of our own, closed at the end.
let local: { server: TcpObject; serving: Promise<void> } | undefined;
if (values.port === undefined) {
  const [server, err] = await socket.bind('127.0.0.1', 0);
  if (server === null) throw new Error(err);
  local = { server, serving: serveEchoes(server) };
  console.log(`No --port given: echoing through a local server on port ${server.getsockname()[1]}`);
}
// local host, port = "localhost", port
const host = local === undefined ? values.host : '127.0.0.1';
const port = local?.server.getsockname()[1] ?? values.port ?? '';

/** The lines to send: the arguments, or else stdin's (Lua's io.lines()). */
async function* lines(): AsyncGenerator<string> {
  if (positionals.length > 0) return yield* positionals.map(fromText);
  // Leaving this loop closes the readline interface, so stdin no longer holds the process.
  for await (const line of createInterface({ input: process.stdin, terminal: false })) {
    yield fromText(line);
  }
}

// Lua's assert() would stop the script at the first failure; here the loop
// stops, the failure is reported and the exit code says so.
let failure: string | null = null;
// for line in io.lines() do
for await (const line of lines()) {
  //   local c = assert(socket.connect(host, port))
  const [c, err] = await socket.connect(host, port);
  if (c === null) {
    failure = err;
    break;
  }
  //   c:settimeout(10)
  c.settimeout(10);
  //   c:send(line .. "\n")
  // (a send that fails leaves nothing to receive, so the receive reports it)
  await c.send(line + '\n');
  //   local echo, err = c:receive()
  const [echo, receiveErr] = await c.receive();
  //   c:close()
  c.close();
  //   print(assert(echo, err))
  if (echo === null) {
    failure = receiveErr;
    break;
  }
  print(echo);
}
// end

if (failure !== null) {
  console.error(`echo-client: ${failure}`);
  process.exitCode = 1;
}
local?.server.close();
await local?.serving;
