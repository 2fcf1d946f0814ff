/**
 * `nixio.poll` over the core's `select`: nixio's `{fd, events}` tables in,
 * `revents` set on them, with Linux's poll(2) flag values.
 *
 * @module
 */

import { constants as os } from 'node:os';
import { readiness, select } from '../src/index.js';
import { fail, type NixioResult } from './result.js';
import type { NixioSocket } from './socket.js';

/** Linux's poll(2) flags by nixio's names. */
export const POLL_FLAGS = Object.freeze({ in: 1, pri: 2, out: 4, err: 8, hup: 16, nval: 32 });

/** A flag name of {@link POLL_FLAGS}. */
export type PollFlag = keyof typeof POLL_FLAGS;

/** One entry of a poll set, as nixio has it. */
export interface PollEntry {
  fd: NixioSocket;
  events: number;
  revents?: number;
}

/**
 * nixio's `poll_flags`: names to a mask, or a mask to a table of names.
 * @example
 * ```ts
 * import nixio from 'luasocket-async/nixio';
 *
 * const mask = nixio.poll_flags('in', 'out'); // 5
 * console.log(nixio.poll_flags(mask));        // { in: true, out: true }
 * ```
 */
export function pollFlags(...flags: PollFlag[]): number;
export function pollFlags(mask: number): Partial<Record<PollFlag, true>>;
export function pollFlags(
  ...args: (PollFlag | number)[]
): number | Partial<Record<PollFlag, true>> {
  if (typeof args[0] === 'number') {
    const mask = args[0];
    const names: Partial<Record<PollFlag, true>> = {};
    for (const [name, bit] of Object.entries(POLL_FLAGS))
      if ((mask & bit) !== 0) names[name as PollFlag] = true;
    return names;
  }
  let mask = 0;
  for (const flag of args) {
    if (typeof flag !== 'string' || !(flag in POLL_FLAGS))
      throw new TypeError(`flag: supported values: ${Object.keys(POLL_FLAGS).join(', ')}`);
    mask |= POLL_FLAGS[flag];
  }
  return mask;
}

function revents(entry: PollEntry): number {
  const r = entry.fd[readiness];
  if (r.closed && !entry.fd.hangup) return POLL_FLAGS.nval;
  let bits = 0;
  if ((entry.events & POLL_FLAGS.in) !== 0 && r.readable) bits |= POLL_FLAGS.in;
  if ((entry.events & POLL_FLAGS.out) !== 0 && r.writable) bits |= POLL_FLAGS.out;
  if (entry.fd.hangup) bits |= POLL_FLAGS.hup;
  return bits;
}

/**
 * Waits until an entry's events are ready, `timeout` milliseconds at most
 * (negative: forever, 0: just look). Sets `revents` on every entry.
 * @returns `[count, fds, null]`, `[false, null, null]` when the time ran out
 * @example
 * ```ts
 * import nixio from 'luasocket-async/nixio';
 *
 * const [server] = await nixio.bind('127.0.0.1', 0);
 * await server?.listen(8);
 * const fds = [{ fd: server!, events: nixio.poll_flags('in') }];
 * const [count] = await nixio.poll(fds, 10); // false: nobody connected
 * server?.close();
 * ```
 */
export async function poll(
  fds?: PollEntry[] | null,
  timeout = 0,
): Promise<NixioResult<number, PollEntry[], null> | readonly [false, null, null]> {
  if (!Number.isInteger(timeout)) throw new TypeError('timeout: an integer expected');
  const wait = timeout < 0 ? {} : { timeout: timeout / 1000 };
  if (fds === undefined || fds === null || fds.length === 0) {
    // nixio's poll with no set is a sleep.
    if (timeout !== 0) await select(null, null, timeout < 0 ? { timeout: 2 ** 31 } : wait);
    return [0, null, null] as never;
  }
  if (!Array.isArray(fds)) return fail(os.errno.EINVAL);
  for (const [i, entry] of fds.entries())
    if (typeof entry?.fd?.[readiness] !== 'object' || !Number.isInteger(entry.events))
      throw new TypeError(`fds[${i}]: a { fd, events } table expected`);
  const count = (): number => {
    let n = 0;
    for (const entry of fds) {
      entry.revents = revents(entry);
      if (entry.revents !== 0) n++;
    }
    return n;
  };
  let n = count();
  if (n === 0 && timeout !== 0) {
    const reads = fds.filter((e) => (e.events & POLL_FLAGS.in) !== 0).map((e) => e.fd);
    const writes = fds.filter((e) => (e.events & POLL_FLAGS.out) !== 0).map((e) => e.fd);
    await select(reads, writes, wait);
    n = count();
  }
  return n === 0 ? [false, null, null] : [n, fds, null];
}
