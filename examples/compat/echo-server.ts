/**
 * LuaSocket's introduction echo server in LuaSocket's API: one line back per client.
 *
 * LuaSocket's introduction echo server, ported line for line to
 * luasocket-async/compat. Each Lua line is kept above its port as a comment.
 *
 * The program binds to a port (an ephemeral one unless given) on every
 * interface and waits for clients. For each one it reads a line, sends it
 * back and closes the connection. Try it with `telnet localhost <port>`.
 *
 *   npx tsx examples/compat/echo-server.ts [port] [clients]
 *
 * `port` (or $PORT) picks the port; after `clients` (or $CLIENTS) clients the
 * server stops by itself. Ctrl-C stops it too.
 */
import socket, { type TcpObject } from 'luasocket-async/compat';

const wantedPort = Number(process.argv[2] ?? process.env.PORT ?? 0);
const maxClients = Number(process.argv[3] ?? process.env.CLIENTS ?? Infinity);

// -- create a new TCP object
// server, err = socket.tcp()
// assert(server, err)
const [server, err] = socket.tcp();
if (server === null) throw new Error(err);

// -- bind it to the local host, at any port
// ret, err = server:bind("*", 0)
// assert(ret, err)
const [ret, bindErr] = await server.bind('*', wantedPort);
if (ret === null) throw new Error(bindErr);
// The LuaSocket 2.0 page's bind also listened; LuaSocket 3 (and compat)
// split the two, so the master becomes a server here.
const [listening, listenErr] = await server.listen();
if (listening === null) throw new Error(listenErr);

// -- find out which port the OS chose for us
// ip, port = server:getsockname()
const [, port] = server.getsockname();

// -- print a message informing what's up
// print("Please telnet to localhost on port " .. port)
// print("After connecting, you have 10s to enter a line to be echoed")
console.log('Please telnet to localhost on port ' + String(port));
console.log('After connecting, you have 10s to enter a line to be echoed');

// Ctrl-C closes the server (and the client being served): the pending
// accept then answers "closed" and the loop ends, so the process exits cleanly.
let current: TcpObject | null = null;
process.once('SIGINT', () => {
  current?.close();
  server.close();
});

// -- loop forever waiting for clients
// while 1 do
let served = 0;
while (served < maxClients) {
  //   -- wait for a conection from any client
  //   client, err = server:accept()
  const [client] = await server.accept();
  if (client === null) break;
  current = client;
  //   -- make sure we don't block waiting for this client's line
  //   client:settimeout(10)
  client.settimeout(10);
  //   -- receive the line
  //   line, err = client:receive()
  const [line, err] = await client.receive();
  //   -- if there was no error, send it back to the client
  //   if not err then
  //     client:send(line .. "\n")
  //   end
  if (err === null) {
    await client.send(line + '\n');
  }
  //   -- done with client, close the object
  //   client:close()
  client.close();
  current = null;
  served++;
}
// end

server.close();
console.log(`Served ${served} client${served === 1 ? '' : 's'}, bye`);
