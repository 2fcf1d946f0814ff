/**
 * `settimeout` / `gettimeout` of compat objects against real LuaSocket 3:
 * LuaSocket's `timeout.c` stores the value it is given (any negative one
 * means no timeout) and `gettimeout` answers it back, in each of its modes
 * (`'b'`, `'t'` and `'r'`), on TCP masters, servers and clients and on UDP
 * objects of both classes. Twin transcripts: the same steps with a compat
 * object and with a LuaSocket one (test/lua/remote.lua) must print the same.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { hasLua } from '../helpers/lua.js';
import { Remotes, twin as twinOf, type Log, type Remote } from '../helpers/lua-remote.js';

const IP = '127.0.0.1';

const remotes = new Remotes();
afterEach(() => remotes.closeAll());

const twin = (scenario: (me: Remote, log: Log) => Promise<void>): Promise<[string[], string[]]> =>
  twinOf(remotes.compat(), remotes.lua(), scenario);

/** settimeout calls that cover every mode, negative values and nil, each followed by gettimeout. */
async function settings(me: Remote, name: string, log: Log): Promise<void> {
  await log(me.call(name, 'gettimeout'));
  const steps: [number | string | null, string | null][] = [
    [-5, null],
    [3, 't'],
    [-2.5, 'r'],
    [null, null],
    [0, 'b'],
    [-0.25, 'block'],
    [null, 'total'],
    ['-7', null],
  ];
  for (const [value, mode] of steps) {
    await log(me.call(name, 'settimeout', value, mode));
    await log(me.call(name, 'gettimeout'));
  }
}

describe.skipIf(!hasLua)('compat gettimeout against real LuaSocket', () => {
  it('gettimeout() answers what settimeout() was given on every TCP and UDP object', async () => {
    const [mine, theirs] = await twin(async (me, log) => {
      await log(me.make('m', 'tcp'));
      await settings(me, 'm', log);
      await log(me.call('m', 'settimeout', -3, 't'));
      await log(me.call('m', 'bind', IP, 0));
      await log(me.call('m', 'listen'));
      await log(me.call('m', 'gettimeout'));
      await settings(me, 'm', log);
      const port = await me.port('m');
      await log(me.make('c', 'connect', IP, port));
      await settings(me, 'c', log);
      await log(me.keep('sv', 'm', 'accept'));
      await log(me.call('sv', 'gettimeout'));
      await log(me.make('u', 'udp'));
      await settings(me, 'u', log);
      await log(me.call('u', 'settimeout', -4));
      await log(me.call('u', 'setpeername', IP, port));
      await log(me.call('u', 'gettimeout'));
      await settings(me, 'u', log);
    });
    expect(mine).toEqual(theirs);
    expect(mine.slice(0, 6)).toEqual(['tcp{master}', '-1 -1', '1', '-5 -1', '1', '-5 3']);
    expect(mine).toContain('-0.250 -1');
    expect(mine).toContain('-7 -1');
  });
});
