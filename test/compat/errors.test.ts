import { describe, expect, it } from 'vitest';
import { attempt, failure, message, settle } from '../../compat/errors.js';
import { bind, connect, SocketError, type SocketErrorCode } from '../../src/index.js';
import { closedPort, rejection } from '../helpers/loopback.js';
import { thrown } from '../helpers/thrown.js';

const IP = '127.0.0.1';

/** LuaSocket's strings for the codes that have one (`pierror.h`, `io.c`, the resolver's). */
const LUASOCKET: [SocketErrorCode, string][] = [
  ['timeout', 'timeout'],
  ['closed', 'closed'],
  ['refused', 'connection refused'],
  ['addrinuse', 'address already in use'],
  ['access', 'permission denied'],
  ['isconn', 'already connected'],
  ['noname', 'host or service not provided, or not known'],
  ['again', 'temporary failure in name resolution'],
  ['hostnotfound', 'host not found'],
];

describe('message', () => {
  it("message gives a SocketError's message: LuaSocket's string for its code", () => {
    for (const [code, text] of LUASOCKET) expect(message(new SocketError(code))).toBe(text);
    expect(message(new SocketError('system', { message: 'Broken pipe' }))).toBe('Broken pipe');
  });

  it('message rethrows, unchanged, what is not a SocketError', () => {
    const usage = new TypeError("bad argument #1 to 'receive' (invalid receive pattern)");
    expect(thrown(() => message(usage))).toBe(usage);
    const reason = new DOMException('This operation was aborted', 'AbortError');
    expect(thrown(() => message(reason))).toBe(reason);
    expect(thrown(() => message('a string'))).toBe('a string');
  });

  it('message takes a SocketError of another copy of the package by its brand', () => {
    const foreign = Object.assign(new Error('connection refused'), {
      [Symbol.for('luasocket-async.SocketError')]: true,
    });
    expect(message(foreign)).toBe('connection refused');
  });
});

describe('failure', () => {
  it('failure shapes a network failure as [null, err]', () => {
    expect(failure(new SocketError('timeout'))).toEqual([null, 'timeout']);
    expect(failure(new SocketError('unsupported', { message: 'linger: no' }))).toEqual([
      null,
      'linger: no',
    ]);
  });

  it('failure lets a usage error through', () => {
    const usage = new RangeError('Expected `port` to be in 0..65535, got `70000`');
    expect(thrown(() => failure(usage))).toBe(usage);
  });
});

describe('attempt', () => {
  it('attempt gives [value, null] for a call that returns, [null, err] for one that fails', () => {
    expect(attempt(() => 1)).toEqual([1, null]);
    expect(attempt(() => null)).toEqual([null, null]);
    expect(
      attempt(() => {
        throw new SocketError('closed');
      }),
    ).toEqual([null, 'closed']);
  });

  it('attempt lets a usage error propagate', () => {
    const usage = new TypeError('calling bind on bad self');
    expect(
      thrown(() =>
        attempt(() => {
          throw usage;
        }),
      ),
    ).toBe(usage);
  });
});

describe('settle', () => {
  it('settle resolves to [value, null] or [null, err] for the outcome of a real call', async () => {
    const server = await bind(IP, 0);
    try {
      const [client, none] = await settle(connect(IP, server.getsockname().port));
      expect(none).toBeNull();
      client?.close();
      const port = await closedPort();
      expect(await settle(connect(IP, port))).toEqual([null, 'connection refused']);
      expect(await settle(bind(IP, server.getsockname().port))).toEqual([
        null,
        'address already in use',
      ]);
    } finally {
      server.close();
    }
  });

  it("settle rejects with what is not a network failure: a signal's reason, a usage error", async () => {
    const reason = new Error('stop');
    expect(await rejection(settle(Promise.reject(reason)))).toBe(reason);
    const usage = new TypeError('usage');
    expect(await rejection(settle(Promise.reject(usage)))).toBe(usage);
  });
});
