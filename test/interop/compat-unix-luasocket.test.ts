/**
 * Compat `socket.unix` objects against real LuaSocket 3.1's `socket.unix`.
 *
 * A twin transcript: the same steps run twice, once with a compat object and
 * once with a LuaSocket object (test/lua/remote.lua), each against its own
 * LuaSocket Unix peer on its own path; both transcripts must match line for
 * line (the paths masked). Where compat deliberately differs, the last test
 * pins both answers side by side:
 * - `setoption('keepalive', true)`: LuaSocket sets it, compat answers
 *   `keepalive: not supported …` (Node.js cannot set options on a pipe);
 * - a closed object's `getsockname()`: LuaSocket the system's EBADF message,
 *   compat `closed`;
 * - `socket.unix.dgram()`: LuaSocket makes an object, compat answers
 *   `[null, 'dgram: … not supported by Node.js']`;
 * - after a failed connect LuaSocket has destroyed the descriptor, so the
 *   master's next `bind` fails with `Bad file descriptor`; compat's master
 *   stays usable (as compat's TCP objects may connect again).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hasLua } from '../helpers/lua.js';
import { Remotes, twin as twinOf, type Remote } from '../helpers/lua-remote.js';

const dir = mkdtempSync(join(tmpdir(), 'lsa-unix-interop-'));
let counter = 0;
const remotes = new Remotes();

afterEach(() => remotes.closeAll());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `scenario` with a compat `me` and a LuaSocket `me`, each with its own path; returns both transcripts. */
function twin(
  scenario: (
    me: Remote,
    path: string,
    log: (line: Promise<string>) => Promise<void>,
  ) => Promise<void>,
): Promise<[compat: string[], lua: string[]]> {
  return twinOf(remotes.compat(), remotes.lua(), async (me, log) => {
    const path = join(dir, `t${++counter}.sock`);
    await scenario(me, path, async (line) => {
      await log((await line).split(path).join('PATH'));
    });
  });
}

describe.skipIf(!hasLua)('compat socket.unix against LuaSocket 3.1 socket.unix', () => {
  it('a client session against a LuaSocket unix server gives the same transcript', async () => {
    const [compat, real] = await twin(async (me, path, log) => {
      const peer = remotes.lua();
      await log(peer.make('srv', 'unix'));
      await log(peer.call('srv', 'bind', path));
      await log(peer.call('srv', 'listen'));
      await log(peer.call('srv', 'getsockname'));
      await log(me.make('bad', 'unix.stream'));
      await log(me.call('bad', 'connect', `${path}.missing`));
      await log(me.call('bad', 'accept'));
      await log(me.call('bad', 'receive'));
      await log(me.make('c', 'unix'));
      await log(me.call('c', 'connect', path));
      await log(me.call('c', 'getsockname'));
      await log(me.call('c', 'connect', path));
      await log(me.call('c', 'listen'));
      await log(peer.keep('conn', 'srv', 'accept'));
      await log(peer.call('conn', 'getsockname'));
      await log(peer.call('conn', 'send', 'hello\r\nworld 12345\x00\xff\n'));
      await log(me.call('c', 'receive'));
      await log(me.call('c', 'receive', 5));
      await log(me.call('c', 'receive', 4, 'ab'));
      await log(me.call('c', 'receive', '*l', '>'));
      await log(me.call('c', 'settimeout', 0.1));
      await log(me.call('c', 'receive'));
      await log(peer.call('conn', 'send', 'part'));
      await log(me.call('c', 'receive', 10));
      await log(me.call('c', 'dirty'));
      await log(me.call('c', 'send', 'abc\ndef\n', 5));
      await log(peer.call('conn', 'receive'));
      await log(me.call('c', 'shutdown', 'send'));
      await log(peer.call('conn', 'receive', '*a'));
      await log(peer.call('conn', 'send', 'bye'));
      await log(peer.call('conn', 'close'));
      await log(me.call('c', 'receive', '*a'));
      await log(me.call('c', 'receive', '*a'));
      await log(me.call('c', 'close'));
      await log(peer.call('srv', 'close'));
    });
    expect(compat).toEqual(real);
    expect(real).toEqual([
      'unixstream{master}',
      '1',
      '1',
      '"PATH"',
      'unixstream{master}',
      'nil "No such file or directory"',
      'raised',
      'raised',
      'unixstream{master}',
      '1',
      '""',
      'raised',
      'raised',
      'unixstream{client}',
      '"PATH"',
      '21',
      '"hello"',
      '"world"',
      '"ab 1"',
      '">2345\\x00\\xff"',
      '1',
      'nil "timeout" ""',
      '4',
      'nil "timeout" "part"',
      'false',
      '8',
      '"def"',
      '1',
      'nil "closed" ""',
      '3',
      '1',
      '"bye"',
      'nil "closed" ""',
      '1',
      '1',
    ]);
  });

  it('keeps its documented differences: options, closed objects, dgram', async () => {
    const [compat, real] = await twin(async (me, path, log) => {
      await log(me.make('m', 'unix'));
      await log(me.call('m', 'bind', path));
      await log(me.call('m', 'setoption', 'keepalive', true));
      await log(me.call('m', 'close'));
      await log(me.call('m', 'getsockname'));
      await log(me.make('d', 'unix.dgram'));
      await log(me.make('f', 'unix'));
      await log(me.call('f', 'connect', `${path}.missing`));
      await log(me.call('f', 'bind', `${path}.2`));
    });
    expect(compat).toEqual([
      'unixstream{master}',
      '1',
      'nil "keepalive: not supported by Node.js on Unix domain sockets"',
      '1',
      'nil "closed"',
      'nil "dgram: Unix domain datagram sockets are not supported by Node.js"',
      'unixstream{master}',
      'nil "No such file or directory"',
      '1',
    ]);
    expect(real).toEqual([
      'unixstream{master}',
      '1',
      '1',
      '1',
      'nil "Bad file descriptor"',
      'unixdgram{unconnected}',
      'unixstream{master}',
      'nil "No such file or directory"',
      'nil "Bad file descriptor"',
    ]);
  });
});
