/**
 * LuaSocket's error-handling helpers (`except.c`, `luasocket.c`): `newtry`,
 * `protect` and `skip`. A `try` turns a compat result tuple into its value or
 * an exception; `protect` turns those exceptions — and only those — back into
 * a `[null, err]` result.
 *
 * @module
 */

import { checkNumber } from './lua.js';
import { hasBrand } from '../src/internal.js';

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

/** A value a `try` let through: not `null`, `undefined` or `false` (Lua's `nil` and `false`). */
export type Truthy<V> = Exclude<V, null | undefined | false>;

/** The value a `try` returns for a result tuple: its first element, without its failure values. */
export type TryValue<T extends readonly unknown[]> = Truthy<T[0]>;

/**
 * What a `try` returns for several values: all of them, the first without
 * its failure values; of a union of tuples, the members that can succeed.
 */
export type TryValues<A extends readonly unknown[]> = A extends readonly [infer F, ...infer R]
  ? [Truthy<F>] extends [never]
    ? never
    : [Truthy<F>, ...R]
  : never;

/**
 * A `try` function, as `socket.newtry` makes it. Lua's `try(f())` receives
 * the values `f` returned; here it takes them in one of three forms:
 *
 * - a result tuple alone, `try(await c.receive())`: the tuple's first value;
 * - one value that is not an array, `try(u.settimeout(5))`: that value;
 * - several values, `try(v1, v2, …)` or `try(...tuple)`: all of them, as an
 *   array, as Lua returns them all.
 *
 * Whatever the form, the first value decides, as Lua tests it: `null`,
 * `undefined` and `false` fail (the second value is the error); `0` and `''`
 * pass.
 */
export interface TryFunction {
  /** A result tuple: its first value, or a {@link TryError} holding its second. */
  <const T extends readonly unknown[]>(result: T): TryValue<T>;
  /** One value (not an array): the value, or a {@link TryError} holding `null`. */
  <V>(value: V): Truthy<V>;
  /** Several values, as a Lua call passes them: all of them, or a {@link TryError} holding the second. */
  <A extends readonly [unknown, unknown, ...unknown[]]>(...values: A): TryValues<A>;
}

function isThenable(value: unknown): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * `socket.newtry([finalizer])`: a `try` that returns what it was given (see
 * {@link TryFunction} for the forms), or — when the first value is `null`,
 * `undefined` or `false`, as Lua tests `nil`/`false` — calls the finalizer
 * and throws a {@link TryError} holding the second value.
 *
 * @param finalizer - cleanup to run before throwing (LuaSocket calls it with no arguments)
 * @throws TryError when the first value is `null`, `undefined` or `false`;
 *   TypeError when handed a Promise (await the call first: a Promise is
 *   never a failure, so the `try` could not see one)
 * @example Closing the connection on any failure
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c] = await socket.connect('127.0.0.1', 8080);
 * const attempt = socket.newtry(() => c?.close());
 * attempt(c?.settimeout(5)); // one value: 1
 * await c?.send('HELLO\n');
 * const line = attempt(await c!.receive('*l')); // a string, or TryError after close()
 * const [data, err, partial] = attempt(...(await c!.receive(5))); // every value
 * ```
 */
export function newtry(finalizer?: (() => unknown) | null): TryFunction {
  return ((...values: readonly unknown[]): unknown => {
    const tuple = values.length === 1 && Array.isArray(values[0]);
    const [first, err] = tuple ? (values[0] as readonly unknown[]) : values;
    if (!tuple && isThenable(first))
      throw new TypeError('Expected `value` to be a result, got a Promise (await the call first)');
    if (first === null || first === undefined || first === false) {
      finalizer?.();
      throw new TryError(err ?? null);
    }
    return tuple || values.length === 1 ? first : values;
  }) as TryFunction;
}

/**
 * `socket.try`: a `try` without a finalizer (LuaSocket's `socket.newtry()`).
 *
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const server = socket.try(await socket.bind('127.0.0.1', 0)); // a TcpObject, or TryError
 * socket.try(server.settimeout(1)); // 1, like Lua's assert(server:settimeout(1))
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
