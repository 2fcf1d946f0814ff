/**
 * Checks what a real client's receives returned against the buffer model
 * when the bytes arrived at times the test does not control. When each
 * receive ran, some prefix of the stream had arrived; which one is unknown,
 * only that it never shrinks. So the results are replayed over every
 * arrival point still possible: each result must be the model's answer for
 * one of them, the bytes each answer consumed must follow on from the last,
 * and at the end the stream must have been consumed whole (after a FIN) or
 * up to where the reset cut it.
 */

import { receive, withPrefix, type Answer, type End, type Request, type Rules } from './model.js';

/** How a receive ended, as the client reported it. */
export type Outcome =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly error: string; readonly partial: string };

/** One receive that ran, and what it gave. */
export interface Observed {
  readonly request: Request;
  /** The call had a timeout: it may end with `timeout` while bytes are still to come. */
  readonly timed: boolean;
  readonly outcome: Outcome;
}

/** What was sent, and how. */
export interface Sent {
  readonly stream: Buffer;
  /** Where each write of the stream ended: the only places bytes can stop arriving. */
  readonly boundaries: readonly number[];
  /** How the writer ended: after all its bytes (`fin`), or cutting what was still in flight. */
  readonly end: 'fin' | 'reset';
}

/** Where the replay may be after some results: how far it has consumed, what had arrived. */
interface State {
  readonly at: number;
  readonly arrived: number;
  readonly end: End;
}

/** A result's text as the test compares it: decoded as the client's encoding decodes. */
export type Show = (bytes: Buffer) => string;

/** What the model says a request gives, in the client's terms. */
function outcomeOf(request: Request, answer: Answer, show: Show): Outcome {
  const text = show(withPrefix(request, answer));
  return answer.ok ? { ok: true, value: text } : { ok: false, error: answer.error, partial: text };
}

function same(a: Outcome, b: Outcome): boolean {
  if (a.ok && b.ok) return a.value === b.value;
  if (!a.ok && !b.ok) return a.error === b.error && a.partial === b.partial;
  return false;
}

/** The states `state` may move to by one receive that gave `seen`, over the arrival points given. */
function steps(
  state: State,
  seen: Observed,
  sent: Sent,
  points: readonly number[],
  rules: Rules,
  show: Show,
): State[] {
  const next: State[] = [];
  const tryAt = (arrived: number, end: End): void => {
    const answer = receive(sent.stream.subarray(state.at, arrived), end, seen.request, rules);
    // A call without a timeout does not end while the model still waits.
    if (!answer.ok && answer.error === 'timeout' && !seen.timed) return;
    if (same(outcomeOf(seen.request, answer, show), seen.outcome)) {
      next.push({ at: state.at + answer.consumed, arrived, end });
    }
  };
  if (state.end !== 'open') {
    tryAt(state.arrived, state.end);
    return next;
  }
  const total = sent.stream.length;
  for (const arrived of points) {
    if (arrived < Math.max(state.arrived, state.at)) continue;
    tryAt(arrived, 'open');
    // A reset is seen as a reset, even right behind the last bytes (where
    // libuv reports a plain EOF and the client asks the kernel).
    if (sent.end === 'reset') tryAt(arrived, 'reset');
    else if (arrived === total) tryAt(arrived, 'fin');
  }
  return next;
}

const keyOf = (s: State): string => `${s.at}/${s.arrived}/${s.end}`;

/** Every arrival point, for when bytes turn out to have arrived in smaller pieces than written. */
const everyPoint = (length: number): number[] => Array.from({ length: length + 1 }, (_, i) => i);

/** A replay that found the results consistent. */
export interface Consistent {
  /** How the replay ended: the writer's FIN or its reset. */
  readonly end: End;
}

/**
 * Replays `results` and returns how they are consistent with the model, or
 * a description of the first result that is not.
 *
 * @param exact - every byte and the end had arrived before the first
 *   receive: the only arrival point is the whole stream
 */
export function replay(
  sent: Sent,
  results: readonly Observed[],
  rules: Rules,
  show: Show,
  exact = false,
): Consistent | string {
  const total = sent.stream.length;
  const points = exact ? [total] : [...new Set([0, ...sent.boundaries, total])];
  let states: State[] = [{ at: 0, arrived: exact ? total : 0, end: 'open' }];
  for (const [i, seen] of results.entries()) {
    const found = new Map<string, State>();
    for (const state of states) {
      let next = steps(state, seen, sent, points, rules, show);
      if (next.length === 0 && !exact)
        next = steps(state, seen, sent, everyPoint(total), rules, show);
      for (const n of next) found.set(keyOf(n), n);
    }
    if (found.size === 0) {
      return `result #${i} ${JSON.stringify(seen.outcome)} is no answer of the model for any arrival point; before it the replay could be at ${states.map(keyOf).join(', ')}`;
    }
    states = [...found.values()];
  }
  const done = states.filter((s) => s.end !== 'open' && s.at === s.arrived);
  if (done.length > 0) return { end: sent.end };
  return `the results do not consume the stream to its end (${total} bytes, ${sent.end}); the replay ends at ${states.map(keyOf).join(', ')}`;
}
