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
    expect(() => socket.try('x' as unknown as [string])).toThrow(TypeError);
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
