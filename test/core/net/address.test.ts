import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  addressOf,
  checkHost,
  checkPort,
  familyName,
  fdOf,
  ipFamily,
  resolve,
} from '../../../src/net/address.js';
import { hasIPv6, rejection, socketError } from '../../helpers/loopback.js';

describe('familyName', () => {
  it("familyName turns Node's IPv6 (string or number) into 'inet6' and anything else into 'inet'", () => {
    expect(familyName('IPv6')).toBe('inet6');
    expect(familyName(6)).toBe('inet6');
    expect(familyName('IPv4')).toBe('inet');
    expect(familyName(4)).toBe('inet');
    expect(familyName(undefined)).toBe('inet');
    expect(familyName('ipv6')).toBe('inet');
  });
});

describe('checkPort', () => {
  it('checkPort returns a port of 0..65535, numeric strings included, a fraction truncated', () => {
    expect(checkPort(0)).toBe(0);
    expect(checkPort(65535)).toBe(65535);
    expect(checkPort(8080.9)).toBe(8080);
    expect(checkPort('443')).toBe(443);
    expect(checkPort(' 80 ')).toBe(80);
  });

  it('checkPort throws a RangeError outside 0..65535, naming the argument', () => {
    expect(() => checkPort(65536)).toThrow(
      new RangeError('Expected `port` to be in 0..65535, got `65536`'),
    );
    expect(() => checkPort(-1, 'localPort')).toThrow(
      new RangeError('Expected `localPort` to be in 0..65535, got `-1`'),
    );
    expect(() => checkPort(Infinity)).toThrow(
      new RangeError('Expected `port` to be in 0..65535, got `Infinity`'),
    );
    expect(() => checkPort('70000')).toThrow(RangeError);
  });

  it('checkPort throws a TypeError for what is not a number or a digit string', () => {
    expect(() => checkPort('http')).toThrow(
      new TypeError("Expected `port` to be a number, got `'http'`"),
    );
    expect(() => checkPort(Number.NaN)).toThrow(
      new TypeError('Expected `port` to be a number, got `NaN`'),
    );
    for (const bad of ['-1', '1e3', '0x50', '', null, undefined, {}, true]) {
      expect(() => checkPort(bad), JSON.stringify(bad)).toThrow(TypeError);
    }
    expect(() => checkPort({}, 'port')).toThrow('got `[object Object]`');
  });
});

describe('checkHost', () => {
  it('checkHost returns a non-empty string as it is', () => {
    expect(checkHost('localhost')).toBe('localhost');
    expect(checkHost('*')).toBe('*');
    expect(checkHost(' ')).toBe(' ');
  });

  it('checkHost throws a TypeError for an empty string or a non-string, naming the argument', () => {
    expect(() => checkHost('')).toThrow(
      new TypeError("Expected `address` to be a host name or address, got `''`"),
    );
    expect(() => checkHost(127001, 'localAddress')).toThrow(
      new TypeError('Expected `localAddress` to be a host name or address, got `127001`'),
    );
    expect(() => checkHost(undefined)).toThrow('got `undefined`');
    expect(() => checkHost(null)).toThrow('got `null`');
  });
});

describe('ipFamily', () => {
  it('ipFamily names the family of an address literal and nothing else', () => {
    expect(ipFamily('127.0.0.1')).toBe('inet');
    expect(ipFamily('0.0.0.0')).toBe('inet');
    expect(ipFamily('::1')).toBe('inet6');
    expect(ipFamily('::ffff:127.0.0.1')).toBe('inet6');
    expect(ipFamily('fe80::1%lo')).toBe('inet6');
    expect(ipFamily('localhost')).toBeUndefined();
    expect(ipFamily('*')).toBeUndefined();
    expect(ipFamily('127.0.0')).toBeUndefined();
    expect(ipFamily('')).toBeUndefined();
  });
});

describe('resolve', () => {
  it("resolve('*') is the wildcard of the family asked for, IPv4 by default", async () => {
    expect(await resolve('*')).toEqual([{ address: '0.0.0.0', family: 'inet' }]);
    expect(await resolve('*', 'inet')).toEqual([{ address: '0.0.0.0', family: 'inet' }]);
    expect(await resolve('*', 'inet6')).toEqual([{ address: '::', family: 'inet6' }]);
  });

  it('resolve() gives an address literal back as it is, with its family', async () => {
    expect(await resolve('127.0.0.1')).toEqual([{ address: '127.0.0.1', family: 'inet' }]);
    expect(await resolve('::1', 'inet6')).toEqual([{ address: '::1', family: 'inet6' }]);
  });

  it("resolve() of a literal of the other family fails with getaddrinfo's message", async () => {
    for (const [host, family] of [
      ['127.0.0.1', 'inet6'],
      ['::1', 'inet'],
    ] as const) {
      const err = await socketError(resolve(host, family));
      expect([err.code, err.message]).toEqual([
        'system',
        'Address family for hostname not supported',
      ]);
    }
  });

  it("resolve('localhost') lists addresses of the family asked for, each an IP literal", async () => {
    const any = await resolve('localhost');
    expect(any.length).toBeGreaterThan(0);
    for (const { address, family } of any) expect(ipFamily(address)).toBe(family);
    const v4 = await resolve('localhost', 'inet');
    expect(v4.map((a) => a.family)).toEqual(v4.map(() => 'inet'));
    expect(v4.map((a) => a.address)).toContain('127.0.0.1');
  });

  it("resolve() of a name that does not exist fails with 'noname' (or 'again' offline)", async () => {
    const err = await socketError(resolve('nonexistent.invalid'));
    expect(['noname', 'again']).toContain(err.code);
    expect(err.message).toBe(
      err.code === 'noname'
        ? 'host or service not provided, or not known'
        : 'temporary failure in name resolution',
    );
  });

  it("resolve() of a name with an aborted signal rejects with the signal's reason", async () => {
    const reason = new Error('stop');
    expect(
      await rejection(resolve('localhost', undefined, { signal: AbortSignal.abort(reason) })),
    ).toBe(reason);
  });
});

describe('addressOf', () => {
  it("addressOf turns a listening server's address() into LuaSocket's shape", async () => {
    for (const host of hasIPv6 ? ['127.0.0.1', '::1'] : ['127.0.0.1']) {
      const server = createServer();
      server.listen(0, host);
      await once(server, 'listening');
      try {
        const { port } = server.address() as AddressInfo;
        expect(addressOf(server.address())).toEqual({
          address: host,
          port,
          family: host === '::1' ? 'inet6' : 'inet',
        });
      } finally {
        server.close();
      }
    }
  });

  it('addressOf gives an empty inet address for what has none', () => {
    const none = { address: '', port: 0, family: 'inet' };
    expect(addressOf(undefined)).toEqual(none);
    expect(addressOf(null)).toEqual(none);
    expect(addressOf({})).toEqual(none);
    expect(addressOf('/tmp/a.sock')).toEqual(none);
  });
});

describe('fdOf', () => {
  it('fdOf reads the descriptor of a live server and socket, and -1 once closed', async () => {
    const server = createServer((s) => s.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const socket = createConnection((server.address() as AddressInfo).port, '127.0.0.1');
    await once(socket, 'connect');
    try {
      expect(fdOf(server)).toBeGreaterThan(2);
      expect(fdOf(socket)).toBeGreaterThan(2);
      expect(fdOf(socket)).not.toBe(fdOf(server));
    } finally {
      socket.destroy();
      server.close();
    }
    await once(socket, 'close');
    expect(fdOf(socket)).toBe(-1);
    expect(fdOf(server)).toBe(-1);
  });

  it('fdOf is -1 for an object without a usable handle', () => {
    expect(fdOf({})).toBe(-1);
    expect(fdOf({ _handle: null })).toBe(-1);
    expect(fdOf({ _handle: { fd: -1 } })).toBe(-1);
    expect(fdOf({ _handle: { fd: '7' } })).toBe(-1);
    expect(fdOf({ _handle: { fd: 7 } })).toBe(7);
  });
});
