/**
 * Option names per object kind, against real LuaSocket 3: every name
 * LuaSocket knows (and two it does not), on every kind of object, through
 * `setoption` and `getoption`. Where LuaSocket raises, compat throws the
 * same text; where it does not, compat answers a tuple; and the values both
 * read back on untouched objects agree.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPTION_NAMES } from '../../src/index.js';
import { hasLua } from '../helpers/lua.js';
import {
  compatObjects,
  compatOutcome,
  luaOutcomes,
  type CompatObjects,
  type Outcome,
} from '../helpers/lua-raises.js';

const NAMES: readonly string[] = [...OPTION_NAMES, 'bindtodevice', 'bogus'];
const TCP = ['m4', 'mb', 's', 'c', 'a'] as const;
const UDP = ['u', 'u4'] as const;

/** A value LuaSocket's setter takes for `name`: as Lua source and as the compat value. */
function sample(name: string): [lua: string, js: unknown] {
  if (name === 'linger') return ['{on=false, timeout=0}', { on: false, timeout: 0 }];
  if (name === 'ip-multicast-if') return ["'127.0.0.1'", '127.0.0.1'];
  if (/^ip-(add|drop)-membership$/.test(name))
    return [
      "{multiaddr='239.255.0.1', interface='127.0.0.1'}",
      { multiaddr: '239.255.0.1', interface: '127.0.0.1' },
    ];
  if (/^ipv6-(add|drop)-membership$/.test(name))
    return ["{multiaddr='ff02::1', interface=0}", { multiaddr: 'ff02::1', interface: 0 }];
  if (/^tcp-keep|hops$|ttl$|size$|^tcp-(defer|fast)/.test(name)) return ['10', 10];
  return ['true', true];
}

interface Row {
  lua: string;
  js: (o: CompatObjects) => unknown;
  /** Compare the values read back, not only whether it raised. */
  values: boolean;
}

type Optioned = { setoption(n: never, v: never): unknown; getoption?(n: never): unknown };

/** Values both must read back alike on the untouched objects. */
const READ_BACK = new Set(['reuseaddr', 'keepalive', 'tcp-nodelay', 'tcp-keepidle', 'linger']);

function rows(): Row[] {
  const out: Row[] = [];
  const objects = [...TCP, ...UDP];
  for (const obj of objects) {
    for (const name of NAMES) {
      out.push({
        lua: `${obj}:getoption('${name}')`,
        js: (o) => (o[obj] as Optioned).getoption?.(name as never),
        values: READ_BACK.has(name) && obj !== 'u',
      });
    }
  }
  for (const obj of [...objects, 'x'] as const) {
    for (const name of NAMES) {
      const [lua, js] = sample(name);
      out.push({
        lua: `${obj}:setoption('${name}', ${lua})`,
        js: (o) => (o[obj] as Optioned).setoption(name as never, js as never),
        values: false,
      });
    }
  }
  return out;
}

describe.skipIf(!hasLua)('setoption/getoption names per object kind, as LuaSocket', () => {
  const table = rows();
  let lua: Outcome[] = [];
  let mine: Outcome[] = [];
  let objects: Awaited<ReturnType<typeof compatObjects>> | undefined;

  beforeAll(async () => {
    lua = luaOutcomes(table.map((r) => r.lua));
    objects = await compatObjects();
    mine = table.map((r) => compatOutcome(() => r.js(objects!)));
  });
  afterAll(() => objects?.close());

  it(`raises exactly where LuaSocket raises, with its text (${table.length} calls)`, () => {
    const differences = table.flatMap((row, i) => {
      const theirs = lua[i]!;
      const ours = mine[i]!;
      if (theirs.raised !== ours.raised)
        return [`${row.lua}: lua ${JSON.stringify(theirs)}, compat ${JSON.stringify(ours)}`];
      if (theirs.raised && ours.raised && theirs.message !== ours.message)
        return [`${row.lua}: lua '${theirs.message}', compat '${ours.message}'`];
      return [];
    });
    expect(differences).toEqual([]);
  });

  it('reads back what LuaSocket reads back on untouched objects', () => {
    const differences = table.flatMap((row, i) => {
      const theirs = lua[i]!;
      const ours = mine[i]!;
      if (!row.values || theirs.raised || ours.raised) return [];
      const a = theirs.values[0];
      const b = ours.values[0];
      return a === b
        ? []
        : [`${row.lua}: lua ${theirs.values.join(' ')}, compat ${ours.values.join(' ')}`];
    });
    expect(differences).toEqual([]);
  });
});

describe.skipIf(!hasLua)('an option the system refuses, as LuaSocket answers it', () => {
  // On a bound UDP object, where both have a descriptor to refuse it.
  const table: [lua: string, js: (o: CompatObjects) => unknown][] = [
    [
      "uc:setoption('ip-add-membership', {multiaddr='239.255.42.7', interface='192.0.2.1'})",
      (o) =>
        o.uc.setoption('ip-add-membership', { multiaddr: '239.255.42.7', interface: '192.0.2.1' }),
    ],
    [
      "uc:setoption('ip-add-membership', {multiaddr='127.0.0.1', interface='127.0.0.1'})",
      (o) =>
        o.uc.setoption('ip-add-membership', { multiaddr: '127.0.0.1', interface: '127.0.0.1' }),
    ],
    [
      "uc:setoption('ip-multicast-if', '192.0.2.1')",
      (o) => o.uc.setoption('ip-multicast-if', '192.0.2.1'),
    ],
  ];

  it('answers the same tuple', async () => {
    const lua = luaOutcomes(table.map(([l]) => l));
    const objects = await compatObjects();
    try {
      const mine = table.map(([, js]) => compatOutcome(() => js(objects)));
      expect(mine.map(({ error: _, ...o }) => o)).toEqual(lua);
      expect(lua.every((o) => !o.raised && o.values.includes('setsockopt failed'))).toBe(true);
    } finally {
      objects.close();
    }
  });
});
