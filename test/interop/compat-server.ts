/**
 * test/lua/server.lua ported line for line to the compat layer: the same
 * protocol, the same calls in the same order. test/lua/client.lua must see
 * exactly the same answers from this server as from the LuaSocket one.
 */

import socket, { type TcpObject } from '../../compat/index.js';
import { fnv, gen } from '../helpers/lua-remote.js';

function quote(s: string): string {
  let escaped = '';
  for (const c of s) {
    const b = c.charCodeAt(0);
    escaped +=
      b < 32 || b > 126 || b === 34 || b === 92 ? `\\x${b.toString(16).padStart(2, '0')}` : c;
  }
  return '"' + escaped + '"';
}

function show(v: string | number | null): string {
  if (v === null) return 'nil';
  if (typeof v === 'number') return String(Math.trunc(v));
  return quote(v);
}

function timeout(word: string): number | null {
  if (word === '-') return null;
  return Number(word);
}

/**
 * Runs the server on 127.0.0.1 until a client sends QUIT; `ready` gets the
 * port once it listens (where server.lua prints "READY <port>").
 */
export async function runServer(port: number, ready: (port: number) => void): Promise<void> {
  const [server, err] = await socket.bind('127.0.0.1', port);
  if (server === null) throw new Error(err);
  const [, bound] = server.getsockname();
  // Nobody can have connected yet: this accept must time out.
  server.settimeout(0.1);
  const [, boot] = await server.accept();
  server.settimeout(null);
  ready(Number(bound));

  async function serve(c: TcpObject): Promise<string> {
    for (;;) {
      const [line, err] = await c.receive();
      if (err !== null) return err;
      const [, cmd, rest = ''] = /^([A-Z]+) ?(.*)$/s.exec(line) ?? [];
      if (cmd === 'BOOT') {
        await c.send(String(boot) + '\n');
      } else if (cmd === 'ECHO') {
        await c.send(rest + '\n');
      } else if (cmd === 'BYTES') {
        const n = Number(rest);
        await c.send(gen(n, n));
      } else if (cmd === 'SUM') {
        const [data, e, partial] = await c.receive(Number(rest));
        const got = data ?? partial ?? '';
        await c.send(`${got.length} ${fnv(got)} ${show(e)}\n`);
      } else if (cmd === 'WAIT') {
        const [, b = '', t = '', pattern = '', prefix = ''] =
          /^(\S+) (\S+) (\S+) ?(.*)$/s.exec(rest) ?? [];
        c.settimeout(timeout(b));
        c.settimeout(timeout(t), 't');
        const [data, e, partial] = await c.receive(
          Number.isNaN(Number(pattern)) ? pattern : Number(pattern),
          prefix,
        );
        c.settimeout(null);
        c.settimeout(null, 't');
        await c.send(show(data) + ' ' + show(e) + ' ' + show(partial) + '\n');
      } else if (cmd === 'SEND') {
        const [, i = '', j = '', text = ''] = /^(\S+) (\S+) (.*)$/s.exec(rest) ?? [];
        const [last, e, sent] = await c.send(text, Number(i), Number(j));
        await c.send('\n' + show(last) + ' ' + show(e) + ' ' + show(sent) + '\n');
      } else if (cmd === 'STATS') {
        const [received, sent] = c.getstats();
        await c.send(`${received} ${sent}\n`);
      } else if (cmd === 'ADDR') {
        const [ip, pport, family] = c.getpeername();
        const [sip, sport, sfamily] = c.getsockname();
        await c.send(
          [ip, typeof pport, family, sip, typeof sport, sfamily, c.getfamily()].join(' ') + '\n',
        );
      } else if (cmd === 'CLOSE') {
        c.close();
        return 'closed';
      } else if (cmd === 'QUIT') {
        await c.send('BYE\n');
        c.close();
        return 'quit';
      } else {
        await c.send('ERR ' + show(line) + '\n');
      }
    }
  }

  for (;;) {
    const [c, e] = await server.accept();
    if (c === null) throw new Error(e);
    const why = await serve(c);
    c.close();
    if (why === 'quit') break;
  }
  server.close();
}
