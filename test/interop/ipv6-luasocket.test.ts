/**
 * The core over IPv6 against real LuaSocket: a tcp6 peer on ::1
 * (test/lua/peer-tcp6.lua, running peer-session.lua's commands) exchanging
 * lines and exact bytes with the core, in both roles.
 */

import { describe, expect, test } from 'vitest';
import { bind, connect, tcp } from '../../src/index.js';
import { ALL_BYTES, hasIPv6, socketError } from '../helpers/loopback.js';
import { hasLua } from '../helpers/lua.js';
import { hex, SessionPeer, unhex } from '../helpers/lua-peer.js';

const LINES: readonly (readonly [wire: string, line: string])[] = [
  ['hello six\n', 'hello six'],
  ['a\rb\r\n', 'ab'],
  ['nul\x00\xff\x80\n', 'nul\x00\xff\x80'],
  ['\n', ''],
];
const WIRE = LINES.map(([w]) => w).join('');

const why = !hasLua ? 'lua5.4 + lua-socket not installed' : 'this machine cannot listen on ::1';

describe.skipIf(!hasLua || !hasIPv6)(
  `IPv6 against LuaSocket tcp6 on ::1${hasLua && hasIPv6 ? '' : ` (skipped: ${why})`}`,
  () => {
    test('a LuaSocket tcp6 server on ::1 and a core client: lines both ways, inet6 on both ends', async () => {
      const lua = new SessionPeer('peer-tcp6.lua', ['server']);
      try {
        const [, port, family] = await lua.expectLine(/^READY (\d+) (\S+)$/);
        expect(family).toBe('inet6');
        await using client = await connect('::1', Number(port), { encoding: 'buffer', timeout: 5 });
        const [, peer, peerFamily] = await lua.expectLine(/^ACCEPTED (\S+) (\S+)$/);
        expect([peer, peerFamily]).toEqual(['::1', 'inet6']);
        expect(client.getpeername()).toEqual({
          address: '::1',
          port: Number(port),
          family: 'inet6',
        });

        await client.send(Buffer.from(WIRE, 'latin1'));
        for (const [, line] of LINES) {
          expect(unhex((await lua.command('recv', '*l')).data)?.toString('latin1')).toBe(line);
        }
        expect(await lua.command('send', hex(WIRE + 'end'))).toMatchObject({
          sent: WIRE.length + 3,
        });
        for (const [, line] of LINES)
          expect((await client.receive('*l')).toString('latin1')).toBe(line);
        expect(await lua.command('close')).toEqual({ ok: 1 });
        expect((await socketError(client.receive('*l'))).partial).toEqual(Buffer.from('end'));
      } finally {
        await lua.stop();
      }
    });

    test("a core server from tcp({ family: 'inet6' }) on ::1 and a LuaSocket tcp6 client: exact bytes", async () => {
      const master = tcp({ family: 'inet6', encoding: 'buffer' });
      await master.bind('::1', 0);
      await using server = await master.listen();
      const lua = new SessionPeer('peer-tcp6.lua', ['client', String(server.getsockname().port)]);
      try {
        const [, address, family] = await lua.expectLine(/^CONNECTED (\S+) (\S+)$/);
        expect([address, family]).toEqual(['::1', 'inet6']);
        await using conn = await server.accept({ timeout: 5 });
        expect(conn.getpeername().family).toBe('inet6');
        expect(await lua.command('send', hex(ALL_BYTES))).toMatchObject({ sent: 256 });
        expect(await conn.receive(256)).toEqual(ALL_BYTES);
        // Every byte but LF, as one line: LuaSocket drops its CR, as the core does.
        await conn.send(Buffer.concat([ALL_BYTES.filter((b) => b !== 10), Buffer.from('\n')]));
        const got = unhex((await lua.command('recv', '*l')).data);
        expect(got).toEqual(Buffer.from(ALL_BYTES.filter((b) => b !== 10 && b !== 13)));
      } finally {
        await lua.stop();
      }
    });

    test('the core binds ::1 where LuaSocket listens: addrinuse, with its message', async () => {
      const lua = new SessionPeer('peer-tcp6.lua', ['server']);
      try {
        const [, port] = await lua.expectLine(/^READY (\d+) /);
        const err = await socketError(bind('::1', Number(port)));
        expect([err.code, err.message]).toEqual(['addrinuse', 'address already in use']);
        await using client = await connect('::1', Number(port));
        await lua.expectLine(/^ACCEPTED /);
        expect(client.closed).toBe(false);
      } finally {
        await lua.stop();
      }
    });
  },
);
