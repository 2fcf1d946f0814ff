/**
 * One soak connection or datagram round, with the receive pattern drawn at
 * random: TCP through the proxy to the echo server, on the core
 * (`'*l'`, counts with a prefix, `receiveany`, `receiveBuffered`,
 * `lines()`, `'*a'` after a half-close) or on compat (`'*l'`, counts,
 * `'*a'`), and UDP to an echo socket. Each checks that what comes back is
 * byte for byte what was sent; on a lossy lane a failure must be a close
 * whose partial is a prefix of what was due.
 */

import socket from '../../compat/index.js';
import { connect, SocketError, type TcpClient } from '../../src/index.js';
import type { Random } from './probes.js';

/** Where a connection goes and whether its lane may cut it. */
export interface Lane {
  readonly host: string;
  readonly port: number;
  readonly lossy: boolean;
}

/** What one connection did: bytes verified and how it ended. */
export interface Outcome {
  bytes: number;
  exchanges: number;
  /** `'ok'`, an allowed cut (`'cut: …'`) or a failure (`'FAIL: …'`). */
  end: string;
}

const WAIT = 30;
const TEXT = 'abcdefghijklmnopqrstuvwxyz0123456789 .,;:-_=+*/\t';

/** `k` lines of text, each ended by LF or CRLF; and the lines as `'*l'` returns them. */
function lines(rng: Random, k: number): { wire: string; expected: string[] } {
  const expected = Array.from({ length: k }, () =>
    Array.from({ length: rng.int(0, 200) }, () => rng.pick([...TEXT])).join(''),
  );
  return { wire: expected.map((l) => l + (rng.next() < 0.5 ? '\n' : '\r\n')).join(''), expected };
}

const latin1 = (b: Buffer): string => b.toString('latin1');

/**
 * What a read was due to return when it failed or came back short. A
 * `'*a'` or a `lines()` loop ends quietly at a FIN: short, not failed.
 */
class Short extends Error {
  constructor(
    readonly got: string,
    readonly due: string,
  ) {
    super(`echo differs: ${got.length} of ${due.length} bytes`);
  }
}

/** What the read in progress was due to return, and by which pattern. */
interface Progress {
  due: string;
  lines: boolean;
  pattern: string;
}

/** One core exchange: sends, reads the echo back by a random pattern, returns the bytes checked. */
async function coreExchange(
  client: TcpClient<string>,
  rng: Random,
  last: boolean,
  progress: Progress,
): Promise<number> {
  const wait = { timeout: WAIT };
  const pattern =
    last && rng.next() < 0.3 ? 'all' : rng.pick(['line', 'lines', 'count', 'any', 'buffered']);
  if (pattern === 'line' || pattern === 'lines') {
    const { wire, expected } = lines(rng, rng.int(1, 20));
    progress.lines = true;
    progress.pattern = pattern;
    await client.send(wire, wait);
    const got: string[] = [];
    if (pattern === 'line') {
      for (const line of expected) {
        progress.due = line;
        got.push(await client.receive('*l', wait));
      }
    } else {
      // A failure is thrown into the loop with the partial of the line it was reading.
      progress.due = expected[0] ?? '';
      for await (const line of client.lines(wait)) {
        if (got.push(line) === expected.length) break;
        progress.due = expected[got.length] ?? '';
      }
    }
    const [text, due] = [got.join('\n'), expected.join('\n')];
    if (text !== due) throw new Short(text, due);
    return Buffer.byteLength(wire, 'latin1');
  }
  const data = latin1(rng.bytes(rng.int(1, 64 * 1024)));
  progress.due = data;
  progress.lines = false;
  progress.pattern = pattern;
  await client.send(data, wait);
  let got = '';
  if (pattern === 'all') {
    client.shutdown('send');
    got = await client.receive('*a', wait);
  } else if (pattern === 'count') {
    const prefix = rng.next() < 0.5 ? '' : latin1(rng.bytes(rng.int(1, 16)));
    progress.due = prefix + data;
    const n = prefix.length + data.length;
    got = (await client.receive(n, { ...wait, prefix })).slice(prefix.length);
  } else {
    while (got.length < data.length) {
      progress.due = data.slice(got.length);
      const n = Math.min(data.length - got.length, rng.int(1, 4096));
      got +=
        pattern === 'any'
          ? await client.receiveany(n, wait)
          : (client.receiveBuffered(n) ?? (await client.receive(n, wait)));
    }
  }
  if (got !== data) throw new Short(got, data);
  return data.length;
}

/** How a failed core connection ended: an allowed cut on a lossy lane, else a failure. */
function coreEnd(lane: Lane, err: unknown, progress: Progress): string {
  if (lane.lossy && err instanceof Short && err.due.startsWith(err.got)) return 'cut: short read';
  if (!lane.lossy || !(err instanceof SocketError) || err.code !== 'closed')
    return `FAIL: ${String(err)}`;
  const partial: string | Buffer | undefined = (err as SocketError).partial;
  const text = partial === undefined ? '' : Buffer.isBuffer(partial) ? latin1(partial) : partial;
  // A '*l' partial may hold the CR of a CRLF the cut came after.
  return progress.due.startsWith(progress.lines ? text.replaceAll('\r', '') : text)
    ? 'cut: closed'
    : `FAIL: ${progress.pattern}: the partial (${text.length} bytes) is not a prefix of the ${progress.due.length} due`;
}

/** A core connection: a few exchanges, then close. */
export async function coreConnection(lane: Lane, rng: Random): Promise<Outcome> {
  const out: Outcome = { bytes: 0, exchanges: 0, end: 'ok' };
  let client: TcpClient<string>;
  try {
    client = await connect(lane.host, lane.port, { encoding: 'latin1', timeout: WAIT });
  } catch (err) {
    out.end =
      lane.lossy && err instanceof SocketError && err.code === 'closed'
        ? 'cut: connect'
        : `FAIL: connect ${String(err)}`;
    return out;
  }
  const progress: Progress = { due: '', lines: false, pattern: '' };
  try {
    const n = rng.int(1, 6);
    for (let i = 0; i < n; i++) {
      out.bytes += await coreExchange(client, rng, i === n - 1, progress);
      out.exchanges++;
      if (client.closed) break;
    }
  } catch (err) {
    out.end = coreEnd(lane, err, progress);
  } finally {
    client.close();
  }
  return out;
}

/** A compat connection: LuaSocket's receives in a few exchanges, then close. */
export async function compatConnection(lane: Lane, rng: Random): Promise<Outcome> {
  const out: Outcome = { bytes: 0, exchanges: 0, end: 'ok' };
  const [client, err] = await socket.connect(lane.host, lane.port);
  if (client === null) {
    out.end = lane.lossy && err === 'closed' ? 'cut: connect' : `FAIL: connect ${err}`;
    return out;
  }
  client.settimeout(WAIT);
  const cut = (what: string, e: string, partial: string, due: string): string => {
    // A '*l' partial may hold the CR of a CRLF the cut came after.
    const prefix = due.startsWith(what.includes('*l') ? partial.replaceAll('\r', '') : partial);
    return lane.lossy && e === 'closed' && prefix
      ? `cut: ${what}`
      : `FAIL: ${what} ${e}${prefix ? '' : ' (partial is not a prefix)'}`;
  };
  try {
    const n = rng.int(1, 6);
    for (let i = 0; i < n; i++) {
      const pattern = i === n - 1 && rng.next() < 0.3 ? '*a' : rng.pick(['*l', 'count']);
      const { wire, expected } = lines(rng, rng.int(1, 10));
      const data = pattern === '*l' ? wire : latin1(rng.bytes(rng.int(1, 32 * 1024)));
      const [, sendErr] = await client.send(data);
      if (sendErr !== null) return ((out.end = cut('send', sendErr, '', '')), out);
      if (pattern === '*l') {
        for (const line of expected) {
          const [got, e, partial] = await client.receive('*l');
          if (got === null) return ((out.end = cut("receive '*l'", e, partial, line)), out);
          if (got !== line) return ((out.end = "FAIL: '*l' line differs"), out);
        }
      } else {
        if (pattern === '*a') client.shutdown('send');
        const [got, e, partial] = await client.receive(pattern === '*a' ? '*a' : data.length);
        if (got === null) return ((out.end = cut(`receive ${pattern}`, e, partial, data)), out);
        if (got !== data) {
          const short = lane.lossy && pattern === '*a' && data.startsWith(got);
          return ((out.end = short ? 'cut: short read' : `FAIL: ${pattern} echo differs`), out);
        }
      }
      out.bytes += data.length;
      out.exchanges++;
      if (pattern === '*a') break;
    }
  } finally {
    client.close();
  }
  return out;
}
