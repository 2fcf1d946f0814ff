/**
 * A connected UDP object whose peer's port is closed, against real
 * LuaSocket 3: each datagram draws an ICMP port-unreachable, which the next
 * call reports once — a send (which then sends nothing) or a receive. Twin
 * transcripts: compat and LuaSocket must answer the same, call for call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hasLua } from '../helpers/lua.js';
import { Remotes, twin as twinOf, type Log, type Remote } from '../helpers/lua-remote.js';

const IP = '127.0.0.1';
const remotes = new Remotes();
afterEach(() => remotes.closeAll());

const twin = (scenario: (me: Remote, log: Log) => Promise<void>): Promise<[string[], string[]]> =>
  twinOf(remotes.compat(), remotes.lua(), scenario);

/** A UDP port on loopback that was free a moment ago and has no socket now. */
async function closedUdpPort(): Promise<number> {
  const peer = remotes.lua();
  await peer.make('p', 'udp');
  await peer.call('p', 'setsockname', IP, 0);
  const port = await peer.port('p');
  await peer.call('p', 'close');
  return port;
}

const REFUSED = 'nil "connection refused"';

describe.skipIf(!hasLua)('compat UDP refused by the peer, against real LuaSocket', () => {
  it('send() and receive() share the one "connection refused" each datagram draws', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      const port = await closedUdpPort();
      await me.make('u', 'udp');
      await log(me.call('u', 'setpeername', IP, port));
      await log(me.call('u', 'settimeout', 0.3));
      // Back to back: every other send finds the previous one's error.
      for (let i = 0; i < 4; i++) await log(me.call('u', 'send', 'x'));
      await log(me.call('u', 'receive'));
      // One send, then the receive gets its error, once.
      await log(me.call('u', 'send', 'x'));
      await log(me.call('u', 'receive'));
      await log(me.call('u', 'receive'));
      await log(me.call('u', 'send', 'x'));
      await me.cmd('sleep 0.05');
      await log(me.call('u', 'send', 'x'));
      await log(me.call('u', 'send', 'x'));
      await log(me.call('u', 'settimeout', 0));
      await me.cmd('sleep 0.05');
      await log(me.call('u', 'receive'));
      await log(me.call('u', 'receive'));
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([
      '1',
      '1',
      '1',
      REFUSED,
      '1',
      REFUSED,
      'nil "timeout"',
      '1',
      REFUSED,
      'nil "timeout"',
      '1',
      REFUSED,
      '1',
      '1',
      REFUSED,
      'nil "timeout"',
    ]);
  });
});
