/**
 * A UDP talker in LuaSocket's API: each line becomes one datagram to a listener.
 *
 * The talker of LuaSocket's samples (talker.lua), for UDP and in LuaSocket's
 * own API through luasocket-async/compat: each line becomes one datagram to
 * the listener (examples/compat/udp-listener.ts). The core's twin is
 * examples/udp-talker.ts.
 *
 *   npx tsx examples/compat/udp-talker.ts [host] [port] [line ...]   (defaults: localhost 8080)
 *
 * Lines given after the port are sent as they are; without them, lines are
 * read from stdin until an empty line or the end of input, as talker.lua does.
 */
import { createInterface } from 'node:readline';
import socket from 'luasocket-async/compat';

// host = host or "localhost"; port = port or 8080; if arg then ... end
const [host = 'localhost', port = '8080', ...words] = process.argv.slice(2);
// print("Attempting connection to host '" ..host.. "' and port " ..port.. "...")
console.log(`Attempting to talk to host '${host}' and port ${port}...`);

// u = assert(socket.udp()); assert(u:setpeername(host, port))
// A "permanent partner": setpeername resolves the name once, and send needs
// no address after it (sendto would take an IP address only).
const [u, err] = socket.udp();
if (u === null) throw new Error(err);
const [ok, peerErr] = await u.setpeername(host, port);
if (ok === null) {
  console.error(`talker: ${peerErr}`);
  process.exit(1);
}
console.log(
  words.length > 0
    ? 'Sending the lines given...'
    : 'Ready! Please type stuff (empty line to stop):',
);

async function* lines(): AsyncGenerator<string> {
  if (words.length > 0) return yield* words;
  // Leaving this loop closes the readline interface, so stdin no longer holds the process.
  for await (const line of createInterface({ input: process.stdin, terminal: false })) {
    if (line === '') return;
    yield line;
  }
}

// l = io.read(); while l and l ~= "" do assert(u:send(l)); l = io.read() end
let count = 0;
for await (const line of lines()) {
  // Sending only hands the datagram to the system: UDP promises no delivery.
  // A connected UDP object does learn of one failure: the ICMP "port
  // unreachable" of a peer where nobody listens fails a later send.
  const [sent, sendErr] = await u.send(line);
  if (sent === null) {
    console.error(`talker: ${sendErr}`);
    process.exitCode = 1;
    break;
  }
  count++;
}
u.close();
console.log(`Sent ${count} datagram${count === 1 ? '' : 's'}.`);
