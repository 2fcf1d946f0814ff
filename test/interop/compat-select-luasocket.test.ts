/**
 * Real LuaSocket drives the compat layer's select-based echo server
 * (examples/compat/select-echo.ts): test/lua/select-client.lua opens several
 * connections, sends interleaved lines in pieces
 * (NUL and 0xFF inside, CRLF at the end), and reads the echoes with
 * LuaSocket's own socket.select.
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasLua, runLua } from '../helpers/lua.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe.skipIf(!hasLua)('examples/compat/select-echo.ts ⇄ LuaSocket', () => {
  it('select-echo serves three LuaSocket clients at once, byte-exact, then exits', async () => {
    const server = spawn(
      process.execPath,
      ['--import', 'tsx', 'examples/compat/select-echo.ts', '--clients', '3'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = once(server, 'close');
    try {
      const printed: string[] = [];
      const lines = createInterface({ input: server.stdout });
      const first = new Promise<string>((resolve) => lines.once('line', resolve));
      lines.on('line', (l) => printed.push(l));
      const port = /^listening on (\d+)$/.exec(await first)?.[1];
      expect(port).toBeDefined();
      const lua = runLua('select-client.lua', [port!, '3', '20']);
      const out = [await lua.line(), await lua.line(), await lua.line(), await lua.line()];
      expect(out).toEqual(['OK 1 20', 'OK 2 20', 'OK 3 20', 'DONE']);
      expect(await lua.exit()).toBe(0);
      expect(lua.stderr()).toBe('');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      expect(printed.filter((l) => l.endsWith(' connected'))).toHaveLength(3);
      expect(printed.at(-1)).toBe('served 3 clients, bye');
    } finally {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
      await exited;
    }
  });
});
