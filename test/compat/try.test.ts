import { describe, expect, it, vi } from 'vitest';
import socket, { TryError } from '../../compat/index.js';

describe('newtry', () => {
  it('newtry() returns the first value of a successful tuple', () => {
    const attempt = socket.newtry();
    expect(attempt(['data', null, null])).toBe('data');
    expect(attempt([0, null])).toBe(0);
    expect(attempt([''])).toBe('');
  });

  it('newtry(finalizer) calls the finalizer, then throws a TryError holding the tuple’s error', () => {
    const finalizer = vi.fn();
    const attempt = socket.newtry(finalizer);
    expect(() => attempt([null, 'closed', 'partial'])).toThrow(TryError);
    expect(finalizer).toHaveBeenCalledTimes(1);
    expect(finalizer).toHaveBeenCalledWith();
    try {
      attempt([false, 'why']);
    } catch (err) {
      expect(err).toBeInstanceOf(TryError);
      expect((err as TryError).value).toBe('why');
      expect((err as TryError).message).toBe('why');
    }
    expect(finalizer).toHaveBeenCalledTimes(2);
  });

  it('try is newtry() without a finalizer', () => {
    expect(socket.try([1, null])).toBe(1);
    expect(() => socket.try([null])).toThrow(TryError);
  });

  it('try(value) returns a value that is not an array, whatever its type, as Lua’s try(v) does', () => {
    expect(socket.try(1)).toBe(1);
    expect(socket.try(0)).toBe(0);
    expect(socket.try('')).toBe('');
    expect(socket.try('x')).toBe('x');
    expect(socket.try(true)).toBe(true);
    const fn = (): number => 1;
    expect(socket.try(fn)).toBe(fn);
    const [u] = socket.udp();
    try {
      // LuaSocket's samples write assert(udp:settimeout(5)): settimeout returns 1.
      expect(socket.try(u!.settimeout(5))).toBe(1);
    } finally {
      u!.close();
    }
  });

  it('try(v1, v2, …) returns every value when the first is truthy, as Lua returns them all', () => {
    expect(socket.try(1, 2, 3)).toEqual([1, 2, 3]);
    expect(socket.try(0, null, 'x')).toEqual([0, null, 'x']);
    expect(socket.try('', undefined)).toEqual(['', undefined]);
    expect(socket.try(...(['data', null, null] as const))).toEqual(['data', null, null]);
    // An array among several values is one value, not a tuple.
    expect(socket.try([null, 'e'], 'x')).toEqual([[null, 'e'], 'x']);
  });

  it('only null, undefined and false fail, in every form, and the second value is the error', () => {
    const error = (run: () => unknown): unknown => {
      try {
        run();
      } catch (err) {
        expect(err).toBeInstanceOf(TryError);
        return (err as TryError).value;
      }
      throw new Error('no TryError');
    };
    expect(error(() => socket.try(null, 'err'))).toBe('err');
    expect(error(() => socket.try(false, 'e2', 'x'))).toBe('e2');
    expect(error(() => socket.try(undefined, 'e3'))).toBe('e3');
    expect(error(() => socket.try([undefined, 'e4']))).toBe('e4');
    expect(error(() => socket.try(null))).toBeNull();
    expect(error(() => socket.try(false))).toBeNull();
    expect(error(() => socket.try([]))).toBeNull();
    expect(error(() => (socket.try as () => unknown)())).toBeNull();
    // Lua wraps whatever the error value is; protect hands it back unchanged.
    expect(error(() => socket.try(null, 42))).toBe(42);
    expect(new TryError(42).message).toBe('try failed');
  });

  it('newtry(finalizer) calls the finalizer once before each failure, in every form, never on success', () => {
    const finalizer = vi.fn();
    const attempt = socket.newtry(finalizer);
    expect(attempt(1)).toBe(1);
    expect(attempt([2, null])).toBe(2);
    expect(attempt(3, null)).toEqual([3, null]);
    expect(finalizer).not.toHaveBeenCalled();
    expect(() => attempt(null, 'a')).toThrow(TryError);
    expect(() => attempt(false)).toThrow(TryError);
    expect(() => attempt([null, 'b'])).toThrow(TryError);
    expect(finalizer).toHaveBeenCalledTimes(3);
  });

  it('a Promise is refused with a TypeError, before the finalizer runs: the call was not awaited', async () => {
    const finalizer = vi.fn();
    const attempt = socket.newtry(finalizer);
    const pending = Promise.resolve([null, 'closed'] as const);
    expect(() => attempt(pending)).toThrow(
      new TypeError('Expected `value` to be a result, got a Promise (await the call first)'),
    );
    expect(() => socket.try(pending, null)).toThrow(TypeError);
    expect(finalizer).not.toHaveBeenCalled();
    const settled = await pending;
    expect(() => attempt(settled)).toThrow(TryError);
  });
});

describe('protect', () => {
  it('protect(fn) returns fn’s result, or [null, err] when a try failed inside', async () => {
    const f = socket.protect((v: string | null) => {
      const x = socket.try([v, `failed-${String(v)}`]);
      return [x, null] as const;
    });
    expect(await f('ok')).toEqual(['ok', null]);
    expect(await f(null)).toEqual([null, 'failed-null']);
  });

  it('protect(fn) catches the single-value and several-value forms too, and nothing else', async () => {
    const f = socket.protect((v: number | null) => socket.try(v, 'none'));
    expect(await f(0)).toEqual([0, 'none']);
    expect(await f(null)).toEqual([null, 'none']);
    const g = socket.protect(async () => socket.try(Promise.resolve(1)));
    await expect(g()).rejects.toThrow(TypeError);
  });

  it('protect(fn) lets other errors through, as LuaSocket re-raises them', async () => {
    const g = socket.protect(() => {
      throw new Error('real error');
    });
    await expect(g()).rejects.toThrow('real error');
  });

  it('protect(fn) returns [null, null] for a try on a tuple without an error', async () => {
    const h = socket.protect(() => socket.try([null]));
    expect(await h()).toEqual([null, null]);
  });

  it('TryError is recognised across module copies by its brand', () => {
    const foreign = { [Symbol.for('luasocket-async.compat.TryError')]: true };
    expect(foreign instanceof TryError).toBe(true);
    expect(new Error('x') instanceof TryError).toBe(false);
  });
});

describe('skip', () => {
  it('skip(d, ...) returns the values after the first d, as LuaSocket does', () => {
    expect(socket.skip(1, 'a', 'b', 'c')).toEqual(['b', 'c']);
    expect(socket.skip(0, 'a', 'b')).toEqual(['a', 'b']);
    expect(socket.skip(5, 'a')).toEqual([]);
    expect(socket.skip(2, null, null, 'x', null)).toEqual(['x', null]);
    expect(socket.skip(-1, 'a', 'b')).toEqual([-1, 'a', 'b']);
    expect(socket.skip('1' as unknown as number, 'a', 'b')).toEqual(['b']);
    expect(() => socket.skip(undefined as unknown as number)).toThrow(
      "bad argument #1 to 'skip' (number expected, got no value)",
    );
  });
});
