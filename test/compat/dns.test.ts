import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import socket from '../../compat/index.js';

const { dns } = socket;

describe('socket.dns', () => {
  it('toip() gives the first IPv4 address and the resolved table', async () => {
    expect(await dns.toip('localhost')).toEqual([
      '127.0.0.1',
      { name: 'localhost', alias: [], ip: ['127.0.0.1'] },
    ]);
    const [ip, resolved] = await dns.toip('127.0.0.1');
    expect(ip).toBe('127.0.0.1');
    expect(resolved).toMatchObject({ ip: ['127.0.0.1'], alias: [] });
  });

  it('toip() answers "host not found" for unknown names and IPv6 addresses, as gethostbyname does', async () => {
    expect(await dns.toip('nonexistent.invalid')).toEqual([null, 'host not found']);
    expect(await dns.toip('::1')).toEqual([null, 'host not found']);
    expect(await dns.toip(123)).toEqual([null, 'host not found']);
    expect(() => dns.toip(undefined as unknown as string)).toThrow(
      "bad argument #1 to 'toip' (string expected, got no value)",
    );
  });

  it('an empty name: toip() and tohostname() say "host not found", the getaddrinfo calls EAI_NONAME', async () => {
    // LuaSocket's gethostbyname('') answers glibc's NO_RECOVERY text, 'Unknown server error';
    // compat answers as for any name that does not resolve (docs/migrating-from-lua.md).
    expect(await dns.toip('')).toEqual([null, 'host not found']);
    expect(await dns.tohostname('')).toEqual([null, 'host not found']);
    const noname = [null, 'host or service not provided, or not known'];
    expect(await dns.getaddrinfo('')).toEqual(noname);
    expect(await dns.getnameinfo('')).toEqual(noname);
  });

  it('tohostname() gives the name of an address or a host', async () => {
    const [name, resolved] = await dns.tohostname('127.0.0.1');
    expect(typeof name).toBe('string');
    expect(resolved).toMatchObject({ ip: ['127.0.0.1'] });
    expect(await dns.tohostname('localhost')).toEqual([
      'localhost',
      { name: 'localhost', alias: [], ip: ['127.0.0.1'] },
    ]);
    expect(await dns.tohostname('192.0.2.1')).toEqual([null, 'host not found']);
  });

  it('getaddrinfo() lists { family, addr } entries, or LuaSocket’s EAI_NONAME string', async () => {
    expect(await dns.getaddrinfo('127.0.0.1')).toEqual([
      [{ family: 'inet', addr: '127.0.0.1' }],
      null,
    ]);
    expect(await dns.getaddrinfo('::1')).toEqual([[{ family: 'inet6', addr: '::1' }], null]);
    const [list] = await dns.getaddrinfo('localhost');
    expect(list).toContainEqual({ family: 'inet', addr: '127.0.0.1' });
    for (const host of ['nonexistent.invalid', '*', '']) {
      expect(await dns.getaddrinfo(host)).toEqual([
        null,
        'host or service not provided, or not known',
      ]);
    }
  });

  it('getnameinfo() gives names (the address itself when unnamed) and the service', async () => {
    expect(await dns.getnameinfo('127.0.0.1', 80)).toEqual([[expect.any(String)], 'http']);
    expect(await dns.getnameinfo('192.0.2.1')).toEqual([['192.0.2.1'], null]);
    expect(await dns.getnameinfo(null, 22)).toEqual([[], 'ssh']);
    expect(await dns.getnameinfo('nonexistent.invalid')).toEqual([
      null,
      'host or service not provided, or not known',
    ]);
    expect(() => dns.getnameinfo()).toThrow('host and serv cannot be both nil');
  });

  it('gethostname() is the machine’s name', () => {
    expect(dns.gethostname()).toBe(hostname());
  });
});
