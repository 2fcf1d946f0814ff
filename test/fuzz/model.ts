/**
 * A reference model of LuaSocket's receive buffer (`src/buffer.c`): given
 * the unread bytes that have arrived, how the peer's side ended so far, and
 * one receive request, what the receive answers and how many bytes it
 * consumes. Pure: no I/O, no clock. A request the bytes cannot answer yet
 * answers `timeout` with its partial — what a call with a timeout gives when
 * the time runs out at this point, and what a blocking call goes on waiting
 * after.
 *
 * It reads like buffer.c: `line` is `recvline` (drop every CR, stop at LF),
 * `all` is `recvall` (until the peer closes; nothing read is `closed`),
 * `count` is `recvraw` behind `buffer_meth_receive`'s prefix arithmetic. The
 * prefix goes in front of the value or the partial; here it stays apart
 * (`data` is what came from the stream), and {@link withPrefix} joins them.
 *
 * Two sets of rules: LuaSocket's own, and the core's documented differences
 * (docs/api.md, SPEC): `receive(0)` answers at once on an open socket, a
 * line longer than `maxLineLength` fails with `linetoolong`, `receiveany`
 * exists, and a `'utf8'` socket never ends a partial inside a character.
 * Compat is LuaSocket's rules with the first and third of those.
 */

/** How the writer's side has ended, as far as the reader can see. */
export type End = 'open' | 'fin' | 'reset';

/** One receive call. `prefix` is the caller's bytes, counted towards `n`. */
export type Request =
  | { readonly kind: 'line'; readonly prefix?: Uint8Array | undefined }
  | { readonly kind: 'all'; readonly prefix?: Uint8Array | undefined }
  | { readonly kind: 'count'; readonly n: number; readonly prefix?: Uint8Array | undefined }
  | { readonly kind: 'any'; readonly max: number };

/** What the stream gave (`data`, the prefix not included) and how many bytes that took from it. */
export type Answer =
  | { readonly ok: true; readonly data: Buffer; readonly consumed: number }
  | {
      readonly ok: false;
      readonly error: 'closed' | 'timeout' | 'linetoolong';
      readonly data: Buffer;
      readonly consumed: number;
    };

/** Which buffer the model is of. */
export interface Rules {
  /** LuaSocket's `recvraw(0)` waits for a byte (lunarmodules/luasocket#427); the core answers `''`. */
  readonly zeroCountWaits: boolean;
  /** Longest line in bytes before LF, CRs included; Infinity for none (LuaSocket). */
  readonly maxLineLength: number;
  /** A `'utf8'` socket: partials and `receiveany` never end inside a character. */
  readonly utf8: boolean;
  /** `receiveany` exists (not in LuaSocket 3). */
  readonly any: boolean;
}

/** Real LuaSocket 3. */
export const LUASOCKET: Rules = {
  zeroCountWaits: true,
  maxLineLength: Infinity,
  utf8: false,
  any: false,
};

/** The compat layer: LuaSocket's strings and limits, the core's `receive(0)` and `receiveany`. */
export const COMPAT: Rules = {
  zeroCountWaits: false,
  maxLineLength: Infinity,
  utf8: false,
  any: true,
};

/** The core, for an encoding and a `maxLineLength`. */
export function coreRules(encoding: 'utf8' | 'latin1' | 'buffer', maxLineLength: number): Rules {
  return { zeroCountWaits: false, maxLineLength, utf8: encoding === 'utf8', any: true };
}

const LF = 10;
const CR = 13;
const EMPTY = Buffer.alloc(0);

const ok = (data: Buffer, consumed: number): Answer => ({ ok: true, data, consumed });
const fail = (
  error: 'closed' | 'timeout' | 'linetoolong',
  data: Buffer,
  consumed: number,
): Answer => ({
  ok: false,
  error,
  data,
  consumed,
});

/** The bytes without any CR: `recvline` drops them all, not only the one before LF. */
export function dropCR(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.filter((b) => b !== CR));
}

/**
 * How many of the last bytes are the start of a character still to come:
 * the longest tail (at most 3 bytes) that a streaming UTF-8 decoder takes
 * without giving any text for it yet. Malformed bytes are never held: the
 * decoder answers them with U+FFFD at once.
 */
export function pendingUtf8(bytes: Uint8Array): number {
  for (let t = Math.min(3, bytes.length); t > 0; t--) {
    const tail = bytes.subarray(bytes.length - t);
    if (new TextDecoder('utf-8').decode(tail, { stream: true }) === '') return t;
  }
  return 0;
}

/**
 * A failed call's partial: the bytes it read, consumed. On a `'utf8'`
 * socket that may still get bytes, an unfinished character stays unread.
 */
function partial(
  error: 'closed' | 'timeout' | 'linetoolong',
  bytes: Uint8Array,
  end: End,
  rules: Rules,
  strip: boolean,
): Answer {
  const keep = rules.utf8 && end === 'open' ? bytes.length - pendingUtf8(bytes) : bytes.length;
  const taken = bytes.subarray(0, keep);
  return fail(error, strip ? dropCR(taken) : Buffer.from(taken), keep);
}

/** Why a read that needs more bytes ends now: the peer has gone, or not yet (a timeout). */
const waitEnds = (end: End): 'closed' | 'timeout' => (end === 'open' ? 'timeout' : 'closed');

/** `recvline`: up to the first LF; every CR dropped; the LF consumed, not returned. */
function line(bytes: Uint8Array, end: End, rules: Rules): Answer {
  const lf = bytes.indexOf(LF);
  const length = lf === -1 ? bytes.length : lf;
  if (length > rules.maxLineLength) {
    return partial('linetoolong', bytes.subarray(0, rules.maxLineLength), end, rules, true);
  }
  if (lf !== -1) return ok(dropCR(bytes.subarray(0, lf)), lf + 1);
  return partial(waitEnds(end), bytes, end, rules, true);
}

/**
 * `recvall`: everything until the peer's FIN. A reset is not a FIN: LuaSocket
 * sees ECONNRESET ("closed") after the bytes, and fails with them.
 */
function all(bytes: Uint8Array, end: End, rules: Rules): Answer {
  if (end === 'fin') {
    return bytes.length > 0 ? ok(Buffer.from(bytes), bytes.length) : fail('closed', EMPTY, 0);
  }
  return partial(waitEnds(end), bytes, end, rules, false);
}

/** `recvraw(wanted)`: `wanted` bytes, or fewer as the partial once they cannot all come. */
function raw(bytes: Uint8Array, wanted: number, end: End, rules: Rules): Answer {
  if (wanted === 0) {
    // recvraw(0) still calls buffer_get, which waits for a byte when its buffer is empty.
    if (bytes.length > 0 || (end === 'open' && !rules.zeroCountWaits)) return ok(EMPTY, 0);
    return fail(waitEnds(end), EMPTY, 0);
  }
  if (bytes.length >= wanted) return ok(Buffer.from(bytes.subarray(0, wanted)), wanted);
  return partial(waitEnds(end), bytes, end, rules, false);
}

/**
 * The core's `receiveany(max)`: what is buffered, up to `max` bytes,
 * waiting only when nothing is. A `'utf8'` socket never splits a character:
 * it answers the whole characters within `max`, or, when `max` is shorter
 * than the first character, that character whole once all its bytes are
 * here; an unfinished last character goes out as it is only once nothing
 * more can come.
 */
function any(bytes: Uint8Array, max: number, end: End, rules: Rules): Answer {
  if (bytes.length === 0) return fail(waitEnds(end), EMPTY, 0);
  const size = Math.min(bytes.length, max);
  if (!rules.utf8) return ok(Buffer.from(bytes.subarray(0, size)), size);
  const whole = size - pendingUtf8(bytes.subarray(0, size));
  if (whole > 0) return ok(Buffer.from(bytes.subarray(0, whole)), whole);
  const first = firstCharacter(bytes);
  // A character followed by a byte has ended; the last one may still be waiting for its bytes.
  if (first < bytes.length || pendingUtf8(bytes) === 0) {
    return ok(Buffer.from(bytes.subarray(0, first)), first);
  }
  if (end !== 'open') return ok(Buffer.from(bytes.subarray(0, size)), size);
  return fail('timeout', EMPTY, 0);
}

/**
 * The bytes of the first character (or of the first malformed sequence,
 * which the decoder replaces by one U+FFFD): the shortest start that
 * decodes apart from the rest into the same text as the whole.
 */
function firstCharacter(bytes: Uint8Array): number {
  const text = (b: Uint8Array): string => new TextDecoder('utf-8').decode(b);
  const whole = text(bytes);
  for (let p = 1; p < bytes.length; p++) {
    if (text(bytes.subarray(0, p)) + text(bytes.subarray(p)) === whole) return p;
  }
  return bytes.length;
}

/**
 * `buffer_meth_receive`: what a receive answers given the unread bytes that
 * have arrived and how the writer's side has ended.
 *
 * @throws Error for `receiveany` under rules without it
 */
export function receive(bytes: Uint8Array, end: End, request: Request, rules: Rules): Answer {
  switch (request.kind) {
    case 'line':
      return line(bytes, end, rules);
    case 'all':
      return all(bytes, end, rules);
    case 'count': {
      // A prefix of n bytes or more is the result as it is; otherwise it counts towards n.
      const have = request.prefix?.length ?? 0;
      const wanted = Math.trunc(request.n);
      if (have > 0 && have >= wanted) return ok(EMPTY, 0);
      return raw(bytes, wanted - have, end, rules);
    }
    case 'any':
      if (!rules.any) throw new Error('receiveany is not a LuaSocket 3 call');
      return any(bytes, request.max, end, rules);
  }
}

/** The value or partial a caller sees: the prefix, then what the stream gave. */
export function withPrefix(request: Request, answer: Answer): Buffer {
  const prefix = request.kind === 'any' ? undefined : request.prefix;
  return prefix === undefined || prefix.length === 0
    ? answer.data
    : Buffer.concat([prefix, answer.data]);
}

/**
 * A whole session: the requests run one after the other over `stream`, all
 * of which has arrived, the writer's side having ended as `end` says. Each
 * answer consumes its bytes before the next request.
 */
export function session(
  stream: Uint8Array,
  end: End,
  requests: readonly Request[],
  rules: Rules,
): Answer[] {
  let at = 0;
  return requests.map((request) => {
    const answer = receive(stream.subarray(at), end, request, rules);
    at += answer.consumed;
    return answer;
  });
}
