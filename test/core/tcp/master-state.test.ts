import { describe, expect, it } from 'vitest';
import { SocketError } from '../../../src/errors/socket-error.js';
import { MasterState } from '../../../src/tcp/master-state.js';
import { rejection } from '../../helpers/loopback.js';

/** What `run` threw, or undefined. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('MasterState', () => {
  it('a new master is usable: check() passes and usable() gives nothing to answer', () => {
    const life = new MasterState();
    expect(life.state).toBe('master');
    expect(life.closed).toBe(false);
    expect(() => life.check('bind')).not.toThrow();
    expect(life.usable('connect')).toBeUndefined();
  });

  it('once used, check() and usable() throw a TypeError naming the method, at once', () => {
    const life = new MasterState();
    life.state = 'used';
    const message = 'Expected a master for `listen`, but it was already used by listen or connect';
    expect(() => life.check('listen')).toThrow(new TypeError(message));
    // A usage error, even from a method that waits: thrown, not a rejected promise.
    expect(() => life.usable('listen')).toThrow(new TypeError(message));
    expect(life.closed).toBe(false);
  });

  it("once closed, check() throws SocketError 'closed' and usable() answers it through a promise", async () => {
    const life = new MasterState();
    life.close();
    expect(life.state).toBe('closed');
    expect(life.closed).toBe(true);
    const err = thrown(() => life.check('bind'));
    expect(err).toBeInstanceOf(SocketError);
    expect((err as SocketError).code).toBe('closed');
    const answer = life.usable('connect');
    expect(answer).toBeInstanceOf(Promise);
    const failure = await rejection(answer as Promise<never>);
    expect(failure).toBeInstanceOf(SocketError);
    expect((failure as SocketError).code).toBe('closed');
  });

  it('a used master that is closed answers closed, not misuse', async () => {
    const life = new MasterState();
    life.state = 'used';
    life.close();
    expect((thrown(() => life.check('listen')) as SocketError).code).toBe('closed');
    expect(((await rejection(life.usable('listen') as Promise<never>)) as SocketError).code).toBe(
      'closed',
    );
  });

  it("connectSignal() without a caller's signal aborts when the master closes, with 'closed'", () => {
    const life = new MasterState();
    const signal = life.connectSignal(undefined);
    expect(signal.aborted).toBe(false);
    life.close();
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(SocketError);
    expect((signal.reason as SocketError).code).toBe('closed');
  });

  it("connectSignal(signal) aborts with the caller's reason, or with 'closed' on close", () => {
    const life = new MasterState();
    const caller = new AbortController();
    const reason = new Error('caller gave up');
    const first = life.connectSignal(caller.signal);
    expect(first.aborted).toBe(false);
    caller.abort(reason);
    expect(first.aborted).toBe(true);
    expect(first.reason).toBe(reason);

    const other = new AbortController();
    const second = life.connectSignal(other.signal);
    const third = life.connectSignal(undefined);
    expect([second.aborted, third.aborted]).toEqual([false, false]);
    life.close();
    expect((second.reason as SocketError).code).toBe('closed');
    // Every connect of the master runs under the same close.
    expect(third.reason).toBe(second.reason);
    expect(other.signal.aborted).toBe(false);
  });

  it('close() is idempotent', () => {
    const life = new MasterState();
    const signal = life.connectSignal(undefined);
    life.close();
    const reason: unknown = signal.reason;
    life.close();
    expect(life.state).toBe('closed');
    expect(signal.reason).toBe(reason);
  });
});
