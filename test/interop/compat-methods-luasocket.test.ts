/**
 * The method tables of compat objects against real LuaSocket 3's:
 * test/lua/method-names.lua prints, for one object of each class, the
 * names in its metatable's `__index` table and the metatable's own
 * functions. Every LuaSocket method must be a function on the compat object
 * of the same class; the names LuaSocket keeps for its internals (`class`,
 * `__gc`) are the documented exceptions, and compat's own extras are the
 * documented ones.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPAT_ONLY,
  LUA_ONLY,
  compatClasses,
  compatMethods,
  type CompatObject,
} from '../helpers/compat-classes.js';
import { hasLua, runLua } from '../helpers/lua.js';

/** What method-names.lua printed for one class. */
interface LuaClass {
  methods: string[];
  others: string[];
  meta: string[];
}

async function luaClasses(): Promise<Map<string, LuaClass>> {
  const dir = mkdtempSync(join(tmpdir(), 'lsa-names-'));
  try {
    const lua = runLua('method-names.lua', [join(dir, 'names.sock')]);
    const classes = new Map<string, LuaClass>();
    for (let line = await lua.line(); line !== 'DONE'; line = await lua.line()) {
      const [name = '', ...words] = line.split(' ');
      const entry = classes.get(name) ?? { methods: [], others: [], meta: [] };
      if (words[0] === 'meta') entry.meta = words.slice(1);
      else {
        for (const word of words) {
          const [type, key = ''] = word.split(':');
          (type === 'function' ? entry.methods : entry.others).push(key);
        }
      }
      classes.set(name, entry);
    }
    expect(await lua.exit()).toBe(0);
    return classes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!hasLua)('compat method tables against real LuaSocket', () => {
  let theirs: Map<string, LuaClass>;
  let mine: { byClass: Map<string, CompatObject>; close: () => void };
  beforeAll(async () => {
    theirs = await luaClasses();
    mine = await compatClasses();
  });
  afterAll(() => mine?.close());

  it('LuaSocket has the eight classes compat has, tcp, udp and unixstream', () => {
    expect([...theirs.keys()].sort()).toEqual([...mine.byClass.keys()].sort());
  });

  it('every name of each class’s __index is a function on compat’s object of that class', () => {
    for (const [name, lua] of theirs) {
      const o = mine.byClass.get(name) as CompatObject;
      const missing = lua.methods.filter((m) => typeof Reflect.get(o, m) !== 'function');
      expect(missing, name).toEqual([]);
      // Only `class` is not a function, and compat leaves it out (String(o) is the class).
      expect(lua.others, name).toEqual(['class']);
      expect(LUA_ONLY).toContain('class');
      // __tostring is toString; __gc has no counterpart.
      expect(lua.meta, name).toEqual(['__gc', '__tostring']);
      expect(String(o)).toBe(name);
    }
  });

  it('compat objects have no method LuaSocket lacks beyond the documented extras', () => {
    for (const [name, lua] of theirs) {
      const o = mine.byClass.get(name) as CompatObject;
      const extras = compatMethods(o).filter((m) => !lua.methods.includes(m));
      expect(extras, name).toEqual(COMPAT_ONLY[name.slice(0, name.indexOf('{'))]);
    }
  });
});
