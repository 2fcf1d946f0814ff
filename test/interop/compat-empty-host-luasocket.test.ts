/**
 * An empty host against real LuaSocket 3: LuaSocket hands `''` to
 * `getaddrinfo`, which fails with EAI_NONAME, so every call that resolves a
 * host answers `nil, 'host or service not provided, or not known'`; the
 * object keeps its class, except a TCP master's `connect`, which makes it a
 * client as any failed connect does. Twin transcripts: the same steps with
 * compat and with LuaSocket (test/lua/remote.lua) must print the same.
 *
 * `socket.dns.toip('')` and `tohostname('')` are the exception, pinned in
 * test/compat/dns.test.ts: LuaSocket's `gethostbyname('')` answers glibc's
 * NO_RECOVERY text, `Unknown server error`; compat answers `host not found`.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { hasLua } from '../helpers/lua.js';
import { Remotes, twin as twinOf, type Log, type Remote } from '../helpers/lua-remote.js';

const IP = '127.0.0.1';
const NONAME = 'nil "host or service not provided, or not known"';

const remotes = new Remotes();
afterEach(() => remotes.closeAll());

const twin = (scenario: (me: Remote, log: Log) => Promise<void>): Promise<[string[], string[]]> =>
  twinOf(remotes.compat(), remotes.lua(), scenario);

describe.skipIf(!hasLua)('compat empty host against real LuaSocket', () => {
  it('connect, bind, setpeername and setsockname with "" answer the lookup failure', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      await log(me.make('srv', 'bind', IP, 0));
      const port = await me.port('srv');
      await log(me.make('x', 'connect', '', port));
      await log(me.make('x', 'connect', IP, port, '', 0));
      await log(me.make('x', 'bind', '', 0));
      await log(me.make('x', 'bind', '', 0, 5));
      await log(me.make('m', 'tcp'));
      await log(me.call('m', 'bind', '', 0));
      await log(me.call('m', 'bind', IP, 0)); // still a master: 1
      await log(me.make('n', 'tcp'));
      await log(me.call('n', 'connect', '', port));
      await log(me.call('n', 'listen')); // a client now: raised
      await log(me.call('n', 'connect', IP, port)); // and it may connect again
      await log(me.make('s', 'tcp'));
      await log(me.call('s', 'setsockname', '', 0));
      await log(me.call('s', 'setpeername', '', port));
      await log(me.make('t6', 'tcp6'));
      await log(me.call('t6', 'connect', '', port));
      await log(me.make('u', 'udp'));
      await log(me.call('u', 'setsockname', '', 0));
      await log(me.call('u', 'getsockname')); // no socket was made
      await log(me.call('u', 'setsockname', IP, 0));
      await log(me.make('v', 'udp'));
      await log(me.call('v', 'setpeername', '', port));
      await log(me.call('v', 'setpeername', IP, port));
      await log(me.call('v', 'setpeername', '', port)); // stays connected
      await log(me.call('v', 'getpeername'));
      await log(me.make('w', 'udp6'));
      await log(me.call('w', 'setpeername', '', port));
      await log(me.call('u', 'close'));
      await log(me.call('u', 'setsockname', '', 0));
    });
    expect(mine.map((l) => l.replace(/\b\d{4,5}\b/g, 'PORT'))).toEqual(
      theirs.map((l) => l.replace(/\b\d{4,5}\b/g, 'PORT')),
    );
    expect(mine.slice(1, 5)).toEqual([NONAME, NONAME, NONAME, NONAME]);
    expect(mine.filter((l) => l === NONAME)).toHaveLength(14);
  });
});
