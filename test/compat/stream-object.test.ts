/**
 * The methods TCP and Unix domain stream objects share (compat/stream-object.ts),
 * tested once through each kind on real sockets: loopback TCP, and a Unix
 * socket file in a temporary directory.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import socket, { TcpObject, UnixObject, type Result } from '../../compat/index.js';
import { expectState } from '../../compat/stream-object.js';
import { newMaster, type TcpCore } from '../../compat/tcp-state.js';
import { bind as coreBind, readiness } from '../../src/index.js';
import { thrown } from '../helpers/thrown.js';
import { closedPort } from '../helpers/loopback.js';

type StreamObject = TcpObject | UnixObject;

const IP = '127.0.0.1';
const dir = mkdtempSync(join(tmpdir(), 'lsa-stream-object-'));
let counter = 0;
const made: StreamObject[] = [];
/** Core objects a test made itself. */
const cores: { close(): void }[] = [];

afterEach(() => {
  for (const o of made.splice(0)) o.close();
  for (const o of cores.splice(0)) o.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keep<T extends StreamObject>([o, err]: [T, null] | [null, string]): T {
  if (o === null) throw new Error(err ?? 'no object');
  made.push(o);
  return o;
}

/** A listening server, a client connected to it, and the accepted end. */
interface Trio {
  server: StreamObject;
  client: StreamObject;
  conn: StreamObject;
  /** Connects one more client to the server's address (kept, when made). */
  dial: () => Promise<Result<StreamObject>>;
}

/** A master bound to a fresh address. */
interface Bound {
  master: StreamObject;
  /** Binds one more master (kept) to the same address. */
  rebind: () => Promise<Result<1>>;
}

/** What differs between the two kinds, for these tests: how a trio and a master are made. */
interface Kind {
  name: 'tcp' | 'unixstream';
  master: () => StreamObject;
  bound: () => Promise<Bound>;
  trio: () => Promise<Trio>;
  /** What a connect to the address of a closed server answers. */
  gone: string;
}

/** The object of a Result, kept for the cleanup; null when there is none. */
function kept<T extends StreamObject>(result: Result<T>): Result<T> {
  if (result[0] !== null) made.push(result[0]);
  return result;
}

const tcp: Kind = {
  name: 'tcp',
  master: () => keep(socket.tcp()),
  bound: async () => {
    const master = keep(socket.tcp());
    expect(await master.bind(IP, 0)).toEqual([1, null]);
    const [, port] = master.getsockname();
    return { master, rebind: () => keep(socket.tcp()).bind(IP, port ?? 0) };
  },
  trio: async () => {
    const server = keep(await socket.bind(IP, 0));
    const [, port] = server.getsockname();
    const client = keep(await socket.connect(IP, port ?? 0));
    const conn = keep(await server.accept());
    const dial = async (): Promise<Result<StreamObject>> =>
      kept(await socket.connect(IP, port ?? 0));
    return { server, client, conn, dial };
  },
  gone: 'connection refused',
};

const unix: Kind = {
  name: 'unixstream',
  master: () => keep(socket.unix()),
  bound: async () => {
    const path = join(dir, `m${++counter}.sock`);
    const master = keep(socket.unix());
    expect(await master.bind(path)).toEqual([1, null]);
    return { master, rebind: () => keep(socket.unix()).bind(path) };
  },
  trio: async () => {
    const path = join(dir, `s${++counter}.sock`);
    const server = keep(socket.unix());
    expect(await server.bind(path)).toEqual([1, null]);
    expect(await server.listen()).toEqual([1, null]);
    const client = keep(socket.unix());
    expect(await client.connect(path)).toEqual([1, null]);
    const conn = keep(await server.accept());
    const dial = async (): Promise<Result<StreamObject>> => {
      const other = keep(socket.unix());
      const [, err] = await other.connect(path);
      return err === null ? [other, null] : [null, err];
    };
    return { server, client, conn, dial };
  },
  // The server removed its socket file.
  gone: 'No such file or directory',
};

describe('the shared base', () => {
  it('TcpObject and UnixObject inherit the same receive, send, close and settimeout', () => {
    const base: unknown = Object.getPrototypeOf(TcpObject.prototype);
    expect(Object.getPrototypeOf(UnixObject.prototype)).toBe(base);
    for (const name of ['receive', 'send', 'getstats', 'close', 'settimeout']) {
      expect(Reflect.get(TcpObject.prototype, name)).toBe(Reflect.get(UnixObject.prototype, name));
      expect(Object.hasOwn(TcpObject.prototype, name)).toBe(false);
    }
  });
});

describe('expectState', () => {
  it('expectState gives the state back when it is the one asked for', () => {
    const master = newMaster({ encoding: 'latin1', family: undefined });
    cores.push(master);
    const core: TcpCore = { state: 'master', master };
    expect(expectState(core, 'master', 'bind')).toBe(core);
  });

  it("expectState throws LuaSocket's bad-self TypeError otherwise, with the class's prefix", async () => {
    const server = await coreBind(IP, 0, { encoding: 'latin1' });
    cores.push(server);
    const core = { state: 'server', server } as TcpCore;
    expect(thrown(() => expectState(core, 'master', 'listen'))).toEqual(
      new TypeError("calling 'listen' on bad self (tcp{master} expected)"),
    );
    expect(thrown(() => expectState(core, 'client', 'receive', 'unixstream'))).toEqual(
      new TypeError("calling 'receive' on bad self (unixstream{client} expected)"),
    );
  });
});

describe.each([tcp, unix])('StreamObject through $name objects', (kind) => {
  it('receive() reads lines (every CR dropped), counts with a prefix, and *a', async () => {
    const { client, conn } = await kind.trio();
    expect(await client.send('one\r\ntwo\nthree')).toEqual([14, null, null]);
    expect(client.shutdown('send')).toBe(1);
    expect(await conn.receive()).toEqual(['one', null, null]);
    expect(await conn.receive(3, '>')).toEqual(['>tw', null, null]);
    expect(await conn.receive('*l', 'x')).toEqual(['xo', null, null]);
    expect(await conn.receive('*a')).toEqual(['three', null, null]);
  });

  it('a receive that times out returns its partial, and the next receive starts after it', async () => {
    const { client, conn } = await kind.trio();
    await client.send('abc');
    expect(conn.settimeout(5)).toBe(1);
    expect((await socket.select([conn], null, 5))[2]).toBeNull();
    conn.settimeout(0);
    expect(await conn.receive(5)).toEqual([null, 'timeout', 'abc']);
    await client.send('de');
    conn.settimeout(5);
    expect(await conn.receive(2)).toEqual(['de', null, null]);
  });

  it('send(data, i, j) sends data:sub(i, j); getstats() counts it and setstats() resets it', async () => {
    const { client, conn } = await kind.trio();
    expect(await client.send('hello world', 7)).toEqual([11, null, null]);
    expect(await conn.receive(5)).toEqual(['world', null, null]);
    expect(client.getstats().slice(0, 2)).toEqual([0, 5]);
    expect(conn.getstats().slice(0, 2)).toEqual([5, 0]);
    expect(conn.setstats(10, 20)).toBe(1);
    expect(conn.getstats().slice(0, 2)).toEqual([10, 20]);
  });

  it('dirty() and select see bytes waiting; receive takes them', async () => {
    const { client, conn } = await kind.trio();
    expect(await socket.select([conn], null, 0)).toEqual([[], [], 'timeout']);
    expect(conn.dirty()).toBe(false);
    await client.send('x\n');
    const [readable, , err] = await socket.select([conn], null, 5);
    expect([[...readable], err]).toEqual([[conn], null]);
    expect(conn.dirty()).toBe(true);
    expect(await conn.receive()).toEqual(['x', null, null]);
    expect(conn.dirty()).toBe(false);
  });

  it('shutdown("send") lets the peer read to the end while this side goes on reading', async () => {
    const { client, conn } = await kind.trio();
    await client.send('bye');
    expect(client.shutdown('send')).toBe(1);
    expect(await conn.receive('*a')).toEqual(['bye', null, null]);
    await conn.send('still here\n');
    expect(await client.receive()).toEqual(['still here', null, null]);
  });

  it('close() is idempotent; a closed object answers "closed", has no descriptor and is ignored by select', async () => {
    const { client, conn } = await kind.trio();
    expect(client.getfd()).toBeGreaterThan(2);
    expect(client.close()).toBe(1);
    expect(client.close()).toBe(1);
    expect(String(client)).toBe(`${kind.name}{closed}`);
    expect(client.getfd()).toBe(-1);
    expect(client.dirty()).toBe(false);
    expect(await client.receive()).toEqual([null, 'closed', '']);
    expect(await client.send('x')).toEqual([null, 'closed', 0]);
    expect(await socket.select([client], [client], 0)).toEqual([[], [], 'timeout']);
    // The peer sees the end.
    expect(await conn.receive()).toEqual([null, 'closed', '']);
  });

  it('settimeout() bounds what the object does in its present state: accept on a server', async () => {
    const { server } = await kind.trio();
    expect(server.settimeout(0.05)).toBe(1);
    expect(await server.accept()).toEqual([null, 'timeout']);
    server.settimeout(0);
    expect(await server.accept()).toEqual([null, 'timeout']);
  });

  it("client methods on a master throw, naming the kind's client class; setfd() is refused", () => {
    const m = kind.master();
    const expected = `(${kind.name}{client} expected)`;
    expect(() => m.receive()).toThrow(`calling 'receive' on bad self ${expected}`);
    expect(() => m.send('x')).toThrow(`calling 'send' on bad self ${expected}`);
    expect(() => m.getstats()).toThrow(`calling 'getstats' on bad self ${expected}`);
    expect(() => m.setstats(1)).toThrow(`calling 'setstats' on bad self ${expected}`);
    expect(() => m.shutdown()).toThrow(`calling 'shutdown' on bad self ${expected}`);
    expect([m.dirty(), m.getfd()]).toEqual([false, -1]);
    expect(() => m.setfd(3)).toThrow(/not supported/);
    expect(m.close()).toBe(1);
  });
  it('getfd() is the descriptor of a bound master, a server and each client, one apiece; -1 once closed', async () => {
    const { master } = await kind.bound();
    const { server, client, conn } = await kind.trio();
    const fds = [master, server, client, conn].map((o) => o.getfd());
    for (const fd of fds) expect(fd).toBeGreaterThan(2);
    expect(new Set(fds).size).toBe(4);
    master.close();
    server.close();
    expect([master.getfd(), server.getfd()]).toEqual([-1, -1]);
  });

  it('close() on a bound master closes its socket: the address is free again', async () => {
    const { master, rebind } = await kind.bound();
    expect(await rebind()).toEqual([null, 'address already in use']);
    expect(master.close()).toBe(1);
    expect(String(master)).toBe(`${kind.name}{closed}`);
    expect(await rebind()).toEqual([1, null]);
  });

  it('close() on a server closes its socket: no one connects any more; the connection it accepted stays', async () => {
    const { server, client, conn, dial } = await kind.trio();
    expect(server.close()).toBe(1);
    expect(await dial()).toEqual([null, kind.gone]);
    await client.send('still\n');
    expect(await conn.receive()).toEqual(['still', null, null]);
  });

  it('select ignores masters, bound or not, and closed servers; a server is readable once a connection waits', async () => {
    const idle = kind.master();
    const { master } = await kind.bound();
    expect(await socket.select([idle, master], [idle, master], 0)).toEqual([[], [], 'timeout']);
    const { server, dial } = await kind.trio();
    expect(await socket.select([server], null, 0)).toEqual([[], [], 'timeout']);
    expect((await dial())[1]).toBeNull();
    const [readable, , err] = await socket.select([server], null, 5);
    expect([[...readable], err]).toEqual([[server], null]);
    server.close();
    expect(await socket.select([server], [server], 0)).toEqual([[], [], 'timeout']);
  });

  it('settimeout() on a master reaches its core master: the server it becomes has the timeout', async () => {
    const { master } = await kind.bound();
    expect(master.settimeout(0)).toBe(1);
    expect(await master.listen()).toEqual([1, null]);
    expect(await master.accept()).toEqual([null, 'timeout']);
  });

  it('settimeout() on a closed object answers 1 and changes nothing: calls still answer "closed"', async () => {
    const { client } = await kind.trio();
    client.close();
    expect(client.settimeout(1)).toBe(1);
    expect(await client.receive()).toEqual([null, 'closed', '']);
  });
});

describe('StreamObject and a TCP connect in progress', () => {
  /** A listening TCP server, and its port. */
  async function listening(): Promise<[TcpObject, number]> {
    const server = keep(await socket.bind(IP, 0));
    const [, port] = server.getsockname();
    return [server, Number(port)];
  }

  it('select answers through the connect in progress: not ready while it runs, writable once connected', async () => {
    const [, port] = await listening();
    const c = keep(socket.tcp());
    c.settimeout(0);
    const connecting = c.connect(IP, port);
    // Asked in the same turn: the connect cannot have ended yet.
    const r = c[readiness];
    expect([r.readable, r.writable, r.closed]).toEqual([false, false, false]);
    expect(c.getfd()).toBe(-1);
    const [, writable, err] = await socket.select(null, [c], 5);
    expect([[...writable], err]).toEqual([[c], null]);
    expect(r.writable).toBe(true);
    expect((await connecting)[1] ?? 'connected').toMatch(/^(timeout|connected)$/);
    expect(c.getfd()).toBeGreaterThan(2);
  });

  it('a refused connect in progress is readable and writable; the failed client then has no descriptor and select ignores it', async () => {
    const port = await closedPort();
    const c = keep(socket.tcp());
    c.settimeout(0);
    const connecting = c.connect(IP, port);
    const r = c[readiness];
    expect(r.closed).toBe(false);
    expect((await connecting)[1]).toMatch(/^(timeout|connection refused)$/);
    // The refusal may land after the call's one turn of the event loop: a
    // select waits for it, as a Lua program would, instead of a pause.
    await socket.select([c], [c], 5);
    expect([r.readable, r.writable, r.closed]).toEqual([true, true, false]);
    // Told (now, or already by the first call): a client without a connection.
    c.settimeout(5);
    expect(await c.connect(IP, port)).toEqual([null, 'connection refused']);
    expect(String(c)).toBe('tcp{client}');
    expect(c.getfd()).toBe(-1);
    expect(c[readiness].closed).toBe(true);
    expect(await socket.select([c], [c], 0)).toEqual([[], [], 'timeout']);
  });

  it('close() gives a connect in progress up and tells a select watching it', async () => {
    const [, port] = await listening();
    const c = keep(socket.tcp());
    c.settimeout(0);
    const connecting = c.connect(IP, port);
    const r = c[readiness];
    let told = 0;
    const watcher = (): void => {
      told++;
    };
    r.watch(watcher);
    expect(c.close()).toBe(1);
    expect(told).toBe(1);
    expect(r.closed).toBe(true);
    r.unwatch(watcher);
    expect(await connecting).toEqual([null, 'closed']);
    expect(c.getfd()).toBe(-1);
    expect(await socket.select([c], [c], 0)).toEqual([[], [], 'timeout']);
  });

  it('settimeout() during a connect in progress reaches its master, and so the client it becomes', async () => {
    const [server, port] = await listening();
    const c = keep(socket.tcp());
    c.settimeout(0);
    const connecting = c.connect(IP, port);
    expect(c.settimeout(5)).toBe(1);
    expect((await connecting)[1] ?? 'connected').toMatch(/^(timeout|connected)$/);
    const receiving = c.receive();
    const conn = keep(await server.accept());
    // Long enough that a client that never waits would have given up.
    await sleep(50);
    await conn.send('late\n');
    expect(await receiving).toEqual(['late', null, null]);
  });

  it('settimeout() on a client whose connect failed governs its next connect and the client it becomes', async () => {
    const [server, port] = await listening();
    const c = keep(socket.tcp());
    c.settimeout(5);
    expect(await c.connect(IP, await closedPort())).toEqual([null, 'connection refused']);
    expect(c.settimeout(0)).toBe(1);
    const [ok, err] = await c.connect(IP, port);
    if (ok === null) {
      expect(err).toBe('timeout');
      await socket.select(null, [c], 5);
      expect(await c.connect(IP, port)).toEqual([1, null]);
    }
    keep(await server.accept());
    expect(await c.receive()).toEqual([null, 'timeout', '']);
  });
});
