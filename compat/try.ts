/**
 * LuaSocket's error-handling helpers (`except.c`, `luasocket.c`): `newtry`,
 * `protect` and `skip`. A `try` turns a compat result tuple into its value or
 * an exception; `protect` turns those exceptions — and only those — back into
 * a `[null, err]` result.
 *
 * @module
 */

import { checkNumber } from './lua.js';
import { hasBrand } from '../src/errors.js';

const BRAND = Symbol.for('luasocket-async.compat.TryError');

/**
 * What a `try` throws when a result tuple carries an error. `protect`
 * catches it and returns `[null, value]`; other errors pass through it, as
 * LuaSocket re-raises ordinary errors.
 *
 * @example
 * ```ts
 * import socket, { TryError } from 'luasocket-async/compat';
 *
 * try {
 *   socket.try([null, 'closed']);
 * } catch (err) {
 *   if (err instanceof TryError) console.log(err.value); // 'closed'
 * }
 * ```
 */
export class TryError extends Error {
  /** The error value of the tuple (its second element), as LuaSocket wraps it. */
  readonly value: unknown;

  /** @param value - the tuple's error value */
  constructor(value: unknown) {
    super(typeof value === 'string' ? value : 'try failed');
    this.value = value;
  }

  /** `'TryError'`, as stack traces and `console.log` show it. */
  override get name(): string {
    return 'TryError';
  }

  /** The brand that makes `instanceof` work across the ESM and CJS copies. */
  get [BRAND](): true {
    return true;
  }

  /** `err instanceof TryError` holds for errors from the ESM and the CJS build alike. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, BRAND);
  }
}

/** The value a `try` returns: the tuple's first element, without its failure values. */
export type TryValue<T extends readonly unknown[]> = Exclude<T[0], null | undefined | false>;

/** A `try` function, as `socket.newtry` makes it. */
export type TryFunction = <T extends readonly unknown[]>(result: T) => TryValue<T>;

/**
 * `socket.newtry([finalizer])`: a `try` that returns a result tuple's first
 * value, or — when that is `null` or `false`, as Lua tests `nil`/`false` —
 * calls the finalizer and throws a {@link TryError} holding the tuple's error.
 *
 * @param finalizer - cleanup to run before throwing (LuaSocket calls it with no arguments)
 * @example Closing the connection on any failure
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c] = await socket.connect('127.0.0.1', 8080);
 * const attempt = socket.newtry(() => c?.close());
 * await c?.send('HELLO\n');
 * const line = attempt(await c!.receive('*l')); // a string, or TryError after close()
 * ```
 */
export function newtry(finalizer?: (() => unknown) | null): TryFunction {
  return <T extends readonly unknown[]>(result: T): TryValue<T> => {
    if (!Array.isArray(result))
      throw new TypeError(`Expected \`result\` to be a result tuple, got \`${typeof result}\``);
    const [value, err] = result as readonly unknown[];
    if (value === null || value === undefined || value === false) {
      finalizer?.();
      throw new TryError(err ?? null);
    }
    return value as TryValue<T>;
  };
}

/**
 * `socket.try`: a `try` without a finalizer (LuaSocket's `socket.newtry()`).
 *
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const server = socket.try(await socket.bind('127.0.0.1', 0)); // a TcpObject, or TryError
 * server.close();
 * ```
 */
export const tryResult: TryFunction = newtry();

/** What a protected function resolves to when a `try` inside it failed. */
export type Protected<R> = R | [null, unknown];

/**
 * `socket.protect(fn)`: an async function that returns what `fn` returns,
 * or `[null, err]` when a `try` threw inside it. Other errors propagate.
 *
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const fetchLine = socket.protect(async (host: string, port: number) => {
 *   const c = socket.try(await socket.connect(host, port));
 *   const attempt = socket.newtry(() => c.close());
 *   attempt(await c.send('HELLO\n'));
 *   const line = attempt(await c.receive());
 *   c.close();
 *   return [line, null] as const;
 * });
 * const [line, err] = await fetchLine('127.0.0.1', 8080);
 * ```
 */
export function protect<A extends unknown[], R>(
  fn: (...args: A) => R | PromiseLike<R>,
): (...args: A) => Promise<Protected<R>> {
  return async (...args: A): Promise<Protected<R>> => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof TryError) return [null, err.value];
      throw err;
    }
  };
}

/** The values after the first `D` of a tuple, for a literal `D`. */
export type Skip<
  D extends number,
  T extends readonly unknown[],
  Seen extends unknown[] = [],
> = number extends D
  ? T[number][]
  : `${D}` extends `-${string}`
    ? [D, ...T]
    : Seen['length'] extends D
      ? T
      : T extends readonly [unknown, ...infer Rest]
        ? Skip<D, Rest, [...Seen, unknown]>
        : [];

/**
 * `socket.skip(d, ...values)`: the values after the first `d`, as an array
 * (LuaSocket returns them as multiple values). As in LuaSocket, a negative
 * `d` returns every value, `d` itself first.
 *
 * @example Dropping the first value of a result
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c] = await socket.connect('127.0.0.1', 8080);
 * const [err, partial] = socket.skip(1, ...(await c!.receive()));
 * ```
 */
export function skip<D extends number, T extends readonly unknown[]>(
  d: D,
  ...values: T
): Skip<D, T> {
  const amount = Math.trunc(checkNumber(d, 1, 'skip'));
  // luasocket.c: return the last (count - amount - 1) stack slots, d included.
  const all = [amount, ...values];
  const keep = Math.min(all.length, all.length - amount - 1);
  return (keep <= 0 ? [] : all.slice(all.length - keep)) as Skip<D, T>;
}
