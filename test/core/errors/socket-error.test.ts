import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import socket from '../../../compat/index.js';
import { bind, bindUnix, connect, SocketError, tcp } from '../../../src/index.js';
import { isReset, toSocketError } from '../../../src/errors/socket-error.js';
import { closedPort, rejection } from '../../helpers/loopback.js';

const IP = '127.0.0.1';

describe('SocketError', () => {
  test('toString() shows the code, the message and where, when known', () => {
    const plain = new SocketError('timeout');
    expect(String(plain)).toBe('SocketError [timeout]: timeout');
    const located = new SocketError('refused', { syscall: 'connect', address: '::1', port: 9 });
    expect(String(located)).toBe('SocketError [refused]: connection refused (connect [::1]:9)');
    expect(located.message).toBe('connection refused');
    expect(located.stack?.split('\n')[0]).toBe(String(located));
  });

  test('a refused connect() carries address, port and syscall, and its stack the caller', async () => {
    const port = await closedPort();
    async function refusedConnectCaller(): Promise<unknown> {
      const err = await rejection(connect(IP, port));
      return err;
    }
    const err = await refusedConnectCaller();
    expect(err).toBeInstanceOf(SocketError);
    const e = err as SocketError;
    expect(e.code).toBe('refused');
    expect(e.message).toBe('connection refused');
    expect({ address: e.address, port: e.port, syscall: e.syscall }).toEqual({
      address: IP,
      port,
      syscall: 'connect',
    });
    const head = `SocketError [refused]: connection refused (connect ${IP}:${String(port)})`;
    expect(String(e)).toBe(head);
    expect(e.stack?.split('\n')[0]).toBe(head);
    expect(e.stack).toContain('refusedConnectCaller');
  });

  test("a master's refused connect() carries where it went too", async () => {
    const port = await closedPort();
    const err = (await rejection(tcp().connect(IP, port))) as SocketError;
    expect([err.code, err.address, err.port, err.syscall]).toEqual([
      'refused',
      IP,
      port,
      'connect',
    ]);
  });

  test('bind() on a busy port says where', async () => {
    const server = await bind(IP, 0);
    const { port } = server.getsockname();
    const err = (await rejection(bind(IP, port))) as SocketError;
    server.close();
    expect(err.code).toBe('addrinuse');
    expect(err.message).toBe('address already in use');
    expect([err.address, err.port]).toEqual([IP, port]);
    expect(String(err)).toMatch(
      new RegExp(
        `^SocketError \\[addrinuse\\]: address already in use \\(\\w+ ${IP}:${String(port)}\\)$`,
      ),
    );
  });

  test("compat's tuples keep LuaSocket's message alone", async () => {
    const port = await closedPort();
    expect(await socket.connect(IP, port)).toEqual([null, 'connection refused']);
    const server = await bind(IP, 0);
    const busy = server.getsockname().port;
    expect(await socket.bind(IP, busy)).toEqual([null, 'address already in use']);
    server.close();
  });
});

describe('SocketError of a Unix domain socket', () => {
  test('bindUnix() on a live path says which path, and the stack the caller', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsa-errors-'));
    const path = join(dir, 'busy.sock');
    const server = await bindUnix(path);
    async function busyBindCaller(): Promise<unknown> {
      const err = await rejection(bindUnix(path));
      return err;
    }
    const err = (await busyBindCaller()) as SocketError;
    server.close();
    rmSync(dir, { recursive: true, force: true });
    expect(err.code).toBe('addrinuse');
    expect(err.message).toBe('address already in use');
    expect(err.address).toBe(path);
    expect(String(err)).toContain(`(${String(err.syscall)} ${path})`);
    expect(err.stack).toContain('busyBindCaller');
  });
});

describe('isReset', () => {
  const errno = (code: string): Error => Object.assign(new Error(code), { code });

  test('is true for the closed of a reset, an abort or a broken pipe, and only those', () => {
    for (const code of ['ECONNRESET', 'ECONNABORTED', 'EPIPE']) {
      expect(isReset(toSocketError(errno(code))), code).toBe(true);
    }
    expect(isReset(new SocketError('closed'))).toBe(false);
    expect(isReset(toSocketError(errno('ERR_STREAM_DESTROYED')))).toBe(false);
    expect(isReset(new SocketError('timeout', { cause: errno('ECONNRESET') }))).toBe(false);
    expect(isReset(errno('ECONNRESET'))).toBe(false);
  });
});

describe('TLS failures', () => {
  /** An error as Node.js's TLS layer makes one: OpenSSL's code and reason. */
  const tlsError = (code: string, reason?: string): Error =>
    Object.assign(new Error(`long OpenSSL text ... ${reason ?? code}`), {
      code,
      ...(reason !== undefined && { reason }),
    });

  test.each([
    ['CERT_HAS_EXPIRED', 'certificate'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'certificate'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'certificate'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'certificate'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'certificate'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'certificate'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'notls'],
    ['ERR_SSL_HTTP_REQUEST', 'notls'],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'handshake'],
    ['ERR_SSL_NO_SHARED_CIPHER', 'handshake'],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'handshake'],
    ['ERR_TLS_HANDSHAKE_TIMEOUT', 'timeout'],
    ['ECONNRESET', 'closed'],
  ])('%s is %s', (code, expected) => {
    expect(toSocketError(tlsError(code)).code).toBe(expected);
  });

  test("the message is the code's text and OpenSSL's reason, not its whole stack", () => {
    const err = toSocketError(tlsError('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'));
    expect(err.message).toBe('peer speaks no TLS: wrong version number');
    expect(err.cause).toBeInstanceOf(Error);
  });

  test('system errors are not mistaken for TLS ones', () => {
    for (const code of ['ENOTCONN', 'EPIPE', 'ENOENT', 'EHOSTUNREACH'])
      expect(toSocketError(tlsError(code)).code, code).not.toMatch(/certificate|handshake|notls/);
  });
});
