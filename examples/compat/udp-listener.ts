/**
 * A UDP listener in LuaSocket's API: prints every datagram that arrives on a port.
 *
 * The listener of LuaSocket's samples (listener.lua), for UDP and in
 * LuaSocket's own API through luasocket-async/compat: it binds a port and
 * prints every datagram that arrives there, with its sender, until Ctrl-C.
 * Pair it with examples/compat/udp-talker.ts. The core's twin is
 * examples/udp-listener.ts.
 *
 *   npx tsx examples/compat/udp-listener.ts [host] [port]      (defaults: * 8080)
 *
 * Port 0 lets the system pick one; the "Waiting" line says which.
 */
import socket from 'luasocket-async/compat';

// host = host or "*"; port = port or 8080; if arg then ... end
const host = process.argv[2] ?? '*';
const port = process.argv[3] ?? '8080';
// print("Binding to host '" ..host.. "' and port " ..port.. "...")
console.log(`Binding to host '${host}' and port ${port}...`);

// u = assert(socket.udp()); assert(u:setsockname(host, port))
const [u, err] = socket.udp();
if (u === null) throw new Error(err);
const [ok, bindErr] = await u.setsockname(host, port);
if (ok === null) throw new Error(bindErr);
// i, p = u:getsockname()
const [i, p] = u.getsockname();
// print("Waiting datagrams from talker on " .. i .. ":" .. p .. "...")
console.log(`Waiting datagrams from talker on ${i}:${p}...`);

// Ctrl-C (or a kill) closes the object: the pending receivefrom then
// answers 'closed' and the loop below ends cleanly.
const stop = (): unknown => u.close();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// d, ip, port = u:receivefrom(); while d do print(ip .. ":" .. port .. ": " .. d) ... end
// Each datagram arrives whole: no line splitting as over TCP.
for (;;) {
  const [d, from, fromPort] = await u.receivefrom();
  if (d === null) {
    // print(e)
    console.log(from);
    break;
  }
  console.log(`${from}:${fromPort}: ${d}`);
}
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
