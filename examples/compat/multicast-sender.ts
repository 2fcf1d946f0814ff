/**
 * A UDP multicast sender in LuaSocket's API: each line becomes one datagram to a group.
 *
 *   npx tsx examples/compat/multicast-sender.ts [group] [port] [line ...] [--interface IP]
 *
 * Defaults: group 239.255.0.1, port 8765. The lines given are sent as they
 * are; with none, the lines of stdin are, until an empty line or the end of
 * input. Every listener that joined the group on that port gets every
 * datagram (examples/compat/multicast-listener.ts). The datagrams leave
 * through the interface with address 127.0.0.1 (the loopback), so this
 * works on one machine with no network; --interface picks a real one. The
 * core's twin is examples/multicast-sender.ts; each Lua line stands above
 * its port.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import socket from 'luasocket-async/compat';

const { values, positionals } = parseArgs({
  options: { interface: { type: 'string', default: '127.0.0.1' } },
  allowPositionals: true,
});
const [group = '239.255.0.1', port = '8765', ...words] = positionals;

// Lua strings are bytes: text from the command line or stdin is sent as its UTF-8 bytes.
const fromText = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

// local u = assert(socket.udp())
const [u, err] = socket.udp();
if (u === null) throw new Error(err);
// assert(u:setsockname("*", 0)) -- bound first: then options apply (or fail) at once
const [bound, bindErr] = await u.setsockname('*', 0);
if (bound === null) throw new Error(bindErr);
// assert(u:setoption("ip-multicast-if", "127.0.0.1")) -- the interface the datagrams leave through
// assert(u:setoption("ip-multicast-ttl", 1))          -- one hop: the local network only
// assert(u:setoption("ip-multicast-loop", true))      -- listeners on this machine get a copy
for (const [ok, e] of [
  u.setoption('ip-multicast-if', values.interface),
  u.setoption('ip-multicast-ttl', 1),
  u.setoption('ip-multicast-loop', true),
]) {
  if (ok === null) {
    console.error(`multicast-sender: cannot send through ${values.interface}: ${e}`);
    process.exit(1);
  }
}
console.log(`Sending to group ${group} port ${port} through ${values.interface}...`);

async function* lines(): AsyncGenerator<string> {
  if (words.length > 0) return yield* words.map(fromText);
  // Leaving this loop closes the readline interface, so stdin no longer holds the process.
  for await (const line of createInterface({ input: process.stdin, terminal: false })) {
    if (line === '') return;
    yield fromText(line);
  }
}

// local line = io.read(); while line and line ~= "" do ... end
let count = 0;
for await (const line of lines()) {
  //   assert(u:sendto(line, group, port)) -- one datagram, copied to every member
  const [sent, sendErr] = await u.sendto(line, group, port);
  if (sent === null) {
    console.error(`multicast-sender: ${sendErr}`);
    process.exitCode = 1;
    break;
  }
  count++;
}
u.close();
console.log(`Sent ${count} datagram${count === 1 ? '' : 's'}.`);
