/**
 * compat's one text rule on real sockets: a byte string goes out one byte per
 * character whatever its neighbours; a string with a character above U+00FF
 * is refused by every send (TCP, UDP, Unix); a Buffer/Uint8Array or the
 * `'utf8'` encoding are the ways out; `socket.setencoding` switches the
 * default once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import socket, { type Result, type TcpObject } from '../../compat/index.js';

const IP = '127.0.0.1';
const dir = mkdtempSync(join(tmpdir(), 'lsa-compat-encoding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open: { close(): unknown }[] = [];
afterEach(() => {
  for (const o of open.splice(0).reverse()) o.close();
  // A test that switched the default must not leak it into the next.
  socket.setencoding('latin1');
});

function keep<T extends { close(): unknown }>(result: Result<T>): T {
  const [o, err] = result;
  if (o === null) throw new Error(String(err));
  open.push(o);
  return o;
}

async function tcpPair(): Promise<{ c: TcpObject; sv: TcpObject }> {
  const srv = keep(await socket.bind(IP, 0));
  const c = keep(await socket.connect(IP, Number(srv.getsockname()[1])));
  const sv = keep(await srv.accept());
  return { c, sv };
}

const WIDE =
  /^bad argument #1 to 'send' \(byte string expected, got U\+20AC '€' at string index 5;/;

describe('compat: one character, one byte sequence', () => {
  it("TCP: 'é' is E9 alone and next to ASCII; next to '€' the whole send is refused", async () => {
    const { c, sv } = await tcpPair();
    expect(await c.send('é\n')).toEqual([2, null, null]);
    expect(await c.send('café\n')).toEqual([5, null, null]);
    expect(() => c.send('café €\n')).toThrow(TypeError);
    expect(() => c.send('café €\n')).toThrow(WIDE);
    expect(await sv.receive()).toEqual(['\xe9', null, null]);
    expect(await sv.receive()).toEqual(['caf\xe9', null, null]);
    expect(c.getstats()[1]).toBe(7);
  });

  it('Unix: the same rule, and a Buffer goes out as its bytes, i/j indexing them', async () => {
    const path = join(dir, 'enc.sock');
    const srv = keep(socket.unix.stream());
    expect(await srv.bind(path)).toEqual([1, null]);
    expect(await srv.listen()).toEqual([1, null]);
    const c = keep(socket.unix.stream());
    expect(await c.connect(path)).toEqual([1, null]);
    const sv = keep(await srv.accept());
    expect(() => c.send('café €\n')).toThrow(WIDE);
    expect(await c.send(Buffer.from('café €\n'), 1, 5)).toEqual([5, null, null]);
    expect(await c.send(new Uint8Array([0x0a]))).toEqual([1, null, null]);
    expect(await sv.receive()).toEqual(['caf\xc3\xa9', null, null]);
  });

  it('UDP: send() and sendto() refuse the string; its Buffer goes out', async () => {
    const b = keep(socket.udp());
    expect(await b.setsockname(IP, 0)).toEqual([1, null]);
    const port = Number(b.getsockname()[1]);
    const a = keep(socket.udp());
    expect(() => a.sendto('x€', IP, port)).toThrow(/^bad argument #1 to 'sendto' .*U\+20AC/);
    expect(await a.setpeername(IP, port)).toEqual([1, null]);
    expect(() => a.send('café €')).toThrow(TypeError);
    expect(await a.send('café')).toEqual([4, null]);
    expect(await b.receive()).toEqual(['caf\xe9', null]);
    expect(await a.send(Buffer.from('€'))).toEqual([3, null]);
    expect(await b.receive()).toEqual(['\xe2\x82\xac', null]);
  });
});

describe('socket.setencoding', () => {
  it("switches the default of objects created afterwards to 'utf8', and back", async () => {
    expect(socket.setencoding('utf8')).toBe('latin1');
    const { c, sv } = await tcpPair();
    const u = keep(socket.udp());
    const path = join(dir, 'utf8.sock');
    const m = keep(socket.unix.stream());
    expect(socket.setencoding('latin1')).toBe('utf8');
    // Objects keep the encoding they were made with.
    expect(await c.send('café €\n')).toEqual([10, null, null]);
    expect(await sv.receive()).toEqual(['café €', null, null]);
    expect(await u.setsockname(IP, 0)).toEqual([1, null]);
    expect(await u.sendto('€', IP, Number(u.getsockname()[1]))).toEqual([3, null]);
    expect(await u.receive()).toEqual(['€', null]);
    expect(await m.bind(path)).toEqual([1, null]);
    // And new ones get the restored default.
    const { c: later } = await tcpPair();
    expect(() => later.send('€')).toThrow(TypeError);
  });

  it('an explicit { encoding } wins over the default', async () => {
    socket.setencoding('utf8');
    const srv = keep(await socket.bind(IP, 0, null, { encoding: 'latin1' }));
    const c = keep(
      await socket.connect(IP, Number(srv.getsockname()[1]), null, null, null, {
        encoding: 'latin1',
      }),
    );
    keep(await srv.accept());
    expect(() => c.send('€')).toThrow(TypeError);
  });

  it('refuses anything but latin1 and utf8 with a TypeError', () => {
    expect(() => socket.setencoding('buffer' as 'utf8')).toThrow(
      new TypeError("Expected `encoding` to be 'latin1' or 'utf8', got `buffer`"),
    );
    expect(socket.setencoding('latin1')).toBe('latin1');
  });
});
