/**
 * A LuaSec connection's states on loopback, against a core TLS server: what
 * `wrap` leaves of the TCP object, what each method answers before the
 * handshake, once connected and once closed, and bytes the TCP object had
 * buffered reaching the handshake first.
 */

import { describe, expect, test } from 'vitest';
import socket from '../../../compat/index.js';
import ssl, { type SslParams } from '../../../compat/ssl/index.js';
import type { TcpObject } from '../../../compat/tcp.js';
import { bind, type TcpServer } from '../../../src/index.js';
import { certificates, hasOpenssl } from '../../helpers/certs.js';
import { deferrals } from '../../helpers/deferred.js';

const defer = deferrals();

describe.skipIf(!hasOpenssl)('SslObject', () => {
  const certs = hasOpenssl ? certificates() : (undefined as never);
  const params: SslParams = {
    mode: 'client',
    protocol: 'any',
    verify: 'peer',
    cafile: certs.caFile,
    alpn: ['x', 'y'],
  };

  async function server(): Promise<TcpServer<string>> {
    const s = await bind('127.0.0.1', 0, {
      tls: { cert: certs.server.cert, key: certs.server.key, ALPNProtocols: ['y'] },
      encoding: 'latin1',
    });
    defer(() => s.close());
    return s;
  }

  async function tcp(port: number): Promise<TcpObject> {
    const [c, err] = await socket.connect('127.0.0.1', port);
    if (c === null) throw new Error(err);
    defer(() => c.close());
    return c;
  }

  test("wrap takes the TCP object's connection; before the handshake everything answers 'closed'", async () => {
    const s = await server();
    const t = await tcp(s.getsockname().port);
    const fd = t.getfd();
    const [conn] = ssl.wrap(t, params);
    expect(conn).not.toBeNull();
    defer(() => conn!.close());
    expect([String(t), t.getfd()]).toEqual(['tcp{client}', -1]);
    expect(await t.receive(1)).toEqual([null, 'closed', '']);
    expect(t.close()).toBe(1);
    expect(String(conn)).toBe('SSL connection');
    expect(conn!.getfd()).toBe(fd);
    expect(await conn!.receive('*l', 'pre')).toEqual([null, 'closed', 'pre']);
    expect(await conn!.send('x')).toEqual([null, 'closed', 0]);
    expect(conn!.want()).toBe('nothing');
    expect(conn!.dirty()).toBe(false);
    expect(conn!.getpeercertificate()).toEqual([null, 'closed']);
    expect(conn!.getpeerverification()).toEqual([false, 'closed']);
    expect(conn!.info()).toEqual([null, 'closed']);
    expect(conn!.getalpn()).toBeNull();
    expect(conn!.getstats()).toEqual([0, 0, 0]);
    expect(() => ssl.wrap({} as never, params)).toThrow(/bad argument #1 to 'wrap'/);
  });

  test('once connected: what was negotiated, the stream, dirty, and close', async () => {
    const s = await server();
    const [conn] = ssl.wrap(await tcp(s.getsockname().port), params);
    conn!.settimeout(5);
    const accepted = s.accept({ timeout: 5 });
    expect(await conn!.dohandshake()).toEqual([true, null]);
    expect(await conn!.dohandshake()).toEqual([true, null]);
    const peer = await accepted;
    defer(() => peer.close());
    expect(conn!.getalpn()).toBe('y');
    expect(conn!.getpeerverification()).toEqual([true, null]);
    const [cert] = conn!.getpeercertificate();
    expect(cert?.subject()).toEqual([{ oid: '2.5.4.3', name: 'commonName', value: 'localhost' }]);
    expect(conn!.getpeercertificate(9)).toEqual([null, null]);
    expect(conn!.getpeercertificate(0)).toEqual([null, 'invalid certificate index']);
    const [chain] = conn!.getpeerchain();
    expect(chain?.length).toBeGreaterThanOrEqual(1);
    const [info] = conn!.info();
    expect(info).toMatchObject({ protocol: expect.stringMatching(/^TLSv1\.[23]$/) as string });
    expect(conn!.info('cipher')[0]).toBe(info?.cipher);
    expect(conn!.getfinished()[0]?.length).toBeGreaterThan(0);
    await peer.send('one\ntwo\n');
    expect(await conn!.receive('*l')).toEqual(['one', null, null]);
    expect(conn!.dirty()).toBe(true);
    expect(await conn!.receive('*l')).toEqual(['two', null, null]);
    expect(conn!.dirty()).toBe(false);
    expect(await conn!.send('back\n')).toEqual([5, null, null]);
    expect(await peer.receive('*l', { timeout: 5 })).toBe('back');
    expect(conn!.getstats().slice(0, 2)).toEqual([8, 5]);
    expect(conn!.close()).toBeUndefined();
    expect(String(conn)).toBe('SSL connection (closed)');
    expect([conn!.getfd(), conn!.want()]).toEqual([-1, 'nothing']);
    expect(await conn!.receive()).toEqual([null, 'closed', '']);
    expect(await conn!.dohandshake()).toEqual([false, 'closed']);
  });

  test('a handshake that times out goes on: select wakes when it is done, and close gives it up', async () => {
    const s = await server();
    const [conn] = ssl.wrap(await tcp(s.getsockname().port), params);
    defer(() => conn!.close());
    conn!.settimeout(0);
    const first = await conn!.dohandshake();
    if (first[0]) return; // done within one turn of the loop: nothing left to wait for
    expect(first).toEqual([false, 'wantread']);
    expect(conn!.want()).toBe('read');
    const [readable] = await socket.select([conn!], null, 5);
    expect(readable.has(conn!)).toBe(true);
    expect(await conn!.dohandshake()).toEqual([true, null]);

    const [again] = ssl.wrap(await tcp(s.getsockname().port), params);
    defer(() => again!.close());
    again!.settimeout(0);
    await again!.dohandshake();
    again!.close();
    expect(await again!.dohandshake()).toEqual([false, 'closed']);
    conn!.close();
  });
});
