/**
 * `nixio.const` as nixio builds it on Linux (luaopen_nixio in src/nixio.c),
 * with Linux's numbers written out: nixio's texts and codes are those of the
 * Linux/glibc box it runs on, so the adapter reports the same values whatever
 * host Node runs on.
 */

/**
 * The shape of `nixio.const`. nixio's `const_sock` is the very same table.
 *
 * Beyond nixio's own entries it holds the socket errno names the adapter
 * reports (nixio's table lacks them, so a script could not compare against
 * them by name) and the getaddrinfo codes as `EAI_*`.
 *
 * @example
 * ```ts
 * import nixio from 'luasocket-async/nixio';
 *
 * const { EAGAIN, EWOULDBLOCK } = nixio.const;
 * console.log(EAGAIN === EWOULDBLOCK); // true: Linux gives both 11
 * ```
 */
export interface NixioConstants {
  /** nixio's default read size for its buffered helpers, in bytes. */
  readonly buffersize: number;
  /** The directory separator, `/`. */
  readonly sep: string;
  /** The separator of search paths such as PATH, `:`. */
  readonly pathsep: string;

  // errno names nixio pushes on every platform.
  readonly EACCES: number;
  readonly EINTR: number;
  readonly ENOSYS: number;
  readonly EINVAL: number;
  readonly EAGAIN: number;
  readonly ENOMEM: number;
  readonly ENOENT: number;
  readonly ECHILD: number;
  readonly EIO: number;
  readonly EBADF: number;
  readonly EFAULT: number;
  readonly EFBIG: number;
  readonly ENOSPC: number;
  readonly EPIPE: number;
  readonly ESPIPE: number;
  readonly EISDIR: number;
  readonly EPERM: number;
  readonly EEXIST: number;
  readonly EMFILE: number;
  readonly ENAMETOOLONG: number;
  readonly ENFILE: number;
  readonly ENODEV: number;
  readonly EXDEV: number;
  readonly ENOTDIR: number;
  readonly ENXIO: number;
  readonly EROFS: number;
  readonly EBUSY: number;
  readonly ESRCH: number;

  // Signals nixio pushes on every platform.
  readonly SIGINT: number;
  readonly SIGTERM: number;
  readonly SIGSEGV: number;

  // errno names nixio pushes off Windows only.
  readonly EALREADY: number;
  readonly EINPROGRESS: number;
  readonly EWOULDBLOCK: number;
  readonly ELOOP: number;
  readonly EOVERFLOW: number;
  readonly ETXTBSY: number;
  readonly EAFNOSUPPORT: number;
  readonly ENOBUFS: number;
  readonly EPROTONOSUPPORT: number;
  readonly ENOPROTOOPT: number;
  readonly EADDRINUSE: number;
  readonly ENETDOWN: number;
  readonly ENETUNREACH: number;

  // Signals nixio pushes off Windows only.
  readonly SIGALRM: number;
  readonly SIGKILL: number;
  readonly SIGHUP: number;
  readonly SIGSTOP: number;
  readonly SIGCONT: number;
  readonly SIGCHLD: number;
  readonly SIGQUIT: number;
  readonly SIGUSR1: number;
  readonly SIGUSR2: number;
  readonly SIGIO: number;
  readonly SIGURG: number;
  readonly SIGPIPE: number;

  // Not in nixio: socket errors the adapter reports, named so a script can
  // test for them.
  readonly ECONNREFUSED: number;
  readonly ENOTCONN: number;
  readonly EISCONN: number;
  readonly ECONNRESET: number;
  readonly EDESTADDRREQ: number;
  readonly ESOCKTNOSUPPORT: number;
  readonly ETIMEDOUT: number;

  // Not in nixio: the getaddrinfo codes the adapter reports as a failed
  // call's second value, with glibc's Linux values.
  readonly EAI_BADFLAGS: number;
  readonly EAI_NONAME: number;
  readonly EAI_AGAIN: number;
  readonly EAI_FAIL: number;
  readonly EAI_NODATA: number;
  readonly EAI_FAMILY: number;
  readonly EAI_SOCKTYPE: number;
  readonly EAI_SERVICE: number;
  readonly EAI_ADDRFAMILY: number;
  readonly EAI_MEMORY: number;
  readonly EAI_SYSTEM: number;
  readonly EAI_OVERFLOW: number;
}

/**
 * The values of `nixio.const` (and `nixio.const_sock`) on Linux: errno and
 * signal numbers, nixio's buffer size and path separators, plus the socket
 * errnos and getaddrinfo codes the adapter returns.
 *
 * @example
 * ```ts
 * import nixio from 'luasocket-async/nixio';
 *
 * console.log(nixio.const.ECONNREFUSED); // 111
 * console.log(nixio.const.buffersize); // 8192
 * ```
 */
export const constants: NixioConstants = Object.freeze({
  buffersize: 8192,
  sep: '/',
  pathsep: ':',

  EACCES: 13,
  EINTR: 4,
  ENOSYS: 38,
  EINVAL: 22,
  EAGAIN: 11,
  ENOMEM: 12,
  ENOENT: 2,
  ECHILD: 10,
  EIO: 5,
  EBADF: 9,
  EFAULT: 14,
  EFBIG: 27,
  ENOSPC: 28,
  EPIPE: 32,
  ESPIPE: 29,
  EISDIR: 21,
  EPERM: 1,
  EEXIST: 17,
  EMFILE: 24,
  ENAMETOOLONG: 36,
  ENFILE: 23,
  ENODEV: 19,
  EXDEV: 18,
  ENOTDIR: 20,
  ENXIO: 6,
  EROFS: 30,
  EBUSY: 16,
  ESRCH: 3,

  SIGINT: 2,
  SIGTERM: 15,
  SIGSEGV: 11,

  EALREADY: 114,
  EINPROGRESS: 115,
  EWOULDBLOCK: 11,
  ELOOP: 40,
  EOVERFLOW: 75,
  ETXTBSY: 26,
  EAFNOSUPPORT: 97,
  ENOBUFS: 105,
  EPROTONOSUPPORT: 93,
  ENOPROTOOPT: 92,
  EADDRINUSE: 98,
  ENETDOWN: 100,
  ENETUNREACH: 101,

  SIGALRM: 14,
  SIGKILL: 9,
  SIGHUP: 1,
  SIGSTOP: 19,
  SIGCONT: 18,
  SIGCHLD: 17,
  SIGQUIT: 3,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGIO: 29,
  SIGURG: 23,
  SIGPIPE: 13,

  // Additions, see NixioConstants.
  ECONNREFUSED: 111,
  ENOTCONN: 107,
  EISCONN: 106,
  ECONNRESET: 104,
  EDESTADDRREQ: 89,
  ESOCKTNOSUPPORT: 94,
  ETIMEDOUT: 110,

  EAI_BADFLAGS: -1,
  EAI_NONAME: -2,
  EAI_AGAIN: -3,
  EAI_FAIL: -4,
  EAI_NODATA: -5,
  EAI_FAMILY: -6,
  EAI_SOCKTYPE: -7,
  EAI_SERVICE: -8,
  EAI_ADDRFAMILY: -9,
  EAI_MEMORY: -10,
  EAI_SYSTEM: -11,
  EAI_OVERFLOW: -12,
});
