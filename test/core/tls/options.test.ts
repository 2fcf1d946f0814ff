/**
 * The TLS options' checks: every misuse is a TypeError or RangeError at
 * once, naming the option; a key OpenSSL cannot read is one too.
 */

import { describe, expect, test } from 'vitest';
import { bind, connect } from '../../../src/index.js';
import { checkTlsOptions, serverTls } from '../../../src/tls/options.js';
import { thrown } from '../../helpers/thrown.js';

describe('client options', () => {
  test.each([
    [null, TypeError, /tls: an object of TLS options expected/],
    [[], TypeError, /an object of TLS options expected/],
    [{ servername: 5 }, TypeError, /tls\.servername: a string expected, got number/],
    [{ rejectUnauthorised: false }, TypeError, /rejectUnauthorised/],
    [{ rejectUnauthorized: 'no' }, TypeError, /tls\.rejectUnauthorized: a boolean expected/],
    [{ ca: 5 }, TypeError, /tls\.ca: PEM text, a Buffer, or an array of them expected/],
    [{ ca: ['ok', 5] }, TypeError, /tls\.ca/],
    [{ ALPNProtocols: 'h2' }, TypeError, /tls\.ALPNProtocols: an array of strings expected/],
    [
      { minVersion: 'SSLv3' },
      RangeError,
      /tls\.minVersion: one of TLSv1, TLSv1\.1, TLSv1\.2, TLSv1\.3 expected/,
    ],
    [{ ciphers: 1 }, TypeError, /tls\.ciphers: a string expected/],
  ])('%j is refused', (options, type, message) => {
    const err = thrown(() => checkTlsOptions(options));
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toMatch(message);
  });

  test('connect refuses bad tls options before it resolves or connects anything', () => {
    expect(() => connect('127.0.0.1', 1, { tls: { servername: 1 } as never })).toThrow(
      /connect\(\): tls\.servername/,
    );
  });

  test('true, false, {} and the full set are accepted', () => {
    expect(() => checkTlsOptions({})).not.toThrow();
    expect(() =>
      checkTlsOptions({
        servername: 'x',
        ca: ['a', Buffer.from('b')],
        rejectUnauthorized: false,
        ALPNProtocols: ['h2'],
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.3',
        secureOptions: 0,
        ecdhCurve: 'auto',
        checkServerIdentity: () => undefined,
      }),
    ).not.toThrow();
    expect(() => checkTlsOptions({ checkServerIdentity: true })).toThrow(
      /tls\.checkServerIdentity: a function expected, got boolean/,
    );
  });
});

describe('server options', () => {
  test('a server needs cert and key; a key OpenSSL cannot read is a TypeError with its reason', () => {
    expect(() => serverTls({})).toThrow(/tls: a server needs cert and key/);
    const err = thrown(() => serverTls({ cert: 'not a certificate', key: 'not a key' }));
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  test.each([
    [{ handshakeTimeout: 0 }, RangeError, /handshakeTimeout: seconds > 0 expected/],
    [{ requestCert: 1 }, TypeError, /requestCert: a boolean expected/],
    [{ SNICallback: 'ctx' }, TypeError, /tls\.SNICallback: a function expected, got string/],
    [{ secureOptions: -1 }, TypeError, /tls\.secureOptions: an integer >= 0 expected/],
    [{ ecdhCurve: 5 }, TypeError, /tls\.ecdhCurve: a string expected, got number/],
  ])('%j is refused', (extra, type, message) => {
    const err = thrown(() => serverTls({ cert: 'c', key: 'k', ...extra }));
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toMatch(message);
  });

  test('bind refuses bad tls options at once', () => {
    expect(() => bind('127.0.0.1', 0, { tls: {} as never })).toThrow(
      /bind\(\): tls: a server needs/,
    );
  });
});
