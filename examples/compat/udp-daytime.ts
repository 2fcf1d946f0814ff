/**
 * A UDP daytime client (RFC 867) in LuaSocket's API: LuaSocket's introduction example.
 *
 * The UDP example of LuaSocket's introduction — a daytime client (RFC 867) —
 * ported line for line to luasocket-async/compat. Each Lua line stands above
 * its port; the core's twin is examples/udp-daytime.ts.
 *
 *   npx tsx examples/compat/udp-daytime.ts [host] [port]
 *
 * Hardly any daytime server answers on the Internet today, so with no host the
 * example first starts a tiny daytime server of its own on loopback (compat
 * too) and asks that one: it runs offline. Given a host, the port defaults to
 * 13, as in Lua.
 */
import socket from 'luasocket-async/compat';

/** Lua's assert(v, err): the script stops with the message when v is nil. */
function assert(value: unknown, err: string | null): void {
  if (value === null || value === false) throw new Error(err ?? 'assertion failed!');
}

/** A daytime server on 127.0.0.1: every datagram it gets is answered with the date. */
async function startDaytimeServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const [server, err] = socket.udp();
  assert(server, err);
  const [ok, bindErr] = await server!.setsockname('127.0.0.1', 0);
  assert(ok, bindErr);
  const serving = (async () => {
    for (;;) {
      // receivefrom answers 'closed' once stop() closes the server.
      const [, ip, port] = await server!.receivefrom();
      if (port === null) return;
      await server!.sendto(`${new Date().toUTCString()}\r\n`, ip, port);
    }
  })();
  const bound = server!.getsockname();
  if (bound[0] === null) throw new Error(bound[1]);
  return {
    port: bound[1],
    stop: async () => {
      server!.close();
      await serving;
    },
  };
}

const local = process.argv[2] === undefined ? await startDaytimeServer() : undefined;

try {
  // host = "localhost" -- change here to the host you want to contact
  const host = process.argv[2] ?? 'localhost';
  // port = port or 13
  const port = process.argv[3] ?? local?.port ?? 13;
  // -- convert host name to ip address
  // ip, err = socket.dns.toip(host)
  // assert(ip, err)
  const [ip, err] = await socket.dns.toip(host);
  assert(ip, typeof err === 'string' ? err : null);
  // -- create a new UDP object
  // udp = socket.udp()
  const [udp] = socket.udp();
  // Not in the original, which waits forever: a daytime server that does not
  // answer (UDP has no connection to fail) ends the wait after 5 seconds.
  udp!.settimeout(5);
  try {
    // -- contact daytime host
    // nsent, err = udp:sendto("anything", ip, port)
    // assert(not err, err)
    // (sendto takes an IP address only, which is why the name was resolved first)
    const [, sendErr] = await udp!.sendto('anything', ip as string, port);
    assert(sendErr === null, sendErr);
    // -- retrieve the answer
    // dgram, err = udp:receive()
    // assert(dgram, err)
    const [dgram, receiveErr] = await udp!.receive();
    assert(dgram, receiveErr);
    // -- display to user
    // print(dgram)
    console.log(dgram!.replace(/\r?\n$/, ''));
  } finally {
    // Lua's garbage collector would close it; here the program does.
    udp!.close();
  }
} catch (err) {
  // Lua's assert(…, err) stops the script with the message; so does this.
  console.error(`daytime: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await local?.stop();
}
