/**
 * The buffer model against real LuaSocket (lua5.4 + lua-socket): a random
 * stream arrives in random pieces, with pauses, between random receives
 * (patterns, prefixes, `settimeout` 0 or a few milliseconds), and every
 * result tuple LuaSocket returns must be the one the model predicts from
 * the bytes written before it. test/fuzz/buffer-session.lua runs each case
 * over a loopback connection to itself, so what has arrived at each receive
 * is known exactly.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasLua, runLua } from '../helpers/lua.js';
import {
  binaryPiece,
  bulkPiece,
  cutStream,
  describeRequest,
  piecesOf,
  request,
} from './arbitraries.js';
import { fuzzSeed, tally } from './fuzz-run.js';
import { LUASOCKET, receive, withPrefix, type End, type Request } from './model.js';

const seed = fuzzSeed();
const stats = tally('model vs LuaSocket', seed);

/** One receive of a case: the pieces written before it, its timeout, the request. */
interface Step {
  readonly writes: number;
  readonly timeout: number;
  readonly request: Request;
}

interface Case {
  readonly pieces: Buffer[];
  readonly steps: Step[];
  /** How the writer ends, and before which step (after every piece). */
  readonly end: End;
  readonly endBefore: number;
}

const step: fc.Arbitrary<Step> = fc.record({
  writes: fc.nat(2),
  timeout: fc.constantFrom(0, 0, 0.001, 0.004),
  request: request({ any: false, maxCount: 64 }),
});

const aCase: fc.Arbitrary<Case> = fc
  .record({
    cut: cutStream(fc.oneof({ weight: 4, arbitrary: binaryPiece() }, bulkPiece()), 8),
    steps: fc.array(step, { minLength: 1, maxLength: 40, size: 'medium' }),
    end: fc.constantFrom<End>('open', 'fin', 'fin', 'reset'),
    endAt: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ cut, steps, end, endAt }) => ({
    pieces: piecesOf(cut.stream, cut.cuts),
    steps,
    end,
    endBefore: Math.floor(endAt * steps.length),
  }));

const hex = (bytes: Uint8Array): string =>
  bytes.length === 0 ? '-' : Buffer.from(bytes).toString('hex');

/** A request as buffer-session.lua's `recv` words: the pattern, the prefix (an empty one is none to LuaSocket). */
function luaRequest(r: Request): string {
  if (r.kind === 'any') throw new Error('LuaSocket 3 has no receiveany');
  const pattern = r.kind === 'line' ? 'l' : r.kind === 'all' ? 'a' : String(r.n);
  return `${pattern} ${hex(r.prefix ?? Buffer.alloc(0))}`;
}

/** The case as buffer-session.lua's commands, and the line the model expects for each receive. */
function script(c: Case): { commands: string[]; expected: string[]; labels: string[] } {
  const commands: string[] = [];
  const expected: string[] = [];
  const labels: string[] = [];
  let arrived = Buffer.alloc(0);
  let next = 0;
  let end: End = 'open';
  const write = (): void => {
    const piece = c.pieces[next++] as Buffer;
    commands.push(`write ${hex(piece)}`);
    arrived = Buffer.concat([arrived, piece]);
  };
  c.steps.forEach((s, i) => {
    if (i === c.endBefore && c.end !== 'open') {
      while (next < c.pieces.length) write();
      commands.push(c.end);
      end = c.end;
    }
    for (let k = 0; k < s.writes && next < c.pieces.length && end === 'open'; k++) write();
    const r = s.request;
    commands.push(`timeout ${s.timeout}`, `recv ${luaRequest(r)}`);
    const answer = receive(arrived, end, r, LUASOCKET);
    arrived = arrived.subarray(answer.consumed);
    const shown = hex(withPrefix(r, answer));
    expected.push(answer.ok ? `ok ${shown}` : `err ${answer.error} ${shown}`);
    labels.push(`${describeRequest(r)} t=${s.timeout}`);
  });
  return { commands, expected, labels };
}

/** Runs the commands under real LuaSocket and returns the line printed for each receive. */
async function luasocket(commands: readonly string[], receives: number): Promise<string[]> {
  const lua = runLua('../fuzz/buffer-session.lua');
  try {
    for (const command of commands) lua.write(command);
    lua.child.stdin?.end();
    const got: string[] = [];
    for (let i = 0; i < receives; i++) got.push(await lua.line());
    expect(await lua.line()).toBe('done');
    return got;
  } finally {
    await lua.exit();
  }
}

describe.skipIf(!hasLua)('the buffer model', () => {
  it('predicts every receive of real LuaSocket 3', async () => {
    await fc.assert(
      fc.asyncProperty(aCase, async (c) => {
        const { commands, expected, labels } = script(c);
        const got = await luasocket(commands, expected.length);
        stats.runs++;
        stats.bytes += c.pieces.reduce((n, p) => n + p.length, 0);
        stats.extra.receives = (stats.extra.receives ?? 0) + got.length;
        const mismatch = got.findIndex((line, i) => line !== expected[i]);
        if (mismatch !== -1) stats.mismatches++;
        // Every step with its outcome: the first difference shows where the model and LuaSocket part.
        expect(got.map((g, i) => `${labels[i]}: ${g}`)).toEqual(
          expected.map((e, i) => `${labels[i]}: ${e}`),
        );
      }),
      { seed, numRuns: 50 },
    );
  });
});
