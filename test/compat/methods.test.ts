/**
 * The method tables of LuaSocket 3 (`tcp.c`, `udp.c`, `unixstream.c`),
 * written out by hand: every name is a function on the compat object of each
 * class. LuaSocket registers one table for all the classes of a kind (a
 * master has `accept`, and raises when it is called), so every class of a
 * kind lists the same names here. The interop twin,
 * test/interop/compat-methods-luasocket.test.ts, asks real LuaSocket.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import socket from '../../compat/index.js';
import {
  COMPAT_ONLY,
  compatClasses,
  compatMethods,
  type CompatObject,
} from '../helpers/compat-classes.js';

/** `tcp_methods[]` of tcp.c, without `__gc` and `__tostring`. */
const TCP = [
  'accept',
  'bind',
  'close',
  'connect',
  'dirty',
  'getfamily',
  'getfd',
  'getoption',
  'getpeername',
  'getsockname',
  'getstats',
  'setstats',
  'listen',
  'receive',
  'send',
  'setfd',
  'setoption',
  'setpeername',
  'setsockname',
  'settimeout',
  'gettimeout',
  'shutdown',
];

/** `udp_methods[]` of udp.c, without `__gc` and `__tostring`. */
const UDP = [
  'close',
  'dirty',
  'getfamily',
  'getfd',
  'getpeername',
  'getsockname',
  'receive',
  'receivefrom',
  'send',
  'sendto',
  'setfd',
  'setoption',
  'getoption',
  'setpeername',
  'setsockname',
  'settimeout',
  'gettimeout',
];

/** `unixstream_methods[]` of unixstream.c, without `__gc` and `__tostring`. */
const UNIXSTREAM = [
  'accept',
  'bind',
  'close',
  'connect',
  'dirty',
  'getfd',
  'getstats',
  'setstats',
  'listen',
  'receive',
  'send',
  'setfd',
  'setoption',
  'setpeername',
  'setsockname',
  'getsockname',
  'settimeout',
  'shutdown',
];

const TABLES: [kind: string, names: string[], classes: string[]][] = [
  ['tcp', TCP, ['tcp{master}', 'tcp{server}', 'tcp{client}']],
  ['udp', UDP, ['udp{unconnected}', 'udp{connected}']],
  ['unixstream', UNIXSTREAM, ['unixstream{master}', 'unixstream{server}', 'unixstream{client}']],
];

let objects: { byClass: Map<string, CompatObject>; close: () => void };
beforeAll(async () => {
  objects = await compatClasses();
});
afterAll(() => objects.close());

describe('LuaSocket method tables on compat objects', () => {
  for (const [kind, names, classes] of TABLES) {
    for (const name of classes) {
      it(`${name} has every method of ${kind}.c's table, and nothing else but the documented extras`, () => {
        const o = objects.byClass.get(name);
        expect(o, name).toBeDefined();
        const missing = names.filter((m) => typeof Reflect.get(o as object, m) !== 'function');
        expect(missing).toEqual([]);
        const extras = compatMethods(o as CompatObject).filter((m) => !names.includes(m));
        expect(extras).toEqual(COMPAT_ONLY[kind]);
      });
    }
  }

  it("a master's setsockname and setpeername are bind and connect, as tcp.c registers them", async () => {
    const [server] = await socket.bind('127.0.0.1', 0);
    const [, port] = server!.getsockname();
    const [m] = socket.tcp();
    const [c] = socket.tcp();
    try {
      expect(await m!.setsockname('127.0.0.1', 0)).toEqual([1, null]);
      expect(String(m)).toBe('tcp{master}');
      expect(m!.getsockname()).toEqual(['127.0.0.1', expect.any(Number), 'inet']);
      expect(await c!.setpeername('127.0.0.1', port)).toEqual([1, null]);
      expect(String(c)).toBe('tcp{client}');
      expect(c!.getpeername()).toEqual(['127.0.0.1', port, 'inet']);
      // The state checks are bind's and connect's.
      expect(await c!.setpeername('127.0.0.1', port)).toEqual([null, 'already connected']);
      expect(() => c!.setsockname('127.0.0.1', 0)).toThrow(TypeError);
    } finally {
      for (const o of [m, c, server]) o?.close();
    }
  });
});
