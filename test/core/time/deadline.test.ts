import { describe, expect, it, vi } from 'vitest';
import { SocketError } from '../../../src/errors/socket-error.js';
import { withDeadline } from '../../../src/time/deadline.js';
import type { WaitOptions } from '../../../src/time/wait.js';
import { timers } from '../../helpers/leaks.js';
import { failOnTimeoutOverflow } from '../../helpers/long-waits.js';
import { rejection } from '../../helpers/loopback.js';

failOnTimeoutOverflow();

/** A lookup that never answers. */
const never = (): Promise<never> => new Promise<never>(() => undefined);

describe('withDeadline', () => {
  it('withDeadline without timeout or signal runs the call and arms nothing', async () => {
    const before = timers();
    const run = vi.fn(() => Promise.resolve('answer'));
    const pending = withDeadline(undefined, 'toip()', run);
    expect(run).toHaveBeenCalledTimes(1);
    expect(timers()).toBe(before);
    expect(await pending).toBe('answer');
    expect(await withDeadline({}, 'toip()', () => Promise.resolve(1))).toBe(1);
    expect(await withDeadline({ timeout: null }, 'toip()', () => Promise.resolve(2))).toBe(2);
    expect(await withDeadline({ timeout: -1 }, 'toip()', () => Promise.resolve(3))).toBe(3);
  });

  it('withDeadline resolves with the answer when it comes in time, and clears its timer', async () => {
    const before = timers();
    const pending = withDeadline({ timeout: 30 }, 'toip()', () => Promise.resolve([1, 2]));
    expect(await pending).toEqual([1, 2]);
    expect(timers()).toBe(before);
  });

  it("withDeadline fails with SocketError 'timeout' once options.timeout passes, the call still running", async () => {
    const run = vi.fn(never);
    const err = await rejection(withDeadline({ timeout: 0.02 }, 'toip()', run));
    expect(err).toBeInstanceOf(SocketError);
    expect(err).toMatchObject({ code: 'timeout', message: 'timeout' });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('withDeadline with a zero timeout still lets an answer already on its way win', async () => {
    expect(await withDeadline({ timeout: 0 }, 'toip()', () => Promise.resolve('fast'))).toBe(
      'fast',
    );
    const err = await rejection(withDeadline({ timeout: 0 }, 'toip()', never));
    expect(err).toMatchObject({ code: 'timeout' });
  });

  it("withDeadline with an aborted signal rejects with the signal's reason, without running the call", async () => {
    const reason = new Error('gave up');
    const run = vi.fn(() => Promise.resolve('late'));
    await expect(withDeadline({ signal: AbortSignal.abort(reason) }, 'toip()', run)).rejects.toBe(
      reason,
    );
    expect(run).not.toHaveBeenCalled();
  });

  it("withDeadline aborted while the call runs rejects with the signal's reason unchanged", async () => {
    const stop = new AbortController();
    const reason = new Error('stop');
    const pending = withDeadline({ signal: stop.signal, timeout: 30 }, 'toip()', never);
    stop.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it("withDeadline passes the call's own failure through unchanged", async () => {
    const failure = new SocketError('noname');
    await expect(
      withDeadline({ timeout: 30 }, 'toip()', () => Promise.reject(failure)),
    ).rejects.toBe(failure);
    await expect(withDeadline(undefined, 'toip()', () => Promise.reject(failure))).rejects.toBe(
      failure,
    );
  });

  it('withDeadline with a timeout above the timer limit (1e7 s) answers without a TimeoutOverflowWarning or a timer left', async () => {
    const before = timers();
    expect(await withDeadline({ timeout: 1e7 }, 'toip()', () => Promise.resolve('ok'))).toBe('ok');
    expect(timers()).toBe(before);
  });

  it('withDeadline throws a TypeError at once for bad options, naming the call for an unknown key', () => {
    const run = vi.fn(() => Promise.resolve(0));
    expect(() => withDeadline({ timout: 1 } as WaitOptions, 'toip()', run)).toThrow(
      new TypeError('Unknown option `timout` in toip() options; did you mean `timeout`?'),
    );
    expect(() =>
      withDeadline({ timeout: 'soon' } as unknown as WaitOptions, 'toip()', run),
    ).toThrow(TypeError);
    expect(() => withDeadline({ signal: {} } as WaitOptions, 'toip()', run)).toThrow(
      /^Expected `options.signal` to be an AbortSignal/,
    );
    expect(() => withDeadline(7 as unknown as WaitOptions, 'toip()', run)).toThrow(
      new TypeError('Expected `options` to be an object, got `7`'),
    );
    expect(run).not.toHaveBeenCalled();
  });

  it('withDeadline without `where` leaves the keys to its caller', async () => {
    const bag = { timeout: 30, family: 'inet' } as WaitOptions;
    expect(await withDeadline(bag, undefined, () => Promise.resolve('checked elsewhere'))).toBe(
      'checked elsewhere',
    );
  });
});
