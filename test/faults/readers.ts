/**
 * The client side of a fault scenario, once per layer: the core's
 * `TcpClient` (TCP or Unix) and compat's objects, behind one small shape
 * that hands back every value and every failure with its partial.
 */

import socket from 'luasocket-async/compat';
import { isReset } from '../../src/errors/socket-error.js';
import { connect, connectUnix, SocketError, type TcpClient } from '../../src/index.js';
import type { FaultProxy } from './proxy.js';

export type Encoding = 'utf8' | 'latin1' | 'buffer';
export type Data = string | Buffer;

export interface Step {
  readonly pattern: '*l' | '*a' | number | 'any' | 'lines' | 'iterate';
  readonly prefix?: Data | undefined;
  /** receiveany's max. */
  readonly max?: number | undefined;
  /** Per-call timeout in seconds (core only). */
  readonly timeout?: number | undefined;
  /** Aborts the call after this many ms (core only). */
  readonly abortAfter?: number | undefined;
}

export type Outcome =
  | { readonly value: Data }
  | { readonly err: string; readonly partial: Data; readonly reset: boolean };

export interface Reader {
  /** One receive; for `lines` and `iterate`, one loop until it ends or throws, each item reported. */
  receive(step: Step, each: (value: Data) => void): Promise<Outcome>;
  settimeout(seconds: number, mode: 'b' | 't'): void;
  close(): void;
}

export interface Layer {
  readonly name: string;
  readonly patterns: readonly Step['pattern'][];
  readonly abortable: boolean;
  /**
   * A connected reader, or `'reset'` when the peer's reset reached the
   * connect before it completed: the kernel then fails connect(2) with
   * ECONNRESET, a race a reset on accept may win.
   */
  open(proxy: FaultProxy, encoding: Encoding): Promise<Reader | 'reset'>;
}

export function bytesOf(data: Data, encoding: Encoding): Buffer {
  return typeof data === 'string'
    ? Buffer.from(data, encoding === 'utf8' ? 'utf8' : 'latin1')
    : data;
}

function failure(err: unknown): Outcome {
  if (!(err instanceof SocketError)) throw err;
  const partial = (err.partial ?? '') as Data;
  return { err: err.code, partial, reset: isReset(err) };
}

class CoreReader implements Reader {
  constructor(private readonly c: TcpClient<Data>) {}

  async receive(step: Step, each: (value: Data) => void): Promise<Outcome> {
    const ac = step.abortAfter === undefined ? undefined : new AbortController();
    const timer = ac && setTimeout(() => ac.abort(new Error('scenario abort')), step.abortAfter);
    const options = {
      ...(step.timeout !== undefined && { timeout: step.timeout }),
      ...(ac !== undefined && { signal: ac.signal }),
    };
    try {
      const p = step.pattern;
      if (p === 'lines' || p === 'iterate') {
        const items = p === 'lines' ? this.c.lines(options) : this.c;
        let last: Data = '';
        for await (const item of items) each((last = item));
        return { value: last };
      }
      if (p === 'any') return { value: await this.c.receiveany(step.max ?? 65536, options) };
      const prefix = step.prefix === undefined ? {} : { prefix: step.prefix };
      return { value: await this.c.receive(p, { ...prefix, ...options }) };
    } catch (err) {
      return failure(err);
    } finally {
      clearTimeout(timer);
    }
  }

  settimeout(seconds: number, mode: 'b' | 't'): void {
    this.c.settimeout(seconds, mode);
  }

  close(): void {
    this.c.close();
  }
}

export const core = (unix = false): Layer => ({
  name: unix ? 'core unix' : 'core',
  patterns: ['*l', 4, '*a', 'any', 'lines', 'iterate'],
  abortable: true,
  open: async (proxy, encoding) => {
    try {
      const c =
        proxy.path === undefined
          ? await connect(proxy.host, proxy.port, { encoding })
          : await connectUnix(proxy.path, { encoding });
      return new CoreReader(c as TcpClient<Data>);
    } catch (err) {
      if (err instanceof SocketError && isReset(err)) return 'reset';
      throw err;
    }
  },
});

type CompatClient = NonNullable<ReturnType<typeof socket.tcp>[0]>;

class CompatReader implements Reader {
  constructor(private readonly c: Pick<CompatClient, 'receive' | 'settimeout' | 'close'>) {}

  async receive(step: Step): Promise<Outcome> {
    const p = step.pattern;
    if (typeof p !== 'number' && p !== '*l' && p !== '*a') throw new Error(`compat has no ${p}`);
    const prefix = step.prefix === undefined ? undefined : (step.prefix as string);
    const [value, err, partial] = await this.c.receive(p, prefix);
    if (err === null) return { value };
    return { err, partial, reset: false };
  }

  settimeout(seconds: number, mode: 'b' | 't'): void {
    this.c.settimeout(seconds, mode);
  }

  close(): void {
    this.c.close();
  }
}

export const compat = (unix = false): Layer => ({
  name: unix ? 'compat unix' : 'compat',
  patterns: ['*l', 4, '*a'],
  abortable: false,
  open: async (proxy, encoding) => {
    const options = { encoding: encoding === 'utf8' ? ('utf8' as const) : ('latin1' as const) };
    const path = proxy.path;
    if (path !== undefined) {
      const [c, err] = socket.unix(options);
      if (c === null) throw new Error(err);
      const [ok, e] = await c.connect(path);
      if (ok === null && e === 'closed') return (c.close(), 'reset');
      if (ok === null) throw new Error(`${e}`, { cause: c.close() });
      return new CompatReader(c);
    }
    const [c, err] = socket.tcp(options);
    if (c === null) throw new Error(err);
    const [ok, e] = await c.connect(proxy.host, proxy.port);
    if (ok === null && e === 'closed') return (c.close(), 'reset');
    if (ok === null) throw new Error(`${e}`, { cause: c.close() });
    return new CompatReader(c);
  },
});
