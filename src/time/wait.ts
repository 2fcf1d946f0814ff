/**
 * One pending wait: its deadline timer and its abort listener, released
 * together on every exit path. Created only when a call must really wait.
 *
 * @module
 */

import { addAbortListener } from 'node:events';
import { clock } from './clock.js';
import { checkWaitKeys } from '../errors/option-keys.js';
import { isZeroTimeout, normalizeTimeout, waitDeadline, type TimeoutSettings } from './timeout.js';
import { startTimer, type Timer } from './timer.js';

/** The options every waiting call takes last. */
export interface WaitOptions {
  /** Aborts the call; its reason becomes the error's `cause` (or the rejection). */
  signal?: AbortSignal | undefined;
  /** Seconds this call may last, on top of the socket's own timeouts. */
  timeout?: number | null | undefined;
}

/**
 * @internal When the thing waited on last moved, for waits that share it: a
 * send queued behind another is not idle while the one ahead moves bytes.
 */
export interface Activity {
  last: number;
}

/** Why a wait ended early. */
export type WaitEnd = { kind: 'timeout' } | { kind: 'abort'; reason: unknown };

/**
 * @internal Tracks one wait. `progress()` restarts the block (idle) timeout;
 * the timer is re-armed lazily, so a stream of chunks costs no timer churn.
 */
export class Wait {
  readonly #settings: TimeoutSettings;
  readonly #callTimeout: number | undefined;
  readonly #start: number;
  #last: number;
  #timer: Timer | undefined;
  #abort: Disposable | undefined;
  #onEnd: ((end: WaitEnd) => void) | undefined;
  #ended: WaitEnd | undefined;
  readonly #activity: Activity | undefined;

  constructor(
    settings: TimeoutSettings,
    options: WaitOptions | undefined,
    onEnd: (end: WaitEnd) => void,
    activity?: Activity,
  ) {
    this.#settings = settings;
    this.#activity = activity;
    const callTimeout = (this.#callTimeout = normalizeTimeout(options?.timeout));
    // A wait with no deadline never reads the clock (a float, allocated per read).
    const timed =
      settings.block !== undefined || settings.total !== undefined || callTimeout !== undefined;
    this.#start = this.#last = timed ? clock.now() : 0;
    const signal = options?.signal;
    if (signal !== undefined) {
      this.#abort = addAbortListener(signal, () =>
        this.#finish({ kind: 'abort', reason: signal.reason }),
      );
    }
    if (isZeroTimeout(settings, callTimeout)) {
      // A zero timeout still lets the event loop turn (a macrotask), so that a
      // Lua-style polling loop gives I/O callbacks a chance to run.
      this.#timer = startTimer(() => this.#finish({ kind: 'timeout' }), 0);
    } else {
      this.#arm();
    }
    if (this.#canEnd) this.#onEnd = onEnd;
  }

  /**
   * True while a timer or the signal can still end the wait. One that nothing
   * can end never calls back, so it keeps no callback (nor what that holds).
   */
  get #canEnd(): boolean {
    return this.#timer !== undefined || this.#abort !== undefined;
  }

  /** Bytes moved: the idle (block) timeout starts again from now. */
  progress(): void {
    // Without a timer there is no deadline to move, now or later.
    if (this.#timer !== undefined) this.#last = clock.now();
  }

  /**
   * Replaces the callback for the end of the wait; called at once if the wait
   * already ended while nobody listened.
   */
  onEnd(fn: (end: WaitEnd) => void): void {
    if (this.#ended !== undefined) fn(this.#ended);
    else if (this.#canEnd) this.#onEnd = fn;
  }

  /** Releases the timer and the abort listener; idempotent. */
  dispose(): void {
    this.#onEnd = undefined;
    this.#release();
  }

  #release(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#abort?.[Symbol.dispose]();
    this.#abort = undefined;
  }

  #arm(): void {
    const last =
      this.#activity === undefined ? this.#last : Math.max(this.#last, this.#activity.last);
    const deadline = waitDeadline(this.#settings, this.#callTimeout, this.#start, last);
    if (deadline === Infinity) return;
    const delay = deadline - clock.now();
    // Timers may fire a fraction of a millisecond early against performance.now().
    if (delay <= 1) {
      this.#timer = startTimer(() => this.#finish({ kind: 'timeout' }), 0);
      return;
    }
    // Progress may have moved the deadline meanwhile: look again when it fires.
    this.#timer = startTimer(() => {
      this.#timer = undefined;
      this.#arm();
    }, delay);
  }

  #finish(end: WaitEnd): void {
    if (this.#ended !== undefined) return;
    this.#ended = end;
    const onEnd = this.#onEnd;
    this.#onEnd = undefined;
    this.#release();
    onEnd?.(end);
  }
}

/**
 * @internal True when a wait under these settings and options can end
 * before what it waits for happens: it has a deadline or a signal. A wait
 * that cannot needs no {@link Wait} at all: one that starts without a
 * deadline never arms a timer, whatever `settimeout` does meanwhile.
 */
export function mayEnd(settings: TimeoutSettings, options: WaitOptions | undefined): boolean {
  return (
    settings.block !== undefined ||
    settings.total !== undefined ||
    options?.signal !== undefined ||
    normalizeTimeout(options?.timeout) !== undefined
  );
}

/**
 * @internal Validates the options before any work starts. With `where`
 * (the call's name, for the message) it also refuses unknown keys; without,
 * the caller has checked the keys of a larger bag itself.
 */
export function checkWaitOptions(options: WaitOptions | undefined, where?: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got \`${String(options)}\``);
  }
  if (where !== undefined) checkWaitKeys(options, where);
  normalizeTimeout(options.timeout, 'options.timeout');
  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(
      `Expected \`options.signal\` to be an AbortSignal, got \`${String(signal)}\``,
    );
  }
}
