/**
 * The check that an options bag holds only keys its call knows: a misspelt
 * key (`timeOut`, `timout`) would otherwise be ignored without a word, and
 * a receive meant to time out would wait forever. No I/O.
 *
 * @module
 */

/** The keys every waiting call takes. */
export const WAIT_KEYS: readonly string[] = ['signal', 'timeout'];
/** The keys of a stream receive. */
const RECEIVE_KEYS: readonly string[] = ['signal', 'timeout', 'prefix'];
/** The keys that shape a stream socket's reads. */
export const STREAM_KEYS: readonly string[] = ['encoding', 'maxLineLength', 'highWaterMark'];

/**
 * @internal Throws for the first own key of `options` that `known` lacks.
 * For bags read once (constructors, connect, bind): not for per-call bags.
 * @throws TypeError naming the key and the nearest known one
 */
export function checkKeys(options: object, known: readonly string[], where: string): void {
  for (const key in options) {
    if (!known.includes(key) && Object.hasOwn(options, key)) {
      throw unknownOption(key, known, where);
    }
  }
}

/**
 * @internal The per-call check of a `{ signal, timeout }` bag. A tight
 * loop with a switch, so that a bag on the hot path costs no allocation.
 * @throws TypeError naming the unknown key
 */
export function checkWaitKeys(options: object, where: string): void {
  for (const key in options) {
    switch (key) {
      case 'signal':
      case 'timeout':
        break;
      default:
        if (Object.hasOwn(options, key)) throw unknownOption(key, WAIT_KEYS, where);
    }
  }
}

/**
 * @internal The per-call check of a receive's bag (`prefix` besides the wait keys).
 * @throws TypeError naming the unknown key
 */
export function checkReceiveKeys(options: object, where: string): void {
  for (const key in options) {
    switch (key) {
      case 'signal':
      case 'timeout':
      case 'prefix':
        break;
      default:
        if (Object.hasOwn(options, key)) throw unknownOption(key, RECEIVE_KEYS, where);
    }
  }
}

/** @internal The TypeError for an unknown key, with the nearest known one when one is close. */
export function unknownOption(key: string, known: readonly string[], where: string): TypeError {
  const near = nearest(key, known);
  const hint = near === undefined ? '' : `; did you mean \`${near}\`?`;
  return new TypeError(`Unknown option \`${key}\` in ${where} options${hint}`);
}

/**
 * The known key closest to `key` by edit distance (case ignored), when it
 * is close enough to be a slip: at most a third of its length away.
 */
export function nearest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance && d <= Math.max(1, Math.floor(candidate.length / 3))) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost);
    }
    row = next;
  }
  return row[b.length] ?? 0;
}
