import { constants as osConstants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { constants } from '../../nixio/constants.js';
import { EAI } from '../../nixio/strerror.js';
import { hasPython, runPython } from '../helpers/python.js';

// The names luaopen_nixio pushes into nixio.const on Linux, in its order.
const NIXIO_ERRNOS = [
  ...['EACCES', 'EINTR', 'ENOSYS', 'EINVAL', 'EAGAIN', 'ENOMEM', 'ENOENT', 'ECHILD', 'EIO'],
  ...['EBADF', 'EFAULT', 'EFBIG', 'ENOSPC', 'EPIPE', 'ESPIPE', 'EISDIR', 'EPERM', 'EEXIST'],
  ...['EMFILE', 'ENAMETOOLONG', 'ENFILE', 'ENODEV', 'EXDEV', 'ENOTDIR', 'ENXIO', 'EROFS'],
  ...['EBUSY', 'ESRCH', 'EALREADY', 'EINPROGRESS', 'EWOULDBLOCK', 'ELOOP', 'EOVERFLOW'],
  ...['ETXTBSY', 'EAFNOSUPPORT', 'ENOBUFS', 'EPROTONOSUPPORT', 'ENOPROTOOPT', 'EADDRINUSE'],
  ...['ENETDOWN', 'ENETUNREACH'],
];
const NIXIO_SIGNALS = [
  ...['SIGINT', 'SIGTERM', 'SIGSEGV', 'SIGALRM', 'SIGKILL', 'SIGHUP', 'SIGSTOP', 'SIGCONT'],
  ...['SIGCHLD', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGIO', 'SIGURG', 'SIGPIPE'],
];
// Ours: the socket errnos the adapter reports that nixio does not name.
const ADDED_ERRNOS = [
  ...['ECONNREFUSED', 'ENOTCONN', 'EISCONN', 'ECONNRESET', 'EDESTADDRREQ', 'ESOCKTNOSUPPORT'],
  'ETIMEDOUT',
];
const EAI_NAMES = Object.keys(EAI).map((k) => `EAI_${k}`);
const ALL_ERRNOS = [...NIXIO_ERRNOS, ...ADDED_ERRNOS];

const table = constants as unknown as Readonly<Record<string, number | string>>;

describe('nixio constants', () => {
  it('is frozen', () => {
    expect(Object.isFrozen(constants)).toBe(true);
  });

  it("holds nixio's names, the socket errno additions and the EAI codes, nothing else", () => {
    const expected = [
      ...['buffersize', 'sep', 'pathsep'],
      ...ALL_ERRNOS,
      ...NIXIO_SIGNALS,
      ...EAI_NAMES,
    ];
    expect(Object.keys(constants).sort()).toEqual(expected.sort());
  });

  it("has nixio's buffersize and Unix separators", () => {
    expect(constants.buffersize).toBe(8192);
    expect(constants.sep).toBe('/');
    expect(constants.pathsep).toBe(':');
  });

  it('has the Linux numbers of the names the adapter reports', () => {
    expect(constants.ECONNREFUSED).toBe(111);
    expect(constants.EADDRINUSE).toBe(98);
    expect(constants.ENOTCONN).toBe(107);
    expect(constants.EINPROGRESS).toBe(115);
    expect(constants.EISCONN).toBe(106);
    expect(constants.ECONNRESET).toBe(104);
    expect(constants.EPIPE).toBe(32);
    expect(constants.EAFNOSUPPORT).toBe(97);
    expect(constants.ENOPROTOOPT).toBe(92);
    expect(constants.EDESTADDRREQ).toBe(89);
    expect(constants.ESOCKTNOSUPPORT).toBe(94);
    expect(constants.ETIMEDOUT).toBe(110);
    expect(constants.EALREADY).toBe(114);
    expect(constants.EAGAIN).toBe(11);
    // Linux makes them one number, which is why nixio's perror tests both.
    expect(constants.EWOULDBLOCK).toBe(constants.EAGAIN);
    expect(constants.SIGPIPE).toBe(13);
  });

  it('has the EAI codes of EAI under their C names', () => {
    for (const [k, v] of Object.entries(EAI)) expect([k, table[`EAI_${k}`]]).toEqual([k, v]);
  });

  describe.skipIf(process.platform !== 'linux')("against this Linux host's numbers", () => {
    it('matches os.constants.errno for every errno name Node knows', () => {
      const errno = osConstants.errno as Readonly<Record<string, number | undefined>>;
      const known = ALL_ERRNOS.filter((n) => errno[n] !== undefined);
      // Node's table lacks ESOCKTNOSUPPORT; python3's errno module checks it below.
      expect(known.length).toBe(ALL_ERRNOS.length - 1);
      for (const n of known) expect([n, table[n]]).toEqual([n, errno[n]]);
    });

    it('matches os.constants.signals', () => {
      const signals = osConstants.signals as Readonly<Record<string, number | undefined>>;
      for (const n of NIXIO_SIGNALS) expect([n, table[n]]).toEqual([n, signals[n]]);
    });

    it.skipIf(!hasPython)("matches python3's errno, signal and socket modules", () => {
      const code = [
        'import errno, signal, socket, json',
        `e = ${JSON.stringify(ALL_ERRNOS)}`,
        `s = ${JSON.stringify(NIXIO_SIGNALS)}`,
        `a = ${JSON.stringify(EAI_NAMES)}`,
        'd = {n: getattr(errno, n) for n in e}',
        'd.update({n: int(getattr(signal, n)) for n in s})',
        'd.update({n: getattr(socket, n) for n in a})',
        'print(json.dumps(d))',
      ].join('\n');
      const truth = JSON.parse(runPython(code)) as Record<string, number>;
      expect(Object.keys(truth)).toHaveLength(ALL_ERRNOS.length + NIXIO_SIGNALS.length + 12);
      for (const [n, v] of Object.entries(truth)) expect([n, table[n]]).toEqual([n, v]);
    });
  });
});
