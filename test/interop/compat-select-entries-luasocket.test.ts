/**
 * `socket.select` with list entries that are not sockets, against real
 * LuaSocket 3: test/lua/select-entries.lua prints what LuaSocket answers for
 * each case (it raises for numbers, booleans and functions, which it cannot
 * index for `getfd`, and skips strings and tables), and compat must answer
 * the same for the same entries.
 */

import { describe, expect, it } from 'vitest';
import socket from '../../compat/index.js';
import { hasLua, runLua } from '../helpers/lua.js';

/** The cases of select-entries.lua, in its order, as JavaScript values. */
const CASES: [name: string, entry: unknown][] = [
  ['integer', 1],
  ['float', 1.5],
  ['zero', 0],
  ['true', true],
  ['false', false],
  ['function', () => undefined],
  ['string', 'x'],
  ['empty-string', ''],
  ['table', {}],
];

/** What compat answers, in select-entries.lua's notation. */
async function answer(run: () => ReturnType<typeof socket.select>): Promise<string> {
  try {
    const [r, w, err] = await run();
    return `${r.length} ${w.length} ${err ?? 'nil'}`;
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return `raised ${err.message}`;
  }
}

describe.skipIf(!hasLua)('compat select entries against real LuaSocket', () => {
  it('raises for numbers, booleans and functions and skips strings and tables, as LuaSocket does', async () => {
    const lua = runLua('select-entries.lua');
    const theirs: string[] = [];
    for (let line = await lua.line(); line !== 'DONE'; line = await lua.line()) theirs.push(line);
    expect(await lua.exit()).toBe(0);

    const mine: string[] = [];
    for (const [name, entry] of CASES) {
      mine.push(`${name} recvt ${await answer(() => socket.select([entry], null, 0))}`);
      mine.push(`${name} sendt ${await answer(() => socket.select(null, [entry], 0))}`);
    }
    expect(mine).toEqual(theirs);
    expect(theirs).toContain('integer recvt raised attempt to index a number value');
    expect(theirs).toContain('function sendt raised attempt to index a function value');
    expect(theirs).toContain('string recvt 0 0 timeout');
  });
});
