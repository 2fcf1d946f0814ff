/**
 * The compat layer against real LuaSocket 3.
 *
 * Twin scenarios: the same steps run twice, once with a compat client and
 * once with a LuaSocket client (test/lua/remote.lua), each against its own
 * LuaSocket peer; both transcripts must match line for line, and match what
 * the test expects. Transfer tests push bytes through a LuaSocket peer and
 * back. Timeout scenarios use peers that stall, so only the timeout can end
 * a call; where a drip races a timeout, the margins are 200 ms.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { hasLua } from '../helpers/lua.js';
import {
  connectPair,
  maskPorts,
  Remotes,
  twin as twinOf,
  type CompatRemote,
  type Log,
  type LuaRemote,
  type Remote,
} from '../helpers/lua-remote.js';

const IP = '127.0.0.1';
const hex = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

const remotes = new Remotes();
afterEach(() => remotes.closeAll());
const lua = (): LuaRemote => remotes.lua();
const compat = (): CompatRemote => remotes.compat();

/** A LuaSocket peer listening, `me` connected to it as `c`; the peer's end is `conn`. */
async function pair(me: Remote): Promise<LuaRemote> {
  const peer = lua();
  await connectPair(me, peer);
  return peer;
}

/** Runs `scenario` with a compat `me` and a LuaSocket `me`, side by side; returns both transcripts. */
const twin = (scenario: (me: Remote, log: Log) => Promise<void>): Promise<[string[], string[]]> =>
  twinOf(compat(), lua(), scenario);

/** getstats without the age, which no two runs share. */
const counts = (line: string): string => line.split(' ').slice(0, 2).join(' ');

/** A port nobody listens on. */
async function closedPort(peer: Remote): Promise<number> {
  await peer.make('tmp', 'bind', IP, 0);
  const port = await peer.port('tmp');
  await peer.call('tmp', 'close');
  return port;
}

describe.skipIf(!hasLua)('compat against real LuaSocket', () => {
  it('receive() mixes patterns, prefixes and counts exactly as LuaSocket does', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      const peer = await pair(me);
      await peer.call(
        'conn',
        'send',
        'line one\r\nli\rne\rtwo\n\nx\x00y\r\n0123456789ABCDEFGHIJ*line\n*lxyz\ntail',
      );
      await peer.call('conn', 'close');
      await log(me.call('c', 'receive'));
      await log(me.call('c', 'receive', '*l'));
      await log(me.call('c', 'receive', null));
      await log(me.call('c', 'receive', '*l', 12));
      await log(me.call('c', 'receive', 5, 'xy'));
      await log(me.call('c', 'receive', 3, 'abcdef'));
      await log(me.call('c', 'receive', 2.7));
      await log(me.call('c', 'receive', '3'));
      await log(me.call('c', 'receive', ' 2'));
      await log(me.call('c', 'receive', 6, ''));
      await log(me.call('c', 'receive', '*line'));
      await log(me.call('c', 'receive', '*lxyz'));
      for (const bad of ['l', 'a', '*x', '2x', -1, true] as const)
        await log(me.call('c', 'receive', bad));
      await log(me.call('c', 'receive', '*a'));
      await log(me.call('c', 'receive', '*a'));
      await log(me.call('c', 'receive', '*a', 'PFX'));
      await log(me.call('c', 'receive', 5, 'PFX'));
      await log(me.call('c', 'receive'));
      await log(counts(await me.call('c', 'getstats')));
      await log(me.call('c', 'dirty'));
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([
      '"line one"',
      '"linetwo"',
      '""',
      '"12x\\x00y"',
      '"xy012"',
      '"abcdef"',
      '"34"',
      '"567"',
      '"89"',
      '"ABCDEF"',
      '"GHIJ*line"',
      '"*lxyz"',
      ...Array<string>(6).fill('raised'),
      '"tail"',
      'nil "closed" ""',
      'nil "closed" "PFX"',
      'nil "closed" "PFX"',
      'nil "closed" ""',
      '62 0',
      'false',
    ]);
  });

  it('receive() returns the partial, prefix included, on timeout and close', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      const peer = await pair(me);
      await log(me.call('c', 'settimeout', 0.2));
      await peer.call('conn', 'send', 'half');
      await log(me.call('c', 'receive', '*l'));
      await log(me.call('c', 'receive', '*l', 'PFX'));
      await peer.call('conn', 'send', 'ha\r');
      await log(me.call('c', 'receive'));
      await peer.call('conn', 'send', 'lf\n');
      await log(me.call('c', 'receive', '*l', 'ha'));
      await peer.call('conn', 'send', 'half');
      await log(me.call('c', 'receive', '*a'));
      await peer.call('conn', 'send', 'half');
      await log(me.call('c', 'receive', 10, 'PFX'));
      await log(me.call('c', 'receive', 10, 'PFX'));
      await log(me.call('c', 'settimeout', 0));
      await log(me.call('c', 'receive'));
      await log(me.call('c', 'receive', 10));
      await log(me.call('c', 'receive', '*a'));
      await log(me.call('c', 'settimeout', 1));
      await peer.call('conn', 'send', 'abc');
      await peer.call('conn', 'close');
      await log(me.call('c', 'receive', '*l', 'P'));
      await log(me.call('c', 'receive', '*l', 'P'));
      await log(counts(await me.call('c', 'getstats')));
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([
      '1',
      'nil "timeout" "half"',
      'nil "timeout" "PFX"',
      'nil "timeout" "ha"',
      '"half"',
      'nil "timeout" "half"',
      'nil "timeout" "PFXhalf"',
      'nil "timeout" "PFX"',
      '1',
      'nil "timeout" ""',
      'nil "timeout" ""',
      'nil "timeout" ""',
      '1',
      'nil "closed" "Pabc"',
      'nil "closed" "P"',
      '21 0',
    ]);
  });

  it('settimeout() block alone bounds the whole call; with a total, each wait', async () => {
    // The peer sends ab, cd, ef 0.4 s apart, then stalls.
    const drip = `drip conn 0.4 ${hex('ab')} ${hex('cd')} ${hex('ef')}`;
    const [mine, theirs] = await twin(async (me, log) => {
      const peer = await pair(me);
      const round = async (...settings: [number | null, string][]): Promise<void> => {
        for (const [value, mode] of settings) await me.call('c', 'settimeout', value, mode);
        const dripping = peer.cmd(drip);
        await log(me.call('c', 'receive', 100));
        await dripping;
        await me.call('c', 'settimeout', 1, 'b');
        await me.call('c', 'settimeout', null, 't');
        await log(me.call('c', 'receive', '*a')); // drains what came after the timeout
      };
      await round([0.6, 'b']); // LuaSocket's docs say per wait; it bounds the call
      await round([null, 'b'], [0.6, 't']);
      await round([0.6, 'b'], [5, 't']); // each wait < 0.6 s: it ends after the drip stops
      await round([5, 'b'], [0.6, 't']);
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([
      'nil "timeout" "abcd"',
      'nil "timeout" "ef"',
      'nil "timeout" "abcd"',
      'nil "timeout" "ef"',
      'nil "timeout" "abcdef"',
      'nil "timeout" ""',
      'nil "timeout" "abcd"',
      'nil "timeout" "ef"',
    ]);
  });

  it('send(data, i, j) follows string.sub and returns the last index sent', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      const peer = await pair(me);
      const cases: [string | number | boolean | null, ...(number | string | null)[]][] = [
        ['abcdef'],
        ['abcdef', 2],
        ['abcdef', 2, 4],
        ['abcdef', -2],
        ['abcdef', -3, -2],
        ['abcdef', 0],
        ['abcdef', -100],
        ['abcdef', 1, 100],
        ['abcdef', 4, 2],
        ['abcdef', 7],
        ['abcdef', 10, 20],
        ['abcdef', 3, 3],
        ['abcdef', 1, 0],
        ['abcdef', 1, -100],
        ['abcdef', null, 3],
        ['abcdef', 2.9],
        ['abcdef', '2'],
        [''],
        [123],
        [1.5],
        ['\x00\xff\r\n'],
        [true],
        ['abcdef', 'x'],
      ];
      for (const args of cases) await log(me.call('c', 'send', ...args));
      await log(me.call('c', 'send'));
      await log(counts(await me.call('c', 'getstats')));
      await log(peer.cmd('sink conn 60'));
    });
    expect(mine).toEqual(theirs);
    expect(mine.slice(0, 21)).toEqual([
      '6',
      '6',
      '4',
      '6',
      '5',
      '6',
      '6',
      '6',
      '3',
      '6',
      '9',
      '3',
      '0',
      '0',
      '3',
      '6',
      '6',
      '0',
      '3',
      '3',
      '4',
    ]);
    expect(mine.slice(21, 24)).toEqual(['raised', 'raised', 'raised']);
    expect(mine[24]).toBe('0 60');
    expect(mine[25]).toMatch(/^60 \d+$/);
  });

  it('receive() and send() after a close answer "closed", on either side', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      const peer = await pair(me);
      await peer.call('conn', 'close');
      await log(me.call('c', 'receive'));
      // The first send after the peer left may still be taken by the system.
      let result = '';
      for (let i = 0; i < 50 && !result.startsWith('nil'); i++) {
        result = await me.call('c', 'send', 'hello');
        await me.cmd('sleep 0.02');
      }
      await log(result);
      await log(me.call('c', 'close'));
      await log(me.call('c', 'receive'));
      await log(me.call('c', 'receive', 5, 'PFX'));
      await log(me.call('c', 'send', 'x'));
      await log(me.call('c', 'send', 'abc', 2));
      await log(me.call('c', 'settimeout', 1));
      await log(me.call('c', 'shutdown'));
      await log(me.call('c', 'dirty'));
      await log(me.call('c', 'getfd'));
      await log(me.call('c', 'close'));
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([
      'nil "closed" ""',
      'nil "closed" 0',
      '1',
      'nil "closed" ""',
      'nil "closed" "PFX"',
      'nil "closed" 0',
      'nil "closed" 1',
      '1',
      '1',
      'false',
      '-1',
      '1',
    ]);
  });

  it('TcpObject changes class as LuaSocket’s objects do, and refuses methods its class lacks', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      await log(me.make('m', 'tcp'));
      for (const method of ['receive', 'send', 'accept', 'getstats', 'shutdown'])
        await log(me.call('m', method, 'x'));
      await log(me.call('m', 'getfamily'));
      await log(me.call('m', 'gettimeout'));
      await log(me.call('m', 'settimeout', 1, 't'));
      await log(me.call('m', 'gettimeout'));
      await log(me.call('m', 'settimeout', 1, 'x'));
      await log(me.call('m', 'settimeout', 'abc'));
      await log(me.call('m', 'settimeout', '2'));
      await log(me.call('m', 'settimeout', null, 't'));
      await log(me.call('m', 'bind', IP, 0));
      await log(maskPorts(await me.call('m', 'getsockname')));
      await log(me.call('m', 'listen'));
      for (const method of ['listen', 'bind', 'receive']) await log(me.call('m', method, IP, 0));
      await log(me.call('m', 'getoption', 'keepalive'));
      await log(me.call('m', 'getoption', 'bogus'));
      await log(me.call('m', 'setoption', 'tcp-nodelay', 1));
      const port = await me.port('m');
      await log(me.make('c', 'connect', IP, port));
      await log(me.keep('sv', 'm', 'accept'));
      for (const name of ['c', 'sv']) {
        await log(maskPorts(await me.call(name, 'getpeername')));
        await log(maskPorts(await me.call(name, 'getsockname')));
        await log(me.call(name, 'getfamily'));
        for (const method of ['listen', 'accept', 'bind']) await log(me.call(name, method, IP, 0));
        await log(me.call(name, 'getoption', 'tcp-nodelay'));
        await log(me.call(name, 'setoption', 'tcp-nodelay', true));
        await log(me.call(name, 'getoption', 'tcp-nodelay'));
        await log(me.call(name, 'setoption', 'keepalive', true));
        await log(me.call(name, 'getoption', 'keepalive'));
        await log(me.call(name, 'getoption', 'linger'));
        await log(me.call(name, 'shutdown', 'x'));
        await log(me.call(name, 'setstats', 10, 20, 5));
        await log(counts(await me.call(name, 'getstats')));
        await log(me.call(name, 'setstats'));
        await log(counts(await me.call(name, 'getstats')));
      }
      // Linux reports a fresh connection's success once more to a second connect; after that:
      await me.call('c', 'connect', IP, port);
      await log(me.call('c', 'connect', IP, port));
      await log(me.call('sv', 'connect', IP, port));
      await log(me.make('s6', 'bind', '::1', 0));
      await log(maskPorts(await me.call('s6', 'getsockname')));
      await log(me.call('s6', 'getfamily'));
      await log(me.make('c6', 'connect6', '::1', await me.port('s6')));
      await log(maskPorts(await me.call('c6', 'getpeername')));
      await log(me.make('t6', 'tcp6'));
      await log(me.call('t6', 'getfamily'));
      // Every IPv6 socket is IPV6_V6ONLY unless told otherwise before bind.
      await log(me.make('any6', 'bind', '::', 0));
      await log(me.make('x', 'connect', IP, await me.port('any6')));
      await log(me.call('t6', 'setoption', 'ipv6-v6only', false));
      await log(me.call('t6', 'bind', '::', 0));
      await log(me.call('t6', 'listen'));
      await log(me.make('v4', 'connect', IP, await me.port('t6')));
      await log(me.keep('mapped', 't6', 'accept'));
      await log(maskPorts(await me.call('mapped', 'getpeername')));
    });
    expect(mine).toEqual(theirs);
    expect(mine.slice(0, 6)).toEqual([
      'tcp{master}',
      'raised',
      'raised',
      'raised',
      'raised',
      'raised',
    ]);
    expect(mine).not.toContain('"127.0.0.1" "PORT" "inet"');
    expect(mine).toContain('"127.0.0.1" PORT "inet"');
    expect(mine).toContain('"::1" PORT "inet6"');
    expect(mine.slice(-8)).toEqual([
      'tcp{server}',
      'nil "connection refused"',
      '1',
      '1',
      '1',
      'tcp{client}',
      'tcp{client}',
      '"::ffff:127.0.0.1" PORT "inet6"',
    ]);
  });

  it('accept() and connect() time out, refuse and fail to resolve as LuaSocket does', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      const peer = lua();
      await log(me.make('s', 'bind', IP, 0));
      await log(me.call('s', 'settimeout', 0.2));
      await log(me.call('s', 'accept'));
      await log(me.call('s', 'settimeout', 0));
      await log(me.call('s', 'accept'));
      await log(me.call('s', 'close'));
      await log(me.call('s', 'accept'));
      // A server with backlog 0 that never accepts: one connection fills its queue.
      await peer.make('full', 'tcp');
      await peer.call('full', 'bind', IP, 0);
      await peer.call('full', 'listen', 0);
      const port = await peer.port('full');
      await peer.make('filler', 'connect', IP, port);
      await log(me.make('m', 'tcp'));
      await log(me.call('m', 'settimeout', 0.3));
      await log(me.call('m', 'connect', IP, port));
      const refused = await closedPort(peer);
      await log(me.make('x', 'connect', IP, refused));
      await log(me.make('x', 'connect', 'localhost', refused));
      await log(me.make('x', 'connect', 'nonexistent.invalid', 80));
      await log(me.make('x', 'connect', IP, refused, IP, 0));
      await log(me.make('x', 'connect', IP, refused, null, null, 'bogus'));
      await log(me.make('x', 'connect', IP));
      await log(me.make('r', 'tcp'));
      await log(me.call('r', 'connect', IP, refused));
      await log(me.call('r', 'connect', IP, refused));
      await log(me.call('r', 'receive'));
      await log(me.call('r', 'send', 'x'));
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([
      'tcp{server}',
      '1',
      'nil "timeout"',
      '1',
      'nil "timeout"',
      '1',
      'nil "closed"',
      'tcp{master}',
      '1',
      'nil "timeout"',
      'nil "connection refused"',
      'nil "connection refused"',
      'nil "host or service not provided, or not known"',
      'nil "connection refused"',
      'raised',
      'raised',
      'tcp{master}',
      'nil "connection refused"',
      'nil "connection refused"',
      'nil "closed" ""',
      'nil "closed" 0',
    ]);
  });

  it('bind() on a busy port fails with "address already in use", both ways', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      const peer = lua();
      await peer.make('busy', 'bind', IP, 0);
      const theirPort = await peer.port('busy');
      await log(me.make('b', 'bind', IP, theirPort));
      await log(me.make('b', 'bind', IP, String(theirPort)));
      await log(me.make('m', 'tcp'));
      await log(me.call('m', 'bind', IP, theirPort));
      await log(me.make('mine', 'bind', IP, 0));
      await log(peer.make('b', 'bind', IP, await me.port('mine')));
      await log(me.make('bound', 'tcp'));
      await log(me.call('bound', 'bind', IP, 0));
      await log(peer.make('b', 'bind', IP, await me.port('bound')));
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([
      'nil "address already in use"',
      'nil "address already in use"',
      'tcp{master}',
      'nil "address already in use"',
      'tcp{server}',
      'nil "address already in use"',
      'tcp{master}',
      '1',
      'nil "address already in use"',
    ]);
  });

  it('receive(0) returns "" at once: the one deliberate difference (LuaSocket waits, luasocket#427)', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      await pair(me);
      await me.call('c', 'settimeout', 0.2);
      await log(me.call('c', 'receive', 0));
      await log(me.call('c', 'receive', 0, 'pp'));
    });
    expect(theirs).toEqual(['nil "timeout" ""', '"pp"']);
    expect(mine).toEqual(['""', '"pp"']);
  });
});
