/**
 * The buffer model against cases worked out by hand from LuaSocket's
 * `src/buffer.c` and the core's documented rules (docs/api.md, SPEC). Real
 * LuaSocket checks it in model-luasocket.test.ts.
 */

import { describe, expect, it } from 'vitest';
import {
  COMPAT,
  coreRules,
  LUASOCKET,
  pendingUtf8,
  receive,
  session,
  withPrefix,
  type Answer,
  type End,
  type Request,
  type Rules,
} from './model.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

/** An answer in a diffable form: latin1 strings. */
function shown(request: Request, answer: Answer): string {
  const text = withPrefix(request, answer).toString('latin1');
  const head = answer.ok ? `ok ${JSON.stringify(text)}` : `${answer.error} ${JSON.stringify(text)}`;
  return `${head} /${answer.consumed}`;
}

function answer(bytes: string, end: End, request: Request, rules: Rules = LUASOCKET): string {
  return shown(request, receive(b(bytes), end, request, rules));
}

const line = (prefix?: string): Request => ({
  kind: 'line',
  prefix: prefix ? b(prefix) : undefined,
});
const all = (prefix?: string): Request => ({ kind: 'all', prefix: prefix ? b(prefix) : undefined });
const count = (n: number, prefix?: string): Request => ({
  kind: 'count',
  n,
  prefix: prefix === undefined ? undefined : b(prefix),
});

describe('recvline', () => {
  it('stops at LF, drops every CR, and consumes the LF', () => {
    expect(answer('a\rb\r\ncd', 'open', line())).toBe('ok "ab" /5');
    expect(answer('\n', 'open', line())).toBe('ok "" /1');
    expect(answer('x\r\r\ny', 'open', line('P'))).toBe('ok "Px" /4');
  });

  it('without an LF: the bytes so far, CRs dropped, as the partial of timeout or closed', () => {
    expect(answer('ab\r', 'open', line('>'))).toBe('timeout ">ab" /3');
    expect(answer('ab\r', 'fin', line())).toBe('closed "ab" /3');
    expect(answer('', 'reset', line('p'))).toBe('closed "p" /0');
  });

  it('past maxLineLength (the core): linetoolong with the first bytes, CRs dropped', () => {
    const rules = coreRules('buffer', 4);
    expect(answer('abcd\n', 'open', line(), rules)).toBe('ok "abcd" /5');
    expect(answer('a\rbcd\n', 'open', line(), rules)).toBe('linetoolong "abc" /4');
    expect(answer('abcdefgh', 'open', line(), rules)).toBe('linetoolong "abcd" /4');
    expect(answer('abc', 'fin', line(), rules)).toBe('closed "abc" /3');
  });
});

describe('recvall', () => {
  it('succeeds after the FIN with what it read, and fails with closed when that is nothing', () => {
    expect(answer('a\r\nb', 'fin', all('P'))).toBe('ok "Pa\\r\\nb" /4');
    expect(answer('', 'fin', all('P'))).toBe('closed "P" /0');
  });

  it('before the FIN: timeout with everything as the partial', () => {
    expect(answer('abc', 'open', all())).toBe('timeout "abc" /3');
  });

  it('after a reset: closed, with the bytes that came before it', () => {
    expect(answer('abc', 'reset', all())).toBe('closed "abc" /3');
  });
});

describe('recvraw', () => {
  it('reads n minus the prefix; a prefix of n bytes or more is the result', () => {
    expect(answer('abcdef', 'open', count(4, 'x'))).toBe('ok "xabc" /3');
    expect(answer('abcdef', 'open', count(2, 'xyz'))).toBe('ok "xyz" /0');
    expect(answer('abcdef', 'open', count(0, 'q'))).toBe('ok "q" /0');
    expect(answer('abcdef', 'open', count(2.9))).toBe('ok "ab" /2');
  });

  it('short: the bytes so far as the partial', () => {
    expect(answer('ab', 'open', count(5))).toBe('timeout "ab" /2');
    expect(answer('ab', 'fin', count(5, '-'))).toBe('closed "-ab" /2');
  });

  it("receive(0): LuaSocket waits for a byte (luasocket#427), the core doesn't", () => {
    expect(answer('', 'open', count(0))).toBe('timeout "" /0');
    expect(answer('x', 'open', count(0))).toBe('ok "" /0');
    expect(answer('', 'fin', count(0))).toBe('closed "" /0');
    expect(answer('', 'open', count(0), COMPAT)).toBe('ok "" /0');
    expect(answer('', 'reset', count(0), COMPAT)).toBe('closed "" /0');
  });
});

describe("the core's receiveany", () => {
  const any = (max: number): Request => ({ kind: 'any', max });

  it('answers what is buffered up to max, waits on nothing, closed at the end', () => {
    expect(answer('abcdef', 'open', any(4), COMPAT)).toBe('ok "abcd" /4');
    expect(answer('ab', 'open', any(4), COMPAT)).toBe('ok "ab" /2');
    expect(answer('', 'open', any(4), COMPAT)).toBe('timeout "" /0');
    expect(answer('', 'fin', any(4), COMPAT)).toBe('closed "" /0');
    expect(() => receive(b('a'), 'open', any(1), LUASOCKET)).toThrow(/receiveany/);
  });

  it("on 'utf8' never splits a character, nor waits for one whose bytes are here", () => {
    const utf8 = coreRules('utf8', Infinity);
    const text = (s: string, end: End, request: Request): string => {
      const a = receive(Buffer.from(s), end, request, utf8);
      return `${a.ok ? 'ok' : a.error} ${a.data.toString('utf8')} /${a.consumed}`;
    };
    expect(text('a€b', 'open', any(2))).toBe('ok a /1');
    expect(text('€b', 'open', any(1))).toBe('ok € /3');
    expect(text('é€', 'open', any(3))).toBe('ok é /2');
    const cut = Buffer.from('€').subarray(0, 2);
    expect(receive(cut, 'open', any(8), utf8)).toMatchObject({ ok: false, error: 'timeout' });
    expect(receive(cut, 'fin', any(1), utf8)).toMatchObject({ ok: true, consumed: 1 });
    // A lead byte followed by ASCII is one malformed character, the U+FFFD a decoder makes of it.
    const malformed = Buffer.from([0xe2, 0x41, 0x42]);
    expect(receive(malformed, 'open', any(1), utf8)).toMatchObject({ ok: true, consumed: 1 });
  });
});

describe('utf8 partials', () => {
  it('keep an unfinished character unread while more may come', () => {
    const utf8 = coreRules('utf8', Infinity);
    const bytes = Buffer.concat([Buffer.from('ab'), Buffer.from('é').subarray(0, 1)]);
    expect(receive(bytes, 'open', line(), utf8)).toMatchObject({ consumed: 2 });
    expect(receive(bytes, 'fin', line(), utf8)).toMatchObject({ consumed: 3 });
    expect(receive(bytes, 'open', line(), coreRules('latin1', Infinity))).toMatchObject({
      consumed: 3,
    });
  });

  it('pendingUtf8 holds the start of a character, never malformed bytes', () => {
    const euro = Buffer.from('€'); // e2 82 ac
    expect(pendingUtf8(euro)).toBe(0);
    expect(pendingUtf8(euro.subarray(0, 2))).toBe(2);
    expect(pendingUtf8(Buffer.from([0x41, 0xf0, 0x90, 0x80]))).toBe(3);
    expect(pendingUtf8(Buffer.from([0xe0, 0x80]))).toBe(0); // overlong: already malformed
    expect(pendingUtf8(Buffer.from([0x82]))).toBe(0);
    expect(pendingUtf8(Buffer.from([0xc3, 0xe2, 0x82]))).toBe(2);
  });
});

it('a session consumes each answer before the next request', () => {
  const requests = [line(), count(3, 'x'), all(), all()];
  const answers = session(b('one\r\ntwo\n'), 'fin', requests, LUASOCKET);
  expect(answers.map((a, i) => shown(requests[i] as Request, a))).toEqual([
    'ok "one" /5',
    'ok "xtw" /2',
    'ok "o\\n" /2',
    'closed "" /0',
  ]);
});
