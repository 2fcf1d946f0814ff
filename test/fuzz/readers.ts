/**
 * The clients the receive fuzzer reads with, behind one interface: a core
 * `TcpClient` in `'buffer'` or `'utf8'` mode, and a compat TCP object. Each
 * performs a model {@link Request} and reports its result as an
 * {@link Outcome} in the client's own text (latin1 for bytes).
 */

import socket, { type TcpObject } from 'luasocket-async/compat';
import { connect, SocketError, type TcpClient } from '../../src/index.js';
import { COMPAT, coreRules, type Request, type Rules } from './model.js';
import type { Outcome, Show } from './replay.js';

/** A wait no call of a run should reach: it only turns a hang into a failed result. */
export const SAFETY = 5;

/** Which client reads. */
export type ReaderKind = 'core buffer' | 'core utf8' | 'compat';

export interface Reader {
  readonly rules: Rules;
  readonly show: Show;
  /** Runs a request; `timeout` in seconds, none for a blocking call. */
  receive(request: Request, timeout: number | undefined): Promise<Outcome>;
  /** Unread bytes, where the client tells (the core); compat does not. */
  readonly buffered: number | undefined;
  close(): void;
}

const latin1: Show = (bytes) => bytes.toString('latin1');
const utf8: Show = (bytes) => bytes.toString('utf8');

const pattern = (r: Request): '*l' | '*a' | number =>
  r.kind === 'line' ? '*l' : r.kind === 'all' ? '*a' : r.kind === 'count' ? r.n : 0;

const prefixOf = (r: Request): Buffer | undefined =>
  r.kind !== 'any' && r.prefix !== undefined ? Buffer.from(r.prefix) : undefined;

/** A core client's result: its value, or its SocketError's code and partial. */
async function settled(
  run: () => Promise<string | Buffer>,
  text: (v: string | Buffer) => string,
): Promise<Outcome> {
  try {
    return { ok: true, value: text(await run()) };
  } catch (err) {
    if (!(err instanceof SocketError)) throw err;
    const partial: unknown = err.partial;
    const got = typeof partial === 'string' || Buffer.isBuffer(partial) ? partial : '';
    return { ok: false, error: err.code, partial: text(got) };
  }
}

function coreReader(
  client: TcpClient<string> | TcpClient<Buffer>,
  rules: Rules,
  show: Show,
): Reader {
  const text = (v: string | Buffer): string => (typeof v === 'string' ? v : v.toString('latin1'));
  // One type for both encodings: the calls are the same, only the result type differs.
  const c = client as TcpClient<string | Buffer>;
  return {
    rules,
    show,
    receive: (r, timeout) => {
      const wait = { timeout: timeout ?? SAFETY };
      const prefix = prefixOf(r);
      if (r.kind === 'any') return settled(() => c.receiveany(r.max, wait), text);
      const options = prefix === undefined ? wait : { ...wait, prefix };
      return settled(() => c.receive(pattern(r), options), text);
    },
    get buffered() {
      return c.buffered;
    },
    close: () => c.close(),
  };
}

function compatReader(obj: TcpObject): Reader {
  return {
    rules: COMPAT,
    show: latin1,
    receive: async (r, timeout) => {
      obj.settimeout(timeout ?? SAFETY);
      const [data, err, partial] =
        r.kind === 'any'
          ? await obj.receiveany(r.max)
          : await obj.receive(pattern(r), prefixOf(r)?.toString('latin1'));
      return err === null ? { ok: true, value: data } : { ok: false, error: err, partial };
    },
    buffered: undefined,
    close: () => obj.close(),
  };
}

/** Connects a reader of `kind` to `port`. */
export async function openReader(
  kind: ReaderKind,
  port: number,
  maxLineLength: number,
): Promise<Reader> {
  if (kind === 'compat') {
    const [obj, err] = await socket.connect('127.0.0.1', port);
    if (obj === null) throw new Error(`compat connect: ${err}`);
    return compatReader(obj);
  }
  const encoding = kind === 'core utf8' ? 'utf8' : 'buffer';
  const rules = coreRules(encoding, maxLineLength);
  const show = encoding === 'utf8' ? utf8 : latin1;
  if (encoding === 'utf8')
    return coreReader(await connect('127.0.0.1', port, { maxLineLength }), rules, show);
  return coreReader(await connect('127.0.0.1', port, { encoding, maxLineLength }), rules, show);
}
