/**
 * The demo behind `npm start`: lines, a timeout, select and UDP on loopback, in both layers.
 *
 * A real server and clients on 127.0.0.1, first through the async core, then
 * through the LuaSocket compat layer, each step printed as a short story.
 * Every part is a function of its own; read them in the order they run, at
 * the bottom. Exits 0 when every step behaved as expected, with nothing
 * left open.
 */
import {
  bind,
  connect,
  DATAGRAM_SIZE,
  select,
  SocketError,
  TcpServer,
  udp,
  type TcpClient,
} from 'luasocket-async';
import socket, { type TcpObject } from 'luasocket-async/compat';

function say(text: string): void {
  console.log(text);
}

function heading(title: string): void {
  say('');
  say(`— ${title} —`);
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

// ---- the async core -----------------------------------------------------

async function coreLines(): Promise<void> {
  heading('The async core: lines, and a timeout with its partial');
  // `await using`: each socket is closed when the function ends, however it ends.
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
    // No byte is lost: the partial goes back in as the prefix of the next call.
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

async function coreSelect(): Promise<void> {
  heading('The async core: a select loop serves two clients from one loop');
  await using server = await bind('127.0.0.1', 0);
  const { port } = server.getsockname();

  // The clients take turns: each connects, sends a line and waits for the answer.
  const clients: TcpClient[] = [];
  const talking = (async () => {
    for (const name of ['ana', 'bo']) {
      const c = await connect('127.0.0.1', port, { timeout: 5 });
      clients.push(c);
      await c.send(`hello from ${name}\n`);
      say(`    ${name} got back ${JSON.stringify(await c.receive('*l', { timeout: 5 }))}`);
    }
  })();

  // The server: wait until something can be read without waiting, deal with
  // it, go round again. (Here each line arrives whole in one write; see
  // examples/compat/select-echo.ts for lines that come in pieces.)
  const conns: TcpClient[] = [];
  for (let answered = 0; answered < 2;) {
    const { readable, timedOut } = await select([server, ...conns], null, { timeout: 5 });
    if (timedOut) throw new Error('select: nothing happened for 5 s');
    for (const s of readable) {
      if (s instanceof TcpServer) {
        conns.push(await s.accept());
        say('select → the server is readable: accept() a connection');
      } else {
        const line = await s.receive('*l');
        say(`select → a connection is readable: receive('*l') → ${JSON.stringify(line)}`);
        await s.send(`${line.toUpperCase()}\n`);
        answered++;
      }
    }
  }
  await talking;

  const idle = await select(conns, null, { timeout: 0.1 });
  say(`select(…, {timeout: 0.1}) with nobody talking → timedOut: ${idle.timedOut}`);
  expectEqual(idle, { readable: [], writable: [], timedOut: true }, 'idle select');
  for (const c of [...clients, ...conns]) c.close();
}

async function coreUdp(): Promise<void> {
  heading('The async core: a UDP round trip');
  await using server = udp();
  await server.setsockname('127.0.0.1', 0);
  const { address, port } = server.getsockname();
  await using client = udp();
  // A "connected" UDP socket: send and receive talk to that one peer only.
  await client.setpeername(address, port);

  await client.send('ping');
  const dgram = await server.receivefrom(DATAGRAM_SIZE, { timeout: 1 });
  say(`server.receivefrom()     → ${JSON.stringify(dgram.data)} from ${dgram.address}:…`);
  expectEqual(dgram.data, 'ping', 'datagram');
  await server.sendto('pong', dgram.address, dgram.port);
  const reply = await client.receive(DATAGRAM_SIZE, { timeout: 1 });
  say(
    `client.receive()         → ${JSON.stringify(reply)}   (a datagram comes whole, or not at all)`,
  );
  expectEqual(reply, 'pong', 'reply');

  await server.sendto('a longer datagram', dgram.address, dgram.port);
  const cut = await client.receive(8, { timeout: 1 });
  say(`client.receive(8)        → ${JSON.stringify(cut)}   (the rest of that datagram is dropped)`);
  expectEqual(cut, 'a longer', 'truncated datagram');
}

// ---- the compat layer ---------------------------------------------------

async function compatLines(): Promise<void> {
  heading('The LuaSocket compat layer: the same exchange, line for line as in Lua');
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

async function compatSelect(): Promise<void> {
  heading('The compat layer: the same select loop, as a Lua program writes it');
  const [server, err] = await socket.bind('127.0.0.1', 0);
  if (server === null) throw new Error(`bind failed: ${err}`);
  const [, port] = server.getsockname();

  const clients: TcpObject[] = [];
  const talking = (async () => {
    for (const name of ['ana', 'bo']) {
      const [c, e] = await socket.connect('127.0.0.1', port);
      if (c === null) throw new Error(`connect failed: ${e}`);
      clients.push(c);
      c.settimeout(5);
      await c.send(`hello from ${name}\n`);
      const [answer] = await c.receive();
      say(`    ${name} got back ${JSON.stringify(answer)}`);
    }
  })();

  const conns: TcpObject[] = [];
  for (let answered = 0; answered < 2;) {
    // local readable, _, err = socket.select({server, table.unpack(conns)}, nil, 5)
    const recvt: TcpObject[] = [server, ...conns];
    const [readable, , e] = await socket.select(recvt, null, 5);
    if (e === 'timeout') throw new Error('select: nothing happened for 5 s');
    for (const s of readable) {
      if (s === server) {
        const [conn] = await server.accept();
        if (conn !== null) conns.push(conn);
        say('socket.select → the server: server:accept()');
      } else {
        const [line, e] = await s.receive();
        if (line === null) throw new Error(`receive failed: ${e}`);
        say(`socket.select → a connection: conn:receive() -- ${JSON.stringify(line)}`);
        await s.send(`${line.toUpperCase()}\n`);
        answered++;
      }
    }
  }
  await talking;

  const [readable, , e] = await socket.select(conns, null, 0.1);
  say(`socket.select(conns, nil, 0.1) with nobody talking -- {}, nil, ${JSON.stringify(e)}`);
  expectEqual([readable.length, e], [0, 'timeout'], 'compat idle select');
  for (const c of [...clients, ...conns, server]) c.close();
}

async function compatUdp(): Promise<void> {
  heading('The compat layer: the same UDP round trip');
  const [server] = socket.udp();
  const [client] = socket.udp();
  if (server === null || client === null) throw new Error('udp failed');
  await server.setsockname('127.0.0.1', 0);
  const [ip, port] = server.getsockname();
  if (ip === null) throw new Error(port);
  await client.setpeername(ip, port);
  server.settimeout(1);
  client.settimeout(1);

  await client.send('ping');
  const [dgram, from, fromPort] = await server.receivefrom();
  if (dgram === null) throw new Error(from);
  say(`local dgram, ip, port = server:receivefrom() -- ${JSON.stringify(dgram)}, ${from}, …`);
  expectEqual(dgram, 'ping', 'compat datagram');
  await server.sendto('pong', from, fromPort);
  const [reply] = await client.receive();
  say(`local reply = client:receive()               -- ${JSON.stringify(reply)}`);
  expectEqual(reply, 'pong', 'compat reply');
  client.close();
  server.close();
}

say('luasocket-async on loopback: the async core first, then the LuaSocket compat layer.');
await coreLines();
await coreSelect();
await coreUdp();
await compatLines();
await compatSelect();
await compatUdp();
say('');
say('All steps behaved as expected.');
