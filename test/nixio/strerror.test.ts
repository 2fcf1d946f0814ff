import { describe, expect, it } from 'vitest';
import { EAI, gaiStrerror, strerror } from '../../nixio/strerror.js';
import { ERRNO_TEXTS } from '../../nixio/strerror-table.js';
import { hasPython, runPython } from '../helpers/python.js';

// A JSON list of [n, text] pairs from Python, so texts with quotes survive.
function pythonPairs(code: string): [number, string][] {
  return JSON.parse(runPython(code)) as [number, string][];
}

const UNKNOWN_ERRNOS = [41, 58, 134, 135, 200, 999, 4095, -1, -111, 2147483647, -2147483648];

describe('ERRNO_TEXTS', () => {
  it('holds 134 frozen texts, Success first', () => {
    expect(ERRNO_TEXTS).toHaveLength(134);
    expect(Object.isFrozen(ERRNO_TEXTS)).toBe(true);
    expect(ERRNO_TEXTS[0]).toBe('Success');
    expect(ERRNO_TEXTS[133]).toBe('Memory page has hardware error');
  });

  it.skipIf(!hasPython)("matches this machine's glibc for 0..133", () => {
    const truth = pythonPairs(
      'import os,json;print(json.dumps([os.strerror(i) for i in range(134)]))',
    );
    expect(ERRNO_TEXTS).toEqual(truth);
  });
});

describe('strerror', () => {
  it('gives the socket errors the adapter reports', () => {
    expect(strerror(0)).toBe('Success');
    expect(strerror(11)).toBe('Resource temporarily unavailable');
    expect(strerror(32)).toBe('Broken pipe');
    expect(strerror(98)).toBe('Address already in use');
    expect(strerror(104)).toBe('Connection reset by peer');
    expect(strerror(110)).toBe('Connection timed out');
    expect(strerror(111)).toBe('Connection refused');
    expect(strerror(115)).toBe('Operation now in progress');
  });

  it("says 'Unknown error N' for values glibc has no text for", () => {
    expect(strerror(41)).toBe('Unknown error 41');
    expect(strerror(134)).toBe('Unknown error 134');
    expect(strerror(999)).toBe('Unknown error 999');
    expect(strerror(-1)).toBe('Unknown error -1');
  });

  it.skipIf(!hasPython)("matches this machine's glibc for 0..133 and unknown values", () => {
    const ns = [...Array.from({ length: 134 }, (_, i) => i), ...UNKNOWN_ERRNOS];
    const truth = pythonPairs(
      `import os,json;print(json.dumps([[n, os.strerror(n)] for n in ${JSON.stringify(ns)}]))`,
    );
    expect(truth).toHaveLength(ns.length);
    for (const [n, text] of truth) expect([n, strerror(n)]).toEqual([n, text]);
  });

  it('keeps the low 32 bits as the C int nixio passes', () => {
    expect(strerror(2 ** 32 + 111)).toBe('Connection refused');
    expect(strerror(2 ** 31)).toBe('Unknown error -2147483648');
    expect(strerror(-0)).toBe('Success');
  });

  it.each([1.5, Number.NaN, Infinity, '111', undefined, null])(
    'rejects %s with a TypeError naming errno',
    (bad) => {
      expect(() => strerror(bad as number)).toThrow(TypeError);
      expect(() => strerror(bad as number)).toThrow(/errno/);
    },
  );
});

describe('EAI', () => {
  it('is frozen and holds the twelve Linux codes', () => {
    expect(Object.isFrozen(EAI)).toBe(true);
    expect(Object.keys(EAI)).toHaveLength(12);
    expect(EAI.SERVICE).toBe(-8);
    expect(EAI.NONAME).toBe(-2);
  });

  it.skipIf(!hasPython)("matches python3's socket.EAI_* on this machine", () => {
    const names = JSON.stringify(Object.keys(EAI));
    const truth = JSON.parse(
      runPython(
        `import socket,json;print(json.dumps({k: getattr(socket, 'EAI_' + k) for k in ${names}}))`,
      ),
    ) as Record<string, number>;
    expect({ ...EAI }).toEqual(truth);
  });
});

describe('gaiStrerror', () => {
  it('gives the texts the adapter reports', () => {
    expect(gaiStrerror(EAI.NONAME)).toBe('Name or service not known');
    expect(gaiStrerror(EAI.SERVICE)).toBe('Servname not supported for ai_socktype');
    expect(gaiStrerror(EAI.AGAIN)).toBe('Temporary failure in name resolution');
    expect(gaiStrerror(EAI.FAMILY)).toBe('ai_family not supported');
  });

  it("says 'Unknown error' for codes glibc does not name, EAI_OVERFLOW among them", () => {
    expect(gaiStrerror(0)).toBe('Unknown error');
    expect(gaiStrerror(1)).toBe('Unknown error');
    expect(gaiStrerror(EAI.OVERFLOW)).toBe('Unknown error');
    expect(gaiStrerror(-106)).toBe('Unknown error');
  });

  it.skipIf(!hasPython)("matches this machine's glibc gai_strerror, via ctypes", () => {
    const codes = [
      ...Array.from({ length: 20 }, (_, i) => 2 - i),
      ...Array.from({ length: 10 }, (_, i) => -98 - i),
      -2147483648,
      2147483647,
    ];
    const truth = pythonPairs(
      [
        'import ctypes,json',
        'f = ctypes.CDLL(None).gai_strerror',
        'f.restype = ctypes.c_char_p',
        'f.argtypes = [ctypes.c_int]',
        `print(json.dumps([[c, f(c).decode()] for c in ${JSON.stringify(codes)}]))`,
      ].join('\n'),
    );
    expect(truth).toHaveLength(codes.length);
    for (const [c, text] of truth) expect([c, gaiStrerror(c)]).toEqual([c, text]);
  });

  it.skipIf(!hasPython)(
    "matches the message python3's getaddrinfo raises for a bad service",
    () => {
      const [code, text] = JSON.parse(
        runPython(
          [
            'import socket,json',
            'try:',
            "    socket.getaddrinfo('127.0.0.1', 'nosuchservice', type=socket.SOCK_STREAM)",
            '    print(json.dumps([0, "resolved"]))',
            'except socket.gaierror as e:',
            '    print(json.dumps([e.errno, e.strerror]))',
          ].join('\n'),
        ),
      ) as [number, string];
      expect(code).toBe(EAI.SERVICE);
      expect(gaiStrerror(code)).toBe(text);
    },
  );

  it.each([-8.5, Number.NaN, '-8'])('rejects %s with a TypeError naming code', (bad) => {
    expect(() => gaiStrerror(bad as number)).toThrow(/code/);
  });
});
