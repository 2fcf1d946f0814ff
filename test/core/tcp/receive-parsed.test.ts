import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { SocketError } from '../../../src/index.js';
import { parsePattern, type ParsedPattern } from '../../../src/stream/pattern.js';
import { receiveParsed, receiveParsedNow } from '../../../src/tcp/receive-parsed.js';
import { ALL_BYTES, loopback, socketError, until, write } from '../../helpers/loopback.js';
import { socketErrorOf } from '../../helpers/thrown.js';

const LINE: ParsedPattern = { kind: 'line' };
const ALL: ParsedPattern = { kind: 'all' };
const count = (n: number): ParsedPattern => ({ kind: 'count', n });

/** The timers the process holds. */
function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('receiveParsedNow', () => {
  test('receiveParsedNow returns what the buffer holds as the value itself, not a promise', async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    lb.peer.write('one\r\ntwo\nxyz');
    await until(() => lb.client.buffered === 12, 10_000, 'bytes buffered');
    expect(receiveParsedNow(lb.client, LINE, '')).toBe('one');
    expect(receiveParsedNow(lb.client, LINE, '>')).toBe('>two');
    expect(receiveParsedNow(lb.client, count(2), '')).toBe('xy');
    expect(lb.client.buffered).toBe(1);
  });

  test('receiveParsedNow counts the prefix towards a count, and a prefix of n bytes or more is the result', async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    lb.peer.write('abcdef');
    await until(() => lb.client.buffered === 6, 10_000, 'bytes buffered');
    expect(receiveParsedNow(lb.client, count(5), 'PP')).toBe('PPabc');
    expect(receiveParsedNow(lb.client, count(2), 'PPP')).toBe('PPP');
    expect(lb.client.buffered).toBe(3);
  });

  test('receiveParsedNow takes what parsePattern made by Lua rules, as it is', async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    lb.peer.write('line\n0123456789');
    await until(() => lb.client.buffered === 15, 10_000, 'bytes buffered');
    expect(receiveParsedNow(lb.client, parsePattern('*line', true), '')).toBe('line');
    expect(receiveParsedNow(lb.client, parsePattern(' 0x3 ', true), '')).toBe('012');
  });

  test('receiveParsedNow answering from the buffer starts no timer, even with timeouts set', async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    lb.client.settimeout(30);
    lb.client.settimeout(60, 't');
    lb.peer.write('a\nb\n');
    await until(() => lb.client.buffered === 4, 10_000, 'bytes buffered');
    const before = timers();
    expect(receiveParsedNow(lb.client, LINE, '')).toBe('a');
    expect(receiveParsedNow(lb.client, count(2), '')).toBe('b\n');
    expect(timers()).toBe(before);
  });

  test('receiveParsedNow answers undefined and consumes nothing when the call would wait', async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    lb.peer.write('part');
    await until(() => lb.client.buffered === 4, 10_000, 'bytes buffered');
    expect(receiveParsedNow(lb.client, LINE, '>')).toBeUndefined();
    expect(receiveParsedNow(lb.client, count(5), '')).toBeUndefined();
    expect(lb.client.buffered).toBe(4);
  });

  test('receiveParsedNow answers undefined behind a queued receive, so the answers keep call order', async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    const first = lb.client.receive(3);
    expect(receiveParsedNow(lb.client, count(2), '')).toBeUndefined();
    await write(lb.peer, 'abcde');
    expect(await first).toBe('abc');
    expect(receiveParsedNow(lb.client, count(2), '')).toBe('de');
  });

  test("receiveParsedNow throws 'closed' at once, with the partial consumed, once the peer has closed", async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    lb.peer.end('no end of line');
    // Until the peer's FIN has arrived too, the line may still come: undefined, nothing consumed.
    const attempt = (): SocketError | undefined => {
      try {
        const value = receiveParsedNow(lb.client, LINE, '>');
        if (value !== undefined) throw new Error(`answered ${value}`);
        return undefined;
      } catch (err) {
        if (err instanceof SocketError) return err as SocketError;
        throw err;
      }
    };
    let err: SocketError | undefined;
    await until(() => (err = attempt()) !== undefined, 10_000, 'EOF');
    expect(err?.code).toBe('closed');
    expect(err?.partial).toBe('>no end of line');
    expect(lb.client.buffered).toBe(0);
    expect(socketErrorOf(() => receiveParsedNow(lb.client, ALL, '')).code).toBe('closed');
  });
});

describe('receiveParsed', () => {
  test('receiveParsed resolves with the data once it arrives', async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    const pending = receiveParsed(lb.client, LINE, '>');
    await write(lb.peer, 'late\n');
    expect(await pending).toBe('>late');
  });

  test('receiveParsed takes a Lua-parsed count as it is, the prefix counting towards it', async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    const pending = receiveParsed(lb.client, parsePattern('5', true), 'ab');
    await write(lb.peer, 'cdefg');
    expect(await pending).toBe('abcde');
    expect(await receiveParsed(lb.client, count(1), 'xy')).toBe('xy');
  });

  test("receiveParsed rejects a timeout with 'timeout' and the partial, and the socket stays usable", async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    await write(lb.peer, 'half');
    await until(() => lb.client.buffered === 4, 10_000, 'bytes buffered');
    lb.client.settimeout(0);
    const err = await socketError(receiveParsed(lb.client, LINE, '>'));
    expect(err).toMatchObject({ code: 'timeout', partial: '>half' });
    lb.client.settimeout(null);
    const next = receiveParsed(lb.client, LINE, '');
    await write(lb.peer, ' line\n');
    expect(await next).toBe(' line');
  });

  test("receiveParsed with an aborted signal rejects with 'aborted' and consumes nothing", async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    lb.peer.write('kept\n');
    await until(() => lb.client.buffered === 5, 10_000, 'bytes buffered');
    const reason = new Error('stop');
    const err = await socketError(
      receiveParsed(lb.client, LINE, 'P', { signal: AbortSignal.abort(reason) }),
    );
    expect(err).toMatchObject({ code: 'aborted', cause: reason, partial: 'P' });
    expect(await lb.client.receive()).toBe('kept');
  });

  test('receiveParsed refuses bad wait options with TypeError, synchronously', async () => {
    await using lb = await loopback();
    expect(() =>
      receiveParsed(lb.client, LINE, '', { timeout: 'soon' as unknown as number }),
    ).toThrow(TypeError);
  });

  test('receiveParsedNow then receiveParsed give every byte back exactly, for any split of the reads', async () => {
    await using lb = await loopback({ encoding: 'latin1' });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 12 }),
        fc.nat({ max: 400 }),
        async (sizes, early) => {
          const total = sizes.reduce((a, b) => a + b, 0);
          const bytes = Buffer.alloc(total, 0);
          for (let i = 0; i < total; i++) bytes[i] = ALL_BYTES[(i * 37) % 256] as number;
          // Part of the bytes may be buffered before the reads start, the rest after.
          const cut = Math.min(early, total);
          await write(lb.peer, bytes.subarray(0, cut));
          await until(() => lb.client.buffered >= cut, 10_000, 'bytes buffered');
          const rest = write(lb.peer, bytes.subarray(cut));
          let got = '';
          for (const n of sizes) {
            got +=
              receiveParsedNow(lb.client, count(n), '') ??
              (await receiveParsed(lb.client, count(n), ''));
          }
          await rest;
          expect(Buffer.from(got, 'latin1')).toEqual(bytes);
        },
      ),
      { numRuns: 50 },
    );
  });
});
