/**
 * A UDP talker in the async core: each line becomes one datagram to a listener.
 *
 * The talker of LuaSocket's samples (talker.lua and listener.lua), for UDP:
 * each line becomes one datagram to the listener (examples/udp-listener.ts).
 *
 *   npx tsx examples/udp-talker.ts [host] [port] [line ...]   (defaults: localhost 8080)
 *
 * Lines given after the port are sent as they are; without them, lines are
 * read from stdin until an empty line or the end of input, as talker.lua does.
 */
import { createInterface } from 'node:readline';
import { SocketError, udp } from 'luasocket-async';

const [host = 'localhost', port = '8080', ...words] = process.argv.slice(2);
console.log(`Attempting to talk to host '${host}' and port ${port}...`);

await using u = udp();
// A "permanent partner": setpeername resolves the name once, and send needs
// no address after it (sendto would take an IP address only).
await u.setpeername(host, Number(port));
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

let count = 0;
try {
  for await (const line of lines()) {
    // Sending only hands the datagram to the system: UDP promises no delivery.
    await u.send(line);
    count++;
  }
} catch (err) {
  // A connected UDP socket does learn of one failure: the ICMP "port
  // unreachable" of a peer where nobody listens fails a later send.
  if (!(err instanceof SocketError)) throw err;
  console.error(`talker: ${err.message}`);
  process.exitCode = 1;
}
console.log(`Sent ${count} datagram${count === 1 ? '' : 's'}.`);
