/**
 * A UDP multicast listener in the async core: joins a group, prints what is sent to it.
 *
 *   npx tsx examples/multicast-listener.ts [group] [port] [--interface IP]
 *
 * Defaults: group 239.255.0.1, port 8765 (0 lets the system pick one; the
 * "Joined" line says which). It joins the group on the interface with
 * address 127.0.0.1 (the loopback), so it hears examples/multicast-sender.ts
 * on the same machine with no network at all; --interface picks a real one.
 * Any number of listeners may run at once on the same port: each gets every
 * datagram. Ctrl-C stops it. The compat twin is
 * examples/compat/multicast-listener.ts.
 */
import { parseArgs } from 'node:util';
import { SocketError, udp } from 'luasocket-async';

const { values, positionals } = parseArgs({
  options: { interface: { type: 'string', default: '127.0.0.1' } },
  allowPositionals: true,
});
const [group = '239.255.0.1', port = '8765'] = positionals;

const u = udp();
// Several listeners on one machine share the port: each gets its own copy.
// (Set before the bind: the system only takes it then.)
u.setoption('reuseaddr', true);
// Bound to every address: the datagrams are addressed to the group, not to
// 127.0.0.1, so a socket bound to 127.0.0.1 alone would not get them.
await u.setsockname('*', Number(port));
try {
  // Joining tells the system (and the network) to deliver the group's
  // datagrams through that interface. On a bound socket a refusal is
  // thrown right here; set before the bind, it would come with the first
  // receive instead.
  u.setoption('ip-add-membership', { multiaddr: group, interface: values.interface });
} catch (err) {
  if (!(err instanceof SocketError)) throw err;
  console.error(`multicast-listener: cannot join ${group} on ${values.interface}: ${err.message}`);
  u.close();
  process.exit(1);
}

// Ctrl-C (or a kill) closes the socket, which ends the loop below cleanly.
const stop = (): void => u.close();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// Ready for the signals before saying so: a script that starts this one may
// signal it as soon as it reads the line.
console.log(`Joined ${group} on ${values.interface}, port ${u.getsockname().port}...`);

// Each datagram arrives whole, with its sender's address.
for await (const { data, address, port: from } of u) {
  console.log(`${address}:${from}: ${data}`);
}
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
console.log('closed');
