import { describe, expect, it } from 'vitest';
import socket, * as named from '../../compat/index.js';
import { tryResult } from '../../compat/try.js';
import { hasLua } from '../helpers/lua.js';
import { luaOutcomes, show } from '../helpers/lua-raises.js';

/** The members of the namespace (`SocketModule`), in its order. */
const MEMBERS = [
  'tcp',
  'tcp4',
  'tcp6',
  'udp',
  'udp4',
  'udp6',
  'unix',
  'connect',
  'connect4',
  'connect6',
  'bind',
  'dns',
  'select',
  'gettime',
  'sleep',
  'setencoding',
  'skip',
  'newtry',
  'protect',
  'try',
  '_VERSION',
  '_SETSIZE',
  '_SOCKETINVALID',
  '_DATAGRAMSIZE',
] as const;

/** compat's own extension: LuaSocket has no such function. */
const EXTRAS = new Set<string>(['setencoding']);

/** The Lua type a member's value has in the compat namespace (`unix` is a callable table in Lua). */
function luaKind(name: string, value: unknown): string {
  if (name === 'unix') return 'table';
  if (typeof value === 'function') return 'function';
  if (typeof value === 'object' && value !== null) return 'table';
  return typeof value;
}

describe('the socket namespace', () => {
  it('socket (the default export) is frozen and holds the named exports', () => {
    expect(Object.isFrozen(socket)).toBe(true);
    expect(named.socket).toBe(socket);
    expect(socket.tcp).toBe(named.tcp);
    expect(socket.dns).toBe(named.dns);
    expect(socket.newtry).toBe(named.newtry);
    expect(typeof socket.try).toBe('function');
  });

  it('socket has exactly the members of SocketModule, each the named export of the same name', () => {
    expect(Object.keys(socket).sort()).toEqual([...MEMBERS].sort());
    const exports = named as unknown as Record<string, unknown>;
    for (const name of MEMBERS) {
      if (name === 'try') continue;
      expect(socket[name], name).toBe(exports[name]);
    }
    // `try` is a reserved word: the namespace holds the try of a plain newtry().
    expect(socket.try).toBe(tryResult);
    expect(exports.try).toBeUndefined();
  });

  it('socket cannot be changed: an assignment throws, a new member too', () => {
    const target = socket as unknown as Record<string, unknown>;
    expect(() => {
      target.tcp = () => undefined;
    }).toThrow(TypeError);
    expect(() => {
      target.extra = 1;
    }).toThrow(TypeError);
    expect(socket.tcp).toBe(named.tcp);
  });

  it('the objects socket makes are instances of the exported classes', () => {
    const [t] = socket.tcp();
    const [u] = socket.udp();
    const [x] = socket.unix();
    try {
      expect(t).toBeInstanceOf(named.TcpObject);
      expect(u).toBeInstanceOf(named.UdpObject);
      expect(x).toBeInstanceOf(named.UnixObject);
    } finally {
      t?.close();
      u?.close();
      x?.close();
    }
    expect(socket.unix).toBe(named.unix);
    expect(new named.TryError('boom')).toBeInstanceOf(Error);
    expect(typeof named.SelectList).toBe('function');
  });
});

describe.skipIf(!hasLua)('the socket namespace against LuaSocket', () => {
  it("each member but compat's extras is in LuaSocket's socket table (socket.unix loaded) with the same kind, and the constants agree", () => {
    const shared = MEMBERS.filter((name) => !EXTRAS.has(name));
    const [types, constants] = luaOutcomes([
      shared.map((name) => `type(socket.${name})`).join(', '),
      'socket._VERSION, socket._SETSIZE, socket._SOCKETINVALID, socket._DATAGRAMSIZE',
    ]);
    expect(types).toEqual({
      raised: false,
      values: shared.map((name) => luaKind(name, socket[name])),
    });
    expect(constants).toEqual({
      raised: false,
      values: [socket._VERSION, socket._SETSIZE, socket._SOCKETINVALID, socket._DATAGRAMSIZE].map(
        show,
      ),
    });
    const [extras] = luaOutcomes([[...EXTRAS].map((name) => `type(socket.${name})`).join(', ')]);
    expect(extras).toEqual({ raised: false, values: [...EXTRAS].map(() => 'nil') });
  });
});
