import { afterEach, describe, expect, it } from 'vitest';
import {
  afterConnect,
  connectAnswer,
  connectFrom,
  isConnected,
  masterFor,
  newMaster,
  openCore,
  settledInit,
  streamOf,
  type Master,
  type PendingConnect,
  type TcpCore,
  type TcpInit,
} from '../../compat/tcp-state.js';
import { bind, connect, SocketError, type TcpClient, type TcpServer } from '../../src/index.js';
import { closedPort, hasIPv6, rawServer, rejection } from '../helpers/loopback.js';
import { thrown } from '../helpers/thrown.js';

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

/** A connect of `m` (a fresh master by default) to `port`, given up after the test. */
function connecting(port: number, m: Master = master()): PendingConnect {
  return keep(connectFrom(m, IP, port));
}

/** A connect to `to` that has ended connected, its client, and the accepted end kept. */
async function connected(to: TcpServer<string>): Promise<[PendingConnect, TcpClient<string>]> {
  const pending = connecting(to.getsockname().port);
  const outcome = await pending.settled;
  if (!('client' in outcome)) throw outcome.error;
  keep(await to.accept({ timeout: 5 }));
  return [pending, outcome.client];
}

/** A connect that has ended refused, from `m`. */
async function refused(m: Master): Promise<PendingConnect> {
  const pending = keep(connectFrom(m, IP, await closedPort()));
  expect(await pending.settled).toMatchObject({ error: { code: 'refused' } });
  return pending;
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

describe('openCore', () => {
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
  it('connectFrom connects the master to the address: the call gives the client, and so does the outcome', async () => {
    const s = await server();
    const pending = connecting(s.getsockname().port);
    expect(pending.outcome).toBeUndefined();
    const c = await pending.result;
    expect(c.getpeername().port).toBe(s.getsockname().port);
    expect(pending.outcome).toEqual({ client: c });
    expect(await pending.settled).toEqual({ client: c });
  });

  it('connectFrom keeps the connect going when its call times out: settled tells how it ended', async () => {
    const s = await server();
    const m = master();
    m.settimeout(0);
    const pending = connecting(s.getsockname().port, m);
    const [call] = await Promise.allSettled([pending.result]);
    const outcome = await pending.settled;
    if (!('client' in outcome)) throw outcome.error;
    expect(outcome.client.getpeername().port).toBe(s.getsockname().port);
    // On loopback the call may win the race; if it did not, it answered 'timeout'.
    const answer = call.status === 'fulfilled' ? call.value : (call.reason as SocketError).code;
    expect([outcome.client, 'timeout']).toContain(answer);
  });

  it("connectFrom('') fails as LuaSocket's lookup of '' does, and leaves the master unused", async () => {
    const m = master();
    const pending = keep(connectFrom(m, '', 80));
    const err = await rejection(pending.result);
    expect(err).toMatchObject({
      code: 'noname',
      message: 'host or service not provided, or not known',
    });
    expect(await pending.settled).toEqual({ error: err });
    await m.bind(IP, 0);
    expect(m.getsockname().address).toBe(IP);
  });
});

describe('afterConnect', () => {
  it('afterConnect gives a connected state its client, and keeps the connect for the call still to tell', async () => {
    const [pending, c] = await connected(await server());
    const core: TcpCore = { state: 'client', client: undefined, master: master(), pending };
    const next = afterConnect(core, pending, await pending.settled);
    expect(next).toEqual({ state: 'client', client: c, pending });
    expect(next).not.toHaveProperty('master');
  });

  it('afterConnect leaves the state as it is after a failed connect', async () => {
    const m = master();
    const pending = await refused(m);
    const core: TcpCore = { state: 'client', client: undefined, master: m, pending };
    expect(afterConnect(core, pending, await pending.settled)).toBe(core);
  });

  it('afterConnect leaves a state that no longer has the connect (closed, or connecting anew)', async () => {
    const s = await server();
    const [old] = await connected(s);
    const outcome = await old.settled;
    const m = master();
    const current = connecting(s.getsockname().port, m);
    for (const core of [
      { state: 'master', master: m },
      { state: 'client', client: undefined, master: m },
      { state: 'client', client: undefined, master: m, pending: current },
    ] as TcpCore[]) {
      expect(afterConnect(core, old, outcome)).toBe(core);
    }
  });
});

describe('streamOf and connectAnswer', () => {
  it('streamOf is the client itself once no connect runs', async () => {
    const s = await server();
    const c = await client(s);
    expect(streamOf({ state: 'client', client: c }, () => undefined)).toBe(c);
    const [done, d] = await connected(s);
    expect(streamOf({ state: 'client', client: d, pending: done }, () => undefined)).toBe(d);
    const m = master();
    const failed = await refused(m);
    const core = { state: 'client', client: undefined, master: m, pending: failed } as const;
    expect(streamOf(core, () => undefined)).toBeUndefined();
  });

  it('streamOf during a connect is a promise of the client the state has once it ended', async () => {
    const s = await server();
    const m = master();
    const pending = connecting(s.getsockname().port, m);
    const start = { state: 'client', client: undefined, master: m, pending } as const;
    let state: TcpCore = start;
    // As the object does: the state takes the outcome before any waiting call reads it.
    void pending.settled.then((outcome) => (state = afterConnect(state, pending, outcome)));
    const ref = streamOf(start, () => state);
    expect(ref).toBeInstanceOf(Promise);
    const c = await ref;
    expect(c).toBeDefined();
    expect(c).toBe(state.state === 'client' ? state.client : 'not a client');
    const outcome = await pending.settled;
    expect('client' in outcome && outcome.client).toBe(c);
    // Closed meanwhile: nothing to go through.
    const closing = connecting(s.getsockname().port);
    const gone = { state: 'client', client: undefined, pending: closing } as const;
    expect(await streamOf(gone, () => undefined)).toBeUndefined();
  });

  it('connectAnswer: the connection once done, then the state has it', async () => {
    const [pending, c] = await connected(await server());
    const core: TcpCore = { state: 'client', client: undefined, master: master(), pending };
    expect(connectAnswer(core, pending, true)).toEqual([{ state: 'client', client: c }, undefined]);
  });

  it('connectAnswer: a failed connect gives its error and leaves a client that may connect again', async () => {
    const m = master();
    const pending = await refused(m);
    const [next, err] = connectAnswer(
      { state: 'client', client: undefined, master: m, pending },
      pending,
      false,
    );
    expect(next).toEqual({ state: 'client', client: undefined, master: m });
    expect(err).toMatchObject({ code: 'refused', message: 'connection refused' });
  });

  it("connectAnswer while the connect runs: 'Operation already in progress' to a second call, 'timeout' to the one that started it", async () => {
    const s = await server();
    const m = master();
    const pending = connecting(s.getsockname().port, m);
    // Asked in the same turn: the connect cannot have ended yet.
    expect(pending.outcome).toBeUndefined();
    const core: TcpCore = { state: 'client', client: undefined, master: m, pending };
    const [same, again] = connectAnswer(core, pending, true);
    expect(same).toBe(core);
    expect(again).toMatchObject({ code: 'system', message: 'Operation already in progress' });
    const [kept, first] = connectAnswer(core, pending, false);
    expect(kept).toBe(core);
    expect(first).toMatchObject({ code: 'timeout' });
  });

  it("connectAnswer for a connect the state no longer has (closed, or connecting anew) is 'closed'", async () => {
    const s = await server();
    const [old] = await connected(s);
    const m = master();
    const current = connecting(s.getsockname().port, m);
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
