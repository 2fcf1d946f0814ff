import { describe, expect, it } from 'vitest';
import { SocketError } from '../../src/errors/socket-error.js';
import socket, { TcpObject } from '../../compat/index.js';
import { hasIPv6 } from '../helpers/loopback.js';
import { closedAfterEach } from '../helpers/kept.js';

const IP = '127.0.0.1';
const keep = closedAfterEach();

/** A listening compat server, a compat client connected to it, and the accepted end. */
async function pair(): Promise<{ srv: TcpObject; c: TcpObject; sv: TcpObject; port: number }> {
  const srv = keep((await socket.bind(IP, 0))[0]);
  const port = Number(srv.getsockname()[1]);
  const c = keep((await socket.connect(IP, port))[0]);
  const sv = keep((await srv.accept())[0]);
  return { srv, c, sv, port };
}

describe('TcpObject states', () => {
  it('toString() names the class as LuaSocket does, and tcp{closed} once closed', async () => {
    const m = keep(socket.tcp()[0]);
    expect(String(m)).toBe('tcp{master}');
    expect(await m.bind(IP, 0)).toEqual([1, null]);
    expect(String(m)).toBe('tcp{master}');
    expect(await m.listen(8)).toEqual([1, null]);
    expect(String(m)).toBe('tcp{server}');
    const c = keep((await socket.connect(IP, Number(m.getsockname()[1])))[0]);
    const sv = keep((await m.accept())[0]);
    expect([String(c), String(sv)]).toEqual(['tcp{client}', 'tcp{client}']);
    expect(c.close()).toBe(1);
    expect(String(c)).toBe('tcp{closed}');
  });

  it.each([
    ['receive', 'tcp{client}'],
    ['send', 'tcp{client}'],
    ['getstats', 'tcp{client}'],
    ['setstats', 'tcp{client}'],
    ['shutdown', 'tcp{client}'],
    ['receiveany', 'tcp{client}'],
    ['accept', 'tcp{server}'],
  ] as const)(
    '%s() on a master throws synchronously: calling on bad self (%s expected)',
    (method, expected) => {
      const m = keep(socket.tcp()[0]);
      const call = Reflect.get(m, method) as (this: TcpObject, ...args: unknown[]) => unknown;
      expect(() => call.call(m, 'x')).toThrow(
        new TypeError(`calling '${method}' on bad self (${expected} expected)`),
      );
    },
  );

  it('bind() and listen() on a server or client throw: calling on bad self (tcp{master} expected)', async () => {
    const { srv, c } = await pair();
    for (const o of [srv, c]) {
      expect(() => o.bind(IP, 0)).toThrow("calling 'bind' on bad self (tcp{master} expected)");
      expect(() => o.listen()).toThrow("calling 'listen' on bad self (tcp{master} expected)");
    }
    expect(() => c.accept()).toThrow("calling 'accept' on bad self (tcp{server} expected)");
    expect(() => srv.receive()).toThrow("calling 'receive' on bad self (tcp{client} expected)");
  });

  it('bind() binds at once: getsockname() reports the port, a busy address fails at bind', async () => {
    const m = keep(socket.tcp()[0]);
    expect(await m.bind(IP, '0')).toEqual([1, null]);
    const [ip, port, family] = m.getsockname();
    expect([ip, family]).toEqual([IP, 'inet']);
    expect(port).toBeGreaterThan(0);
    const other = keep(socket.tcp()[0]);
    expect(await other.bind(IP, port)).toEqual([null, 'address already in use']);
    expect(await m.bind(IP, 0)).toEqual([null, expect.any(String)]);
  });

  it('getsockname() and getpeername() give the port as a number on every kind of object', async () => {
    const { srv, c, sv, port } = await pair();
    expect(srv.getsockname()).toEqual([IP, port, 'inet']);
    expect(c.getpeername()).toEqual([IP, port, 'inet']);
    expect(sv.getsockname()).toEqual([IP, port, 'inet']);
    const [, local] = c.getsockname();
    expect(local).toEqual(expect.any(Number));
    expect(sv.getpeername()).toEqual([IP, local, 'inet']);
    const m = keep(socket.tcp()[0]);
    await m.bind(IP, 0);
    expect(m.getsockname()).toEqual([IP, expect.any(Number), 'inet']);
  });

  it('getpeername() on a master or server answers with the system’s "not connected" error', async () => {
    const { srv } = await pair();
    const [ip, err, family] = srv.getpeername();
    expect([ip, family]).toEqual([null, null]);
    expect(err).toMatch(/not connected/);
  });

  it('getfamily() says inet4 or inet6, LuaSocket 3’s strings', async () => {
    expect(keep(socket.tcp()[0]).getfamily()).toBe('inet4');
    expect(keep(socket.tcp6()[0]).getfamily()).toBe('inet6');
    const m = keep(socket.tcp()[0]);
    await m.bind('::1', 0);
    expect(m.getfamily()).toBe('inet6');
    expect(m.getsockname()[2]).toBe('inet6');
  });

  it('getfd() is the descriptor while open, -1 before bind and after close; setfd() is refused', async () => {
    const m = keep(socket.tcp()[0]);
    expect(m.getfd()).toBe(-1);
    await m.bind(IP, 0);
    expect(m.getfd()).toBeGreaterThanOrEqual(0);
    const { c } = await pair();
    expect(c.getfd()).toBeGreaterThanOrEqual(0);
    c.close();
    expect(c.getfd()).toBe(socket._SOCKETINVALID);
    expect(() => m.setfd(3)).toThrow(SocketError);
    expect(() => m.setfd(3)).toThrow(/setfd: not supported/);
  });

  it('close() is idempotent, and a closed object answers "closed" without throwing', async () => {
    const { srv, c } = await pair();
    expect(c.close()).toBe(1);
    expect(c.close()).toBe(1);
    expect(await c.receive()).toEqual([null, 'closed', '']);
    expect(await c.receive(5, 'PFX')).toEqual([null, 'closed', 'PFX']);
    expect(await c.send('abc', 2)).toEqual([null, 'closed', 1]);
    expect(c.getsockname()).toEqual([null, 'closed', null]);
    expect(c.getpeername()).toEqual([null, 'closed', null]);
    expect(c.setoption('tcp-nodelay', true)).toEqual([null, 'closed']);
    expect([c.settimeout(1), c.shutdown(), c.dirty()]).toEqual([1, 1, false]);
    srv.close();
    expect(await srv.accept()).toEqual([null, 'closed']);
    const m = keep(socket.tcp()[0]);
    m.close();
    expect(await m.bind(IP, 0)).toEqual([null, 'closed']);
    expect(await m.listen()).toEqual([null, 'closed']);
  });
});

describe('TcpObject.connect', () => {
  it('connect() makes a master a client, even when it fails, and a failed client may connect again', async () => {
    const { port } = await pair();
    const gone = keep((await socket.bind(IP, 0))[0]);
    const refused = Number(gone.getsockname()[1]);
    gone.close();
    const m = keep(socket.tcp()[0]);
    expect(await m.connect(IP, refused)).toEqual([null, 'connection refused']);
    expect(String(m)).toBe('tcp{client}');
    expect(await m.receive()).toEqual([null, 'closed', '']);
    expect(await m.send('x')).toEqual([null, 'closed', 0]);
    expect(m.getstats()).toEqual([0, 0, 0]);
    expect(() => m.bind(IP, 0)).toThrow('bad self');
    expect(await m.connect(IP, String(port))).toEqual([1, null]);
    expect(m.getpeername()).toEqual([IP, port, 'inet']);
    expect(await m.connect(IP, port)).toEqual([null, 'already connected']);
  });

  it('connect() on a closed client connects it again, as LuaSocket makes a new descriptor', async () => {
    const { srv, c, port } = await pair();
    c.close();
    expect(await c.connect(IP, port)).toEqual([1, null]);
    expect(String(c)).toBe('tcp{client}');
    const sv = keep((await srv.accept())[0]);
    await c.send('again\n');
    expect(await sv.receive()).toEqual(['again', null, null]);
  });

  it('connect() on a listening server answers "already connected"', async () => {
    const { srv, port } = await pair();
    expect(await srv.connect(IP, port)).toEqual([null, 'already connected']);
  });

  it('connect() from a bound master keeps its local address', async () => {
    const { srv, port } = await pair();
    const m = keep(socket.tcp()[0]);
    await m.bind(IP, 0);
    const [, local] = m.getsockname();
    expect(await m.connect(IP, port)).toEqual([1, null]);
    expect(m.getsockname()[1]).toBe(local);
    const sv = keep((await srv.accept())[0]);
    expect(sv.getpeername()[1]).toBe(local);
  });

  it('close() during a connect leaves the object closed, and the late connection is closed too', async () => {
    const { srv, port } = await pair();
    const m = keep(socket.tcp()[0]);
    const connecting = m.connect(IP, port);
    m.close();
    expect(await connecting).toEqual([null, 'closed']);
    expect(String(m)).toBe('tcp{closed}');
    // The close aborts the connect: either no connection was made, or the
    // one the kernel completed meanwhile is closed at once.
    srv.settimeout(0.2);
    const [sv, err] = await srv.accept();
    if (sv === null) expect(err).toBe('timeout');
    else expect(await keep(sv).receive()).toEqual([null, 'closed', '']);
  });
});

describe('TcpObject.accept', () => {
  it('accept() returns a client object, and times out under settimeout()', async () => {
    const { srv } = await pair();
    expect(srv.settimeout(0.05)).toBe(1);
    expect(await srv.accept()).toEqual([null, 'timeout']);
    srv.settimeout(0);
    expect(await srv.accept()).toEqual([null, 'timeout']);
    srv.settimeout(null);
    const c = keep((await socket.connect(IP, Number(srv.getsockname()[1])))[0]);
    const [sv, err] = await srv.accept();
    expect(err).toBeNull();
    expect(keep(sv)).toBeInstanceOf(TcpObject);
    expect(sv?.gettimeout()).toEqual([-1, -1]);
    expect(c.getfamily()).toBe('inet4');
    expect(sv?.getfamily()).toBe('inet4');
  });

  it.skipIf(!hasIPv6)("accept() on a server bound to '::1' gives 'inet6' objects", async () => {
    const srv = keep((await socket.bind('::1', 0))[0]);
    const c = keep((await socket.connect('::1', Number(srv.getsockname()[1])))[0]);
    const sv = keep((await srv.accept())[0]);
    expect([srv.getfamily(), c.getfamily(), sv.getfamily()]).toEqual(['inet6', 'inet6', 'inet6']);
    expect(sv.getsockname()[0]).toBe('::1');
  });
});

describe('TcpObject options', () => {
  it('setoption()/getoption() set and read what Node.js can, and refuse the rest honestly', async () => {
    const { srv, c } = await pair();
    expect(c.getoption('tcp-nodelay')).toEqual([false, null]);
    expect(c.setoption('tcp-nodelay', true)).toEqual([1, null]);
    expect(c.getoption('tcp-nodelay')).toEqual([true, null]);
    expect(c.setoption('keepalive', true)).toEqual([1, null]);
    expect(c.getoption('linger')).toEqual([{ on: false, timeout: 0 }, null]);
    const [ok, err] = c.setoption('linger', { on: true, timeout: 5 });
    expect(ok).toBeNull();
    expect(err).toMatch(/^linger: /);
    expect(srv.getoption('reuseaddr')).toEqual([true, null]);
    expect(() => c.setoption('tcp-nodelay', 1 as unknown as boolean)).toThrow(TypeError);
    expect(() => c.getoption('bogus' as 'keepalive')).toThrow(TypeError);
  });
});

describe('TcpObject timeouts', () => {
  it('settimeout() takes LuaSocket’s modes and values, and gettimeout() reports them', () => {
    const m = keep(socket.tcp()[0]);
    expect(m.gettimeout()).toEqual([-1, -1]);
    expect(m.settimeout(2.5, 't')).toBe(1);
    expect(m.settimeout('1', 'block')).toBe(1);
    expect(m.gettimeout()).toEqual([1, 2.5]);
    m.settimeout(3, 'r');
    m.settimeout(-1);
    expect(m.gettimeout()).toEqual([-1, 3]);
    m.settimeout(null, 'total');
    expect(m.gettimeout()).toEqual([-1, -1]);
    expect(() => m.settimeout(1, 'x')).toThrow(
      "bad argument #2 to 'settimeout' (invalid timeout mode)",
    );
    expect(() => m.settimeout('abc')).toThrow(
      "bad argument #1 to 'settimeout' (number expected, got string)",
    );
  });

  it('gettimeout() answers what settimeout() was given, negative values too, in every mode', async () => {
    const m = keep(socket.tcp()[0]);
    m.settimeout(-5);
    expect(m.gettimeout()).toEqual([-5, -1]);
    m.settimeout(3, 't');
    expect(m.gettimeout()).toEqual([-5, 3]);
    m.settimeout(-2.5, 'r');
    expect(m.gettimeout()).toEqual([-5, -2.5]);
    m.settimeout(null);
    expect(m.gettimeout()).toEqual([-1, -2.5]);
    m.settimeout(undefined, 'total');
    expect(m.gettimeout()).toEqual([-1, -1]);
    m.settimeout('-0.5', 'block');
    expect(m.gettimeout()).toEqual([-0.5, -1]);
    // The master becomes a server and keeps its settings, as LuaSocket's userdata does.
    await m.bind(IP, 0);
    await m.listen();
    m.settimeout(-9, 't');
    expect(m.gettimeout()).toEqual([-0.5, -9]);
    const { c } = await pair();
    c.settimeout(-3);
    c.settimeout(-4, 't');
    expect(c.gettimeout()).toEqual([-3, -4]);
  });

  it('a negative timeout waits forever, whatever it replaced', async () => {
    const { c, sv } = await pair();
    c.settimeout(0.01);
    c.settimeout(0.01, 't');
    c.settimeout(-5);
    c.settimeout(-0.5, 't');
    const later = socket.sleep(0.2).then(() => sv.send('late\n'));
    expect(await c.receive()).toEqual(['late', null, null]);
    await later;
  });

  it('settimeout() on one object leaves every other object without timeouts', () => {
    const [a, b] = [keep(socket.tcp()[0]), keep(socket.tcp()[0])];
    a.settimeout(1);
    a.settimeout(2, 't');
    expect(a.gettimeout()).toEqual([1, 2]);
    expect(b.gettimeout()).toEqual([-1, -1]);
    expect(keep(socket.tcp()[0]).gettimeout()).toEqual([-1, -1]);
  });

  it('settimeout(0) lets a Lua polling loop see bytes that arrive between its polls', async () => {
    const { c, sv } = await pair();
    c.settimeout(0);
    expect(await c.receive()).toEqual([null, 'timeout', '']);
    const later = socket
      .sleep(0.02)
      .then(() => sv.send('po'))
      .then(() => socket.sleep(0.02))
      .then(() => sv.send('ll\n'));
    let part = '';
    let polls = 0;
    for (;;) {
      const [line, err, partial] = await c.receive('*l', part);
      polls++;
      if (err === null) {
        expect(line).toBe('poll');
        break;
      }
      part = partial;
    }
    await later;
    expect(polls).toBeGreaterThan(2);
  });

  it('settimeout(b) alone bounds the whole receive, however steadily bytes trickle in', async () => {
    const { c, sv } = await pair();
    let dripping = true;
    const drip = (async () => {
      for (let i = 0; i < 100 && dripping; i++) {
        await sv.send('x');
        await socket.sleep(0.03);
      }
    })();
    c.settimeout(0.3);
    const [data, err, partial] = await c.receive(1000);
    // Under an idle timeout the call would still be waiting: the peer never pauses for 0.3 s.
    expect([data, err]).toEqual([null, 'timeout']);
    expect(partial).toMatch(/^x+$/);
    dripping = false;
    await drip;
  });
});

describe('TcpObject.receive', () => {
  it('receive() follows LuaSocket 3.0’s patterns: *l, *a, counts, numeric strings, prefixes', async () => {
    const { c, sv } = await pair();
    await sv.send('a\rb\r\nline2\n0123456789rest');
    sv.close();
    expect(await c.receive()).toEqual(['ab', null, null]);
    expect(await c.receive('*line', 12)).toEqual(['12line2', null, null]);
    expect(await c.receive('3')).toEqual(['012', null, null]);
    // A count includes the prefix; a fraction is truncated (2.9 → 2, 0.5 → 0).
    expect(await c.receive(2.9, 'x')).toEqual(['x3', null, null]);
    expect(await c.receive(4, 'x')).toEqual(['x456', null, null]);
    expect(await c.receive(0.5)).toEqual(['', null, null]);
    expect(await c.receive('*all', '>')).toEqual(['>789rest', null, null]);
    expect(await c.receive('*a')).toEqual([null, 'closed', '']);
    expect(() => c.receive('l')).toThrow(TypeError);
    expect(() => c.receive('*x')).toThrow(TypeError);
    expect(() => c.receive(-1)).toThrow(RangeError);
    expect(() => c.receive('*l', {} as string)).toThrow(
      "bad argument #2 to 'receive' (string expected, got table)",
    );
  });

  it('receive(0) with no prefix returns "" at once, where LuaSocket waits (a deliberate difference)', async () => {
    const { c } = await pair();
    c.settimeout(null);
    expect(await c.receive(0)).toEqual(['', null, null]);
    expect(await c.receive(0, 'pp')).toEqual(['pp', null, null]);
  });

  it('receive() keeps every byte value: strings are one character per byte', async () => {
    const { c, sv } = await pair();
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1');
    expect(await sv.send(all)).toEqual([256, null, null]);
    const [data] = await c.receive(256);
    expect(data).toBe(all);
    expect(data?.length).toBe(256);
  });

  it('receiveany() returns what has arrived, up to max', async () => {
    const { c, sv } = await pair();
    await sv.send('hello');
    expect(await c.receive(1)).toEqual(['h', null, null]);
    expect(await c.receiveany(3)).toEqual(['ell', null, null]);
    expect(await c.receiveany()).toEqual(['o', null, null]);
  });

  it('dirty() is true while received bytes wait in the buffer', async () => {
    const { c, sv } = await pair();
    expect(c.dirty()).toBe(false);
    await sv.send('abc\ndef');
    expect(await c.receive()).toEqual(['abc', null, null]);
    expect(c.dirty()).toBe(true);
    await c.receive(3);
    expect(c.dirty()).toBe(false);
  });
});

describe('TcpObject.send', () => {
  it('send(data, i, j) sends data:sub(i, j) and returns the index of the last byte', async () => {
    const { c, sv } = await pair();
    expect(await c.send('abcdef', 2, 4)).toEqual([4, null, null]);
    expect(await c.send('abcdef', -3, -2)).toEqual([5, null, null]);
    expect(await c.send('abcdef', 10, 20)).toEqual([9, null, null]);
    expect(await c.send('abcdef', 4, 2)).toEqual([3, null, null]);
    expect(await c.send('abcdef', 0, '-5')).toEqual([2, null, null]);
    expect(await c.send(1.5)).toEqual([3, null, null]);
    expect(await c.send(-7)).toEqual([2, null, null]);
    expect(await sv.receive(12)).toEqual(['bcddeab1.5-7', null, null]);
    expect(() => c.send({} as string)).toThrow(
      "bad argument #1 to 'send' (string expected, got table)",
    );
    expect(() => c.send('x', 'y')).toThrow(
      "bad argument #2 to 'send' (number expected, got string)",
    );
  });

  it('send() refuses a string with a character above U+00FF, naming it, its index and the ways out', async () => {
    const { c, sv } = await pair();
    // Sent as bytes, 'é' is 0xE9 alone; next to '€' it must not turn into UTF-8's C3 A9.
    expect(await c.send('café\n')).toEqual([5, null, null]);
    const message =
      "bad argument #1 to 'send' (byte string expected, got U+20AC '€' at string index 5; " +
      'a compat string holds one byte per character: pass a Buffer or Uint8Array, ' +
      "or use { encoding: 'utf8' } (or socket.setencoding('utf8')))";
    expect(() => c.send('café €\n')).toThrow(new TypeError(message));
    expect(() => c.send('x😀', 1, 1)).toThrow(/U\+1F600 '😀' at string index 1/);
    expect(await sv.receive()).toEqual(['caf\xe9', null, null]);
    expect(c.getstats()[1]).toBe(5);
  });

  it('send() takes a Buffer or Uint8Array as bytes, i/j indexing them', async () => {
    const { c, sv } = await pair();
    const utf8 = Buffer.from('é€');
    expect(await c.send(utf8, 3)).toEqual([5, null, null]);
    expect(await c.send(new Uint8Array([0, 0x0a, 0xff, 0x41]), 2, -2)).toEqual([3, null, null]);
    // A view into a larger buffer sends its own bytes only.
    const backing = new Uint8Array([0x78, 0x78, 0x41, 0x42, 0x78, 0x78]);
    expect(await c.send(new Uint8Array(backing.buffer, 2, 2))).toEqual([2, null, null]);
    expect(await c.send(Buffer.alloc(0))).toEqual([0, null, null]);
    const [data] = await sv.receive(7);
    expect(Buffer.from(data ?? '', 'latin1')).toEqual(
      Buffer.from([0xe2, 0x82, 0xac, 0x0a, 0xff, 0x41, 0x42]),
    );
  });

  it('send() on a utf8 object sends UTF-8 and receive() decodes it', async () => {
    const [srv] = await socket.bind(IP, 0, null, { encoding: 'utf8' });
    keep(srv);
    const port = Number(srv?.getsockname()[1]);
    const c = keep((await socket.connect(IP, port, null, null, null, { encoding: 'utf8' }))[0]);
    const sv = keep((await srv!.accept())[0]);
    // 'é' alone would be one byte in a Lua byte string; as text it is two.
    expect(await c.send('héllo\n')).toEqual([7, null, null]);
    expect(await sv.receive()).toEqual(['héllo', null, null]);
    expect(await sv.send('é€', 3)).toEqual([5, null, null]);
    expect(await c.receive(3)).toEqual(['€', null, null]);
  });
});

describe('TcpObject stats and shutdown', () => {
  it('getstats() counts the bytes receive() consumed (CR and LF included, prefix not) and send() sent', async () => {
    const { c, sv } = await pair();
    await sv.send('abc\r\ndefghij');
    expect(await c.receive('*l', 'PFX')).toEqual(['PFXabc', null, null]);
    const [received, sent, age] = c.getstats();
    expect([received, sent]).toEqual([5, 0]);
    expect(age).toBeGreaterThanOrEqual(0);
    await c.send('xyz');
    expect(c.getstats().slice(0, 2)).toEqual([5, 3]);
    expect(c.setstats(10.9, 20, 5)).toBe(1);
    expect(c.getstats().slice(0, 2)).toEqual([10, 20]);
    expect(c.getstats()[2]).toBeGreaterThanOrEqual(5);
    expect(c.setstats()).toBe(1);
    expect(c.getstats().slice(0, 2)).toEqual([10, 20]);
  });

  it('shutdown("send") lets the peer see the end while this side goes on reading', async () => {
    const { c, sv } = await pair();
    await c.send('bye');
    expect(c.shutdown('send')).toBe(1);
    expect(await sv.receive('*a')).toEqual(['bye', null, null]);
    await sv.send('still here\n');
    expect(await c.receive()).toEqual(['still here', null, null]);
    expect(() => c.shutdown('x' as 'send')).toThrow(
      "bad argument #1 to 'shutdown' (invalid option 'x')",
    );
  });
});
