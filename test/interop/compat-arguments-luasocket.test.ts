/**
 * The usage-error table (test/compat/argument-errors.ts) against real
 * LuaSocket 3: every Lua call of the table runs in one lua5.4 process and
 * must raise exactly the table's message, so that the messages compat is
 * held to are Lua's own.
 */

import { describe, expect, it } from 'vitest';
import { ARGUMENT_ERRORS } from '../compat/argument-errors.js';
import { hasLua } from '../helpers/lua.js';
import { luaOutcomes } from '../helpers/lua-raises.js';

describe.skipIf(!hasLua)('the usage-error table against LuaSocket', () => {
  it(`lua5.4 raises each message of the table (${ARGUMENT_ERRORS.length} calls)`, () => {
    const outcomes = luaOutcomes(ARGUMENT_ERRORS.map((row) => row.lua));
    const differences = ARGUMENT_ERRORS.flatMap((row, i) => {
      const got = outcomes[i];
      const said = got?.raised === true ? got.message : `no raise (${got?.values.join(' ') ?? ''})`;
      return said === row.message ? [] : [`${row.lua}: table '${row.message}', lua '${said}'`];
    });
    expect(differences).toEqual([]);
  });
});
