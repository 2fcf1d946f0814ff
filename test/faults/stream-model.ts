/**
 * Checks what a reader got against the bytes that were sent: every value
 * and every partial, in order, must be the next piece of the stream as its
 * pattern delivers it ('*l' drops the LF and every CR of the line), none
 * twice, none skipped.
 */

/** One piece a reader got, its prefix already taken off. */
export interface Got {
  /**
   * `line`: a '*l' value; `line-part`: a '*l' partial; `line?`: a line of
   * lines(), either (the last may be unterminated); `exact`: the rest.
   */
  readonly as: 'line' | 'line-part' | 'line?' | 'exact';
  readonly bytes: Buffer;
  readonly what: string;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * The offsets in `sent` where the reader may stand after `got`; a '*l'
 * partial leaves it unknown how many CRs after it were taken, so a set.
 */
export function replay(sent: Buffer, got: readonly Got[]): Set<number> {
  let at = new Set([0]);
  got.forEach((g, index) => {
    const next = new Set<number>();
    for (const p of at) for (const q of step(sent, p, g)) next.add(q);
    if (next.size === 0) {
      const from = Math.min(...at);
      let same = 0;
      while (same < g.bytes.length && g.bytes[same] === sent[from + same]) same++;
      throw new Error(
        `piece #${index} (${g.what}, ${g.bytes.length} bytes) does not continue the stream at ${[...at].join('|')}: ` +
          `its byte ${same} is ${show(g.bytes.subarray(same))}, the stream's is ${show(sent.subarray(from + same))}`,
      );
    }
    at = next;
  });
  return at;
}

function step(sent: Buffer, p: number, g: Got): number[] {
  if (g.as === 'line?')
    return [...step(sent, p, { ...g, as: 'line' }), ...step(sent, p, { ...g, as: 'line-part' })];
  const d = g.bytes;
  if (g.as === 'exact') return sent.subarray(p, p + d.length).equals(d) ? [p + d.length] : [];
  if (g.as === 'line') {
    const lf = sent.indexOf(LF, p);
    if (lf < 0) return [];
    return withoutCR(sent.subarray(p, lf)).equals(d) ? [lf + 1] : [];
  }
  let i = p;
  for (let k = 0; k < d.length; i++) {
    const b = sent[i];
    if (b === undefined || b === LF) return [];
    if (b === CR) continue;
    if (b !== d[k++]) return [];
  }
  const ends = [i];
  while (sent[i] === CR) ends.push(++i);
  return ends;
}

function withoutCR(b: Buffer): Buffer {
  return b.includes(CR) ? Buffer.from(b.filter((x) => x !== CR)) : b;
}

function show(b: Buffer): string {
  return JSON.stringify(b.subarray(0, 24).toString('latin1'));
}
