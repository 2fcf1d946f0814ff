import { describe, expect, it } from 'vitest';
import socket, { UnixObject } from '../../compat/index.js';
import { closedAfterEach } from '../helpers/kept.js';

const keep = closedAfterEach();

describe('socket.unix, the module', () => {
  it('is callable as stream, with stream, dgram and the old tcp/udp aliases', () => {
    expect(typeof socket.unix).toBe('function');
    expect(socket.unix.tcp).toBe(socket.unix.stream);
    expect(socket.unix.udp).toBe(socket.unix.dgram);
    const [m, err] = socket.unix();
    expect(err).toBeNull();
    expect(keep(m)).toBeInstanceOf(UnixObject);
    expect(String(keep(socket.unix.stream()[0]))).toBe('unixstream{master}');
  });

  it('dgram() answers [null, err]: Node.js has no Unix datagram sockets', () => {
    expect(socket.unix.dgram()).toEqual([
      null,
      'dgram: Unix domain datagram sockets are not supported by Node.js',
    ]);
    expect(socket.unix.udp()[1]).toMatch(/not supported/);
  });
});

describe('socket.unix.stream options', () => {
  it("takes { encoding: 'utf8' } and refuses an unknown option key", () => {
    const [m, err] = socket.unix.stream({ encoding: 'utf8' });
    expect(err).toBeNull();
    expect(keep(m)).toBeInstanceOf(UnixObject);
    expect(() => socket.unix.stream({ encodng: 'utf8' } as never)).toThrow(TypeError);
  });
});
