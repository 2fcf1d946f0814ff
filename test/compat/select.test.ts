/**
 * compat/select.ts on real loopback sockets: `socket.select` over compat TCP
 * and UDP objects, LuaSocket's argument rules, and the non-blocking connect
 * that select reports writable once it has connected.
 */

import { afterEach, describe, expect, it } from 'vitest';
import socket, {
  SelectList,
  type Result,
  type TcpObject,
  type UdpObject,
} from '../../compat/index.js';

const IP = '127.0.0.1';
const open: { close(): unknown }[] = [];

afterEach(() => {
  for (const o of open.splice(0).reverse()) o.close();
});

/** The object of a `[object, null] | [null, err]` result, closed after the test. */
function keep<T extends { close(): unknown }>(result: Result<T>): T {
  const [o, err] = result;
  if (o === null) throw new Error(String(err));
  open.push(o);
  return o;
}

/** A listening server, a client connected to it and the server's end of that connection. */
async function trio(): Promise<{ server: TcpObject; client: TcpObject; conn: TcpObject }> {
  const server = keep(await socket.bind(IP, 0));
  const [, port] = server.getsockname();
  const client = keep(await socket.connect(IP, port));
  const conn = keep(await server.accept());
  return { server, client, conn };
}

async function boundUdp(): Promise<[UdpObject, number]> {
  const u = keep(socket.udp());
  await u.setsockname(IP, 0);
  return [u, Number(u.getsockname()[1])];
}

describe('socket.select readiness', () => {
  it('select reports a server with a connection waiting readable', async () => {
    const server = keep(await socket.bind(IP, 0));
    expect(await socket.select([server], null, 0)).toEqual([[], [], 'timeout']);
    const [, port] = server.getsockname();
    keep(await socket.connect(IP, port));
    const [readable, writable, err] = await socket.select([server], null, 5);
    expect([[...readable], [...writable], err]).toEqual([[server], [], null]);
    keep(await server.accept());
  });

  it('select reports a client readable when bytes wait or the peer closed, and writable when a send would not wait', async () => {
    const { client, conn } = await trio();
    expect(await socket.select([conn], [client], 0)).toEqual([[], [client], null]);
    await client.send('line\n');
    const [r] = await socket.select([conn], null, 5);
    expect(r.has(conn)).toBe(true);
    expect(await conn.receive()).toEqual(['line', null, null]);
    client.close();
    const [closedPeer] = await socket.select([conn], null, 5);
    expect([...closedPeer]).toEqual([conn]);
    expect(await conn.receive()).toEqual([null, 'closed', '']);
  });

  it('select reports a UDP object readable when a datagram waits, and always writable', async () => {
    const [a] = await boundUdp();
    const [b, pb] = await boundUdp();
    expect(await socket.select([b], [a], 0)).toEqual([[], [a], null]);
    await a.sendto('ping', IP, pb);
    const [r] = await socket.select([b], null, 5);
    expect([...r]).toEqual([b]);
    expect(await b.receive()).toEqual(['ping', null]);
  });

  it('the result lists answer has() and includes(), and give plain arrays from map()', async () => {
    const { client, conn } = await trio();
    await client.send('x');
    await socket.select([conn], null, 5);
    const [r, w] = await socket.select([conn, client], [client], 5);
    expect(r).toBeInstanceOf(SelectList);
    expect(r).toBeInstanceOf(Array);
    expect([r.has(conn), r.includes(conn), r.has(client), w.has(client)]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect(Object.getPrototypeOf(r.map((x) => x))).toBe(Array.prototype);
  });

  it('a socket listed twice comes back once, in the order given', async () => {
    const { client, conn } = await trio();
    const [, w] = await socket.select(null, [conn, client, conn], 0);
    expect([...w]).toEqual([conn, client]);
  });
});

describe('socket.select arguments', () => {
  it('nil lists, closed objects, masters, holes, strings and tables that are not sockets are ignored', async () => {
    const { client, conn } = await trio();
    const [master] = socket.tcp();
    const [fresh] = socket.udp(); // no socket yet: LuaSocket ignores it too
    conn.close();
    expect(await socket.select(null, undefined, 0)).toEqual([[], [], 'timeout']);
    const junk = [conn, master, fresh, null, 'notasocket', '', {}, [], { getfd: () => 0 }];
    expect(await socket.select(junk, junk, 0)).toEqual([[], [], 'timeout']);
    // client's peer (conn) closed: readable, as LuaSocket reports it.
    expect(await socket.select([null, client], [undefined, client], 0)).toEqual([
      [client],
      [client],
      null,
    ]);
    // A Lua table with hash keys only has no entries.
    expect(await socket.select({ x: client } as never, null, 0)).toEqual([[], [], 'timeout']);
    // Any iterable is a list.
    expect(await socket.select(null, new Set([client]), 0)).toEqual([[], [client], null]);
  });

  it('a number, a boolean or a function in a list throws as LuaSocket raises for it', async () => {
    const { client } = await trio();
    const cases: [unknown, string][] = [
      [1, 'attempt to index a number value'],
      [1.5, 'attempt to index a number value'],
      [0, 'attempt to index a number value'],
      [10n, 'attempt to index a number value'],
      [true, 'attempt to index a boolean value'],
      [false, 'attempt to index a boolean value'],
      [() => 1, 'attempt to index a function value'],
    ];
    for (const [entry, message] of cases) {
      expect(() => socket.select([entry], null, 0)).toThrow(new TypeError(message));
      expect(() => socket.select(null, [client, entry], 0)).toThrow(new TypeError(message));
      expect(() => socket.select(new Set([entry]), null, 0)).toThrow(new TypeError(message));
    }
    // The check reads an iterable once, and hands the core what it read.
    const once = (function* () {
      yield client;
    })();
    expect(await socket.select(null, once, 0)).toEqual([[], [client], null]);
  });

  it("a list that is not a table is a usage error with LuaSocket's wording", async () => {
    const { client } = await trio();
    expect(() => socket.select('x' as never, null, 0)).toThrow(
      new TypeError("bad argument #1 to 'select' (table expected, got string)"),
    );
    expect(() => socket.select(null, 5 as never, 0)).toThrow(
      "bad argument #2 to 'select' (table expected, got number)",
    );
    expect(() => socket.select(true as never, null)).toThrow(
      "bad argument #1 to 'select' (table expected, got boolean)",
    );
    expect(() => socket.select(client as never, null)).toThrow(
      "bad argument #1 to 'select' (table expected, got tcp{client})",
    );
    expect(() => socket.select(null, null, 'x')).toThrow(
      "bad argument #3 to 'select' (number expected, got string)",
    );
    expect(await socket.select(null, null, '0')).toEqual([[], [], 'timeout']);
  });

  it('a timeout-0 select loop lets the event loop turn until a socket is ready', async () => {
    const { client, conn } = await trio();
    let polls = 0;
    for (;;) {
      const [r, , err] = await socket.select([conn], null, 0);
      if (err === null) {
        expect([...r]).toEqual([conn]);
        break;
      }
      // The byte is sent only after three empty polls: the loop must keep turning.
      if (++polls === 3) await client.send('x');
    }
    expect(polls).toBe(3);
  });

  it('a nil or negative timeout waits until something is ready', async () => {
    const { client, conn } = await trio();
    for (const timeout of [null, undefined, -1]) {
      const waiting = socket.select([conn], null, timeout);
      await client.send('y');
      expect((await waiting)[2]).toBeNull();
      expect(await conn.receive(1)).toEqual(['y', null, null]);
    }
  });

  it('an object closed while select watches it is dropped; select goes on with the others', async () => {
    const { server, conn } = await trio();
    const [u] = await boundUdp();
    expect(await socket.select([conn, u], null, 0)).toEqual([[], [], 'timeout']);
    const waiting = socket.select([conn, u, server], null, 5);
    conn.close();
    u.close();
    const [, port] = server.getsockname();
    keep(await socket.connect(IP, port));
    const [r, , err] = await waiting;
    expect([[...r], err]).toEqual([[server], null]);
    keep(await server.accept());
    expect(await socket.select([conn, u], null, 0.05)).toEqual([[], [], 'timeout']);
  });
});

describe('socket._SETSIZE', () => {
  it('_SETSIZE is LuaSocket 1024, yet select watches 10,000 objects (no FD_SETSIZE here)', async () => {
    expect(socket._SETSIZE).toBe(1024);
    const many: UdpObject[] = [];
    for (let i = 0; i < 10_000; i++) many.push(keep(socket.udp4()));
    await Promise.all(many.map((u) => u.setsockname(IP, 0)));
    const last = many.at(-1)!;
    const [sender] = await boundUdp();
    await sender.sendto('x', IP, last.getsockname()[1]);
    const [r, , err] = await socket.select(many, null, 5);
    expect([[...r], err]).toEqual([[last], null]);
    expect(last.getfd()).toBeGreaterThan(socket._SETSIZE);
  });
});

describe('socket.select and a non-blocking connect', () => {
  it('select reports a timed-out connect writable once it has connected; connect then answers 1, then "already connected"', async () => {
    const server = keep(await socket.bind(IP, 0));
    const [, port] = server.getsockname();
    const c = keep(socket.tcp());
    c.settimeout(0);
    const [ok, err] = await c.connect(IP, port);
    if (ok === null) {
      expect(err).toBe('timeout');
      expect(String(c)).toBe('tcp{client}');
      const [, w, e] = await socket.select(null, [c], 5);
      expect([w.has(c), e]).toEqual([true, null]);
      expect(await c.connect(IP, port)).toEqual([1, null]);
    }
    expect(await c.connect(IP, port)).toEqual([null, 'already connected']);
    expect(c.getpeername()).toEqual([IP, Number(port), 'inet']);
    const conn = keep(await server.accept());
    await c.send('hi\n');
    expect(await conn.receive()).toEqual(['hi', null, null]);
  });

  it('a second connect while the first still runs answers "Operation already in progress"', async () => {
    const server = keep(await socket.bind(IP, 0));
    const [, port] = server.getsockname();
    const c = keep(socket.tcp());
    c.settimeout(0);
    const first = c.connect(IP, port);
    // Asked in the same turn: the connect cannot have ended yet.
    expect(await c.connect(IP, port)).toEqual([null, 'Operation already in progress']);
    expect((await first)[1] ?? 'connected').toMatch(/^(timeout|connected)$/);
  });

  it('a refused non-blocking connect is reported readable and writable, and the next connect gives the error', async () => {
    const probe = keep(await socket.bind(IP, 0));
    const [, port] = probe.getsockname();
    probe.close();
    const c = keep(socket.tcp());
    c.settimeout(0);
    const [ok, err] = await c.connect(IP, port);
    if (ok === null && err === 'timeout') {
      const [r, w] = await socket.select([c], [c], 5);
      expect([r.has(c), w.has(c)]).toEqual([true, true]);
      expect(await c.connect(IP, port)).toEqual([null, 'connection refused']);
    } else {
      expect(err).toBe('connection refused');
    }
    // Reported once: the client may connect again (and is refused again).
    c.settimeout(5);
    expect(await c.connect(IP, port)).toEqual([null, 'connection refused']);
  });

  it('a receive during a connect in progress waits for the connection', async () => {
    const server = keep(await socket.bind(IP, 0));
    const [, port] = server.getsockname();
    const c = keep(socket.tcp());
    c.settimeout(0);
    await c.connect(IP, port);
    c.settimeout(5);
    const receiving = c.receive();
    const conn = keep(await server.accept());
    await conn.send('early\n');
    expect(await receiving).toEqual(['early', null, null]);
  });

  it('close() during a connect in progress leaves nothing open, and select ignores the object', async () => {
    const server = keep(await socket.bind(IP, 0));
    const [, port] = server.getsockname();
    const c = keep(socket.tcp());
    c.settimeout(0);
    const connecting = c.connect(IP, port);
    c.close();
    expect((await connecting)[0]).toBeNull();
    expect(await socket.select([c], [c], 0)).toEqual([[], [], 'timeout']);
  });
});
