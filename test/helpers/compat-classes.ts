/**
 * One compat object of each LuaSocket class, on real loopback sockets and a
 * Unix socket file, for the method-table tests: `tcp{master}`,
 * `tcp{server}`, `tcp{client}`, `udp{unconnected}`, `udp{connected}`,
 * `unixstream{master}`, `unixstream{server}` and `unixstream{client}`.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import socket, { type TcpObject, type UdpObject, type UnixObject } from '../../compat/index.js';

/** A compat object of some class. */
export type CompatObject = TcpObject | UdpObject | UnixObject;

/**
 * Names a compat object has that its LuaSocket class has not, by the class's
 * prefix: `toString` is Lua's `__tostring`; `receiveany` is OpenResty's read;
 * Unix objects have `getpeername` (see docs/migrating-from-lua.md).
 */
export const COMPAT_ONLY: Readonly<Record<string, readonly string[]>> = {
  tcp: ['receiveany', 'toString'],
  udp: ['toString'],
  unixstream: ['getpeername', 'receiveany', 'toString'],
};

/**
 * Keys of LuaSocket's method tables that are no method here: `class` is the
 * class name `auxiliar.c` keeps beside the methods (compat's `String(o)`
 * starts with it), and the metatable's `__gc` (compat objects are closed by
 * `close()`, never by the garbage collector) and `__tostring` (`toString`).
 */
export const LUA_ONLY: readonly string[] = ['class', '__gc'];

function made<T>([value, err]: [T, null] | [null, string]): T {
  if (value === null) throw new Error(err ?? 'no object');
  return value;
}

/** Makes one compat object per class; `close()` closes them all and removes the socket file. */
export async function compatClasses(): Promise<{
  byClass: Map<string, CompatObject>;
  close: () => void;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'lsa-classes-'));
  const objects: CompatObject[] = [];
  const keep = <T extends CompatObject>(o: T): T => (objects.push(o), o);
  try {
    const master = keep(made(socket.tcp()));
    const server = keep(made(await socket.bind('127.0.0.1', 0)));
    const [, port] = server.getsockname();
    const client = keep(made(await socket.connect('127.0.0.1', port ?? 0)));
    keep(made(await server.accept()));
    const unconnected = keep(made(socket.udp()));
    const connected = keep(made(socket.udp()));
    made(await connected.setpeername('127.0.0.1', port ?? 0));
    const path = join(dir, 'classes.sock');
    const umaster = keep(made(socket.unix()));
    const userver = keep(made(socket.unix()));
    made(await userver.bind(path));
    made(await userver.listen());
    const uclient = keep(made(socket.unix()));
    made(await uclient.connect(path));
    keep(made(await userver.accept()));
    const byClass = new Map<string, CompatObject>();
    for (const o of [master, server, client, unconnected, connected, umaster, userver, uclient])
      byClass.set(String(o), o);
    return {
      byClass,
      close: () => {
        for (const o of objects) o.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const o of objects) o.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The method names of a compat object's class (its prototype's functions). */
export function compatMethods(o: CompatObject): string[] {
  const proto = Object.getPrototypeOf(o) as object;
  return Object.getOwnPropertyNames(proto)
    .filter((name) => name !== 'constructor')
    .filter((name) => typeof Reflect.get(proto, name) === 'function')
    .sort();
}
