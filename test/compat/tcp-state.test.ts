import { afterEach, describe, expect, it } from 'vitest';
import { PendingConnect } from '../../compat/readiness.js';
import {
  closeCore,
  connectAnswer,
  connectFrom,
  coreFd,
  expectState,
  isConnected,
  masterFor,
  newMaster,
  openCore,
  readinessOf,
  settledInit,
  streamOf,
  timeoutTarget,
  type Master,
  type TcpCore,
  type TcpInit,
} from '../../compat/tcp-state.js';
import { bind, connect, SocketError, type TcpClient, type TcpServer } from '../../src/index.js';
import { hasIPv6, rawServer, rejection } from '../helpers/loopback.js';

const IP = '127.0.0.1';
const LATIN1: TcpInit = { encoding: 'latin1', family: undefined };

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function keep<T extends { close(): void }>(o: T): T {
  opened.push(o);
  return o;
}

const master = (init: TcpInit = LATIN1): Master => keep(newMaster(init));

/** A listening core server with Lua strings, and a port nobody listens on. */
async function server(): Promise<TcpServer<string>> {
  return keep(await bind(IP, 0, { encoding: 'latin1' }));
}

async function client(to: TcpServer<string>): Promise<TcpClient<string>> {
  const c = keep(await connect(IP, to.getsockname().port, { encoding: 'latin1' }));
  keep(await to.accept({ timeout: 5 }));
  return c;
}

async function closedPort(): Promise<number> {
  const s = await bind(IP, 0);
  const { port } = s.getsockname();
  s.close();
  return port;
}

/** What `run` threw. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  return 'no throw';
}

describe('newMaster', () => {
  it('newMaster makes masters of the encoding asked for, and without a line limit', async () => {
    await using raw = await rawServer();
    for (const [init, expected] of [
      [LATIN1, '\xc3\xa9'],
      [{ encoding: 'utf8', family: undefined }, 'é'],
    ] as const) {
      const m = master(init);
      const c = keep(await m.connect(IP, raw.port));
      const peer = await raw.accepted();
      peer.write(Buffer.from('é\n', 'utf8'));
      expect(await c.receive('*l')).toBe(expected);
      // Past the core's default limit of 1 MiB: LuaSocket has none.
      const long = 'x'.repeat(1_500_000);
      peer.write(long + '\n');
      expect((await c.receive('*l')).length).toBe(long.length);
    }
  });

  it("newMaster with family 'inet6' makes an IPv6 master: an IPv4 address is not its family", async () => {
    const m = master({ encoding: 'latin1', family: 'inet6' });
    const err = await rejection(m.bind(IP, 0));
    expect(err).toMatchObject({
      code: 'system',
      message: 'Address family for hostname not supported',
    });
  });

  it.skipIf(!hasIPv6)(
    'newMaster masters listen IPv6-only, as every IPv6 socket LuaSocket makes',
    async () => {
      const m = master({ encoding: 'latin1', family: 'inet6' });
      await m.bind('::', 0);
      const s = keep(await m.listen());
      expect(s.getoption('ipv6-v6only')).toBe(true);
    },
  );
});

describe('openCore and timeoutTarget', () => {
  it('openCore gives the core object of an open state', async () => {
    const m = master();
    const s = await server();
    const c = await client(s);
    expect(openCore({ state: 'master', master: m }, false)).toBe(m);
    expect(openCore({ state: 'server', server: s }, false)).toBe(s);
    expect(openCore({ state: 'client', client: c }, false)).toBe(c);
  });

  it("openCore throws SocketError 'closed' for a closed object and a client without a connection", () => {
    const m = master();
    for (const [core, closed] of [
      [{ state: 'master', master: m }, true],
      [{ state: 'client', client: undefined, master: m }, false],
    ] as const) {
      const err = thrown(() => openCore(core, closed));
      expect(err).toBeInstanceOf(SocketError);
      expect((err as SocketError).code).toBe('closed');
    }
  });

  it("timeoutTarget is the state's core object, a failed client's master, or nothing", async () => {
    const m = master();
    const s = await server();
    const c = await client(s);
    expect(timeoutTarget({ state: 'master', master: m })).toBe(m);
    expect(timeoutTarget({ state: 'server', server: s })).toBe(s);
    expect(timeoutTarget({ state: 'client', client: c, master: m })).toBe(c);
    expect(timeoutTarget({ state: 'client', client: undefined, master: m })).toBe(m);
    expect(timeoutTarget({ state: 'client', client: undefined })).toBeUndefined();
  });
});

describe('settledInit', () => {
  it('settledInit keeps the init while the object is not bound', () => {
    const m = master();
    expect(settledInit(LATIN1, () => m)).toBe(LATIN1);
  });

  it('settledInit learns the family from the bound address, and keeps the init when it agrees', async () => {
    const m = master();
    await m.bind(IP, 0);
    const settled = settledInit(LATIN1, () => m);
    expect(settled).toEqual({ encoding: 'latin1', family: 'inet' });
    expect(settled).not.toBe(LATIN1);
    const known: TcpInit = { encoding: 'utf8', family: 'inet' };
    expect(settledInit(known, () => m)).toBe(known);
  });
});

describe('isConnected and masterFor', () => {
  it('isConnected is true for a server and a connected client only', async () => {
    const m = master();
    const s = await server();
    const c = await client(s);
    expect(isConnected({ state: 'master', master: m })).toBe(false);
    expect(isConnected({ state: 'server', server: s })).toBe(true);
    expect(isConnected({ state: 'client', client: c })).toBe(true);
    expect(isConnected({ state: 'client', client: undefined, master: m })).toBe(false);
  });

  it("masterFor reuses the object's master while it is open, and makes a new one otherwise", async () => {
    const m = master();
    const s = await server();
    expect(masterFor({ state: 'master', master: m }, false, LATIN1)).toBe(m);
    expect(masterFor({ state: 'client', client: undefined, master: m }, false, LATIN1)).toBe(m);
    const made = [
      masterFor({ state: 'master', master: m }, true, LATIN1),
      masterFor({ state: 'server', server: s }, false, LATIN1),
      masterFor({ state: 'client', client: undefined }, false, LATIN1),
    ];
    for (const fresh of made) {
      keep(fresh);
      expect(fresh).not.toBe(m);
      // A fresh master: unbound and usable.
      expect(fresh.fd).toBe(-1);
      await fresh.bind(IP, 0);
    }
  });
});

describe('connectFrom', () => {
  it('connectFrom connects the master to the address', async () => {
    const s = await server();
    const c = keep(await connectFrom(master(), IP, s.getsockname().port));
    expect(c.getpeername().port).toBe(s.getsockname().port);
  });

  it("connectFrom('') fails as LuaSocket's lookup of '' does, and leaves the master unused", async () => {
    const m = master();
    const err = await rejection(connectFrom(m, '', 80));
    expect(err).toMatchObject({
      code: 'noname',
      message: 'host or service not provided, or not known',
    });
    await m.bind(IP, 0);
    expect(m.getsockname().address).toBe(IP);
  });
});

describe('closeCore and coreFd', () => {
  it("coreFd is the state's descriptor, -1 without one", async () => {
    const m = master();
    expect(coreFd({ state: 'master', master: m })).toBe(-1);
    await m.bind(IP, 0);
    expect(coreFd({ state: 'master', master: m })).toBeGreaterThan(2);
    const s = await server();
    const c = await client(s);
    expect(coreFd({ state: 'server', server: s })).toBe(s.fd);
    expect(coreFd({ state: 'client', client: c })).toBe(c.fd);
    expect(c.fd).toBeGreaterThan(2);
    expect(coreFd({ state: 'client', client: undefined, master: m })).toBe(-1);
  });

  it('closeCore closes every core object behind a state, and tells select of a connect it abandons', async () => {
    const m = master();
    await m.bind(IP, 0);
    closeCore({ state: 'master', master: m });
    expect(coreFd({ state: 'master', master: m })).toBe(-1);
    const s = await server();
    const c = await client(s);
    const m2 = master();
    const pending = new PendingConnect(Promise.resolve(c), () => undefined);
    await pending.settled;
    let told = 0;
    pending.watch(() => told++);
    closeCore({ state: 'client', client: c, master: m2, pending });
    expect(c.closed).toBe(true);
    expect(told).toBe(1);
    expect((await rejection(m2.connect(IP, 1))) as SocketError).toMatchObject({ code: 'closed' });
    closeCore({ state: 'server', server: s });
    expect(s.closed).toBe(true);
  });
});

describe('expectState', () => {
  it('expectState gives the state back when it is the one asked for', () => {
    const core: TcpCore = { state: 'master', master: master() };
    expect(expectState(core, 'master', 'bind')).toBe(core);
  });

  it("expectState throws LuaSocket's bad-self TypeError otherwise, with the class's prefix", async () => {
    const core = { state: 'server', server: await server() } as TcpCore;
    expect(thrown(() => expectState(core, 'master', 'listen'))).toEqual(
      new TypeError("calling 'listen' on bad self (tcp{master} expected)"),
    );
    expect(thrown(() => expectState(core, 'client', 'receive', 'unixstream'))).toEqual(
      new TypeError("calling 'receive' on bad self (unixstream{client} expected)"),
    );
  });
});

describe('readinessOf', () => {
  it('readinessOf ignores masters and closed objects, as LuaSocket ignores an object without a descriptor', async () => {
    const s = await server();
    for (const [core, closed] of [
      [{ state: 'master', master: master() }, false],
      [{ state: 'server', server: s }, true],
      [{ state: 'client', client: undefined }, false],
    ] as const) {
      const r = readinessOf(core, closed);
      expect([r.readable, r.writable, r.closed]).toEqual([false, false, true]);
    }
  });

  it('readinessOf answers through the server, the client, or the connect in progress', async () => {
    const s = await server();
    const c = await client(s);
    expect(readinessOf({ state: 'server', server: s }, false)).toBe(s);
    expect(readinessOf({ state: 'client', client: c }, false)).toBe(c);
    const pending = new PendingConnect(new Promise<never>(() => undefined), () => undefined);
    expect(readinessOf({ state: 'client', client: undefined, pending }, false)).toBe(pending);
  });
});

describe('streamOf and connectAnswer', () => {
  it('streamOf is the client itself once no connect runs', async () => {
    const s = await server();
    const c = await client(s);
    expect(streamOf({ state: 'client', client: c }, () => undefined)).toBe(c);
    const done = new PendingConnect(Promise.resolve(c), () => undefined);
    await done.settled;
    expect(streamOf({ state: 'client', client: c, pending: done }, () => undefined)).toBe(c);
  });

  it('streamOf during a connect is a promise of the client the state has once it ended', async () => {
    const s = await server();
    const m = master();
    let state: TcpCore | undefined;
    const pending = new PendingConnect(m.connect(IP, s.getsockname().port), (c) => {
      state = { state: 'client', client: keep(c) };
    });
    const ref = streamOf({ state: 'client', client: undefined, master: m, pending }, () => state);
    expect(ref).toBeInstanceOf(Promise);
    const c = await ref;
    expect(c).toBeDefined();
    expect(c).toBe((state as { client?: unknown } | undefined)?.client);
    const closed = new PendingConnect(Promise.resolve(c as TcpClient<string>), () => undefined);
    expect(
      await streamOf({ state: 'client', client: undefined, pending: closed }, () => undefined),
    ).toBeUndefined();
  });

  it('connectAnswer: the connection once done, then the state has it', async () => {
    const s = await server();
    const c = await client(s);
    const pending = new PendingConnect(Promise.resolve(c), () => undefined);
    await pending.settled;
    const core: TcpCore = { state: 'client', client: undefined, master: master(), pending };
    expect(connectAnswer(core, pending, true)).toEqual([{ state: 'client', client: c }, undefined]);
  });

  it('connectAnswer: a failed connect gives its error and leaves a client that may connect again', async () => {
    const m = master();
    const pending = new PendingConnect(m.connect(IP, await closedPort()), () => undefined);
    await pending.settled;
    const [next, err] = connectAnswer(
      { state: 'client', client: undefined, master: m, pending },
      pending,
      false,
    );
    expect(next).toEqual({ state: 'client', client: undefined, master: m });
    expect(err).toMatchObject({ code: 'refused', message: 'connection refused' });
  });

  it("connectAnswer while the connect runs: 'Operation already in progress' to a second call, 'closed' otherwise", () => {
    const m = master();
    const pending = new PendingConnect(new Promise<never>(() => undefined), () => undefined);
    const core: TcpCore = { state: 'client', client: undefined, master: m, pending };
    const [same, again] = connectAnswer(core, pending, true);
    expect(same).toBe(core);
    expect(again).toMatchObject({ code: 'system', message: 'Operation already in progress' });
    const [kept, first] = connectAnswer(core, pending, false);
    expect(kept).toBe(core);
    expect(first).toMatchObject({ code: 'closed' });
  });

  it("connectAnswer for a connect the state no longer has (closed, or connecting anew) is 'closed'", async () => {
    const c = await client(await server());
    const old = new PendingConnect(Promise.resolve(c), () => undefined);
    await old.settled;
    const m = master();
    const current = new PendingConnect(new Promise<never>(() => undefined), () => undefined);
    for (const core of [
      { state: 'master', master: m },
      { state: 'client', client: undefined, master: m, pending: current },
    ] as TcpCore[]) {
      const [next, err] = connectAnswer(core, old, false);
      expect(next).toBe(core);
      expect(err).toMatchObject({ code: 'closed' });
    }
  });
});
