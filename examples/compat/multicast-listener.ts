/**
 * A UDP multicast listener in LuaSocket's API: joins a group, prints what is sent to it.
 *
 *   npx tsx examples/compat/multicast-listener.ts [group] [port] [--interface IP]
 *
 * Defaults: group 239.255.0.1, port 8765 (0 lets the system pick one; the
 * "Joined" line says which). It joins the group on the interface with
 * address 127.0.0.1 (the loopback), so it hears a multicast sender on the
 * same machine with no network at all; --interface picks a real one. Any
 * number of listeners may share the port. Ctrl-C stops it. The core's twin
 * is examples/multicast-listener.ts; each Lua line stands above its port.
 */
import { parseArgs } from 'node:util';
import socket from 'luasocket-async/compat';

const { values, positionals } = parseArgs({
  options: { interface: { type: 'string', default: '127.0.0.1' } },
  allowPositionals: true,
});
const [group = '239.255.0.1', port = '8765'] = positionals;
const iface = values.interface;

// Lua's print writes bytes, and a datagram is a Lua (byte) string.
const print = (bytes: string): boolean => process.stdout.write(Buffer.from(`${bytes}\n`, 'latin1'));

/** Lua's assert(ok, err) around a call's result: stops the script with the message. */
function check([ok, err]: [unknown, string | null]): void {
  if (ok !== null) return;
  console.error(`multicast-listener: ${err}`);
  process.exit(1);
}

// local u = assert(socket.udp4())
// udp4, not udp: LuaSocket 3's udp() makes its socket only at the first
// setsockname or sendto, and an option set before that answers
// "setsockopt failed". reuseaddr must be set before the bind.
const [u, err] = socket.udp4();
if (u === null) throw new Error(err);
// assert(u:setoption("reuseaddr", true)) -- listeners on one machine share the port
check(u.setoption('reuseaddr', true));
// assert(u:setsockname("*", port)) -- every address: datagrams are addressed to the group
check(await u.setsockname('*', port));
// assert(u:setoption("ip-add-membership", {multiaddr = group, interface = "127.0.0.1"}))
check(u.setoption('ip-add-membership', { multiaddr: group, interface: iface }));
const [, bound] = u.getsockname();

// Ctrl-C (or a kill) closes the object: the pending receivefrom then
// answers 'closed' and the loop below ends cleanly.
const stop = (): unknown => u.close();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// Ready for the signals before saying so: a script that starts this one may
// signal it as soon as it reads the line.
console.log(`Joined ${group} on ${iface}, port ${bound}...`);

// while true do
for (;;) {
  //   local dgram, ip, port = u:receivefrom()
  const [dgram, ip, from] = await u.receivefrom();
  //   if not dgram then print(ip) break end
  if (dgram === null) {
    console.log(ip);
    break;
  }
  //   print(ip .. ":" .. port .. ": " .. dgram)
  print(`${ip}:${from}: ${dgram}`);
}
// end
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
