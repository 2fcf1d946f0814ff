/**
 * `for await` over a stream socket: its lines, or its chunks as they arrive.
 *
 * @module
 */

import { isReset, SocketError } from '../errors/socket-error.js';
import { checkWaitKeys } from '../errors/option-keys.js';
import type { StreamReader } from './reader.js';
import type { WaitOptions } from '../time/wait.js';

/** Options of `lines()`: the `timeout` and `signal` apply to each line. */
export type LinesOptions = WaitOptions;

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * @internal Iterates lines (or chunks of at most `chunk` bytes) until the
 * peer closes. An unterminated last line is yielded before the end; any
 * other failure is thrown, with its partial, and ends the iteration.
 */
export class LineIterator<T> implements AsyncIterableIterator<T> {
  readonly #reader: StreamReader<T>;
  readonly #options: WaitOptions | undefined;
  readonly #chunk: number;
  #done = false;

  constructor(reader: StreamReader<T>, options: WaitOptions | undefined, chunk = 0) {
    if (typeof options === 'object' && options !== null) checkWaitKeys(options, 'lines()');
    this.#reader = reader;
    this.#options = options;
    this.#chunk = chunk;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#done) return Promise.resolve(DONE);
    if (this.#chunk === 0) {
      const line = this.#reader.lineNow();
      if (line !== undefined) return Promise.resolve({ done: false, value: line });
    }
    const read =
      this.#chunk > 0
        ? this.#reader.receiveany(this.#chunk, this.#options)
        : this.#reader.receive('*l', this.#options);
    return read.then(
      (value) => ({ done: false, value }),
      (err: unknown) => {
        this.#done = true;
        // The peer's end (or a close here) ends the iteration; a reset is a
        // truncated transfer, and is thrown, its partial attached.
        if (err instanceof SocketError && err.code === 'closed' && !isReset(err)) {
          const partial = err.partial as T | undefined;
          if (partial !== undefined && (partial as { length: number }).length > 0) {
            return { done: false, value: partial };
          }
          return DONE;
        }
        throw err;
      },
    );
  }

  return(): Promise<IteratorResult<T, undefined>> {
    this.#done = true;
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
