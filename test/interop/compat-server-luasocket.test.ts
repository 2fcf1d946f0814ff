/**
 * The reverse of compat-luasocket.test.ts: a LuaSocket client
 * (test/lua/client.lua) drives a server, once the LuaSocket one
 * (test/lua/server.lua) and once its line-for-line compat port
 * (compat-server.ts). The client prints what it sees; both transcripts
 * must be identical.
 */

import { describe, expect, it } from 'vitest';
import { hasLua, runLua, type LuaProcess } from '../helpers/lua.js';
import { runServer } from './compat-server.js';

/** Every line the client prints, up to its final "done". */
async function transcript(client: LuaProcess): Promise<string[]> {
  const lines: string[] = [];
  for (let line = await client.line(); line !== 'done'; line = await client.line())
    lines.push(line);
  expect(await client.exit()).toBe(0);
  return lines;
}

describe.skipIf(!hasLua)('a LuaSocket client against a compat server', () => {
  it('bind(), accept(), receive(), send(), getstats() … answer client.lua exactly as LuaSocket’s server.lua does', async () => {
    const luaServer = runLua('server.lua');
    const [, luaPort = ''] = /^READY (\d+)$/.exec(await luaServer.line()) ?? [];
    const fromLua = transcript(runLua('client.lua', ['127.0.0.1', luaPort]));

    let onReady: (port: number) => void = () => undefined;
    const ready = new Promise<number>((resolve) => (onReady = resolve));
    const serving = runServer(0, onReady);
    const compatPort = await Promise.race([
      ready,
      serving.then(() => Promise.reject(new Error('server ended early'))),
    ]);
    const fromCompat = transcript(runLua('client.lua', ['127.0.0.1', String(compatPort)]));

    const [lua, compat] = await Promise.all([fromLua, fromCompat]);
    await serving;
    expect(await luaServer.exit()).toBe(0);
    expect(compat).toEqual(lua);
    // A few lines that show what is being compared.
    expect(lua[0]).toBe('"timeout" nil nil');
    expect(lua).toContain('"nil \\x22timeout\\x22 \\x22PFXabc\\x22" nil nil');
    expect(lua).toContain('"nil \\x22timeout\\x22 \\x22abcd\\x22" nil nil');
    expect(lua).toContain('"127.0.0.1 number inet 127.0.0.1 number inet inet4" nil nil');
    expect(lua.at(-1)).toBe('nil "closed" ""');
  });
});
