/**
 * `starttls`: a plain connection taken over by TLS on either side, with the
 * bytes already read handed to TLS first, against Node.js TLS peers.
 */

import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { connect as tlsConnect, TLSSocket, createSecureContext } from 'node:tls';
import { describe, expect, test } from 'vitest';
import { bind, connect, SocketError, type TcpClient } from '../../../src/index.js';
import { certificates, hasOpenssl } from '../../helpers/certs.js';
import { deferrals } from '../../helpers/deferred.js';
import { rawServer, socketError, until } from '../../helpers/loopback.js';

const defer = deferrals();

describe.skipIf(!hasOpenssl)('starttls', () => {
  const certs = hasOpenssl ? certificates() : (undefined as never);
  const serverTls = { cert: certs.server.cert, key: certs.server.key };

  /** A raw peer and a core client connected to it on localhost. */
  async function plainPair(): Promise<{ peer: Socket; client: TcpClient }> {
    const raw = await rawServer();
    defer(() => raw.close());
    const client = await connect('localhost', raw.port, { family: 'inet', timeout: 5 });
    defer(() => client.close());
    return { peer: await raw.accepted(), client };
  }

  test('the client side: a plain exchange, then TLS checked against the host given to connect', async () => {
    const { peer, client } = await plainPair();
    await client.send('STARTTLS\r\n');
    const [ask] = (await once(peer, 'data')) as [Buffer];
    expect(ask.toString()).toBe('STARTTLS\r\n');
    peer.write('220 go ahead\r\n');
    expect(await client.receive()).toBe('220 go ahead');
    const secured = new TLSSocket(peer, {
      isServer: true,
      secureContext: createSecureContext(serverTls),
    });
    secured.on('error', () => undefined);
    const tls = await client.starttls({ ca: certs.ca }, { timeout: 5 });
    defer(() => tls.close());
    expect(tls).not.toBe(client);
    expect(tls.getprotocol()).toMatch(/^TLSv1\.[23]$/);
    expect(tls.getpeerverification()).toEqual({ authorized: true, error: null });
    secured.write('secret\n');
    expect(await tls.receive()).toBe('secret');
    await tls.send('reply\n');
    const [got] = (await once(secured, 'data')) as [Buffer];
    expect(got.toString()).toBe('reply\n');
    // The plain client is closed; the connection is not.
    expect(client.closed).toBe(true);
    expect((await socketError(client.receive())).code).toBe('closed');
  });

  test('bytes the reader held go to TLS first: a TLS record in the same segment as the plaintext', async () => {
    // The peer's reply and its first TLS record leave in one write: the
    // reader has both before starttls, and TLS must be handed the record.
    const { peer, client } = await plainPair();
    // The peer is the TLS client here, so that it speaks first: its hello
    // follows the reply at once, before our side has asked for anything.
    peer.write('220 ready\r\n');
    const hello = tlsConnect({ socket: peer, ca: certs.ca, servername: 'localhost' });
    hello.on('error', () => undefined);
    // In TLS 1.3 the client's side is done before the server's: listen from the start.
    const helloDone = once(hello, 'secureConnect');
    defer(() => hello.destroy());
    await until(() => client.buffered > 11, 5000, 'the reply and the record, both read');
    expect(await client.receive()).toBe('220 ready');
    expect(client.buffered).toBeGreaterThan(0); // the ClientHello, read already
    const tls = await client.starttls({ isServer: true, ...serverTls }, { timeout: 5 });
    defer(() => tls.close());
    await helloDone;
    hello.write('through the early record\n');
    expect(await tls.receive()).toBe('through the early record');
  });

  test('the server side: a client that sends STARTTLS and its ClientHello in one segment', async () => {
    const server = await bind('127.0.0.1', 0);
    defer(() => server.close());
    const raw = createConnection({ port: server.getsockname().port, host: '127.0.0.1' });
    raw.on('error', () => undefined);
    await once(raw, 'connect');
    raw.cork();
    raw.write('STARTTLS\r\n');
    const client = tlsConnect({ socket: raw, ca: certs.ca, servername: 'localhost' });
    defer(() => client.destroy());
    client.on('error', () => undefined);
    const clientDone = once(client, 'secureConnect');
    setTimeout(() => raw.uncork(), 20);
    const conn = await server.accept({ timeout: 5 });
    defer(() => conn.close());
    expect(await conn.receive()).toBe('STARTTLS');
    await until(() => conn.buffered > 0, 5000, 'the ClientHello behind the line');
    const tls = await conn.starttls({ isServer: true, ...serverTls }, { timeout: 5 });
    defer(() => tls.close());
    await clientDone;
    client.write('hello over tls\n');
    expect(await tls.receive()).toBe('hello over tls');
    expect(tls.getpeercertificate()).toBeNull();
  });

  test('timeouts and settings carry over; a silent peer times the upgrade out and leaves nothing', async () => {
    const { client } = await plainPair();
    client.settimeout(0.1);
    const started = Date.now();
    const err = await socketError(client.starttls({ ca: certs.ca }));
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(4000);
    expect(client.closed).toBe(true);
    client.close(); // a no-op: the upgrade closed it, and the global check finds nothing left
  });

  test('misuse: while a receive waits, over TLS already, with bad options — the client stays usable', async () => {
    const { peer, client } = await plainPair();
    expect(() => client.starttls({ servername: 1 as unknown as string })).toThrow(
      /starttls\(\)\.servername: a string expected/,
    );
    expect(() => client.starttls({ isServer: true } as never)).toThrow(/cert and key/);
    expect(() => client.starttls({ timeOut: 1 } as never)).toThrow(TypeError);
    const waiting = client.receive();
    expect(() => client.starttls({})).toThrow(/a receive or send is still waiting/);
    peer.write('still plain\n');
    expect(await waiting).toBe('still plain');
    expect(client.closed).toBe(false);

    const server = await bind('127.0.0.1', 0, { tls: serverTls });
    defer(() => server.close());
    const secure = await connect('127.0.0.1', server.getsockname().port, { tls: { ca: certs.ca } });
    defer(() => secure.close());
    expect(() => secure.starttls({})).toThrow(/TLS already/);
    secure.close();
    await expect(secure.starttls({})).rejects.toBeInstanceOf(SocketError);
  });
});
