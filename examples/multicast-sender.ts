/**
 * A UDP multicast sender in the async core: each line becomes one datagram to a group.
 *
 *   npx tsx examples/multicast-sender.ts [group] [port] [line ...] [--interface IP]
 *
 * Defaults: group 239.255.0.1 (organisation-local scope), port 8765. The
 * lines given are sent as they are; with none, the lines of stdin are,
 * until an empty line or the end of input. Pair it with
 * examples/multicast-listener.ts: every listener that joined the group on
 * that port gets every datagram, however many there are.
 *
 * The datagrams leave through the interface with address 127.0.0.1 (the
 * loopback), so sender and listeners work on one machine with no network at
 * all; --interface picks a real one. The compat twin is
 * examples/compat/multicast-sender.ts.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SocketError, udp } from 'luasocket-async';

const { values, positionals } = parseArgs({
  options: { interface: { type: 'string', default: '127.0.0.1' } },
  allowPositionals: true,
});
const [group = '239.255.0.1', port = '8765', ...words] = positionals;

await using u = udp();
// Bound first, to any port: options set on a bound socket apply at once,
// so a refused interface is reported here rather than never (a send-only
// socket would not see it).
await u.setsockname('*', 0);
try {
  // The interface the group's datagrams leave through.
  u.setoption('ip-multicast-if', values.interface);
  // One hop: the datagrams stay on the local network (1 is also the default).
  u.setoption('ip-multicast-ttl', 1);
  // Listeners on this same machine get a copy too (also the default).
  u.setoption('ip-multicast-loop', true);
} catch (err) {
  if (!(err instanceof SocketError)) throw err;
  console.error(`multicast-sender: cannot send through ${values.interface}: ${err.message}`);
  process.exit(1);
}
console.log(`Sending to group ${group} port ${port} through ${values.interface}...`);

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
    // One datagram, to the group's address: the network copies it to every member.
    await u.sendto(line, group, Number(port));
    count++;
  }
} catch (err) {
  // No route for multicast through that interface, or no such interface.
  if (!(err instanceof SocketError)) throw err;
  console.error(`multicast-sender: ${err.message}`);
  process.exitCode = 1;
}
console.log(`Sent ${count} datagram${count === 1 ? '' : 's'}.`);
