/**
 * Compat UDP objects against real LuaSocket 3 UDP objects.
 *
 * Twin transcripts: the same steps run twice, once with a compat object and
 * once with a LuaSocket object (test/lua/remote.lua), each against its own
 * LuaSocket UDP peer; both transcripts must match line for line, and match
 * what the test expects. Where compat deliberately differs (closed objects,
 * negative sizes), test/compat/udp.test.ts pins compat's answer instead.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { hasLua } from '../helpers/lua.js';
import {
  maskPorts,
  Remotes,
  twin as twinOf,
  type Log,
  type LuaRemote,
  type Remote,
} from '../helpers/lua-remote.js';

const IP = '127.0.0.1';

const remotes = new Remotes();
afterEach(() => remotes.closeAll());
const lua = (): LuaRemote => remotes.lua();

/** A LuaSocket UDP peer `p` bound to loopback, with a timeout that only guards a hang. */
async function peerOn(): Promise<{ peer: LuaRemote; port: number }> {
  const peer = lua();
  await peer.make('p', 'udp');
  await peer.call('p', 'setsockname', IP, 0);
  await peer.call('p', 'settimeout', 5);
  return { peer, port: await peer.port('p') };
}

/** Runs `scenario` with a compat `me` and a LuaSocket `me`, side by side; returns both transcripts. */
const twin = (scenario: (me: Remote, log: Log) => Promise<void>): Promise<[string[], string[]]> =>
  twinOf(remotes.compat(), lua(), scenario);

describe.skipIf(!hasLua)('compat UDP against real LuaSocket', () => {
  it('udp{unconnected}: setsockname, sendto, receive and receivefrom answer as LuaSocket does', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      const { peer, port } = await peerOn();
      await log(me.make('u', 'udp'));
      await log(me.call('u', 'getsockname'));
      await log(me.call('u', 'getfamily'));
      await log(me.call('u', 'dirty'));
      await log(me.call('u', 'gettimeout'));
      await log(me.call('u', 'getoption', 'broadcast'));
      await log(me.call('u', 'setsockname', IP, 0));
      const mine = await me.port('u');
      await log(me.call('u', 'getpeername'));
      await log(me.call('u', 'send', 'x'));
      await log(me.call('u', 'sendto', 'hello world', IP, port));
      await log(maskPorts(await peer.call('p', 'receivefrom')));
      await log(me.call('u', 'sendto', '', IP, port));
      await log(maskPorts(await peer.call('p', 'receivefrom')));
      await log(me.call('u', 'sendto', 123, IP, port));
      await log(peer.call('p', 'receive'));
      await log(me.call('u', 'sendto', '0123456789', IP, port));
      await log(peer.call('p', 'receive', 5));
      await log(me.call('u', 'sendto', 'x', 'localhost', port));
      await log(me.call('u', 'sendto', 'x', 'nonexistent.invalid', port));
      await log(me.call('u', 'sendto', 'x', IP, 'abc'));
      await log(me.call('u', 'sendto', 'x', IP, 0));
      await log(me.call('u', 'sendto', 'x', IP));
      await log(me.call('u', 'sendto', 'x', '::1', port));
      await log(me.call('u', 'sendto', 'C'.repeat(70_000), IP, port));
      await log(me.call('u', 'settimeout', 0.2));
      await log(me.call('u', 'gettimeout'));
      await log(me.call('u', 'receive'));
      await log(me.call('u', 'receivefrom'));
      await log(me.call('u', 'receive', '*a'));
      await peer.call('p', 'sendto', 'first', IP, mine);
      await log(maskPorts(await me.call('u', 'receivefrom')));
      await peer.call('p', 'sendto', 'abcdef', IP, mine);
      await log(me.call('u', 'receive', 2.7));
      await peer.call('p', 'sendto', 'gone', IP, mine);
      await log(me.call('u', 'receive', 0));
      await log(me.call('u', 'receive'));
      await peer.call('p', 'sendto', 'B'.repeat(9000), IP, mine);
      await log((await me.call('u', 'receive')).length.toString());
      await peer.call('p', 'sendto', 'B'.repeat(9000), IP, mine);
      await log((await me.call('u', 'receivefrom', '100000')).split(' ')[0]!.length.toString());
      await log(me.call('u', 'setoption', 'broadcast', true));
      await log(me.call('u', 'getoption', 'broadcast'));
      await log(me.call('u', 'close'));
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([
      'udp{unconnected}',
      'nil "Bad file descriptor"',
      '"inet4"',
      'false',
      '-1 -1',
      'nil "getsockopt failed"',
      '1',
      'raised',
      'raised',
      '11',
      '"hello world" "127.0.0.1" PORT',
      '0',
      '"" "127.0.0.1" PORT',
      '3',
      '"123"',
      '10',
      '"01234"',
      'nil "Name or service not known"',
      'nil "Name or service not known"',
      'nil "Name or service not known"',
      'nil "Invalid argument"',
      'raised',
      'nil "Address family for hostname not supported"',
      'nil "Message too long"',
      '1',
      '0.200 -1',
      'nil "timeout"',
      'nil "timeout"',
      'raised',
      '"first" "127.0.0.1" PORT',
      '"ab"',
      '""',
      'nil "timeout"',
      String(8192 + 2),
      String(9000 + 2),
      '1',
      'true',
      '1',
    ]);
  });

  it('udp{connected}: setpeername, send, receive, the class checks and setpeername("*")', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      const { peer, port } = await peerOn();
      await log(me.make('u', 'udp4'));
      await log(me.call('u', 'settimeout', 2));
      await log(me.call('u', 'setpeername', IP));
      await log(me.call('u', 'setpeername', IP, port));
      await log(me.make('x', 'udp'));
      await log(me.call('x', 'setpeername', IP, port));
      await log(maskPorts(await me.call('x', 'getsockname')));
      await log(me.call('x', 'close'));
      await log(maskPorts(await me.call('u', 'getpeername')));
      await log(me.call('u', 'send', 'conn'));
      await log(me.call('u', 'send', 'abc', 2));
      await log(me.call('u', 'send'));
      const got = await peer.call('p', 'receivefrom');
      await log(maskPorts(got));
      await log(peer.call('p', 'receive'));
      const from = Number(/(\d+)$/.exec(got)?.[1]);
      await log(me.call('u', 'sendto', 'x', IP, port));
      await log(me.call('u', 'receivefrom'));
      await log(me.call('u', 'setsockname', IP, 0));
      await peer.call('p', 'sendto', 'reply', IP, from);
      await log(me.call('u', 'receive'));
      await log(me.call('u', 'setpeername', 'localhost', port));
      await log(maskPorts(await me.call('u', 'getpeername')));
      await log(me.call('u', 'setpeername', 'nonexistent.invalid', port));
      await log(me.call('u', 'setpeername', '*'));
      await log(me.call('u', 'getpeername'));
      await log(me.call('u', 'send', 'x'));
      await log(me.call('u', 'sendto', 'after', IP, port));
      await log(maskPorts(await peer.call('p', 'receivefrom')));
      await log(me.call('u', 'setpeername', '*', 5));
      await log(me.call('u', 'close'));
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([
      'udp{unconnected}',
      '1',
      'raised',
      '1',
      'udp{unconnected}',
      '1',
      '"127.0.0.1" PORT "inet"',
      '1',
      '"127.0.0.1" PORT "inet"',
      '4',
      '3',
      'raised',
      '"conn" "127.0.0.1" PORT',
      '"abc"',
      'raised',
      'raised',
      'raised',
      '"reply"',
      '1',
      '"127.0.0.1" PORT "inet"',
      'nil "host or service not provided, or not known"',
      '1',
      'raised',
      'raised',
      '5',
      '"after" "127.0.0.1" PORT',
      '1',
      '1',
    ]);
  });

  it('a connected udp object learns of a closed port: receive answers "connection refused"', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      const { peer, port } = await peerOn();
      await peer.call('p', 'close');
      await log(me.make('u', 'udp'));
      await log(me.call('u', 'settimeout', 2));
      await log(me.call('u', 'setpeername', IP, port));
      await log(me.call('u', 'send', 'x'));
      await log(me.call('u', 'receive'));
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual(['udp{unconnected}', '1', '1', '1', 'nil "connection refused"']);
  });
});
