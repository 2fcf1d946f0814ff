/**
 * The shapes of compat results. A Lua call that returns several values
 * returns a fixed-length array of them here, `nil` as `null`; each shape is a
 * union discriminated by the error slot, so that after `if (err === null)`
 * the value is known not to be `null`.
 *
 * @module
 */

/**
 * LuaSocket's family names, as `getsockname` and `getpeername` report them
 * (`getfamily` says `'inet4'` instead; see {@link FamilyName}).
 */
export type Family = 'inet' | 'inet6';

/** What `getfamily()` returns: LuaSocket 3's own strings. */
export type FamilyName = 'inet4' | 'inet6';

/**
 * `value` or `nil, err`: `[value, null]` on success, `[null, err]` on failure.
 *
 * @typeParam T - the value on success
 * @example Narrowing on the error slot
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [server, err] = await socket.bind('127.0.0.1', 0);
 * if (err === null) server.close(); // server is a TcpObject here
 * else console.error(err);          // err is a string here
 * ```
 */
export type Result<T> = [value: T, err: null] | [value: null, err: string];

/**
 * What `receive` resolves to: `[data, null, null]`, or `[null, err, partial]`
 * where `partial` is what the call read before it failed (`''` when nothing).
 *
 * @example Polling without blocking, the Lua way
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c] = await socket.connect('127.0.0.1', 8080);
 * c!.settimeout(0);
 * let part = '';
 * for (;;) {
 *   const [line, err, partial] = await c!.receive('*l', part);
 *   if (err === null) { console.log(line); break; }
 *   if (err !== 'timeout') break;
 *   part = partial; // what came so far: the next call goes on from it
 * }
 * c!.close();
 * ```
 */
export type ReceiveResult =
  [data: string, err: null, partial: null] | [data: null, err: string, partial: string];

/**
 * What `send` resolves to: `[last, null, null]`, or `[null, err, last]` where
 * `last` is the index of the last byte sent (1-based, as `string.sub` counts),
 * so that `send(data, last + 1)` resumes where the failed call stopped.
 *
 * @example Resuming a non-blocking send
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c] = await socket.connect('127.0.0.1', 8080);
 * const data = 'x'.repeat(1 << 20);
 * c!.settimeout(0);
 * let i = 1;
 * for (;;) {
 *   const [, err, sent] = await c!.send(data, i);
 *   if (err !== 'timeout') break;
 *   i = sent + 1; // the peer is slow: send the rest later
 *   await socket.sleep(0.01);
 * }
 * c!.close();
 * ```
 */
export type SendResult =
  [last: number, err: null, partial: null] | [last: null, err: string, last: number];

/**
 * What `getsockname` returns; the port is a number, as LuaSocket's pages and
 * upstream LuaSocket give it (Debian's 3.1.0 returns a digit string there,
 * `"51755"`, a bug fixed upstream).
 *
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [server] = await socket.bind('127.0.0.1', 0);
 * const [ip, port] = server!.getsockname();
 * if (ip !== null) console.log(ip, port + 1); // port is a number here
 * server!.close();
 * ```
 */
export type SockNameResult =
  [address: string, port: number, family: Family] | [address: null, err: string, family: null];

/**
 * What `getpeername` returns; the port is a number, as in real LuaSocket 3.
 *
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c] = await socket.connect('127.0.0.1', 8080);
 * const [ip, port, family] = c!.getpeername();
 * c!.close();
 * ```
 */
export type PeerNameResult =
  [address: string, port: number, family: Family] | [address: null, err: string, family: null];

/**
 * What `getstats` returns: bytes received and sent by the program, and the
 * object's age in seconds.
 *
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c] = await socket.connect('127.0.0.1', 8080);
 * const [received, sent, age] = c!.getstats();
 * c!.close();
 * ```
 */
export type StatsResult = [received: number, sent: number, age: number];

/**
 * What `gettimeout` returns: the block and total timeouts in seconds as
 * `settimeout` was given them, as LuaSocket stores them (any negative value
 * means none), and `-1` for one never set or set to `nil`.
 *
 * @example
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [c] = socket.tcp();
 * c!.settimeout(2.5, 't');
 * c!.settimeout(-5);
 * const [block, total] = c!.gettimeout(); // -5, 2.5
 * ```
 */
export type TimeoutsResult = [block: number, total: number];

/**
 * What a UDP object's `receivefrom` resolves to: `[datagram, ip, port]`, or
 * `[null, err, null]`. The sender's port is a number, as in real LuaSocket 3.
 *
 * @example An echo step
 * ```ts
 * import socket from 'luasocket-async/compat';
 *
 * const [u] = socket.udp();
 * await u!.setsockname('127.0.0.1', 0);
 * u!.settimeout(1);
 * const [dgram, ip, port] = await u!.receivefrom();
 * if (dgram !== null) await u!.sendto(dgram, ip, port);
 * else console.log(ip); // the error: 'timeout'
 * u!.close();
 * ```
 */
export type ReceiveFromResult =
  [datagram: string, ip: string, port: number] | [datagram: null, err: string, port: null];
