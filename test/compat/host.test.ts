import { describe, expect, it } from 'vitest';
import { noHost, resolvable } from '../../compat/host.js';
import socket from '../../compat/index.js';
import { SocketError } from '../../src/index.js';
import { closedPort, rejection } from '../helpers/loopback.js';
import { closedAfterEach } from '../helpers/kept.js';

const IP = '127.0.0.1';
const keep = closedAfterEach();

describe('resolvable and noHost', () => {
  it('resolvable runs the call when no host is empty, and gives its outcome', async () => {
    let calls = 0;
    const call = (): Promise<string> => {
      calls++;
      return Promise.resolve('connected');
    };
    expect(await resolvable(call, IP, undefined)).toBe('connected');
    expect(await resolvable(call)).toBe('connected');
    expect(calls).toBe(2);
    const refused = new SocketError('refused');
    expect(await rejection(resolvable(() => Promise.reject(refused), IP))).toBe(refused);
  });

  it("resolvable fails as the lookup of '' does, without running the call, when any host is empty", async () => {
    let calls = 0;
    const call = (): Promise<string> => {
      calls++;
      return Promise.resolve('never');
    };
    for (const hosts of [[''], [IP, ''], ['', undefined]]) {
      const err = await rejection(resolvable(call, ...hosts));
      expect(err).toBeInstanceOf(SocketError);
      expect([(err as SocketError).code, (err as SocketError).message]).toEqual([
        'noname',
        'host or service not provided, or not known',
      ]);
    }
    expect(calls).toBe(0);
  });

  it("noHost answers LuaSocket's [nil, err] for an empty host", async () => {
    expect(await noHost()).toEqual([null, 'host or service not provided, or not known']);
  });
});

describe('an empty host in the socket functions', () => {
  it('an empty host answers the lookup failure, as LuaSocket’s getaddrinfo gives it, and throws nothing', async () => {
    const noname = [null, 'host or service not provided, or not known'];
    const port = await closedPort();
    expect(await socket.connect('', port)).toEqual(noname);
    expect(await socket.connect(IP, port, '', 0)).toEqual(noname);
    expect(await socket.connect6('', port)).toEqual(noname);
    expect(await socket.bind('', 0)).toEqual(noname);
    const m = keep(socket.tcp()[0]);
    expect(await m.bind('', 0)).toEqual(noname);
    expect(await m.setsockname('', 0)).toEqual(noname);
    expect(String(m)).toBe('tcp{master}');
    expect(await m.connect('', port)).toEqual(noname);
    expect(String(m)).toBe('tcp{client}'); // as after any failed connect
    const [u] = socket.udp();
    try {
      expect(await u!.setsockname('', 0)).toEqual(noname);
      expect(u!.getsockname()).toEqual([null, 'Bad file descriptor', null]);
      expect(await u!.setpeername('', port)).toEqual(noname);
      expect(String(u)).toBe('udp{unconnected}');
    } finally {
      u!.close();
    }
  });
});
