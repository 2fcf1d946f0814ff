/**
 * A UDP daytime client (RFC 867) in the async core: LuaSocket's introduction example.
 *
 * The UDP example of LuaSocket's introduction — a daytime client (RFC 867) —
 * ported line for line to the async core. Each Lua line stands above its port.
 *
 *   npx tsx examples/udp-daytime.ts [host] [port]
 *
 * Hardly any daytime server answers on the Internet today, so with no host the
 * example first starts a tiny daytime server of its own on loopback and asks
 * that one: it runs offline. Given a host, the port defaults to 13, as in Lua.
 */
import { dns, SocketError, udp } from 'luasocket-async';

/** A daytime server on 127.0.0.1: every datagram it gets is answered with the date. */
async function startDaytimeServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = udp();
  await server.setsockname('127.0.0.1', 0);
  const serving = (async () => {
    // for await ends when the socket is closed.
    for await (const { address, port } of server) {
      await server.sendto(`${new Date().toUTCString()}\r\n`, address, port);
    }
  })();
  return {
    port: server.getsockname().port,
    stop: async () => {
      server.close();
      await serving;
    },
  };
}

const local = process.argv[2] === undefined ? await startDaytimeServer() : undefined;

try {
  // host = "localhost" -- change here to the host you want to contact
  const host = process.argv[2] ?? 'localhost';
  // port = port or 13
  const port = Number(process.argv[3] ?? local?.port ?? 13);
  // -- convert host name to ip address
  // ip, err = socket.dns.toip(host)
  // assert(ip, err)
  const ip = await dns.toip(host);
  // -- create a new UDP object
  // udp = socket.udp()
  await using u = udp();
  // Not in the original, which waits forever: a daytime server that does not
  // answer (UDP has no connection to fail) ends the wait after 5 seconds.
  u.settimeout(5);
  // -- contact daytime host
  // nsent, err = udp:sendto("anything", ip, port)
  // assert(not err, err)
  // (sendto takes an IP address only, which is why the name was resolved first)
  await u.sendto('anything', ip, port);
  // -- retrieve the answer
  // dgram, err = udp:receive()
  // assert(dgram, err)
  const dgram = await u.receive();
  // -- display to user
  // print(dgram)
  console.log(dgram.replace(/\r?\n$/, ''));
} catch (err) {
  // Lua's assert(…, err) stops the script with the message; so does this.
  if (!(err instanceof SocketError)) throw err;
  console.error(`daytime: ${err.message}`);
  process.exitCode = 1;
} finally {
  await local?.stop();
}
