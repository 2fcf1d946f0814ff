/**
 * `nixio.Socket`: nixio's socket object, check-state-then-delegate over a
 * core stream or datagram socket. Arguments are checked as nixio checks
 * them (a wrong one throws, naming it); the call then goes to the core and
 * its outcome comes back as nixio's tuple. Calls that block in nixio return
 * a Promise of that tuple; the rest answer at once.
 *
 * @module
 */

import type { Readiness, Selectable, WaitOptions } from '../src/index.js';
import { readiness } from '../src/index.js';
import type { Backend, Done, Name, Status } from './backend.js';
import { DgramBackend } from './dgram.js';
import { checkOption, getOption, setOption, type OptionLevel } from './options.js';
import { badService, isFailure, ok, type NixioError, type NixioResult } from './result.js';
import { servicePort } from './service.js';
import { StreamBackend } from './stream.js';

/** nixio's socket families. */
export type NixioFamily = 'inet' | 'inet6' | 'unix';
/** nixio's socket types. */
export type NixioType = 'stream' | 'dgram';
/** What nixio takes as a buffer: a Lua (byte) string, or bytes. */
export type NixioData = string | Uint8Array;

const SHUTDOWN = { rdwr: 'both', rd: 'receive', wr: 'send' } as const;

/**
 * A socket as nixio has it. Made by `nixio.socket`, `nixio.bind`,
 * `nixio.connect` and `accept`.
 *
 * @example An echo of one chunk
 * ```ts
 * import nixio from 'luasocket-async/nixio';
 *
 * const [server] = await nixio.bind('127.0.0.1', 0);
 * await server?.listen(8);
 * const [, port] = server?.getsockname() ?? [];
 * const [client] = await nixio.connect('127.0.0.1', port ?? 0);
 * const [conn] = (await server?.accept()) ?? [];
 * await client?.send('ping');
 * if (conn) console.log((await conn.recv(1024))[0]); // 'ping'
 * if (conn) conn.close();
 * client?.close();
 * server?.close();
 * ```
 */
export class NixioSocket implements Selectable {
  readonly #family: NixioFamily;
  readonly #type: NixioType;
  #backend: Backend | undefined;
  #blocking = true;
  // SO_RCVTIMEO / SO_SNDTIMEO in seconds, 0 for none, as the kernel keeps them.
  #rcvtimeo = 0;
  #sndtimeo = 0;

  /** @internal Use `nixio.socket`. */
  constructor(family: NixioFamily, type: NixioType, backend?: Backend) {
    this.#family = family;
    this.#type = type;
    this.#backend =
      backend ??
      (type === 'stream' ? new StreamBackend(family) : new DgramBackend(family as 'inet'));
  }

  /** The socket's family. */
  get family(): NixioFamily {
    return this.#family;
  }

  /** The socket's type. */
  get type(): NixioType {
    return this.#type;
  }

  #live(): Backend {
    // nixio raises on a closed socket: using one is a bug of the caller.
    if (this.#backend === undefined) throw new TypeError('socket: invalid socket object');
    return this.#backend;
  }

  #wait(timeo: number): WaitOptions {
    if (!this.#blocking) return { timeout: 0 };
    return timeo > 0 ? { timeout: timeo } : {};
  }

  /** Binds; `host` null binds every address, a name is resolved and tried in order. Does not listen. */
  bind(host: string | null | undefined, port?: number | string): Promise<Status> {
    const backend = this.#live();
    const h = checkHost(host, this.#family);
    const p = checkPort(port, this.#family, this.#type);
    return p === undefined ? Promise.resolve(badService()) : backend.bind(h, p);
  }

  /** Starts accepting connections. */
  listen(backlog: number): Promise<Status> {
    if (!Number.isInteger(backlog)) throw new TypeError('backlog: an integer expected');
    return this.#live().listen(backlog);
  }

  /** The next connection: `[socket, ip, port]`. */
  accept(): Promise<NixioResult<NixioSocket, string, number>> {
    return this.#live()
      .accept(this.#wait(this.#rcvtimeo))
      .then((r) =>
        isFailure(r) ? r : [new NixioSocket(this.#family, 'stream', r[0]), r[1], r[2]],
      );
  }

  /** Connects; `host` defaults to the local host. Non-blocking: `EINPROGRESS`, then poll for `out`. */
  connect(host?: string | null, port?: number | string): Promise<Status> {
    const backend = this.#live();
    const target = checkHost(host, this.#family) ?? (this.#family === 'unix' ? null : 'localhost');
    const p = checkPort(port, this.#family, this.#type);
    if (p === undefined) return Promise.resolve(badService());
    const wait = this.#wait(this.#sndtimeo);
    return backend.connect(target, p, wait, wait.timeout !== undefined);
  }

  /** At most `min(length, 8192)` bytes of what has arrived; `''` at the end of the stream. */
  recv(length: number): Promise<NixioResult<string, null, null>> {
    checkLength(length);
    return this.#live()
      .recv(length, this.#wait(this.#rcvtimeo))
      .then((r) => (isFailure(r) ? r : ok(r[0])));
  }

  /** Alias of {@link NixioSocket.recv}. */
  read(length: number): Promise<NixioResult<string, null, null>> {
    return this.recv(length);
  }

  /** A datagram (or chunk) and its sender: `[data, host, port]` (host and port null on a stream). */
  recvfrom(length: number): Promise<NixioResult<string, string | null, number | null>> {
    checkLength(length);
    const pending = this.#live().recv(length, this.#wait(this.#rcvtimeo));
    return this.#type === 'dgram' ? pending : pending.then((r) => (isFailure(r) ? r : ok(r[0])));
  }

  /** Writes `buffer` from 0-based `offset`, at most `length` bytes; the count written. */
  send(buffer: NixioData, offset?: number, length?: number): Promise<NixioResult<number>> {
    const data = slice(buffer, offset, length);
    return this.#live().send(data, this.#wait(this.#sndtimeo));
  }

  /** Alias of {@link NixioSocket.send}. */
  write(buffer: NixioData, offset?: number, length?: number): Promise<NixioResult<number>> {
    return this.send(buffer, offset, length);
  }

  /** A datagram to `host:port` (an IP address); on a stream the address is ignored. */
  sendto(
    buffer: NixioData,
    host: string,
    port: number | string,
    offset?: number,
    length?: number,
  ): Promise<NixioResult<number>> {
    if (typeof host !== 'string') throw new TypeError('host: a string expected');
    const data = slice(buffer, offset, length);
    const backend = this.#live();
    const wait = this.#wait(this.#sndtimeo);
    if (this.#type === 'stream') return backend.send(data, wait);
    const p = checkPort(port, this.#family, this.#type);
    return p === undefined ? Promise.resolve(badService()) : backend.send(data, wait, host, p);
  }

  /** Shuts down one or both directions: `'rdwr'` (default), `'rd'`, `'wr'`. */
  shutdown(how: 'rdwr' | 'rd' | 'wr' = 'rdwr'): Done {
    if (!(how in SHUTDOWN)) throw new TypeError('how: supported values: rdwr, rd, wr');
    return this.#live().shutdown(SHUTDOWN[how]);
  }

  /** The local address: `[ip, port]`. */
  getsockname(): Name {
    return this.#live().getsockname();
  }

  /** The peer's address: `[ip, port]`. */
  getpeername(): Name {
    return this.#live().getpeername();
  }

  /** The descriptor Node.js holds, or -1 where it holds none yet (before bind or connect). */
  fileno(): number {
    return this.#live().fd;
  }

  /** `false` makes every call that would wait answer EAGAIN (or EINPROGRESS for connect) at once. */
  setblocking(blocking: boolean): Done {
    if (typeof blocking !== 'boolean') throw new TypeError('blocking: a boolean expected');
    this.#live();
    this.#blocking = blocking;
    return ok(true);
  }

  /** Sets an option (see the levels and names of nixio's `setopt`). */
  setopt(level: OptionLevel, option: string, value: unknown, extra?: unknown): Done {
    const key = checkOption(level, option);
    const backend = this.#live();
    if (key === 'socket.rcvtimeo' || key === 'socket.sndtimeo') {
      const seconds = timeo(value, extra);
      if (key === 'socket.rcvtimeo') this.#rcvtimeo = seconds;
      else this.#sndtimeo = seconds;
      return ok(true);
    }
    const target = backend.optionTarget();
    if (Array.isArray(target)) return target as NixioError;
    return setOption(target as never, key, value, extra);
  }

  /** Reads an option: an integer, or `[sec, usec]` for the timeouts. */
  getopt(
    level: OptionLevel,
    option: string,
  ): NixioResult<number | string, number | null, null, NixioError> {
    const key = checkOption(level, option);
    const backend = this.#live();
    if (key === 'socket.rcvtimeo' || key === 'socket.sndtimeo') {
      const t = key === 'socket.rcvtimeo' ? this.#rcvtimeo : this.#sndtimeo;
      const sec = Math.floor(t);
      return [sec, Math.round((t - sec) * 1e6), null];
    }
    if (key === 'socket.error') return ok(backend.pendingError());
    const target = backend.optionTarget();
    if (Array.isArray(target)) return target as NixioError;
    return getOption(target as never, key);
  }

  /** Alias of {@link NixioSocket.setopt}. */
  setsockopt(level: OptionLevel, option: string, value: unknown, extra?: unknown): Done {
    return this.setopt(level, option, value, extra);
  }

  /** Alias of {@link NixioSocket.getopt}. */
  getsockopt(
    level: OptionLevel,
    option: string,
  ): NixioResult<number | string, number | null, null, NixioError> {
    return this.getopt(level, option);
  }

  /** Closes the socket; any later call throws. */
  close(): Done {
    const backend = this.#live();
    this.#backend = undefined;
    backend.close();
    return ok(true);
  }

  /** @internal True once the stream's end was read (POLLHUP). */
  get hangup(): boolean {
    return this.#backend?.hangup ?? false;
  }

  /** For `nixio.poll` (and the core's `select`). */
  get [readiness](): Readiness {
    return this.#backend?.readiness ?? NEVER_READY;
  }
}

const NEVER_READY: Readiness = Object.freeze({
  readable: false,
  writable: false,
  closed: true,
  watch: () => undefined,
  unwatch: () => undefined,
});

function checkHost(host: unknown, family: NixioFamily): string | null {
  if (host === undefined || host === null) return null;
  if (typeof host !== 'string') throw new TypeError('host: a string or nil expected');
  // nixio's "*" is every address, as a null host.
  return host === '*' && family !== 'unix' ? null : host;
}

// A port or a service name, as getaddrinfo takes it; undefined for an unknown service.
function checkPort(port: unknown, family: NixioFamily, type: NixioType): number | undefined {
  if (family === 'unix' || port === undefined || port === null) return 0;
  if (typeof port !== 'string' && typeof port !== 'number')
    throw new TypeError('port: a number or a service name expected');
  return servicePort(port, type);
}

function checkLength(length: unknown): void {
  if (!Number.isInteger(length)) throw new TypeError('length: an integer expected');
  if ((length as number) < 0) throw new RangeError('length: out of range');
}

function slice(buffer: NixioData, offset = 0, length?: number): Uint8Array {
  const bytes = typeof buffer === 'string' ? Buffer.from(buffer, 'latin1') : buffer;
  if (typeof buffer !== 'string' && !(buffer instanceof Uint8Array))
    throw new TypeError('buffer: a string or Uint8Array expected');
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError('offset: out of range');
  if (length !== undefined && (!Number.isInteger(length) || length < 0))
    throw new RangeError('length: out of range');
  const start = Math.min(offset, bytes.length);
  const end = length === undefined ? bytes.length : Math.min(bytes.length, start + length);
  return bytes.subarray(start, end);
}

function timeo(sec: unknown, usec: unknown): number {
  if (!Number.isInteger(sec) || (sec as number) < 0)
    throw new RangeError('value: seconds expected');
  const micro = usec ?? 0;
  if (!Number.isInteger(micro) || (micro as number) < 0) throw new RangeError('usec: out of range');
  return (sec as number) + (micro as number) / 1e6;
}
