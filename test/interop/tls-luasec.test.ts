/**
 * The core's TLS against real LuaSec 1.x on lua5.4: a LuaSec client against
 * a core TLS server and a core TLS client against a LuaSec server, byte for
 * byte, with LuaSocket's patterns, timeouts and partials on both ends, and
 * the handshake failures each side reports. Certificates are made for this
 * file.
 */

import { describe, expect, test } from 'vitest';
import { bind, connect, SocketError, type TcpClient } from '../../src/index.js';
import { certificates, hasOpenssl } from '../helpers/certs.js';
import { deferrals } from '../helpers/deferred.js';
import { hasLuaSec } from '../helpers/lua.js';
import { fnvBytes, genBytes, hex, SessionPeer, unhex } from '../helpers/lua-peer.js';
import { ALL_BYTES, socketError } from '../helpers/loopback.js';

const defer = deferrals();

/** A LuaSec peer, told to exit at the end of the test. */
function luasec(args: readonly string[]): SessionPeer {
  const lua = new SessionPeer('peer-tls.lua', args);
  defer(() => lua.stop());
  return lua;
}

const MB8 = 8 * 1024 * 1024;

describe.skipIf(!hasLuaSec || !hasOpenssl)('core TLS ⇄ LuaSec', () => {
  const certs = hasOpenssl ? certificates() : (undefined as never);
  const serverTls = { cert: certs.server.cert, key: certs.server.key };

  /** A core TLS server and the LuaSec client it accepted, handshake done on both ends. */
  async function luaClient(): Promise<{ conn: TcpClient<Buffer>; lua: SessionPeer }> {
    const server = await bind('127.0.0.1', 0, {
      tls: serverTls,
      encoding: 'buffer',
      maxLineLength: MB8 + 1,
    });
    defer(() => server.close());
    const lua = luasec(['client', '127.0.0.1', String(server.getsockname().port), certs.caFile]);
    const conn = await server.accept({ timeout: 5 });
    defer(() => conn.close());
    await lua.expectLine(/^SECURE TLSv1\.[23]$/);
    return { conn, lua };
  }

  /** A LuaSec server and the core TLS client connected to it. */
  async function luaServer(): Promise<{ client: TcpClient<Buffer>; lua: SessionPeer }> {
    const lua = luasec(['server', certs.server.certFile, certs.server.keyFile]);
    const [, port] = await lua.expectLine(/^READY (\d+)$/);
    const client = await connect('127.0.0.1', Number(port), {
      tls: { ca: certs.ca },
      encoding: 'buffer',
      maxLineLength: MB8 + 1,
      timeout: 5,
    });
    defer(() => client.close());
    await lua.expectLine(/^SECURE TLSv1\.[23]$/);
    return { client, lua };
  }

  describe.each([
    ['a LuaSec client and a core server', luaClient],
    [
      'a core client and a LuaSec server',
      async () => {
        const { client, lua } = await luaServer();
        return { conn: client, lua };
      },
    ],
  ] as const)('%s', (_name, open) => {
    test('mixed patterns, prefixes and every byte value, both ways', async () => {
      const { conn, lua } = await open();
      const wire = Buffer.concat([
        Buffer.from('first\r\nsecond\n'),
        ALL_BYTES,
        Buffer.from('tail'),
      ]);
      expect(await lua.command('send', hex(wire))).toMatchObject({ sent: wire.length, err: null });
      expect((await conn.receive('*l')).toString()).toBe('first');
      expect((await conn.receive('*l', { prefix: Buffer.from('>') })).toString()).toBe('>second');
      expect((await conn.receive(256)).equals(ALL_BYTES)).toBe(true);
      expect((await conn.receive(4)).toString()).toBe('tail');

      await conn.send(Buffer.concat([Buffer.from('one\r\ntwo\n'), ALL_BYTES]));
      expect(await lua.command('recv', '*l')).toEqual({
        data: hex('one'),
        err: null,
        partial: null,
      });
      expect(await lua.command('recv', '*l', hex('>'))).toEqual({
        data: hex('>two'),
        err: null,
        partial: null,
      });
      expect(unhex((await lua.command('recv', 256)).data)?.equals(ALL_BYTES)).toBe(true);
    });

    test('an 8 MB binary line each way and a large count, byte-exact', async () => {
      const { conn, lua } = await open();
      const noLF = Buffer.from(ALL_BYTES.filter((b) => b !== 10 && b !== 13));
      const times = Math.floor(MB8 / noLF.length);
      const [got] = await Promise.all([
        conn.receive('*l'),
        lua.command('rep', times, hex(noLF)).then(() => lua.command('send', hex('\n'))),
      ]);
      expect(got.equals(Buffer.alloc(times * noLF.length, noLF))).toBe(true);

      const line = Buffer.alloc(MB8, noLF);
      const receiving = lua.command('recv', '*l', '-', 'sum', 30);
      await conn.send(Buffer.concat([line, Buffer.from('\n')]));
      expect(await receiving).toEqual({ len: MB8, fnv: fnvBytes(line), err: null });

      const block = genBytes(3 * 1024 * 1024 + 5, 7);
      const counted = lua.command('recv', block.length, '-', 'sum', 30);
      await conn.send(block);
      expect(await counted).toEqual({ len: block.length, fnv: fnvBytes(block), err: null });
    });

    test("'*a' until the close, timeouts with partials, and a partial when the peer closes", async () => {
      const { conn, lua } = await open();
      // LuaSec's timeout keeps what arrived as the partial, as LuaSocket's
      // does, but names it 'wantread' (the SSL_ERROR_WANT_READ it ran into),
      // whatever the timeout: not 'timeout'.
      await conn.send('unterminated');
      expect(await lua.command('recv', '*l', '-', 'hex', 0.1)).toEqual({
        data: null,
        err: 'wantread',
        partial: hex('unterminated'),
      });
      // And the core's does too.
      await lua.command('send', hex('half a li'));
      const timedOut = await socketError(conn.receive('*l', { timeout: 0.1 }));
      expect([timedOut.code, timedOut.partial?.toString()]).toEqual(['timeout', 'half a li']);

      await lua.command('send', hex('ne\nand the rest'));
      expect((await conn.receive('*l')).toString()).toBe('ne');
      // LuaSec's close answers nothing, where LuaSocket's answers 1.
      expect(await lua.command('close')).toEqual({ ok: null });
      expect((await conn.receive('*a')).toString()).toBe('and the rest');
    });

    test('the core closes mid-line: LuaSec reports closed with the partial', async () => {
      const { conn, lua } = await open();
      await conn.send('no newline before the end');
      conn.close();
      expect(await lua.command('recv', '*l')).toEqual({
        data: null,
        err: 'closed',
        partial: hex('no newline before the end'),
      });
    });
  });

  test('handshake failures: a CA the client does not trust, on both sides', async () => {
    // LuaSec server, core client trusting another CA.
    const lua = luasec(['server', certs.server.certFile, certs.server.keyFile]);
    const [, port] = await lua.expectLine(/^READY (\d+)$/);
    const err = await socketError(
      connect('127.0.0.1', Number(port), { tls: { ca: certs.otherCa } }),
    );
    expect(err.code).toBe('certificate');
    await lua.expectLine(/^ERROR /);

    // Core server with an expired certificate, LuaSec client verifying.
    const server = await bind('127.0.0.1', 0, {
      tls: { cert: certs.expired.cert, key: certs.expired.key },
    });
    defer(() => server.close());
    const expired = luasec([
      'client',
      '127.0.0.1',
      String(server.getsockname().port),
      certs.caFile,
    ]);
    const [, said] = await expired.expectLine(/^ERROR (.*)$/);
    expect(said).toMatch(/certificate verify failed|certificate has expired/);
    const core = await socketError(
      connect('127.0.0.1', server.getsockname().port, { tls: { ca: certs.ca } }),
    );
    expect([core.code, core.message]).toEqual([
      'certificate',
      expect.stringMatching(/certificate has expired/) as string,
    ]);
  });

  test('host names: LuaSec checks none, the core checks the name it connects to', async () => {
    const server = await bind('127.0.0.1', 0, { tls: serverTls });
    defer(() => server.close());
    const { port } = server.getsockname();
    // The certificate names localhost; LuaSec asked for example.com and is content.
    const lua = luasec(['client', '127.0.0.1', String(port), certs.caFile, 'example.com']);
    const conn = await server.accept({ timeout: 5 });
    defer(() => conn.close());
    await lua.expectLine(/^SECURE /);
    const err = await socketError(
      connect('127.0.0.1', port, { tls: { ca: certs.ca, servername: 'example.com' } }),
    );
    expect(err.code).toBe('certificate');
  });

  test('a peer that speaks no TLS: LuaSec and the core both refuse it', async () => {
    const plain = await bind('127.0.0.1', 0);
    defer(() => plain.close());
    const { port } = plain.getsockname();
    const lua = luasec(['client', '127.0.0.1', String(port), certs.caFile]);
    const seen = await plain.accept({ timeout: 5 });
    await seen.send('220 plain text here\r\n');
    const [, said] = await lua.expectLine(/^ERROR (.*)$/);
    expect(said).toMatch(/wrong version number|unknown protocol|packet length/);
    seen.close();

    const core = connect('127.0.0.1', port, { tls: { ca: certs.ca }, timeout: 5 });
    const other = await plain.accept({ timeout: 5 });
    await other.send('220 plain text here\r\n');
    const err = await socketError(core);
    expect(err).toBeInstanceOf(SocketError);
    expect([err.code, err.message]).toEqual(['notls', 'peer speaks no TLS: wrong version number']);
    other.close();
  });
});
