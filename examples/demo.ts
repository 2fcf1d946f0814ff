/**
 * The demo behind `npm start`: a real server and clients on loopback, first
 * through the async core, then through the LuaSocket compat layer, printing a
 * short story of what happens. Exits 0 when every step behaved as expected.
 */
import { bind, connect, SocketError } from 'luasocket-async';
import socket from 'luasocket-async/compat';

function say(text: string): void {
  console.log(text);
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

async function core(): Promise<void> {
  say('— The async core —');
  await using server = await bind('127.0.0.1', 0);
  const { address, port } = server.getsockname();
  say(`server listening on ${address}:${port}`);

  await using client = await connect(address, port, { timeout: 5 });
  await using conn = await server.accept({ timeout: 1 });

  await client.send('hello\r\nworld');
  const line = await conn.receive('*l');
  say(
    `receive('*l')            → ${JSON.stringify(line)}   (the CR is dropped, as LuaSocket does)`,
  );
  expectEqual(line, 'hello', 'line');

  const rest = await conn.receive(6, { prefix: '>' });
  say(`receive(6, {prefix:'>'}) → ${JSON.stringify(rest)}  (the prefix counts towards n)`);
  expectEqual(rest, '>world', 'count with prefix');

  await client.send('half a li');
  try {
    await conn.receive('*l', { timeout: 0.2 });
    throw new Error('expected a timeout');
  } catch (err) {
    if (!(err instanceof SocketError)) throw err;
    say(`receive('*l') with 0.2 s → ${err.code}, partial ${JSON.stringify(err.partial)}`);
    expectEqual([err.code, err.partial], ['timeout', 'half a li'], 'timeout partial');
    await client.send('ne\nlast\n');
    const finished = await conn.receive('*l', { prefix: err.partial as string });
    say(`…resumed with the partial as prefix → ${JSON.stringify(finished)}`);
    expectEqual(finished, 'half a line', 'resumed line');
  }

  client.shutdown('send');
  const lines: string[] = [];
  for await (const l of conn.lines()) lines.push(l);
  say(`for await (lines())      → ${JSON.stringify(lines)} until the peer closed`);
  expectEqual(lines, ['last'], 'lines');
  const stats = conn.getstats();
  say(`getstats()               → received ${stats.received} bytes, sent ${stats.sent}`);
}

async function compat(): Promise<void> {
  say('');
  say('— The LuaSocket compat layer: the same exchange, line for line as in Lua —');
  const [server, err] = await socket.bind('127.0.0.1', 0);
  if (server === null) throw new Error(`bind failed: ${err}`);
  const [ip, port] = server.getsockname();
  say(`local server = socket.bind("127.0.0.1", 0)  -- ${ip}:${String(port)}`);

  const [client] = await socket.connect(String(ip), Number(port));
  if (client === null) throw new Error('connect failed');
  const [conn] = await server.accept();
  if (conn === null) throw new Error('accept failed');

  await client.send('ping\n');
  const [line] = await conn.receive('*l');
  say(`local line = conn:receive("*l")           -- ${JSON.stringify(line)}`);
  expectEqual(line, 'ping', 'compat line');

  conn.settimeout(0.2);
  await client.send('par');
  const [value, e, partial] = await conn.receive('*l');
  say(
    `local line, err, partial = conn:receive() -- ${String(value)}, ${JSON.stringify(e)}, ${JSON.stringify(partial)}`,
  );
  expectEqual([value, e, partial], [null, 'timeout', 'par'], 'compat timeout');

  client.close();
  const [data, closedErr] = await conn.receive('*a');
  say(
    `conn:receive("*a") after the peer closed   -- ${JSON.stringify(data)}, ${JSON.stringify(closedErr)}`,
  );
  conn.close();
  server.close();
}

await core();
await compat();
say('');
say('All steps behaved as expected.');
