import { describe, expect, test } from 'vitest';
import { bind, select, SocketError, tcp } from '../../../src/index.js';
import { connectInBackground } from '../../../src/internal.js';
import { fullListener } from '../../helpers/full-listener.js';
import { activeHandles, leftovers } from '../../helpers/leaks.js';
import { rawServer, socketError } from '../../helpers/loopback.js';

describe('TcpMaster[connectInBackground]', () => {
  test('a connect past its deadline fails the call with timeout and goes on, until the master closes', async () => {
    await using silent = await fullListener();
    const before = activeHandles();
    const master = tcp();
    master.settimeout(0.05);
    const pending = master[connectInBackground]('127.0.0.1', silent.port);
    expect((await socketError(pending.result)).code).toBe('timeout');
    expect(pending.outcome).toBeUndefined();
    expect([pending.readable, pending.writable, pending.closed]).toEqual([false, false, false]);
    expect((await select([pending], [pending], { timeout: 0.05 })).timedOut).toBe(true);
    master.close();
    const outcome = await pending.settled;
    expect('error' in outcome && outcome.error.code).toBe('closed');
    expect(await leftovers(before)).toEqual([]);
  });

  test('close() gives up a connect in progress and leaves no socket, timer or listener', async () => {
    await using silent = await fullListener();
    const before = activeHandles();
    const master = tcp();
    try {
      master.settimeout(0);
      const pending = master[connectInBackground]('127.0.0.1', silent.port);
      expect((await socketError(pending.result)).code).toBe('timeout');
      pending.close();
      const outcome = await pending.settled;
      expect('error' in outcome && outcome.error.code).toBe('closed');
      expect(pending.closed).toBe(true);
      expect(await leftovers(before)).toEqual([]);
    } finally {
      master.close();
    }
  });

  test("the caller's signal ends a connect that outlived its call, with the signal's reason", async () => {
    await using silent = await fullListener();
    const before = activeHandles();
    const master = tcp();
    try {
      const controller = new AbortController();
      const pending = master[connectInBackground]('127.0.0.1', silent.port, {
        timeout: 0.05,
        signal: controller.signal,
      });
      expect((await socketError(pending.result)).code).toBe('timeout');
      const reason = new Error('gave up');
      controller.abort(reason);
      const outcome = await pending.settled;
      expect('error' in outcome && [outcome.error.code, outcome.error.cause]).toEqual([
        'aborted',
        reason,
      ]);
      expect(await leftovers(before)).toEqual([]);
    } finally {
      master.close();
    }
  });

  test('select reports the connect writable once it has connected; the client is the master’s', async () => {
    await using server = await bind('127.0.0.1', 0);
    const master = tcp();
    master.settimeout(0);
    master.setoption('tcp-nodelay', true);
    const pending = master[connectInBackground]('127.0.0.1', server.getsockname().port);
    // On loopback the connect may win the race against a zero timeout.
    const early = await pending.result.then(
      () => 'connected',
      (err: SocketError) => err.code,
    );
    expect(['connected', 'timeout']).toContain(early);
    const { writable, timedOut } = await select(null, [pending], { timeout: 5 });
    expect([writable, timedOut]).toEqual([[pending], false]);
    const outcome = await pending.settled;
    if (!('client' in outcome)) throw outcome.error;
    await using client = outcome.client;
    expect(client.getoption('tcp-nodelay')).toBe(true);
    expect(client.gettimeout()).toEqual({ block: 0, total: undefined });
    expect(() => master.listen()).toThrow(TypeError);
    await using conn = await server.accept({ timeout: 5 });
    await client.send('hi\n');
    expect(await conn.receive('*l', { timeout: 5 })).toBe('hi');
  });

  test('a select watching the connect hears about data that arrives once it has connected', async () => {
    await using server = await bind('127.0.0.1', 0);
    const master = tcp();
    master.settimeout(0);
    const pending = master[connectInBackground]('127.0.0.1', server.getsockname().port);
    const reading = select([pending], null, { timeout: 5 });
    await using conn = await server.accept({ timeout: 5 });
    await conn.send('x');
    const { readable, timedOut } = await reading;
    expect([readable, timedOut]).toEqual([[pending], false]);
    const outcome = await pending.settled;
    if (!('client' in outcome)) throw outcome.error;
    await using client = outcome.client;
    expect(await client.receive(1)).toBe('x');
  });

  test('a refused connect is readable and writable, and the master may connect again', async () => {
    const raw = await rawServer();
    const { port } = raw;
    await raw.close();
    const master = tcp();
    try {
      master.settimeout(0);
      const pending = master[connectInBackground]('127.0.0.1', port);
      const outcome = await pending.settled;
      expect('error' in outcome && outcome.error.code).toBe('refused');
      expect([pending.readable, pending.writable]).toEqual([true, true]);
      expect(await select([pending], [pending], { timeout: 5 })).toEqual({
        readable: [pending],
        writable: [pending],
        timedOut: false,
      });
      master.settimeout(null);
      expect((await socketError(master.connect('127.0.0.1', port))).code).toBe('refused');
    } finally {
      master.close();
    }
  });

  test('a closed master answers closed, and bad arguments throw at once', async () => {
    const master = tcp();
    expect(() => master[connectInBackground]('127.0.0.1', 70000)).toThrow(RangeError);
    expect(() => master[connectInBackground]('', 80)).toThrow(TypeError);
    master.close();
    const pending = master[connectInBackground]('127.0.0.1', 1);
    expect((await socketError(pending.result)).code).toBe('closed');
    expect(pending.outcome).toEqual({ error: new SocketError('closed') });
  });
});
