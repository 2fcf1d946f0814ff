/**
 * One command language, two interpreters: test/lua/remote.lua runs each
 * command with real LuaSocket, {@link CompatRemote} runs it with the compat
 * layer, and both print the call's results in one notation. A scenario run
 * once against each must print the same lines.
 *
 *   new <name> <fn> <args...>        name = socket.<fn>(args)
 *   call <name> <method> <args...>   name:method(args)
 *   keep <dest> <name> <method> ...  like call, keeping the first result as dest
 *   port <name>                      the port of name:getsockname()
 *   sleep <seconds>
 *
 * remote.lua also knows peer-only commands (drip, gen, echo, sink); see there.
 */

import socket, { TcpObject, UdpObject, UnixObject } from '../../compat/index.js';

/** A compat object a remote keeps under a name. */
type CompatObject = TcpObject | UdpObject | UnixObject;
import { runLua, type LuaProcess } from './lua.js';

/** An argument of a command: what Lua can receive from a command line. */
export type Arg = string | number | boolean | null;

/** Encodes an argument the way remote.lua decodes it. */
export function encodeArg(value: Arg): string {
  if (value === null) return 'nil';
  if (typeof value === 'string') return `s:${Buffer.from(value, 'latin1').toString('hex')}`;
  if (typeof value === 'number') return `n:${value}`;
  return `b:${value}`;
}

/** A command line: the words as they are, then the encoded arguments. */
export function command(words: readonly string[], args: readonly Arg[] = []): string {
  return [...words, ...args.map(encodeArg)].join(' ');
}

function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    out +=
      b < 32 || b > 126 || b === 34 || b === 92 ? `\\x${b.toString(16).padStart(2, '0')}` : s[i];
  }
  return out + '"';
}

/** One value in remote.lua's notation. */
export function ser(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) < 2 ** 53 ? String(value) : value.toFixed(3);
  }
  if (typeof value === 'string') return quote(value);
  if (value instanceof TcpObject || value instanceof UdpObject || value instanceof UnixObject)
    return String(value);
  if (Array.isArray(value)) return `[${value.map(ser).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${k}=${ser(v)}`).join(',')}}`;
  }
  return typeof value;
}

/**
 * What a compat call returned, as remote.lua prints what the Lua call did:
 * a tuple is several values (trailing nils dropped), anything else one value.
 */
export function results(value: unknown): string {
  if (value === undefined) return '';
  if (!Array.isArray(value)) return ser(value);
  const values = [...(value as unknown[])];
  while (values.length > 0 && (values.at(-1) === null || values.at(-1) === undefined)) values.pop();
  return values.map(ser).join(' ');
}

/** Something that runs commands: a Lua process or the compat layer. */
export interface Remote {
  cmd(line: string): Promise<string>;
  /** `new`: `socket.<fn>(args)`, kept as `name`. */
  make(name: string, fn: string, ...args: Arg[]): Promise<string>;
  /** `call`: `name:method(args)`. */
  call(name: string, method: string, ...args: Arg[]): Promise<string>;
  /** `keep`: like call, keeping the first result as `dest`. */
  keep(dest: string, name: string, method: string, ...args: Arg[]): Promise<string>;
  /** The port `name` is bound to. */
  port(name: string): Promise<number>;
  close(): Promise<void>;
}

abstract class Commands implements Remote {
  abstract cmd(line: string): Promise<string>;
  abstract close(): Promise<void>;
  make(name: string, fn: string, ...args: Arg[]): Promise<string> {
    return this.cmd(command(['new', name, fn], args));
  }
  call(name: string, method: string, ...args: Arg[]): Promise<string> {
    return this.cmd(command(['call', name, method], args));
  }
  keep(dest: string, name: string, method: string, ...args: Arg[]): Promise<string> {
    return this.cmd(command(['keep', dest, name, method], args));
  }
  async port(name: string): Promise<number> {
    return Number(await this.cmd(`port ${name}`));
  }
}

/** test/lua/remote.lua: real LuaSocket. */
export class LuaRemote extends Commands {
  readonly #lua: LuaProcess;

  constructor() {
    super();
    this.#lua = runLua('remote.lua');
  }

  cmd(line: string): Promise<string> {
    this.#lua.write(line);
    return this.#lua.line();
  }

  /** Ends the script (killing it if a call still blocks it). */
  async close(): Promise<void> {
    this.#lua.write('quit');
    await this.#lua.exit(1500);
  }
}

type Fn = (...args: unknown[]) => unknown;

function decodeArg(word: string): unknown {
  if (word === 'nil') return null;
  const kind = word.slice(0, 2);
  const rest = word.slice(2);
  if (kind === 's:') return Buffer.from(rest, 'hex').toString('latin1');
  if (kind === 'n:') return Number(rest);
  if (kind === 'b:') return rest === 'true';
  throw new Error(`bad argument word ${word}`);
}

/** The same commands, run with the compat layer in this process. */
export class CompatRemote extends Commands {
  readonly #objects = new Map<string, CompatObject>();

  async cmd(line: string): Promise<string> {
    const [verb = '', ...words] = line.split(' ');
    switch (verb) {
      case 'new': {
        const [name = '', path = ''] = words;
        let fn: unknown = socket;
        for (const part of path.split('.')) fn = (fn as Record<string, unknown>)[part];
        return this.#run(name, () => (fn as Fn)(...words.slice(2).map(decodeArg)));
      }
      case 'call':
      case 'keep': {
        const [dest, name = '', method = '', ...rest] = verb === 'keep' ? words : ['', ...words];
        const object = this.#objects.get(name);
        const run = (): unknown =>
          (Reflect.get(object as object, method) as Fn).apply(object, rest.map(decodeArg));
        return this.#run(dest, run);
      }
      case 'port':
        return String(this.#objects.get(words[0] ?? '')?.getsockname()[1]);
      case 'sleep':
        await socket.sleep(Number(words[0]));
        return '';
      default:
        throw new Error(`unknown command ${line}`);
    }
  }

  /** Runs a call; keeps its first result under `name` when that is an object. */
  async #run(name: string | undefined, run: () => unknown): Promise<string> {
    let value: unknown;
    try {
      value = await run();
    } catch {
      return 'raised';
    }
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (
      name !== undefined &&
      name !== '' &&
      (first instanceof TcpObject || first instanceof UdpObject || first instanceof UnixObject)
    )
      this.#objects.set(name, first);
    return results(value);
  }

  /** The object kept as `name`, for direct calls. */
  get<T extends CompatObject = TcpObject>(name: string): T {
    const object = this.#objects.get(name);
    if (object === undefined) throw new Error(`no object ${name}`);
    return object as T;
  }

  close(): Promise<void> {
    for (const object of this.#objects.values()) object.close();
    this.#objects.clear();
    return Promise.resolve();
  }
}

/**
 * Connects `me` (as `c`) to a LuaSocket `peer` listening on loopback (as
 * `srv`); the peer's end of the connection is `conn`.
 */
export async function connectPair(me: Remote, peer: Remote, host = '127.0.0.1'): Promise<void> {
  const made = await peer.make('srv', 'bind', host, 0);
  if (made !== 'tcp{server}') throw new Error(`peer bind: ${made}`);
  const port = await peer.port('srv');
  const connected = await me.make('c', 'connect', host, port);
  if (connected !== 'tcp{client}') throw new Error(`connect: ${connected}`);
  const accepted = await peer.keep('conn', 'srv', 'accept');
  if (accepted !== 'tcp{client}') throw new Error(`peer accept: ${accepted}`);
}

/** remote.lua's generator, as a Lua byte string: a 31-bit LCG, one byte from bits 16..23 per step. */
export function gen(n: number, seed: number): string {
  const out = Buffer.allocUnsafe(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    out[i] = (x >>> 16) & 255;
  }
  return out.toString('latin1');
}

/** 32-bit FNV-1a of a Lua byte string, as remote.lua's `sink` reports it. */
export function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** The remotes a test file opens; `closeAll()` (from an afterEach) ends them, newest first. */
export class Remotes {
  readonly #open: Remote[] = [];

  lua(): LuaRemote {
    return this.#track(new LuaRemote());
  }

  compat(): CompatRemote {
    return this.#track(new CompatRemote());
  }

  async closeAll(): Promise<void> {
    for (const r of this.#open.splice(0).reverse()) await r.close();
  }

  #track<R extends Remote>(remote: R): R {
    this.#open.push(remote);
    return remote;
  }
}

/** Records one line of a transcript and resolves to it. */
export type Log = (line: string | Promise<string>) => Promise<string>;

/**
 * Runs `scenario` once with `mine` and once with `theirs`, side by side, and
 * returns both transcripts for the test to compare.
 */
export async function twin(
  mine: Remote,
  theirs: Remote,
  scenario: (me: Remote, log: Log) => Promise<void>,
): Promise<[mine: string[], theirs: string[]]> {
  const run = async (me: Remote): Promise<string[]> => {
    const lines: string[] = [];
    await scenario(me, async (line) => {
      const text = await line;
      lines.push(text);
      return text;
    });
    return lines;
  };
  const [a, b] = await Promise.all([run(mine), run(theirs)]);
  return [a, b];
}

/** Ports change from run to run: `"51755"` and `51755` become `"PORT"` and `PORT`. */
export const maskPorts = (line: string): string => line.replace(/\b\d{4,5}\b/g, 'PORT');
