import { describe, expect, it } from 'vitest';
import { udp } from '../../../src/index.js';
import {
  checkIp,
  checkMode,
  checkSize,
  DATAGRAM_SIZE,
  UDP_KEYS,
} from '../../../src/udp/settings.js';

describe('UDP settings', () => {
  it("DATAGRAM_SIZE is LuaSocket's 8192, and UDP_KEYS the keys udp() takes", () => {
    expect(DATAGRAM_SIZE).toBe(8192);
    expect([...UDP_KEYS].sort()).toEqual(['encoding', 'family', 'queueLimit', 'rcvbuf', 'sndbuf']);
    // Each of them is taken.
    const u = udp({
      family: 'inet',
      encoding: 'buffer',
      queueLimit: 4,
      rcvbuf: 8192,
      sndbuf: 8192,
    });
    expect(u.getstats().dropped).toBe(0);
    u.close();
  });
});

describe('checkSize', () => {
  it('checkSize takes any number >= 0 and truncates a fraction', () => {
    expect(checkSize(0)).toBe(0);
    expect(checkSize(8192)).toBe(8192);
    expect(checkSize(2.7)).toBe(2);
    expect(checkSize(0.5)).toBe(0);
    expect(checkSize(Infinity)).toBe(Infinity);
  });

  it('checkSize throws a RangeError for a negative size or NaN', () => {
    expect(() => checkSize(-1)).toThrow(
      new RangeError('Expected `size` to be a number >= 0, got `-1`'),
    );
    expect(() => checkSize(-0.5)).toThrow(RangeError);
    expect(() => checkSize(Number.NaN)).toThrow(
      new RangeError('Expected `size` to be a number >= 0, got `NaN`'),
    );
  });

  it('checkSize throws a TypeError for what is not a number, numeric strings included', () => {
    expect(() => checkSize('5')).toThrow(
      new TypeError("Expected `size` to be a number, got `'5'`"),
    );
    expect(() => checkSize(null)).toThrow(
      new TypeError('Expected `size` to be a number, got `null`'),
    );
    expect(() => checkSize(undefined)).toThrow('got `undefined`');
    expect(() => checkSize(10n)).toThrow(TypeError);
  });
});

describe('checkIp', () => {
  it('checkIp takes IPv4 and IPv6 address literals as they are', () => {
    for (const ip of ['127.0.0.1', '0.0.0.0', '255.255.255.255', '::1', '::', '::ffff:10.0.0.1']) {
      expect(checkIp(ip)).toBe(ip);
    }
  });

  it('checkIp throws a TypeError for host names and anything else, saying why', () => {
    expect(() => checkIp('localhost')).toThrow(
      new TypeError(
        "Expected `ip` to be an IP address (sendto takes no host names), got `'localhost'`",
      ),
    );
    for (const bad of ['', '*', '127.0.0.1:80', '1.2.3', ' 127.0.0.1']) {
      expect(() => checkIp(bad), bad).toThrow(TypeError);
    }
    expect(() => checkIp(2130706433)).toThrow('got `2130706433`');
    expect(() => checkIp(undefined)).toThrow('got `undefined`');
  });
});

describe('checkMode', () => {
  it('checkMode passes when the socket is in the wanted mode', () => {
    expect(() => checkMode(true, true, 'send')).not.toThrow();
    expect(() => checkMode(false, false, 'sendto')).not.toThrow();
  });

  it('checkMode throws a TypeError naming the method and the wanted mode', () => {
    expect(() => checkMode(false, true, 'send')).toThrow(
      new TypeError('Expected an connected UDP socket for `send` (see setpeername)'),
    );
    expect(() => checkMode(true, false, 'receivefrom')).toThrow(
      new TypeError('Expected an unconnected UDP socket for `receivefrom` (see setpeername)'),
    );
  });
});
