/**
 * An echo server in nixio's API (OpenWrt/LuCI): one nixio.poll loop over the server and its clients.
 *
 * A TCP echo server as LuCI's Lua code writes one with nixio: `nixio.bind`,
 * `listen`, then a single `nixio.poll` loop over the listening socket and
 * every client. A readable server means a connection waits, so `accept`
 * answers at once; a readable client means bytes (or its end) are here, so
 * `recv` answers at once, with at most 8192 bytes (nixio's buffer size).
 * Each chunk goes back with `send`, which may write less than it was given:
 * the loop sends the rest from the offset it reached, as nixio code does. A
 * `recv` that answers `''` is the client's end: its socket is closed.
 * Each Lua line stands above its port where it helps.
 *
 *   npx tsx examples/nixio/echo-server.ts [host] [port] [--once]
 *
 *   host    the address to listen on (default 127.0.0.1; '*' is every address)
 *   port    a port or a service name (default 0: any free port)
 *   --once  serve one client, then exit when it has left
 *
 * Prints `listening on <ip> <port>` once clients can connect, then
 * `accepted <ip> <port>` and `closed <ip> <port>` for each client, and
 * `served <n> clients, bye` at the end. It stops at the end of stdin
 * (Ctrl-D; stdin is not read with --once), on Ctrl-C or SIGTERM, and with
 * --once when its client has left. A failed call prints nixio's errno and
 * message and exits 1. Try it: `nc 127.0.0.1 <port>`, type, see it come back.
 */
import { parseArgs } from 'node:util';
import nixio, { type NixioSocket, type PollEntry } from 'luasocket-async/nixio';

function usage(message: string): never {
  console.error(`${message}\nusage: echo-server.ts [host] [port] [--once]`);
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      options: { once: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
  } catch (err) {
    return usage((err as Error).message);
  }
})();
if (positionals.length > 2) usage(`too many arguments: ${positionals.join(' ')}`);
const [host = '127.0.0.1', service = '0'] = positionals;
// nixio takes a port number or a service name ('http'), as getaddrinfo does.
const port = /^\d+$/.test(service) ? Number(service) : service;
const once = values.once;

/** Lua's `io.stderr:write(...)` and `os.exit(1)` for a call that answered `nil, code, msg`. */
function die(call: string, code: number, msg: string): never {
  console.error(`echo-server: ${call} failed: ${code} ${msg}`);
  process.exit(1);
}

// local server, code, msg = nixio.bind(host, port)
// if not server then io.stderr:write(...) os.exit(1) end
const [server, code, msg] = await nixio.bind(host, port);
if (server === null) die('bind', code, msg);
// nixio.bind binds (with reuseaddr) but does not listen: listen is a call of its own.
// assert(server:listen(32))
const listened = await server.listen(32);
if (listened[0] !== true) die('listen', listened[1], listened[2]);

// local ip, port = server:getsockname()
const [ip, boundPort] = server.getsockname();
console.log(`listening on ${ip} ${boundPort}`);

// Every way to stop sets this; the loop sees it at its next turn.
let stopping = false;
const stop = (): void => {
  stopping = true;
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
if (!once) {
  // Reading stdin (and dropping what it says) is what makes its end an event.
  process.stdin.on('end', stop).resume();
}

// local fds = { { fd = server, events = nixio.poll_flags("in") } }
const POLLIN = nixio.poll_flags('in');
let fds: PollEntry[] = [{ fd: server, events: POLLIN }];
let accepting = true;
/** Each client's `<ip> <port>`, for the lines it prints. */
const peers = new Map<NixioSocket, string>();
let served = 0;

function drop(client: NixioSocket): void {
  // client:close()
  client.close();
  console.log(`closed ${peers.get(client)}`);
  peers.delete(client);
  fds = fds.filter((entry) => entry.fd !== client);
  served++;
}

/**
 * Sends all of `chunk`, however many calls it takes: false when a send failed.
 *
 *   local sent = 0
 *   repeat
 *     local n, code, msg = client:send(chunk, sent)
 *     if not n then return false end
 *     sent = sent + n
 *   until sent == #chunk
 */
async function sendAll(client: NixioSocket, chunk: string): Promise<boolean> {
  let sent = 0;
  while (sent < chunk.length) {
    // The offset is 0-based, unlike Lua's string indices.
    const [n, code, msg] = await client.send(chunk, sent);
    if (n === null || n === false) {
      console.error(`echo-server: send to ${peers.get(client)} failed: ${code} ${msg}`);
      return false;
    }
    sent += n;
  }
  return true;
}

// while true do
while (!stopping && fds.length > 0) {
  //   local stat = nixio.poll(fds, 1000)
  // A wait of one second at most (LuCI often passes -1, forever), so that a
  // stop asked for meanwhile is seen: nothing wakes a poll but its sockets.
  const [ready] = await nixio.poll(fds, 1000);
  //   if stat then for _, p in ipairs(fds) do if p.revents ~= 0 then ...
  if (ready === false) continue;
  // A copy: entries are added and removed on the way.
  for (const { fd, revents = 0 } of [...fds]) {
    if (revents === 0) continue;
    if (fd === server) {
      //   local client, ip, port = server:accept()
      const [client, ip, port] = await server.accept();
      if (client === null || client === false) {
        console.error(`echo-server: accept failed: ${ip} ${port}`);
        continue;
      }
      peers.set(client, `${ip} ${port}`);
      console.log(`accepted ${ip} ${port}`);
      // A client that sends but never reads must not hold the loop forever:
      // a send that waits 10 s answers with what it wrote, or EAGAIN.
      // client:setopt("socket", "sndtimeo", 10)
      client.setopt('socket', 'sndtimeo', 10);
      //   fds[#fds + 1] = { fd = client, events = nixio.poll_flags("in") }
      fds.push({ fd: client, events: POLLIN });
      if (once && accepting) {
        // One client only: no more accepting, so nobody waits in vain.
        accepting = false;
        fds = fds.filter((entry) => entry.fd !== server);
        server.close();
      }
      continue;
    }
    //   local chunk, code, msg = p.fd:recv(8192)
    const [chunk, code, msg] = await fd.recv(nixio.const.buffersize);
    if (chunk === false) continue; // EAGAIN: nothing after all, poll again
    //   if not chunk or chunk == "" then p.fd:close() ... end
    if (chunk === null)
      console.error(`echo-server: recv from ${peers.get(fd)} failed: ${code} ${msg}`);
    if (chunk === null || chunk === '') {
      drop(fd);
      continue;
    }
    if (!(await sendAll(fd, chunk))) drop(fd);
  }
}
// end

// Whatever is left: the server (unless --once closed it) and any client still here.
for (const { fd } of fds) {
  if (fd !== server && peers.has(fd)) drop(fd);
}
if (accepting) server.close();
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
process.stdin.destroy();
console.log(`served ${served} client${served === 1 ? '' : 's'}, bye`);
