/**
 * What the kernel reports for a socket buffer size it was asked for, so that
 * tests assert the rule rather than one machine's numbers: Linux doubles the
 * size (room for its bookkeeping) and caps it at twice `net.core.rmem_max`
 * (receive) or `wmem_max` (send), which it reads from /proc here. Other
 * systems report at least the size asked for, within their own limits.
 */

import { readFileSync } from 'node:fs';

/** Which of the two buffers. */
export type BufferKind = 'recv-buffer-size' | 'send-buffer-size';

/**
 * `net.core.{r,w}mem_max` (`'max'`) or `…_default` (`'default'`) for the
 * buffer, or undefined off Linux.
 */
export function procSize(kind: BufferKind, which: 'max' | 'default'): number | undefined {
  const file = `${kind === 'recv-buffer-size' ? 'rmem' : 'wmem'}_${which}`;
  try {
    return Number(readFileSync(`/proc/sys/net/core/${file}`, 'utf8').trim());
  } catch {
    return undefined;
  }
}

/** The cap the kernel applies to what is asked (before doubling), or undefined off Linux. */
export const BUFFER_MAX: Readonly<Record<BufferKind, number | undefined>> = {
  'recv-buffer-size': procSize('recv-buffer-size', 'max'),
  'send-buffer-size': procSize('send-buffer-size', 'max'),
};

/**
 * Checks `reported` against the rule for `asked` bytes. `asked` must be above
 * the kernel's minimum (a few KiB), where Linux's answer is exact.
 * @returns a description of the mismatch, or '' when it holds
 */
export function mismatch(kind: BufferKind, asked: number, reported: unknown): string {
  if (typeof reported !== 'number') return `${kind}: expected a number, got ${String(reported)}`;
  const max = BUFFER_MAX[kind];
  if (max === undefined) {
    return reported >= asked ? '' : `${kind}: asked ${asked}, reported ${reported}`;
  }
  const expected = 2 * Math.min(asked, max);
  return reported === expected
    ? ''
    : `${kind}: asked ${asked} with ${kind === 'recv-buffer-size' ? 'rmem' : 'wmem'}_max ${max}, ` +
        `expected ${expected}, reported ${reported}`;
}
