/**
 * A UDP listener in the async core: prints every datagram that arrives on a port.
 *
 * The listener of LuaSocket's samples (listener.lua and talker.lua), for UDP:
 * it binds a port and prints every datagram that arrives there, with its
 * sender, until Ctrl-C. Pair it with examples/udp-talker.ts.
 *
 *   npx tsx examples/udp-listener.ts [host] [port]      (defaults: * 8080)
 *
 * Port 0 lets the system pick one; the "Waiting" line says which.
 */
import { udp } from 'luasocket-async';

const host = process.argv[2] ?? '*';
const port = Number(process.argv[3] ?? 8080);
console.log(`Binding to host '${host}' and port ${port}...`);

const u = udp();
// setsockname resolves names; '*' is every interface.
await u.setsockname(host, port);
const bound = u.getsockname();
console.log(`Waiting datagrams from talker on ${bound.address}:${bound.port}...`);

// Ctrl-C (or a kill) closes the socket, which ends the loop below cleanly.
const stop = (): void => u.close();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// Each datagram arrives whole: no line splitting as over TCP. Datagrams that
// come faster than they are printed wait in the socket's bounded queue.
for await (const { data, address, port: from } of u) {
  console.log(`${address}:${from}: ${data}`);
}
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
console.log(`closed (${u.getstats().dropped} datagrams dropped)`);
