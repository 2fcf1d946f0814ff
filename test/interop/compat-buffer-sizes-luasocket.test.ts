/**
 * `recv-buffer-size` and `send-buffer-size` of compat objects against real
 * LuaSocket 3. Twin transcripts: the same steps with a compat object and a
 * LuaSocket one (test/lua/remote.lua) must print the same, the sizes read
 * back included, as both read them from the kernel. The two places where
 * compat answers otherwise on purpose are pinned side by side below.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { mismatch } from '../helpers/buffer-sizes.js';
import { hasLua } from '../helpers/lua.js';
import { Remotes, twin as twinOf, type Arg, type Log, type Remote } from '../helpers/lua-remote.js';

const IP = '127.0.0.1';
const RCV = 'recv-buffer-size';
const SND = 'send-buffer-size';

const remotes = new Remotes();
afterEach(() => remotes.closeAll());

const twin = (scenario: (me: Remote, log: Log) => Promise<void>): Promise<[string[], string[]]> =>
  twinOf(remotes.compat(), remotes.lua(), scenario);

/** Values Lua's `(int) lua_tonumber` turns into sizes, and ones it turns into 0 or a negative int. */
const VALUES: readonly Arg[] = [
  65536,
  4 * 1024 * 1024,
  65536.7,
  '98304',
  0,
  1,
  100,
  -1,
  2 ** 31,
  1e12,
  'abc',
  true,
  null,
];

describe.skipIf(!hasLua)('compat buffer sizes against real LuaSocket', () => {
  it('a udp() answers setsockopt/getsockopt failed until bound, then takes and reads back sizes as LuaSocket does', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      await log(me.make('u', 'udp'));
      for (const name of [RCV, SND]) {
        await log(me.call('u', 'setoption', name, 65536));
        await log(me.call('u', 'getoption', name));
      }
      await log(me.call('u', 'setsockname', IP, 0));
      // The system's defaults, read from the kernel by both.
      await log(me.call('u', 'getoption', RCV));
      await log(me.call('u', 'getoption', SND));
      for (const name of [RCV, SND]) {
        for (const value of VALUES) {
          await log(me.call('u', 'setoption', name, value));
          await log(me.call('u', 'getoption', name));
        }
      }
    });
    expect(mine).toEqual(theirs);
    expect(mine.slice(0, 6)).toEqual([
      'udp{unconnected}',
      'nil "setsockopt failed"',
      'nil "getsockopt failed"',
      'nil "setsockopt failed"',
      'nil "getsockopt failed"',
      '1',
    ]);
    // setoption(RCV, 65536), then what the kernel reports for it.
    expect(mine[8]).toBe('1');
    expect(mismatch(RCV, 65536, Number(mine[9]))).toBe('');
  });

  it('a udp4() keeps sizes set before the bind for it: after it both read the same', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      await log(me.make('u', 'udp4'));
      await log(me.call('u', 'setoption', RCV, 65536));
      await log(me.call('u', 'setoption', SND, 98304));
      await log(me.call('u', 'setsockname', IP, 0));
      await log(me.call('u', 'getoption', RCV));
      await log(me.call('u', 'getoption', SND));
    });
    expect(mine).toEqual(theirs);
    expect(mismatch(RCV, 65536, Number(mine[4]))).toBe('');
    expect(mismatch(SND, 98304, Number(mine[5]))).toBe('');
  });

  it('where compat differs on purpose: a udp4() read before its bind, and TCP objects', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      await log(me.make('u', 'udp4'));
      await log(me.call('u', 'setoption', RCV, 65536));
      await log(me.call('u', 'getoption', RCV));
      await log(me.make('t', 'tcp4'));
      await log(me.call('t', 'setoption', RCV, 65536));
      await log(me.call('t', 'getoption', RCV));
      await log(me.call('t', 'setoption', SND, 65536));
      await log(me.call('t', 'getoption', SND));
    });
    // LuaSocket's udp4() has its descriptor at once; Node.js makes the socket at the bind.
    expect(theirs[1]).toBe('1');
    expect(mismatch(RCV, 65536, Number(theirs[2]))).toBe('');
    expect([mine[1], mine[2]]).toEqual([
      '1',
      'nil "recv-buffer-size: Node.js reads it from a bound socket only (bind first)"',
    ]);
    // LuaSocket sets SO_RCVBUF/SO_SNDBUF on TCP; Node.js has no call for either.
    expect([theirs[4], theirs[6]]).toEqual(['1', '1']);
    expect(mismatch(RCV, 65536, Number(theirs[5]))).toBe('');
    expect(mismatch(SND, 65536, Number(theirs[7]))).toBe('');
    expect(mine.slice(4)).toEqual([
      'nil "recv-buffer-size: not supported by Node.js (it has no way to set SO_RCVBUF)"',
      'nil "recv-buffer-size: not supported by Node.js (it has no way to set SO_RCVBUF)"',
      'nil "send-buffer-size: not supported by Node.js (it has no way to set SO_SNDBUF)"',
      'nil "send-buffer-size: not supported by Node.js (it has no way to set SO_SNDBUF)"',
    ]);
  });
});
