/**
 * Real clients against the buffer model, over loopback. fast-check makes a
 * stream (LF, CR LF, lone CRs, NUL, high bytes; valid multi-byte UTF-8 for
 * the text client), cuts it into chunks that a raw server writes with small
 * pauses, ends it with a FIN or a reset, and makes a sequence of receives
 * with prefixes and small timeouts that fire mid-stream. The core (in
 * `'buffer'` and `'utf8'` mode) and compat perform them, then drain the
 * rest; replay.ts checks every result against the model at some arrival
 * point and that, values and partials together, the stream was consumed
 * exactly. When every byte and the FIN arrived before the first receive and
 * no receive has a timeout, the results must be exactly the model's.
 */

import fc from 'fast-check';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pause, rawServer, until, write, type RawServer } from '../helpers/loopback.js';
import {
  bulkPiece,
  binaryPiece,
  cutStream,
  describeRequest,
  piecesOf,
  request,
  textPiece,
} from './arbitraries.js';
import { fuzzSeed, tally } from './fuzz-run.js';
import type { Request } from './model.js';
import { openReader, type Reader, type ReaderKind } from './readers.js';
import { replay, type Observed } from './replay.js';

const seed = fuzzSeed();
const stats = tally('receive', seed);
const count = (what: string, n = 1): void =>
  void (stats.extra[what] = (stats.extra[what] ?? 0) + n);

interface Run {
  readonly stream: Buffer;
  readonly cuts: number[];
  /** Milliseconds the writer waits before each chunk. */
  readonly delays: number[];
  readonly end: 'fin' | 'reset';
  /** Each receive, with its timeout in milliseconds (none: it blocks). */
  readonly requests: { request: Request; timeout: number | undefined }[];
  readonly maxLineLength: number;
  /** Everything (and the FIN) arrives before the first receive, which then never times out. */
  readonly arrivedFirst: boolean;
}

function aRun(kind: ReaderKind): fc.Arbitrary<Run> {
  const piece =
    kind === 'core utf8'
      ? textPiece()
      : fc.oneof({ weight: 5, arbitrary: binaryPiece() }, bulkPiece(600));
  return fc
    .record({
      cut: cutStream(piece, 8),
      delays: fc.array(fc.constantFrom(0, 0, 1, 3, 8), { minLength: 12, maxLength: 12 }),
      end: fc.constantFrom<'fin' | 'reset'>('fin', 'fin', 'reset'),
      requests: fc.array(
        fc.record({
          // compat has no receiveany timing-free enough for the exact runs: see `exactRequests`.
          request: request({ any: true, maxCount: 40 }),
          timeout: fc.option(fc.constantFrom(0, 1, 5, 20), { nil: undefined, freq: 4 }),
        }),
        { minLength: 1, maxLength: 16, size: 'medium' },
      ),
      maxLineLength: kind === 'compat' ? fc.constant(Infinity) : fc.constantFrom(1 << 20, 8, 33),
      arrivedFirst: fc.boolean(),
    })
    .map(({ cut, ...rest }) => ({ stream: cut.stream, cuts: cut.cuts, ...rest }));
}

/**
 * The requests of a run whose bytes all arrived first: no timeouts, and
 * (compat, which cannot tell when the bytes have arrived) no receiveany.
 */
function exactRequests(run: Run, kind: ReaderKind): Run['requests'] {
  return run.requests
    .filter(({ request: r }) => kind !== 'compat' || r.kind !== 'any')
    .map(({ request: r }) => ({ request: r, timeout: undefined }));
}

let raw: RawServer;
beforeAll(async () => {
  raw = await rawServer();
});
afterAll(async () => {
  await raw.close();
});

/** The writer: the chunks at their pauses, then the FIN or the reset. */
async function writeAll(peer: Socket, run: Run): Promise<void> {
  for (const [i, chunk] of piecesOf(run.stream, run.cuts).entries()) {
    const delay = run.delays[i] ?? 0;
    if (delay > 0) await pause(delay);
    await write(peer, chunk);
  }
  if (run.end === 'fin') peer.end();
  else {
    // Node.js sends a FIN, not a RST, for a reset made inside a write's callback: wait a turn.
    await new Promise((resolve) => setImmediate(resolve));
    peer.resetAndDestroy();
  }
}

/** Receives until the stream has ended: the rest of what the writer sent, then `closed`. */
async function drain(reader: Reader, observed: Observed[]): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const request: Request = { kind: 'all' };
    const outcome = await reader.receive(request, undefined);
    observed.push({ request, timed: false, outcome });
    if (!outcome.ok) return;
  }
}

async function session(kind: ReaderKind, run: Run): Promise<void> {
  const exact = run.arrivedFirst && run.end === 'fin';
  const requests = exact ? exactRequests(run, kind) : run.requests;
  const [reader, peer] = await Promise.all([
    openReader(kind, raw.port, run.maxLineLength),
    raw.accepted(),
  ]);
  const observed: Observed[] = [];
  try {
    const writing = writeAll(peer, run);
    if (exact) {
      await writing;
      if (reader.buffered !== undefined) await until(() => reader.buffered === run.stream.length);
    }
    for (const { request, timeout } of requests) {
      const outcome = await reader.receive(
        request,
        timeout === undefined ? undefined : timeout / 1000,
      );
      observed.push({ request, timed: timeout !== undefined, outcome });
      if (!outcome.ok && outcome.error === 'timeout' && outcome.partial !== '')
        count('partial timeouts');
    }
    await drain(reader, observed);
    await writing;
  } finally {
    reader.close();
    peer.destroy();
  }
  stats.runs++;
  stats.bytes += run.stream.length;
  count('receives', observed.length);
  if (exact) count('exact runs');
  const sent = { stream: run.stream, boundaries: run.cuts, end: run.end };
  const verdict = replay(sent, observed, reader.rules, reader.show, exact);
  if (typeof verdict !== 'string') {
    if (verdict.end === 'reset') count('resets seen as resets');
    return;
  }
  stats.mismatches++;
  const steps = observed.map(
    (o) =>
      `${describeRequest(o.request)}${o.timed ? ' (timed)' : ''}: ${JSON.stringify(o.outcome)}`,
  );
  const stream = JSON.stringify(run.stream.toString('latin1'));
  expect.fail(`${kind}: ${verdict}\nstream ${stream}\n${steps.join('\n')}`);
}

describe.each<ReaderKind>(['core buffer', 'core utf8', 'compat'])('%s', (kind) => {
  it('answers every receive as the model does at some arrival point, and loses no byte', async () => {
    await fc.assert(
      fc.asyncProperty(aRun(kind), (run) => session(kind, run)),
      { seed, numRuns: 200 },
    );
  });
});
