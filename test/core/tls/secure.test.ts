/**
 * `connect({ tls })` and `bind({ tls })`: the same clients and servers over
 * TLS, with real handshakes on loopback, certificates made for this file.
 */

import { once } from 'node:events';
import { createConnection } from 'node:net';
import { connect as tlsConnect, createServer as tlsServer, type TLSSocket } from 'node:tls';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bind, connect, select, type TcpServer } from '../../../src/index.js';
import { certificates, hasOpenssl } from '../../helpers/certs.js';
import { deferrals } from '../../helpers/deferred.js';
import { ALL_BYTES, pause, rawServer, socketError, until } from '../../helpers/loopback.js';

const defer = deferrals();

describe.skipIf(!hasOpenssl)('TLS in the core', () => {
  const certs = hasOpenssl ? certificates() : (undefined as never);
  const serverTls = { cert: certs.server.cert, key: certs.server.key };

  /** A TLS server on 127.0.0.1, closed after the test. */
  async function tlsBind(extra: object = {}): Promise<TcpServer> {
    const server = await bind('127.0.0.1', 0, { tls: { ...serverTls, ...extra } });
    defer(() => server.close());
    return server;
  }

  async function pair(server?: TcpServer) {
    const s = server ?? (await tlsBind());
    const { port } = s.getsockname();
    const client = await connect('127.0.0.1', port, { tls: { ca: certs.ca }, timeout: 5 });
    defer(() => client.close());
    const conn = await s.accept({ timeout: 5 });
    defer(() => conn.close());
    return { server: s, client, conn, port };
  }

  test('every pattern, the prefix and the partial work as over plain TCP', async () => {
    const { client, conn } = await pair();
    await client.send('line one\r\nline two\nabcdefgh');
    expect(await conn.receive('*l')).toBe('line one');
    expect(await conn.receive()).toBe('line two');
    expect(await conn.receive(3, { prefix: '>' })).toBe('>ab');
    expect(await conn.receive(5)).toBe('cdefg');
    const failed = await socketError(conn.receive('*l', { timeout: 0.05 }));
    expect(failed.code).toBe('timeout');
    expect(failed.partial).toBe('h');
    await client.send('tail');
    client.close();
    expect(await conn.receive('*a')).toBe('tail');
  });

  test('binary lines up to 8 MB and every byte value arrive exact, both ways', async () => {
    const maxLineLength = 9 * 1024 * 1024;
    const server = await bind('127.0.0.1', 0, {
      tls: serverTls,
      encoding: 'buffer',
      maxLineLength,
    });
    defer(() => server.close());
    const client = await connect('127.0.0.1', server.getsockname().port, {
      tls: { ca: certs.ca },
      encoding: 'buffer',
    });
    defer(() => client.close());
    const conn = await server.accept({ timeout: 5 });
    defer(() => conn.close());
    const noLF = Buffer.from(ALL_BYTES.filter((b) => b !== 10));
    const big = Buffer.alloc(8 * 1024 * 1024, noLF);
    const [, line] = await Promise.all([
      client.send(Buffer.concat([big, Buffer.from('\n'), ALL_BYTES])),
      conn.receive('*l'),
    ]);
    expect(line.equals(Buffer.from(big.filter((b) => b !== 13)))).toBe(true);
    expect((await conn.receive(256)).equals(ALL_BYTES)).toBe(true);
    await conn.send(ALL_BYTES);
    expect((await client.receive(256)).equals(ALL_BYTES)).toBe(true);
  });

  test('lines() and for await over the server yield over TLS', async () => {
    const server = await tlsBind();
    const { port } = server.getsockname();
    const clients = await Promise.all(
      [1, 2].map(() => connect('127.0.0.1', port, { tls: { ca: certs.ca } })),
    );
    for (const c of clients) defer(() => c.close());
    const seen: string[] = [];
    for await (const conn of server) {
      defer(() => conn.close());
      seen.push(conn.getprotocol() ?? 'plain');
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['TLSv1.3', 'TLSv1.3']);
    const { client, conn } = await pair(server);
    await conn.send('x\ny\n\nz');
    conn.close();
    const lines: string[] = [];
    for await (const line of client.lines()) lines.push(line);
    expect(lines).toEqual(['x', 'y', '', 'z']);
  });

  test('select sees a TLS socket readable when decrypted data waits, and dirty() says so', async () => {
    const { client, conn } = await pair();
    const idle = await select([conn], [], { timeout: 0.05 });
    expect(idle.timedOut).toBe(true);
    await client.send('one\ntwo\n');
    const ready = await select([conn], [], { timeout: 5 });
    expect(ready.readable).toEqual([conn]);
    expect(await conn.receive()).toBe('one');
    expect(conn.dirty()).toBe(true);
    expect((await select([conn], [], { timeout: 0 })).readable).toEqual([conn]);
  });

  test('what was negotiated: protocol, cipher, ALPN, the certificate; null over plain TCP', async () => {
    const server = await tlsBind({ ALPNProtocols: ['luasocket', 'h2'] });
    const client = await connect('127.0.0.1', server.getsockname().port, {
      tls: { ca: certs.ca, ALPNProtocols: ['h2'] },
    });
    defer(() => client.close());
    const conn = await server.accept({ timeout: 5 });
    defer(() => conn.close());
    expect(client.getprotocol()).toMatch(/^TLSv1\.[23]$/);
    expect(client.getcipher()?.name).toEqual(expect.any(String));
    expect(client.getalpn()).toBe('h2');
    expect(conn.getalpn()).toBe('h2');
    expect(client.getpeercertificate()?.subject.CN).toBe('localhost');
    expect(client.getpeerverification()).toEqual({ authorized: true, error: null });
    expect(conn.getpeercertificate()).toBeNull(); // the client sent none
    const plainServer = await bind('127.0.0.1', 0);
    defer(() => plainServer.close());
    const plain = await connect('127.0.0.1', plainServer.getsockname().port);
    defer(() => plain.close());
    expect([plain.getprotocol(), plain.getcipher(), plain.getalpn()]).toEqual([null, null, null]);
    expect([plain.getpeercertificate(), plain.getpeerverification()]).toEqual([null, null]);
  });

  test('the server name is checked: by the host given, by servername, by IP address', async () => {
    const server = await tlsBind();
    const { port } = server.getsockname();
    for (const host of ['127.0.0.1', 'localhost']) {
      const ok = await connect(host, port, { tls: { ca: certs.ca }, family: 'inet' });
      ok.close();
    }
    const wrong = await socketError(
      connect('127.0.0.1', port, { tls: { ca: certs.ca, servername: 'example.com' } }),
    );
    expect(wrong.code).toBe('certificate');
    expect(wrong.message).toMatch(/^certificate verify failed: .*example\.com/);
    const unchecked = await connect('127.0.0.1', port, {
      tls: { servername: 'example.com', rejectUnauthorized: false },
    });
    expect(unchecked.getpeerverification()?.authorized).toBe(false);
    unchecked.close();
  });

  test.each([
    ['an unknown CA (no ca: the bundled roots)', undefined, 'server'],
    ['the wrong CA', 'otherCa', 'server'],
    ['an expired certificate', 'ca', 'expired'],
    ['a certificate of another CA', 'ca', 'other'],
  ] as const)('verification fails with certificate for %s', async (_what, trusted, leaf) => {
    const tls = trusted === undefined ? {} : { ca: certs[trusted] };
    const pairOf = certs[leaf];
    const server = await bind('127.0.0.1', 0, { tls: { cert: pairOf.cert, key: pairOf.key } });
    defer(() => server.close());
    const err = await socketError(connect('127.0.0.1', server.getsockname().port, { tls }));
    expect(err.code).toBe('certificate');
    expect(err.message).toMatch(/^certificate verify failed: /);
  });

  test('a peer that speaks no TLS is notls; one that says nothing times out; one that closes is closed', async () => {
    await using raw = await rawServer();
    const talking = connect('127.0.0.1', raw.port, { tls: { ca: certs.ca }, timeout: 5 });
    const banner = await raw.accepted();
    banner.write('220 smtp.example.com ESMTP ready\r\n');
    const notls = await socketError(talking);
    expect(notls.code).toBe('notls');
    expect(notls.message).toMatch(/^peer speaks no TLS: /);

    const started = Date.now();
    const silent = connect('127.0.0.1', raw.port, { tls: { ca: certs.ca }, timeout: 0.2 });
    await raw.accepted();
    expect((await socketError(silent)).code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(4000);

    const closing = connect('127.0.0.1', raw.port, { tls: { ca: certs.ca }, timeout: 5 });
    (await raw.accepted()).end();
    expect((await socketError(closing)).code).toBe('closed');
  });

  test('an abort during the handshake ends it with the reason and leaves nothing behind', async () => {
    await using raw = await rawServer();
    const controller = new AbortController();
    const pending = connect('127.0.0.1', raw.port, { tls: {}, signal: controller.signal });
    const peer = await raw.accepted();
    await once(peer, 'data'); // the ClientHello: the handshake is under way
    const reason = new Error('enough');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await until(() => peer.destroyed || peer.readableEnded, 5000, 'the attempt closed');
  });

  test('a failed handshake never kills the server: counted, and the next client is served', async () => {
    const server = await tlsBind({ handshakeTimeout: 0.2 });
    const { port } = server.getsockname();
    const plain = createConnection({ port, host: '127.0.0.1' });
    plain.on('error', () => undefined);
    plain.write('GET / HTTP/1.0\r\n\r\n');
    await once(plain, 'close');
    const silent = createConnection({ port, host: '127.0.0.1' });
    silent.on('error', () => undefined);
    await once(silent, 'close'); // dropped when its handshake time ran out
    await until(() => server.failedHandshakes === 2, 5000, 'both counted');
    const { client, conn } = await pair(server);
    await client.send('still here\n');
    expect(await conn.receive()).toBe('still here');
  });

  test('a server that asks for a client certificate gets it, and refuses a client without one', async () => {
    const server = await tlsBind({ requestCert: true, ca: certs.ca });
    const { port } = server.getsockname();
    const client = await connect('127.0.0.1', port, {
      tls: { ca: certs.ca, cert: certs.client.cert, key: certs.client.key },
    });
    defer(() => client.close());
    const conn = await server.accept({ timeout: 5 });
    defer(() => conn.close());
    expect(conn.getpeercertificate()?.subject.CN).toBe('client');
    expect(conn.getpeerverification()).toEqual({ authorized: true, error: null });

    // TLS 1.3 finishes the client's side before the server judges it: the refusal is a close.
    const anonymous = await connect('127.0.0.1', port, { tls: { ca: certs.ca } });
    defer(() => anonymous.close());
    const refused = await socketError(anonymous.receive('*l', { timeout: 5 }));
    expect(refused.code, String(server.failedHandshakes)).toBe('closed');
    await until(() => server.failedHandshakes === 1, 5000, 'the server counted it');
  });

  test('however TLS records cut the stream, the lines are the same', async () => {
    const node = tlsServer({ ...serverTls });
    const sockets: TLSSocket[] = [];
    node.on('secureConnection', (s) => sockets.push(s));
    node.listen(0, '127.0.0.1');
    await once(node, 'listening');
    defer(() => new Promise<void>((done) => node.close(() => done())));
    const { port } = node.address() as { port: number };
    const text = 'alpha\r\nbeta\n\ngamma\r\r\ndelta\nend';
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 12 }),
        async (cuts) => {
          const client = await connect('127.0.0.1', port, { tls: { ca: certs.ca } });
          try {
            await until(() => sockets.length > 0, 5000, 'the server side');
            const peer = sockets.shift() as TLSSocket;
            let at = 0;
            for (const n of cuts) {
              if (at >= text.length) break;
              peer.write(text.slice(at, at + n)); // one record each
              at += n;
              await pause(1);
            }
            peer.end(text.slice(at));
            const lines: string[] = [];
            for await (const line of client.lines()) lines.push(line);
            expect(lines).toEqual(['alpha', 'beta', '', 'gamma', 'delta', 'end']);
          } finally {
            client.close();
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  test('a Node.js TLS client and the core server, and the core client and a Node.js TLS server', async () => {
    const server = await tlsBind();
    const node = tlsConnect({ port: server.getsockname().port, host: '127.0.0.1', ca: certs.ca });
    defer(() => node.destroy());
    await once(node, 'secureConnect');
    const conn = await server.accept({ timeout: 5 });
    defer(() => conn.close());
    node.write('from node\n');
    expect(await conn.receive()).toBe('from node');
    await conn.send('from core\n');
    const [reply] = (await once(node, 'data')) as [Buffer];
    expect(reply.toString()).toBe('from core\n');
  });
});
