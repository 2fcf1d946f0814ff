/**
 * compat under durations far above what Node.js timers hold (2^31−1 ms):
 * `settimeout(1e7)`, `select(…, 1e7)` and `socket.sleep(1e7)` still wait,
 * and no `TimeoutOverflowWarning` fires.
 */
import { describe, expect, test, vi } from 'vitest';
import socket, { type Result } from '../../compat/index.js';
import { fullListener } from '../helpers/full-listener.js';
import { failOnTimeoutOverflow, HUGE } from '../helpers/long-waits.js';
import { pause } from '../helpers/loopback.js';

const IP = '127.0.0.1';

failOnTimeoutOverflow();

function ok<T>(result: Result<T>): T {
  const [value, err] = result;
  if (value === null) throw new Error(String(err));
  return value;
}

/** Starts `call`, checks it is still pending well after 1 ms, then ends it with `end`. */
async function stillWaiting<T>(call: Promise<T>, end: () => unknown): Promise<T> {
  let settled = false;
  const done = call.finally(() => (settled = true));
  await pause(80);
  expect(settled, 'the call is still waiting').toBe(false);
  end();
  return done;
}

describe('compat long durations', () => {
  test('socket.sleep(1e7) and sleep(math.huge) wait their full length', async () => {
    vi.useFakeTimers();
    try {
      for (const seconds of [HUGE, Infinity]) {
        let slept = false;
        const done = socket.sleep(seconds).then(() => (slept = true));
        await vi.advanceTimersByTimeAsync(100);
        expect(slept).toBe(false);
        await vi.advanceTimersByTimeAsync(HUGE * 1000);
        expect(slept).toBe(seconds !== Infinity);
        if (seconds !== Infinity) await done;
      }
    } finally {
      vi.clearAllTimers();
      vi.useRealTimers();
    }
  });

  test.each([
    ['settimeout(1e7)', 'b'],
    ['settimeout(1e7, "t")', 't'],
  ])('receive() under %s waits until the object closes', async (_, mode) => {
    const server = ok(await socket.bind(IP, 0));
    const [, port] = server.getsockname();
    const client = ok(await socket.connect(IP, port));
    const conn = ok(await server.accept());
    client.settimeout(HUGE, mode);
    expect(await stillWaiting(client.receive(), () => client.close())).toEqual([
      null,
      'closed',
      '',
    ]);
    conn.close();
    server.close();
  });

  test('accept() under settimeout(1e7) waits until the server closes', async () => {
    const server = ok(await socket.bind(IP, 0));
    server.settimeout(HUGE);
    expect(await stillWaiting(server.accept(), () => server.close())).toEqual([null, 'closed']);
  });

  test('connect() under settimeout(1e7) to a listener that never answers waits until closed', async () => {
    await using silent = await fullListener();
    const master = ok(socket.tcp());
    master.settimeout(HUGE);
    expect(await stillWaiting(master.connect(IP, silent.port), () => master.close())).toEqual([
      null,
      'closed',
    ]);
  });

  test('select(recvt, nil, 1e7) waits until a socket becomes readable', async () => {
    const server = ok(await socket.bind(IP, 0));
    const [, port] = server.getsockname();
    const client = ok(await socket.connect(IP, port));
    const conn = ok(await server.accept());
    const [readable, , err] = await stillWaiting(socket.select([client], null, HUGE), () =>
      conn.send('x\n'),
    );
    expect(readable[0]).toBe(client);
    expect(err).toBeNull();
    for (const o of [client, conn, server]) o.close();
  });

  test('udp receive() under settimeout(1e7) waits until the object closes', async () => {
    const u = ok(socket.udp());
    ok(await u.setsockname(IP, 0));
    u.settimeout(HUGE);
    expect(await stillWaiting(u.receive(), () => u.close())).toEqual([null, 'closed']);
  });
});
