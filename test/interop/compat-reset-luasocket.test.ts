/**
 * Sends after the peer went away, against real LuaSocket 3: the same steps
 * run with a compat client and a LuaSocket client, each against its own
 * LuaSocket peer, and both transcripts must match. A peer that closes with
 * our bytes unread resets the connection (RFC 1122 4.2.2.13); one that
 * closes with nothing unread sends a FIN, and our first send draws the reset;
 * one that only shuts down its sending side keeps reading.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { hasLua } from '../helpers/lua.js';
import {
  connectPair,
  Remotes,
  twin as twinOf,
  type Log,
  type LuaRemote,
  type Remote,
} from '../helpers/lua-remote.js';

const remotes = new Remotes();
afterEach(() => remotes.closeAll());

/** A LuaSocket peer listening, `me` connected to it as `c`; the peer's end is `conn`. */
async function pair(me: Remote): Promise<LuaRemote> {
  const peer = remotes.lua();
  await connectPair(me, peer);
  return peer;
}

const twin = (scenario: (me: Remote, log: Log) => Promise<void>): Promise<[string[], string[]]> =>
  twinOf(remotes.compat(), remotes.lua(), scenario);

describe.skipIf(!hasLua)('compat send after the peer went away, against real LuaSocket', () => {
  it("send() after the peer reset (closed with our bytes unread) answers nil 'closed' 0, and keeps failing", async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      const peer = await pair(me);
      await log(me.call('c', 'send', 'unread\n'));
      await me.cmd('sleep 0.1');
      await peer.call('conn', 'close');
      await me.cmd('sleep 0.1');
      await log(me.call('c', 'send', 'ab'));
      await log(me.call('c', 'send', 'cd'));
      await log(me.call('c', 'send', 'abcdef', 3, 5));
      await log(me.call('c', 'receive'));
      await log(me.call('c', 'send', 'ef'));
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([
      '7',
      'nil "closed" 0',
      'nil "closed" 0',
      'nil "closed" 2',
      'nil "closed" ""',
      'nil "closed" 0',
    ]);
  });

  it('send() after the peer closed with nothing unread succeeds once, then fails with closed', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      const peer = await pair(me);
      await peer.call('conn', 'close');
      await me.cmd('sleep 0.1');
      await log(me.call('c', 'send', 'ab'));
      await me.cmd('sleep 0.1');
      await log(me.call('c', 'send', 'cd'));
      await log(me.call('c', 'send', 'ef'));
      await log(me.call('c', 'receive'));
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual(['2', 'nil "closed" 0', 'nil "closed" 0', 'nil "closed" ""']);
  });

  it("send() after the peer's shutdown('send') keeps working, and the peer reads it", async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      const peer = await pair(me);
      await peer.call('conn', 'shutdown', 'send');
      await me.cmd('sleep 0.1');
      await log(me.call('c', 'receive'));
      await log(me.call('c', 'send', 'ab\n'));
      await me.cmd('sleep 0.1');
      await log(me.call('c', 'send', 'cd\n'));
      await log(peer.call('conn', 'receive'));
      await log(peer.call('conn', 'receive'));
    });
    expect(mine).toEqual(theirs);
    expect(mine).toEqual(['nil "closed" ""', '3', '3', '"ab"', '"cd"']);
  });
});
