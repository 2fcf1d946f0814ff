/**
 * The core's Unix domain stream sockets against LuaSocket's `socket.unix`
 * (test/lua/peer-unix.lua runs peer-session.lua's commands on its end).
 * Bytes go both ways and are compared exactly, for every receive pattern.
 */

import { existsSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { bindUnix, connectUnix } from '../../src/index.js';
import { ALL_BYTES, socketError } from '../helpers/loopback.js';
import { hasLua } from '../helpers/lua.js';
import { hex, SessionPeer, unhex } from '../helpers/lua-peer.js';

const dir = mkdtempSync(join(tmpdir(), 'lsa-unix-lua-'));
let counter = 0;
const fresh = (): string => join(dir, `l${++counter}.sock`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lines on the wire and what '*l' returns for each, on both ends. */
const LINES: readonly (readonly [wire: string, line: string])[] = [
  ['hello\n', 'hello'],
  ['a\rb\rc\r\n', 'abc'],
  ['nul\x00byte\n', 'nul\x00byte'],
  ['\xff\x80\x7f\n', '\xff\x80\x7f'],
  ['\r\n', ''],
];

describe.skipIf(!hasLua)('Unix domain sockets against LuaSocket socket.unix', () => {
  test('a LuaSocket unix server and a core connectUnix() client exchange lines and blocks exactly', async () => {
    const path = fresh();
    const lua = new SessionPeer('peer-unix.lua', ['server', path]);
    try {
      // LuaSocket's getsockname on a unix object is the path, as the core's is.
      expect((await lua.expectLine(/^READY (.*)$/))[1]).toBe(path);
      await using client = await connectUnix(path, { encoding: 'buffer', timeout: 5 });
      expect((await lua.expectLine(/^ACCEPTED (.*)$/))[1]).toBe(path);
      expect(client.getpeername()).toEqual({ address: path, port: 0, family: 'unix' });

      await client.send(Buffer.from(LINES.map(([wire]) => wire).join(''), 'latin1'));
      for (const [, line] of LINES) {
        expect(unhex((await lua.command('recv', '*l')).data)?.toString('latin1')).toBe(line);
      }
      await client.send(ALL_BYTES);
      expect(unhex((await lua.command('recv', 256)).data)).toEqual(ALL_BYTES);

      const wire = LINES.map(([w]) => w).join('') + 'tail';
      expect(await lua.command('send', hex(wire))).toMatchObject({ sent: wire.length, err: null });
      for (const [, line] of LINES) {
        expect((await client.receive('*l')).toString('latin1')).toBe(line);
      }
      expect((await client.receive(5, { prefix: Buffer.from('>') })).toString()).toBe('>tail');
      expect(await lua.command('send', hex(ALL_BYTES))).toMatchObject({ sent: 256 });
      expect(await lua.command('close')).toEqual({ ok: 1 });
      expect(await client.receive('*a')).toEqual(ALL_BYTES);
      expect((await socketError(client.receive('*l'))).code).toBe('closed');
    } finally {
      await lua.stop();
    }
  });

  test('a core bindUnix() server and a LuaSocket unix client; the stale file LuaSocket leaves needs unlink', async () => {
    const path = fresh();
    {
      await using server = await bindUnix(path);
      const lua = new SessionPeer('peer-unix.lua', ['client', path]);
      try {
        expect((await lua.expectLine(/^CONNECTED (.*)$/))[1]).toBe('unixstream{client}');
        await using conn = await server.accept({ timeout: 5 });
        expect(conn.getsockname()).toEqual({ address: path, port: 0, family: 'unix' });
        expect(await lua.command('send', hex('from lua\r\n'))).toMatchObject({ sent: 10 });
        expect(await conn.receive('*l')).toBe('from lua');
        await conn.send('from core\nrest');
        expect(unhex((await lua.command('recv', '*l')).data)?.toString()).toBe('from core');
        conn.shutdown('send');
        expect(await lua.command('recv', '*a')).toMatchObject({ data: hex('rest'), err: null });
      } finally {
        await lua.stop();
      }
    }
    expect(existsSync(path)).toBe(false);

    // LuaSocket's server leaves its socket file behind when it closes.
    const lua = new SessionPeer('peer-unix.lua', ['server', path]);
    await lua.expectLine(/^READY /);
    await using client = await connectUnix(path, { timeout: 5 });
    await lua.expectLine(/^ACCEPTED /);
    await lua.stop();
    client.close();
    expect(lstatSync(path).isSocket()).toBe(true);
    const err = await socketError(bindUnix(path));
    expect([err.code, err.message]).toEqual(['addrinuse', 'address already in use']);
    await using again = await bindUnix(path, { unlink: true });
    expect(again.getsockname().address).toBe(path);
  });
});
