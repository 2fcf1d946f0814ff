import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { connect, SocketError, type TcpClient } from '../../../src/index.js';

/** One receive call; `prefix` is LuaSocket's optional third argument. */
type Step =
  | { readonly kind: 'line'; readonly prefix: string | undefined }
  | { readonly kind: 'count'; readonly n: number; readonly prefix: string | undefined }
  | { readonly kind: 'any'; readonly max: number }
  | { readonly kind: 'all'; readonly prefix: string | undefined };

type Result = { readonly value: string } | { readonly error: string; readonly partial: unknown };

/**
 * LuaSocket's `buffer.c` on a byte array the peer sent whole and then closed:
 * `recvline` drops every CR and at EOF fails with `closed` and what it read;
 * `recvraw` reads n minus the prefix (a prefix of n bytes or more is the
 * result); `recvall` succeeds with what it read, or fails when that is nothing.
 * Strings are latin1, one character per byte.
 */
class LuaBufferModel {
  readonly #bytes: string;
  #pos = 0;

  constructor(bytes: Buffer) {
    this.#bytes = bytes.toString('latin1');
  }

  get rest(): number {
    return this.#bytes.length - this.#pos;
  }

  #take(n: number): string {
    const out = this.#bytes.slice(this.#pos, this.#pos + n);
    this.#pos += out.length;
    return out;
  }

  line(prefix = ''): Result {
    const lf = this.#bytes.indexOf('\n', this.#pos);
    if (lf === -1)
      return { error: 'closed', partial: prefix + this.#take(this.rest).replaceAll('\r', '') };
    const line = this.#take(lf - this.#pos).replaceAll('\r', '');
    this.#take(1);
    return { value: prefix + line };
  }

  count(n: number, prefix = ''): Result {
    if (prefix.length > 0 && prefix.length >= n) return { value: prefix };
    const wanted = n - prefix.length;
    const got = this.#take(wanted);
    return got.length === wanted
      ? { value: prefix + got }
      : { error: 'closed', partial: prefix + got };
  }

  all(prefix = ''): Result {
    const got = this.#take(this.rest);
    return got.length > 0 ? { value: prefix + got } : { error: 'closed', partial: prefix };
  }

  /** Consumes as many bytes as a `receiveany` returned, and gives what it should have returned. */
  any(got: string): Result {
    const expected = this.#take(got.length);
    return { value: expected };
  }
}

/**
 * Runs one step on the client; failures become results, so both sides compare
 * alike. With `sync`, a step without a prefix first takes what
 * `receiveBuffered` answers, and awaits `receive` only when it answers nothing.
 */
async function run(client: TcpClient, step: Step, sync: boolean): Promise<Result> {
  // A safety net so that a hang fails with a result instead of the test timeout.
  const timeout = 5;
  if (sync && step.kind !== 'any' && step.prefix === undefined) {
    const now = client.receiveBuffered(
      step.kind === 'line' ? '*l' : step.kind === 'all' ? '*a' : step.n,
    );
    if (now !== undefined) return { value: now };
  }
  try {
    switch (step.kind) {
      case 'line':
        return { value: await client.receive('*l', { prefix: step.prefix, timeout }) };
      case 'count':
        return { value: await client.receive(step.n, { prefix: step.prefix, timeout }) };
      case 'all':
        return { value: await client.receive('*a', { prefix: step.prefix, timeout }) };
      case 'any':
        return { value: await client.receiveany(step.max, { timeout }) };
    }
  } catch (err) {
    if (err instanceof SocketError) return { error: err.code, partial: err.partial };
    throw err;
  }
}

/** A raw server that hands out the sockets it accepts, in order. */
async function rawServer(): Promise<{ server: Server; port: number; next: () => Promise<Socket> }> {
  const server = createServer();
  const ready: Socket[] = [];
  const waiting: ((s: Socket) => void)[] = [];
  server.on('connection', (socket: Socket) => {
    socket.setNoDelay(true);
    const w = waiting.shift();
    if (w !== undefined) w(socket);
    else ready.push(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    next: () => {
      const s = ready.shift();
      return s !== undefined
        ? Promise.resolve(s)
        : new Promise<Socket>((resolve) => waiting.push(resolve));
    },
  };
}

type Pace = 'none' | 'immediate' | 'timer';

/** Writes each chunk, waiting for it to reach the kernel and pacing between writes, then ends. */
async function deliver(
  socket: Socket,
  chunks: readonly Buffer[],
  pacing: readonly Pace[],
): Promise<void> {
  for (const [i, chunk] of chunks.entries()) {
    await new Promise<void>((resolve, reject) =>
      socket.write(chunk, (err) => (err ? reject(err) : resolve())),
    );
    const pace = pacing[i % Math.max(1, pacing.length)] ?? 'none';
    if (pace === 'immediate') await new Promise((resolve) => setImmediate(resolve));
    else if (pace === 'timer') await new Promise((resolve) => setTimeout(resolve, 1));
  }
  socket.end();
}

/** `bytes` cut at the given points. */
function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) chunks.push(bytes.subarray(from, p));
    from = p;
  }
  return chunks;
}

/** Bytes weighted toward LF, CR, NUL and the high half. */
const byte = fc.oneof(
  { arbitrary: fc.constantFrom(10, 13, 0), weight: 4 },
  { arbitrary: fc.integer({ min: 0x80, max: 0xff }), weight: 2 },
  { arbitrary: fc.integer({ min: 0x20, max: 0x7e }), weight: 3 },
);
const prefixArb = fc.option(
  fc.string({ unit: fc.constantFrom('P', '>', '\r', '\0', '\xff', '\x80'), maxLength: 4 }),
  { nil: undefined, freq: 3 },
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: prefixArb.map((prefix) => ({ kind: 'line', prefix }) as const), weight: 5 },
  {
    arbitrary: fc
      .record({ n: fc.nat({ max: 30 }), prefix: prefixArb })
      .map(({ n, prefix }) => ({ kind: 'count', n, prefix }) as const),
    weight: 3,
  },
  {
    arbitrary: fc.integer({ min: 1, max: 20 }).map((max) => ({ kind: 'any', max }) as const),
    weight: 2,
  },
);

/** A byte stream and where to cut it into writes. */
const streamArb = fc
  .array(byte, { maxLength: 400, size: 'medium' })
  .map((a) => Buffer.from(a))
  .chain((bytes) =>
    fc.tuple(
      fc.constant(bytes),
      fc.array(fc.nat({ max: bytes.length }), { maxLength: 40, size: 'medium' }),
    ),
  );

describe('StreamReader over a real socket', () => {
  it("StreamReader gives LuaSocket's results for any chunking and any sequence of patterns", async () => {
    const { server, port, next } = await rawServer();
    try {
      await fc.assert(
        fc.asyncProperty(
          streamArb,
          fc.array(fc.constantFrom<Pace>('none', 'immediate', 'immediate', 'timer'), {
            minLength: 1,
            maxLength: 8,
          }),
          fc.array(stepArb, { maxLength: 40, size: 'medium' }),
          prefixArb,
          fc.boolean(),
          async ([bytes, cuts], pacing, steps, lastPrefix, sync) => {
            const accepted = next();
            const client = await connect('127.0.0.1', port, { encoding: 'latin1' });
            const peer = await accepted;
            try {
              const writing = deliver(peer, split(bytes, cuts), pacing);
              // If a check fails mid-stream, the destroyed peer fails the writes: not a second error.
              writing.catch(() => undefined);
              const model = new LuaBufferModel(bytes);
              for (const [i, step] of [
                ...steps,
                { kind: 'all', prefix: lastPrefix } as const,
              ].entries()) {
                const got = await run(client, step, sync);
                if (step.kind === 'any') {
                  if (model.rest === 0) {
                    expect(got, `step ${i}: receiveany(${step.max}) at EOF`).toEqual({
                      error: 'closed',
                      partial: '',
                    });
                  } else {
                    // How much receiveany returns depends on arrival; what it returns does not.
                    expect('value' in got, `step ${i}: receiveany(${step.max}) failed`).toBe(true);
                    const value = 'value' in got ? got.value : '';
                    expect(value.length).toBeGreaterThanOrEqual(1);
                    expect(value.length).toBeLessThanOrEqual(Math.min(step.max, model.rest));
                    expect(got, `step ${i}: receiveany(${step.max})`).toEqual(model.any(value));
                  }
                  continue;
                }
                if (step.kind === 'count' && step.n === 0 && !step.prefix && model.rest === 0) {
                  // receive(0) answers '' without waiting; once the peer's FIN has
                  // arrived and nothing is left it fails with closed, as LuaSocket's
                  // does. Which one depends on when the FIN lands, so both are right.
                  expect(
                    [{ value: '' }, { error: 'closed', partial: '' }],
                    `step ${i}: receive(0) at the end`,
                  ).toContainEqual(got);
                  continue;
                }
                const expected =
                  step.kind === 'line'
                    ? model.line(step.prefix)
                    : step.kind === 'count'
                      ? model.count(step.n, step.prefix)
                      : model.all(step.prefix);
                expect(got, `step ${i}: ${JSON.stringify(step)}`).toEqual(expected);
              }
              // Every byte was handed out exactly once.
              expect(client.buffered).toBe(0);
              expect(client.getstats().received).toBe(bytes.length);
              await writing;
            } finally {
              client.close();
              peer.destroy();
            }
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('StreamReader reads the same lines whether the bytes come whole or one byte per write', async () => {
    const { server, port, next } = await rawServer();
    const bytes = Buffer.from('a\r\rb\r\n\0\xff\x80\n\n\r\nlast\r', 'latin1');
    const expected: Result[] = [
      { value: 'ab' },
      { value: '\0\xff\x80' },
      { value: '' },
      { value: '' },
      { error: 'closed', partial: 'last' },
      { error: 'closed', partial: '' },
    ];
    try {
      for (const cuts of [[], Array.from(bytes.keys())]) {
        const accepted = next();
        const client = await connect('127.0.0.1', port, { encoding: 'latin1' });
        const peer = await accepted;
        try {
          const writing = deliver(peer, split(bytes, cuts), ['immediate']);
          writing.catch(() => undefined);
          const got: Result[] = [];
          for (let i = 0; i < expected.length; i++)
            got.push(await run(client, { kind: 'line', prefix: undefined }, false));
          expect(got).toEqual(expected);
          await writing;
        } finally {
          client.close();
          peer.destroy();
        }
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
