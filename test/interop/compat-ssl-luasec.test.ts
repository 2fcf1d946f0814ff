/**
 * compat's `ssl` module against real LuaSec 1.x on lua5.4: a compat client
 * against a LuaSec server and a LuaSec client against a compat server, byte
 * for byte with LuaSocket's patterns, timeouts and partials; LuaSec's
 * `wantread` polling loop, line for line, on both; and every handshake
 * failure run by LuaSec and by compat against the same peer, their strings
 * compared.
 */

import { once } from 'node:events';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import { describe, expect, test } from 'vitest';
import socket from '../../compat/index.js';
import ssl, { type SslObject, type SslParams } from '../../compat/ssl/index.js';
import type { TcpObject } from '../../compat/tcp.js';
import { bind } from '../../src/index.js';
import { certificates, hasOpenssl } from '../helpers/certs.js';
import { deferrals } from '../helpers/deferred.js';
import { hasLuaSec, runLua } from '../helpers/lua.js';
import { fnvBytes, genBytes, hex, SessionPeer, unhex } from '../helpers/lua-peer.js';
import { ALL_BYTES } from '../helpers/loopback.js';

const defer = deferrals();
const MB8 = 8 * 1024 * 1024;

/** What a probe reports of one handshake: LuaSec's three lines, or compat's same answers. */
interface Probe {
  handshake: string;
  want: string;
  verify: string;
}

/**
 * A plain TCP server whose connections `handle` takes; closed after the
 * test. Unless `raw`, it reads each connection to its end, so that the
 * peer's close closes it.
 */
async function tcpServer(handle: (s: Socket) => void, raw = false): Promise<number> {
  const server: Server = createServer((s) => {
    s.on('error', () => undefined);
    if (!raw) s.resume();
    handle(s);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  defer(() => new Promise<void>((done) => server.close(() => done())));
  return (server.address() as { port: number }).port;
}

/** LuaSec's probe, as test/lua/ssl-probe.lua prints it. */
async function luaProbe(args: string[], onReady?: (port: number) => void): Promise<Probe> {
  const lua = runLua('ssl-probe.lua', args);
  defer(() => lua.exit(2000));
  if (onReady !== undefined) {
    const ready = /^READY (\d+)$/.exec(await lua.line());
    onReady(Number(ready?.[1]));
  }
  const [handshake, want, verify] = [await lua.line(), await lua.line(), await lua.line()];
  return {
    handshake: handshake.replace(/^HANDSHAKE /, ''),
    want: want.replace(/^WANT /, ''),
    verify: verify.replace(/^VERIFY /, ''),
  };
}

/** compat's answers to the same steps, in the probe's words. */
async function report(conn: SslObject): Promise<Probe> {
  const [ok, err] = await conn.dohandshake();
  const [vok, verr] = conn.getpeerverification();
  const lua = (v: string | boolean | null): string => (v === null ? 'nil' : String(v));
  const probe = {
    handshake: `${lua(ok)} ${lua(err)}`,
    want: conn.want(),
    verify: `${lua(vok)} ${lua(verr)}`,
  };
  conn.close();
  return probe;
}

describe.skipIf(!hasLuaSec || !hasOpenssl)('compat ssl ⇄ LuaSec', () => {
  const certs = hasOpenssl ? certificates() : (undefined as never);
  const serverParams = (): SslParams => ({
    mode: 'server',
    protocol: 'any',
    key: certs.server.keyFile,
    certificate: certs.server.certFile,
    verify: 'none',
    options: 'all',
  });
  const clientParams = (verify = true): SslParams => ({
    mode: 'client',
    protocol: 'any',
    options: 'all',
    verify: verify ? 'peer' : 'none',
    ...(verify && { cafile: certs.caFile }),
  });

  /** compat's client probe: connect, wrap, settimeout, dohandshake. */
  async function compatClient(port: number, params: SslParams, timeout = 5): Promise<Probe> {
    const [tcp, err] = await socket.connect('127.0.0.1', port);
    if (tcp === null) throw new Error(err);
    const [conn, werr] = ssl.wrap(tcp, params);
    if (conn === null) throw new Error(werr);
    conn.settimeout(timeout);
    return report(conn);
  }

  /** compat's server probe: accept one connection, wrap it, dohandshake. */
  async function compatServer(params: SslParams, start: (port: number) => void): Promise<Probe> {
    const [server, err] = await socket.bind('127.0.0.1', 0);
    if (server === null) throw new Error(err);
    defer(() => server.close());
    server.settimeout(10);
    const [, port] = server.getsockname() as [string, number, string];
    start(port);
    const [tcp, aerr] = await server.accept();
    if (tcp === null) throw new Error(aerr);
    const [conn, werr] = ssl.wrap(tcp, params);
    if (conn === null) throw new Error(werr);
    conn.settimeout(5);
    return report(conn);
  }

  describe('a client handshake that fails answers as LuaSec does', () => {
    /** Both clients against the same server, one after the other. */
    async function both(port: number, verify = true, timeout = 5): Promise<[Probe, Probe]> {
      const lua = await luaProbe([
        'client',
        String(port),
        verify ? certs.caFile : '-',
        String(timeout),
      ]);
      const compat = await compatClient(port, clientParams(verify), timeout);
      return [lua, compat];
    }

    async function tlsServer(pair: { cert: Buffer; key: Buffer }): Promise<number> {
      const server = await bind('127.0.0.1', 0, { tls: { cert: pair.cert, key: pair.key } });
      defer(() => server.close());
      return server.getsockname().port;
    }

    test.each([
      ['a certificate of a CA nobody trusts', () => tlsServer(certs.other)],
      ['an expired certificate', () => tlsServer(certs.expired)],
      ['a plain-TCP peer', () => tcpServer((s) => s.end('HELLO plain text\r\n'))],
      [
        'a peer that reads the hello and closes',
        () => tcpServer((s) => s.once('data', () => s.end())),
      ],
    ])('%s', async (_name, server) => {
      const [lua, compat] = await both(await server());
      expect(lua.handshake).toMatch(/^false /);
      expect(compat).toEqual(lua);
    });

    test("a peer that stays silent: 'wantread' once the timeout passes, want() 'read'", async () => {
      const port = await tcpServer(() => undefined);
      const [lua, compat] = await both(port, true, 0.3);
      expect(lua).toMatchObject({ handshake: 'false wantread', want: 'read' });
      expect(compat).toEqual(lua);
    });

    test('verify none: the handshake succeeds and getpeerverification says the chain fails', async () => {
      const [lua, compat] = await both(await tlsServer(certs.other), false);
      expect(lua.handshake).toBe('true nil');
      expect(compat).toMatchObject({ handshake: lua.handshake, want: lua.want });
      // OpenSSL's words for a leaf whose issuer is unknown; Node.js's verdict
      // may name the leaf ('unable to verify the first certificate') where
      // LuaSec's names the issuer ('unable to get local issuer certificate').
      expect(lua.verify).toMatch(
        /^false unable to (?:get local issuer certificate|verify the first certificate)$/,
      );
      expect(compat.verify).toMatch(
        /^false unable to (?:get local issuer certificate|verify the first certificate)$/,
      );
    });
  });

  describe('a server handshake that fails answers as LuaSec does', () => {
    const verifying = (flags: string[]): SslParams => ({
      ...serverParams(),
      cafile: certs.caFile,
      verify: flags,
    });

    /** The same client against a LuaSec server, then against a compat server. */
    async function both(flags: string[], client: (port: number) => void): Promise<[Probe, Probe]> {
      const args = [
        'server',
        certs.server.certFile,
        certs.server.keyFile,
        certs.caFile,
        flags.join(','),
        '5',
      ];
      const lua = await luaProbe(args, client);
      const compat = await compatServer(verifying(flags), client);
      return [lua, compat];
    }

    const tlsClient = (extra: object) => (port: number) => {
      const c = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false, ...extra });
      c.on('error', () => undefined);
      c.on('secureConnect', () => c.end());
      defer(() => c.destroy());
    };
    const plainClient = (bytes: string) => (port: number) => {
      const c = netConnect(port, '127.0.0.1', () => c.end(bytes));
      c.on('error', () => undefined);
      defer(() => c.destroy());
    };

    test.each([
      [
        'a client with no certificate, fail_if_no_peer_cert',
        ['peer', 'fail_if_no_peer_cert'],
        tlsClient({}),
      ],
      ['a client with no certificate, peer alone', ['peer'], tlsClient({})],
      [
        'a client certificate of a CA nobody trusts',
        ['peer'],
        tlsClient({ cert: certs.other.cert, key: certs.other.key }),
      ],
      ['a plain HTTP request', ['none'], plainClient('GET / HTTP/1.0\r\n\r\n')],
      ['a client that connects and closes', ['none'], plainClient('')],
    ] as const)('%s', async (_name, flags, client) => {
      const [lua, compat] = await both([...flags], client);
      expect(compat.handshake).toBe(lua.handshake);
    });
  });

  /** A compat connection and the LuaSec session peer at its other end, handshake done. */
  async function luaServer(): Promise<{ conn: SslObject; lua: SessionPeer }> {
    const lua = new SessionPeer('peer-tls.lua', [
      'server',
      certs.server.certFile,
      certs.server.keyFile,
    ]);
    defer(() => lua.stop());
    const [, port] = await lua.expectLine(/^READY (\d+)$/);
    const [tcp] = await socket.connect('127.0.0.1', Number(port));
    const [conn, err] = ssl.wrap(tcp as TcpObject, clientParams());
    if (conn === null) throw new Error(err);
    defer(() => conn.close());
    conn.settimeout(5);
    expect(await conn.dohandshake()).toEqual([true, null]);
    await lua.expectLine(/^SECURE TLSv1\.[23]$/);
    return { conn, lua };
  }

  async function luaClient(): Promise<{ conn: SslObject; lua: SessionPeer }> {
    const [server] = await socket.bind('127.0.0.1', 0);
    defer(() => server!.close());
    const [, port] = server!.getsockname() as [string, number, string];
    const lua = new SessionPeer('peer-tls.lua', [
      'client',
      '127.0.0.1',
      String(port),
      certs.caFile,
    ]);
    defer(() => lua.stop());
    server!.settimeout(5);
    const [tcp] = await server!.accept();
    const [conn, err] = ssl.wrap(tcp as TcpObject, serverParams());
    if (conn === null) throw new Error(err);
    defer(() => conn.close());
    conn.settimeout(5);
    expect(await conn.dohandshake()).toEqual([true, null]);
    await lua.expectLine(/^SECURE TLSv1\.[23]$/);
    return { conn, lua };
  }

  describe.each([
    ['a compat client and a LuaSec server', luaServer],
    ['a LuaSec client and a compat server', luaClient],
  ] as const)('%s', (_name, open) => {
    test('mixed patterns, prefixes and every byte value, both ways', async () => {
      const { conn, lua } = await open();
      const wire = Buffer.concat([
        Buffer.from('first\r\nsecond\n'),
        ALL_BYTES,
        Buffer.from('tail'),
      ]);
      await lua.command('send', hex(wire));
      expect(await conn.receive('*l')).toEqual(['first', null, null]);
      expect(await conn.receive('*l', '>')).toEqual(['>second', null, null]);
      expect(await conn.receive(256)).toEqual([ALL_BYTES.toString('latin1'), null, null]);
      expect(await conn.receive(4)).toEqual(['tail', null, null]);
      const out = Buffer.concat([Buffer.from('one\r\ntwo\n'), ALL_BYTES]);
      expect(await conn.send(out)).toEqual([out.length, null, null]);
      expect(await lua.command('recv', '*l')).toEqual({
        data: hex('one'),
        err: null,
        partial: null,
      });
      expect(await lua.command('recv', '*l', hex('>'))).toMatchObject({ data: hex('>two') });
      expect(unhex((await lua.command('recv', 256)).data)?.equals(ALL_BYTES)).toBe(true);
    });

    test('an 8 MB line each way, byte-exact', async () => {
      const { conn, lua } = await open();
      const noLF = Buffer.from(ALL_BYTES.filter((b) => b !== 10 && b !== 13));
      const times = Math.floor(MB8 / noLF.length);
      const [[line]] = await Promise.all([
        conn.receive('*l'),
        lua.command('rep', times, hex(noLF)).then(() => lua.command('send', hex('\n'))),
      ]);
      expect(line?.length).toBe(times * noLF.length);
      expect(fnvBytes(Buffer.from(line as string, 'latin1'))).toBe(
        fnvBytes(Buffer.alloc(times * noLF.length, noLF)),
      );
      const block = genBytes(MB8, 3);
      const receiving = lua.command('recv', block.length, '-', 'sum', 30);
      expect(await conn.send(block)).toEqual([block.length, null, null]);
      expect(await receiving).toEqual({ len: block.length, fnv: fnvBytes(block), err: null });
    });

    test("timeouts are 'wantread' with the partial, and '*a' and a close end as in LuaSec", async () => {
      const { conn, lua } = await open();
      await lua.command('send', hex('par'));
      conn.settimeout(0.2);
      expect(await conn.receive('*l')).toEqual([null, 'wantread', 'par']);
      expect(conn.want()).toBe('read');
      expect(await conn.receive(10, 'x')).toEqual([null, 'wantread', 'x']);
      conn.settimeout(5);
      await conn.send('ping');
      expect(await lua.command('recv', 5, '-', 'hex', 0.2)).toEqual({
        data: null,
        err: 'wantread',
        partial: hex('ping'),
      });
      await lua.command('send', hex('rest of it'));
      await lua.command('close');
      expect(await conn.receive('*a')).toEqual(['rest of it', null, null]);
      expect(await conn.receive('*l')).toEqual([null, 'closed', '']);
    });
  });

  test("LuaSec's wantread loop, line for line: the same errors, the same line", async () => {
    // A server that lets the handshake wait, then sends a line in pieces.
    const port = await tcpServer((s) => {
      setTimeout(() => {
        const tls = new TLSSocket(s, {
          isServer: true,
          cert: certs.server.cert,
          key: certs.server.key,
        });
        tls.on('error', () => undefined);
        tls.once('secure', () => {
          tls.write('12');
          setTimeout(() => tls.end('34\n'), 300);
        });
      }, 300);
    }, true);
    const lua = runLua('ssl-probe.lua', ['poll', String(port), certs.caFile]);
    defer(() => lua.exit(2000));
    const luaLines: string[] = [];
    for (let l = await lua.line(); ; l = await lua.line()) {
      luaLines.push(l);
      if (l.startsWith('LINE')) break;
    }

    const [tcp] = await socket.connect('127.0.0.1', port);
    const [conn] = ssl.wrap(tcp as TcpObject, clientParams());
    const peer = conn as SslObject;
    defer(() => peer.close());
    peer.settimeout(0);
    const seen = new Set<string>();
    const ours: string[] = [];
    const wait = async (err: string): Promise<void> => {
      if (!seen.has(err)) ours.push(`ERR ${err}`);
      seen.add(err);
      if (err === 'wantread') await socket.select([peer], null, 5);
      else if (err === 'wantwrite') await socket.select(null, [peer], 5);
      else throw new Error(err);
    };
    let [ok, err] = await peer.dohandshake();
    while (!ok) {
      await wait(err as string);
      [ok, err] = await peer.dohandshake();
    }
    let [line, rerr] = await peer.receive('*l');
    while (line === null) {
      await wait(rerr as string);
      [line, rerr] = await peer.receive('*l');
    }
    ours.push(`LINE ${line}`);
    expect(ours).toEqual(luaLines);
    // The '12' came back as the partial of a receive that had to wait, and
    // LuaSocket's partial is consumed: the line the loop gets is what follows.
    expect(ours).toEqual(['ERR wantread', 'LINE 34']);
  });
});
