import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, test } from 'vitest';
import { SocketError } from '../../../src/errors/socket-error.js';
import { connect } from '../../../src/index.js';
import { atCallSite, reported } from '../../../src/trace/call-site.js';
import {
  ERROR_CHANNEL,
  TIMEOUT_CHANNEL,
  type FailureMessage,
} from '../../../src/trace/diagnostics.js';
import { rawServer, rejection } from '../../helpers/loopback.js';

const IP = '127.0.0.1';

let seen: [string, FailureMessage][] = [];
const listener = (message: unknown, name: string | symbol): void => {
  seen.push([String(name), message as FailureMessage]);
};

function listen(): void {
  seen = [];
  subscribe(ERROR_CHANNEL, listener);
  subscribe(TIMEOUT_CHANNEL, listener);
}

afterEach(() => {
  unsubscribe(ERROR_CHANNEL, listener);
  unsubscribe(TIMEOUT_CHANNEL, listener);
});

/** A failure found in a timer callback, as a socket's would be: its stack knows no caller. */
function failLater(make: () => unknown = () => new SocketError('timeout')): Promise<never> {
  return new Promise<never>((_, reject) => {
    setTimeout(() => reject(make()), 1);
  });
}

describe('reported', () => {
  it("reported() gives a SocketError's stack the caller's frames and its toString() as head", async () => {
    async function plainAwaitCaller(): Promise<unknown> {
      const err = await rejection(failLater());
      return err;
    }
    async function reportingAwaitCaller(): Promise<unknown> {
      try {
        return await failLater();
      } catch (err) {
        return reported(err, 'receive');
      }
    }
    const plain = (await plainAwaitCaller()) as SocketError;
    expect(plain.stack?.split('\n')[0]).toBe('SocketError: timeout');
    expect(plain.stack).not.toContain('plainAwaitCaller');
    const err = (await reportingAwaitCaller()) as SocketError;
    expect(err.stack?.split('\n')[0]).toBe('SocketError [timeout]: timeout');
    expect(err.stack).toContain('reportingAwaitCaller');
  });

  it('reported() returns the very error it was given', () => {
    const err = new SocketError('closed');
    expect(reported(err, 'receive')).toBe(err);
    const reason = new Error('aborted by the program');
    const stack = reason.stack;
    expect(reported(reason, 'receive')).toBe(reason);
    expect(reason.stack).toBe(stack);
    expect(reported('a string reason', 'receive')).toBe('a string reason');
  });

  it('reported() publishes a timeout on the timeout channel and other failures on the error channel', () => {
    listen();
    const timeout = new SocketError('timeout');
    const refused = new SocketError('refused', { syscall: 'connect', address: IP, port: 9 });
    reported(timeout, 'receive');
    reported(refused, 'connect');
    expect(seen).toEqual([
      [TIMEOUT_CHANNEL, { operation: 'receive', error: timeout, remote: undefined }],
      [ERROR_CHANNEL, { operation: 'connect', error: refused, remote: undefined }],
    ]);
    expect(String(refused.stack).split('\n')[0]).toBe(
      'SocketError [refused]: connection refused (connect 127.0.0.1:9)',
    );
  });

  it('reported() names the peer of the connection when the error does not say where', () => {
    listen();
    const closed = new SocketError('closed');
    reported(closed, 'send', { remoteAddress: '::1', remotePort: 4242, remoteFamily: 'IPv6' });
    reported(closed, 'send', { remoteAddress: IP, remotePort: 80, remoteFamily: 'IPv4' });
    reported(closed, 'send', {});
    expect(seen.map(([, m]) => m.remote)).toEqual([
      { address: '::1', port: 4242, family: 'inet6' },
      { address: IP, port: 80, family: 'inet' },
      undefined,
    ]);
  });

  it('reported() publishes nothing for an abort (the program’s own doing) or for what is not a SocketError', () => {
    listen();
    reported(new SocketError('aborted', { cause: new Error('stop') }), 'receive');
    reported(new Error('stop'), 'receive');
    reported(undefined, 'receive');
    expect(seen).toEqual([]);
  });
});

describe('atCallSite', () => {
  it('atCallSite() resolves with what the call resolved to', async () => {
    const value = { data: 'line' };
    expect(await atCallSite(Promise.resolve(value), 'receive')).toBe(value);
  });

  it('atCallSite() rejects with the same SocketError, its stack now reaching the awaiting caller', async () => {
    listen();
    const made: SocketError[] = [];
    async function atCallSiteCaller(): Promise<unknown> {
      const err = await rejection(
        atCallSite(
          failLater(() => {
            const err = new SocketError('closed');
            made.push(err);
            return err;
          }),
          'receive',
        ),
      );
      return err;
    }
    const err = await atCallSiteCaller();
    expect(err).toBe(made[0]);
    expect((err as SocketError).stack).toContain('atCallSiteCaller');
    expect(seen).toEqual([
      [ERROR_CHANNEL, { operation: 'receive', error: err, remote: undefined }],
    ]);
  });

  it("atCallSite() passes a signal's reason through untouched and unpublished", async () => {
    listen();
    const reason = new DOMException('This operation was aborted', 'AbortError');
    expect(
      await rejection(
        atCallSite(
          failLater(() => reason),
          'receive',
        ),
      ),
    ).toBe(reason);
    expect(seen).toEqual([]);
  });

  test('a timed-out receive() has the caller in its stack', async () => {
    await using raw = await rawServer();
    const client = await connect(IP, raw.port);
    async function timedOutReceiveCaller(): Promise<unknown> {
      const err = await rejection(client.receive('*l', { timeout: 0.05 }));
      return err;
    }
    const err = (await timedOutReceiveCaller()) as SocketError;
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('timeout');
    expect(err.stack?.split('\n')[0]).toBe('SocketError [timeout]: timeout');
    expect(err.stack).toContain('timedOutReceiveCaller');
    client.close();
  });
});
