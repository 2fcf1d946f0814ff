import { constants } from 'node:os';
import { getSystemErrorMap } from 'node:util';
import { describe, expect, it } from 'vitest';
import { notConnected, peername, sockname, tcpPeer } from '../../compat/inet.js';
import { newMaster } from '../../compat/tcp-state.js';
import { bind, connect, SocketError, type SocketAddress } from '../../src/index.js';
import { compatObjects, compatOutcome, luaOutcomes, type Outcome } from '../helpers/lua-raises.js';
import { thrown } from '../helpers/thrown.js';
import { hasLua } from '../helpers/lua.js';

const IP = '127.0.0.1';

const fails = (err: unknown) => (): SocketAddress => {
  throw err;
};

describe('sockname and peername', () => {
  it('sockname and peername give [address, port, family], the port a number', () => {
    const v4: SocketAddress = { address: IP, port: 8080, family: 'inet' };
    const v6: SocketAddress = { address: '::1', port: 0, family: 'inet6' };
    for (const shape of [sockname, peername]) {
      expect(shape(() => v4)).toEqual([IP, 8080, 'inet']);
      expect(shape(() => v6)).toEqual(['::1', 0, 'inet6']);
    }
  });

  it("sockname and peername give [null, err, null] for a failure, err being LuaSocket's string", () => {
    for (const shape of [sockname, peername]) {
      expect(shape(fails(new SocketError('closed')))).toEqual([null, 'closed', null]);
      expect(shape(fails(new SocketError('system', { message: 'Bad file descriptor' })))).toEqual([
        null,
        'Bad file descriptor',
        null,
      ]);
    }
  });

  it('sockname and peername let what is not a network failure through', () => {
    const bug = new TypeError('not a socket failure');
    expect(thrown(() => sockname(fails(bug)))).toBe(bug);
    expect(thrown(() => peername(fails(bug)))).toBe(bug);
  });

  it("sockname of real core objects: a bound server's address, a client's local end", async () => {
    await using server = await bind(IP, 0, { encoding: 'latin1' });
    const port = server.getsockname().port;
    await using client = await connect(IP, port, { encoding: 'latin1' });
    await using conn = await server.accept({ timeout: 5 });
    expect(sockname(() => server.getsockname())).toEqual([IP, port, 'inet']);
    expect(peername(() => client.getpeername())).toEqual([IP, port, 'inet']);
    expect(peername(() => conn.getpeername())).toEqual(sockname(() => client.getsockname()));
    conn.close();
    expect(sockname(() => conn.getsockname())).toEqual([null, 'closed', null]);
  });
});

describe('notConnected', () => {
  it("notConnected is ENOTCONN with the system's message, capitalised", () => {
    const err = notConnected();
    expect(err).toBeInstanceOf(SocketError);
    expect(err.code).toBe('system');
    const text = getSystemErrorMap().get(-constants.errno.ENOTCONN)?.[1] ?? '';
    expect(err.message).toBe(text.charAt(0).toUpperCase() + text.slice(1));
    expect(err.message).toMatch(/not connected/);
    expect(err.cause).toMatchObject({ code: 'ENOTCONN', errno: -constants.errno.ENOTCONN });
  });
});

describe('tcpPeer', () => {
  it('tcpPeer answers only for a connected client: its peer', async () => {
    await using server = await bind(IP, 0, { encoding: 'latin1' });
    const port = server.getsockname().port;
    await using client = await connect(IP, port, { encoding: 'latin1' });
    expect(tcpPeer({ state: 'client', client }, false)).toEqual({
      address: IP,
      port,
      family: 'inet',
    });
  });

  it("tcpPeer of a master, a server or a client whose connect failed is ENOTCONN's error", async () => {
    const master = newMaster({ encoding: 'latin1', family: undefined });
    await using server = await bind(IP, 0, { encoding: 'latin1' });
    try {
      for (const core of [
        { state: 'master', master } as const,
        { state: 'server', server } as const,
        { state: 'client', client: undefined, master } as const,
      ]) {
        const err = thrown(() => tcpPeer(core, false));
        expect(err, core.state).toBeInstanceOf(SocketError);
        expect((err as SocketError).message).toBe(notConnected().message);
      }
    } finally {
      master.close();
    }
  });

  it("tcpPeer of a closed object is 'closed', whatever its state", async () => {
    await using server = await bind(IP, 0, { encoding: 'latin1' });
    await using client = await connect(IP, server.getsockname().port, { encoding: 'latin1' });
    for (const core of [
      { state: 'server', server } as const,
      { state: 'client', client } as const,
    ]) {
      const err = thrown(() => tcpPeer(core, true));
      expect((err as SocketError).code).toBe('closed');
    }
  });
});

/** An outcome with its ports masked: the two processes have their own. */
function masked(outcome: Outcome, ports: number[]): Outcome {
  if (outcome.raised) return outcome;
  return {
    raised: false,
    values: outcome.values.map((v) => (ports.includes(Number(v)) ? 'PORT' : v)),
  };
}

describe.skipIf(!hasLua)('names against LuaSocket', () => {
  it('getsockname and getpeername of servers and connections have the shape lua5.4 gives', async () => {
    const o = await compatObjects();
    try {
      const calls = [
        ['s', 'getsockname'],
        ['mb', 'getsockname'],
        ['c', 'getsockname'],
        ['c', 'getpeername'],
        ['a', 'getsockname'],
        ['a', 'getpeername'],
      ] as const;
      const lua = luaOutcomes(calls.map(([name, method]) => `${name}:${method}()`));
      const mine = calls.map(([name, method]) => compatOutcome(() => o[name][method]()));
      const portsOf = (outcomes: Outcome[]): number[] =>
        outcomes.flatMap((x) => (x.raised ? [] : x.values.map(Number).filter((n) => n > 0)));
      expect(mine.map((x) => masked(x, portsOf(mine)))).toEqual(
        lua.map((x) => masked(x, portsOf(lua))),
      );
      // With no peer both fail with a "not connected" message; its wording is the system's
      // (strerror there, libuv here), and compat's tuple keeps its fixed length.
      const [theirs] = luaOutcomes(['s:getpeername()']);
      const ours = compatOutcome(() => o.s.getpeername());
      for (const x of [theirs, ours]) {
        expect(x?.raised).toBe(false);
        const values = (x as { values: string[] }).values;
        expect(values[0]).toBe('nil');
        expect(values[1]).toMatch(/not connected/i);
      }
    } finally {
      o.close();
    }
  });
});
