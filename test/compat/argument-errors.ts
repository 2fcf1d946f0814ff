/**
 * The usage errors compat raises as LuaSocket does: each row is a compat
 * call, the same call in Lua (an expression over the objects
 * test/lua/raises.lua names, see `CompatObjects`), and the message both
 * raise — Lua's text without its `file:line:` position. The interop test
 * checks the Lua column against lua5.4, the unit test the compat column
 * against the message, so that the table stays honest both ways.
 */

import socket from '../../compat/index.js';
import type { CompatObjects } from '../helpers/lua-raises.js';

/** One raising call, in both languages. */
export interface ArgumentErrorRow {
  /** The call in Lua, over raises.lua's objects. */
  lua: string;
  /** The same call with compat. */
  js: (o: CompatObjects) => unknown;
  /** What both raise. */
  message: string;
  /** The class compat throws (TypeError unless said). */
  type?: typeof TypeError | typeof RangeError;
}

/** Lets a test pass what the types forbid, as a Lua program may. */
const bad = <T = never>(value: unknown): T => value as T;
const LONG = 'a-very-long-option-name-that-goes-past-thirty-five';

export const ARGUMENT_ERRORS: readonly ArgumentErrorRow[] = [
  // receive: pattern and prefix (buffer.c)
  {
    lua: "c:receive('*x')",
    js: (o) => o.c.receive('*x'),
    message: "bad argument #1 to 'receive' (invalid receive pattern)",
  },
  {
    lua: "c:receive('l')",
    js: (o) => o.c.receive('l'),
    message: "bad argument #1 to 'receive' (invalid receive pattern)",
  },
  {
    lua: "c:receive('2x')",
    js: (o) => o.c.receive('2x'),
    message: "bad argument #1 to 'receive' (invalid receive pattern)",
  },
  {
    lua: 'c:receive(-1)',
    js: (o) => o.c.receive(-1),
    message: "bad argument #1 to 'receive' (invalid receive pattern)",
    type: RangeError,
  },
  {
    lua: 'c:receive(true)',
    js: (o) => o.c.receive(bad(true)),
    message: "bad argument #1 to 'receive' (string expected, got boolean)",
  },
  {
    lua: 'c:receive({})',
    js: (o) => o.c.receive(bad({})),
    message: "bad argument #1 to 'receive' (string expected, got table)",
  },
  {
    lua: "c:receive('*l', {})",
    js: (o) => o.c.receive('*l', bad({})),
    message: "bad argument #2 to 'receive' (string expected, got table)",
  },
  {
    lua: "c:receive('*l', true)",
    js: (o) => o.c.receive('*l', bad(true)),
    message: "bad argument #2 to 'receive' (string expected, got boolean)",
  },
  // send: data, i, j
  {
    lua: 'c:send()',
    js: (o) => o.c.send(bad(undefined)),
    message: "bad argument #1 to 'send' (string expected, got no value)",
  },
  {
    lua: 'c:send(true)',
    js: (o) => o.c.send(bad(true)),
    message: "bad argument #1 to 'send' (string expected, got boolean)",
  },
  {
    lua: 'c:send({})',
    js: (o) => o.c.send(bad({})),
    message: "bad argument #1 to 'send' (string expected, got table)",
  },
  {
    lua: "c:send('x', 'a')",
    js: (o) => o.c.send('x', 'a'),
    message: "bad argument #2 to 'send' (number expected, got string)",
  },
  {
    lua: "c:send('x', true)",
    js: (o) => o.c.send('x', bad(true)),
    message: "bad argument #2 to 'send' (number expected, got boolean)",
  },
  {
    lua: "c:send('x', 1, 'b')",
    js: (o) => o.c.send('x', 1, 'b'),
    message: "bad argument #3 to 'send' (number expected, got string)",
  },
  // settimeout: value and mode (timeout.c)
  {
    lua: "c:settimeout('x')",
    js: (o) => o.c.settimeout('x'),
    message: "bad argument #1 to 'settimeout' (number expected, got string)",
  },
  {
    lua: 'c:settimeout(true)',
    js: (o) => o.c.settimeout(bad(true)),
    message: "bad argument #1 to 'settimeout' (number expected, got boolean)",
  },
  {
    lua: "c:settimeout(1, 'x')",
    js: (o) => o.c.settimeout(1, 'x'),
    message: "bad argument #2 to 'settimeout' (invalid timeout mode)",
  },
  {
    lua: "c:settimeout(1, '')",
    js: (o) => o.c.settimeout(1, ''),
    message: "bad argument #2 to 'settimeout' (invalid timeout mode)",
  },
  {
    lua: 'c:settimeout(1, 5)',
    js: (o) => o.c.settimeout(1, bad(5)),
    message: "bad argument #2 to 'settimeout' (invalid timeout mode)",
  },
  {
    lua: 'c:settimeout(1, true)',
    js: (o) => o.c.settimeout(1, bad(true)),
    message: "bad argument #2 to 'settimeout' (string expected, got boolean)",
  },
  {
    lua: "u:settimeout('x')",
    js: (o) => o.u.settimeout('x'),
    message: "bad argument #1 to 'settimeout' (number expected, got string)",
  },
  {
    lua: "x:settimeout('x')",
    js: (o) => o.x.settimeout('x'),
    message: "bad argument #1 to 'settimeout' (number expected, got string)",
  },
  // shutdown (luaL_checkoption)
  {
    lua: "c:shutdown('x')",
    js: (o) => o.c.shutdown(bad('x')),
    message: "bad argument #1 to 'shutdown' (invalid option 'x')",
  },
  {
    lua: 'c:shutdown(5)',
    js: (o) => o.c.shutdown(bad(5)),
    message: "bad argument #1 to 'shutdown' (invalid option '5')",
  },
  {
    lua: 'c:shutdown(true)',
    js: (o) => o.c.shutdown(bad(true)),
    message: "bad argument #1 to 'shutdown' (string expected, got boolean)",
  },
  // bind, connect, listen on a master
  {
    lua: 'm:bind()',
    js: (o) => o.m.bind(bad(undefined), bad(undefined)),
    message: "bad argument #1 to 'bind' (string expected, got no value)",
  },
  {
    lua: 'm:bind(true, 0)',
    js: (o) => o.m.bind(bad(true), 0),
    message: "bad argument #1 to 'bind' (string expected, got boolean)",
  },
  {
    lua: "m:bind('127.0.0.1')",
    js: (o) => o.m.bind('127.0.0.1', bad(undefined)),
    message: "bad argument #2 to 'bind' (string expected, got no value)",
  },
  {
    lua: "m:bind('127.0.0.1', true)",
    js: (o) => o.m.bind('127.0.0.1', bad(true)),
    message: "bad argument #2 to 'bind' (string expected, got boolean)",
  },
  {
    lua: 'm:connect()',
    js: (o) => o.m.connect(bad(undefined), bad(undefined)),
    message: "bad argument #1 to 'connect' (string expected, got no value)",
  },
  {
    lua: "m:connect('127.0.0.1', {})",
    js: (o) => o.m.connect('127.0.0.1', bad({})),
    message: "bad argument #2 to 'connect' (string expected, got table)",
  },
  {
    lua: "m:listen('x')",
    js: (o) => o.m.listen('x'),
    message: "bad argument #1 to 'listen' (number expected, got string)",
  },
  {
    lua: 'm:listen(true)',
    js: (o) => o.m.listen(bad(true)),
    message: "bad argument #1 to 'listen' (number expected, got boolean)",
  },
  // methods the object's class lacks (auxiliar_checkclass)
  {
    lua: 'm:accept()',
    js: (o) => o.m.accept(),
    message: "calling 'accept' on bad self (tcp{server} expected)",
  },
  {
    lua: 'c:accept()',
    js: (o) => o.c.accept(),
    message: "calling 'accept' on bad self (tcp{server} expected)",
  },
  {
    lua: 's:receive()',
    js: (o) => o.s.receive(),
    message: "calling 'receive' on bad self (tcp{client} expected)",
  },
  {
    lua: "s:send('x')",
    js: (o) => o.s.send('x'),
    message: "calling 'send' on bad self (tcp{client} expected)",
  },
  {
    lua: 'c:listen()',
    js: (o) => o.c.listen(),
    message: "calling 'listen' on bad self (tcp{master} expected)",
  },
  {
    lua: "c:bind('127.0.0.1', 0)",
    js: (o) => o.c.bind('127.0.0.1', 0),
    message: "calling 'bind' on bad self (tcp{master} expected)",
  },
  {
    lua: 'm:getstats()',
    js: (o) => o.m.getstats(),
    message: "calling 'getstats' on bad self (tcp{client} expected)",
  },
  // setstats, setfd
  {
    lua: "c:setstats('x')",
    js: (o) => o.c.setstats(bad('x')),
    message: "bad argument #1 to 'setstats' (number expected, got string)",
  },
  {
    lua: "c:setstats(1, 'x')",
    js: (o) => o.c.setstats(1, bad('x')),
    message: "bad argument #2 to 'setstats' (number expected, got string)",
  },
  {
    lua: "c:setfd('x')",
    js: (o) => o.c.setfd(bad('x')),
    message: "bad argument #1 to 'setfd' (number expected, got string)",
  },
  {
    lua: 'u:setfd(true)',
    js: (o) => o.u.setfd(bad(true)),
    message: "bad argument #1 to 'setfd' (number expected, got boolean)",
  },
  // setoption / getoption: names and values (options.c)
  {
    lua: 'c:setoption()',
    js: (o) => o.c.setoption(bad(undefined), bad(undefined)),
    message: "bad argument #1 to 'setoption' (string expected, got no value)",
  },
  {
    lua: 'c:getoption(true)',
    js: (o) => o.c.getoption(bad(true)),
    message: "bad argument #1 to 'getoption' (string expected, got boolean)",
  },
  {
    lua: "c:setoption('bogus', true)",
    js: (o) => o.c.setoption(bad('bogus'), bad(true)),
    message: "bad argument #1 to 'setoption' (unsupported option `bogus')",
  },
  {
    lua: `c:setoption('${LONG}', true)`,
    js: (o) => o.c.setoption(bad(LONG), bad(true)),
    message:
      "bad argument #1 to 'setoption' (unsupported option `a-very-long-option-name-that-goes-p')",
  },
  {
    lua: "c:setoption('broadcast', true)",
    js: (o) => o.c.setoption('broadcast', true),
    message: "bad argument #1 to 'setoption' (unsupported option `broadcast')",
  },
  {
    lua: "s:getoption('ipv6-v6only')",
    js: (o) => o.s.getoption('ipv6-v6only'),
    message: "bad argument #1 to 'getoption' (unsupported option `ipv6-v6only')",
  },
  {
    lua: "u4:getoption('tcp-nodelay')",
    js: (o) => o.u4.getoption('tcp-nodelay'),
    message: "bad argument #1 to 'getoption' (unsupported option `tcp-nodelay')",
  },
  {
    lua: "c:setoption('keepalive')",
    js: (o) => o.c.setoption('keepalive', bad(undefined)),
    message: "bad argument #2 to 'setoption' (boolean expected, got no value)",
  },
  {
    lua: "c:setoption('tcp-nodelay', 1)",
    js: (o) => o.c.setoption('tcp-nodelay', bad(1)),
    message: "bad argument #2 to 'setoption' (boolean expected, got number)",
  },
  {
    lua: "c:setoption('linger', true)",
    js: (o) => o.c.setoption('linger', bad(true)),
    message: "bad argument #2 to 'setoption' (table expected, got boolean)",
  },
  {
    lua: "c:setoption('linger', {})",
    js: (o) => o.c.setoption('linger', bad({})),
    message: "bad argument #2 to 'setoption' (boolean 'on' field expected)",
  },
  {
    lua: "c:setoption('linger', {on=true})",
    js: (o) => o.c.setoption('linger', bad({ on: true })),
    message: "bad argument #2 to 'setoption' (number 'timeout' field expected)",
  },
  {
    lua: "u4:setoption('broadcast', 'yes')",
    js: (o) => o.u4.setoption('broadcast', bad('yes')),
    message: "bad argument #2 to 'setoption' (boolean expected, got string)",
  },
  {
    lua: "u4:setoption('ip-multicast-if', true)",
    js: (o) => o.u4.setoption('ip-multicast-if', bad(true)),
    message: "bad argument #2 to 'setoption' (string expected, got boolean)",
  },
  {
    lua: "u4:setoption('ip-multicast-if', 'bogus')",
    js: (o) => o.u4.setoption('ip-multicast-if', 'bogus'),
    message: "bad argument #2 to 'setoption' (ip expected)",
  },
  {
    lua: "u4:setoption('ip-add-membership', true)",
    js: (o) => o.u4.setoption('ip-add-membership', bad(true)),
    message: "bad argument #2 to 'setoption' (table expected, got boolean)",
  },
  {
    lua: "u4:setoption('ip-add-membership', {})",
    js: (o) => o.u4.setoption('ip-add-membership', bad({})),
    message: "bad argument #2 to 'setoption' (string 'multiaddr' field expected)",
  },
  {
    lua: "u4:setoption('ip-add-membership', {multiaddr='x', interface='*'})",
    js: (o) => o.u4.setoption('ip-add-membership', { multiaddr: 'x', interface: '*' }),
    message: "bad argument #2 to 'setoption' (invalid 'multiaddr' ip address)",
  },
  {
    lua: "u4:setoption('ip-add-membership', {multiaddr='239.1.2.3'})",
    js: (o) => o.u4.setoption('ip-add-membership', bad({ multiaddr: '239.1.2.3' })),
    message: "bad argument #2 to 'setoption' (string 'interface' field expected)",
  },
  {
    lua: "u4:setoption('ip-add-membership', {multiaddr='239.1.2.3', interface='y'})",
    js: (o) => o.u4.setoption('ip-add-membership', { multiaddr: '239.1.2.3', interface: 'y' }),
    message: "bad argument #2 to 'setoption' (invalid 'interface' ip address)",
  },
  {
    lua: "u4:setoption('ipv6-add-membership', {multiaddr='ff02::1', interface=true})",
    js: (o) =>
      o.u4.setoption('ipv6-add-membership', bad({ multiaddr: 'ff02::1', interface: true })),
    message: "bad argument #-2 to 'setoption' (number 'interface' field expected)",
  },
  {
    lua: "x:setoption('keepalive', 1)",
    js: (o) => o.x.setoption('keepalive', bad(1)),
    message: "bad argument #2 to 'setoption' (boolean expected, got number)",
  },
  {
    lua: "x:setoption('tcp-nodelay', true)",
    js: (o) => o.x.setoption('tcp-nodelay', true),
    message: "bad argument #1 to 'setoption' (unsupported option `tcp-nodelay')",
  },
  // UDP: addresses and sizes
  {
    lua: 'u:sendto()',
    js: (o) => o.u.sendto(bad(undefined), bad(undefined), bad(undefined)),
    message: "bad argument #1 to 'sendto' (string expected, got no value)",
  },
  {
    lua: "u:sendto(true, '127.0.0.1', 80)",
    js: (o) => o.u.sendto(bad(true), '127.0.0.1', 80),
    message: "bad argument #1 to 'sendto' (string expected, got boolean)",
  },
  {
    lua: "u:sendto('x')",
    js: (o) => o.u.sendto('x', bad(undefined), bad(undefined)),
    message: "bad argument #2 to 'sendto' (string expected, got no value)",
  },
  {
    lua: "u:sendto('x', '127.0.0.1')",
    js: (o) => o.u.sendto('x', '127.0.0.1', bad(undefined)),
    message: "bad argument #3 to 'sendto' (string expected, got no value)",
  },
  {
    lua: "u:sendto('x', '127.0.0.1', true)",
    js: (o) => o.u.sendto('x', '127.0.0.1', bad(true)),
    message: "bad argument #3 to 'sendto' (string expected, got boolean)",
  },
  {
    lua: "uc:sendto('x', '127.0.0.1', 80)",
    js: (o) => o.uc.sendto('x', '127.0.0.1', 80),
    message: "calling 'sendto' on bad self (udp{unconnected} expected)",
  },
  {
    lua: "u:send('x')",
    js: (o) => o.u.send('x'),
    message: "calling 'send' on bad self (udp{connected} expected)",
  },
  {
    lua: 'uc:send()',
    js: (o) => o.uc.send(bad(undefined)),
    message: "bad argument #1 to 'send' (string expected, got no value)",
  },
  {
    lua: "u:receive('x')",
    js: (o) => o.u.receive('x'),
    message: "bad argument #1 to 'receive' (number expected, got string)",
  },
  {
    lua: 'u:receivefrom(true)',
    js: (o) => o.u.receivefrom(bad(true)),
    message: "bad argument #1 to 'receivefrom' (number expected, got boolean)",
  },
  {
    lua: 'uc:receivefrom()',
    js: (o) => o.uc.receivefrom(),
    message: "calling 'receivefrom' on bad self (udp{unconnected} expected)",
  },
  {
    lua: 'u:getpeername()',
    js: (o) => o.u.getpeername(),
    message: "calling 'getpeername' on bad self (udp{connected} expected)",
  },
  {
    lua: "uc:setsockname('127.0.0.1', 0)",
    js: (o) => o.uc.setsockname('127.0.0.1', 0),
    message: "calling 'setsockname' on bad self (udp{unconnected} expected)",
  },
  {
    lua: 'u:setsockname()',
    js: (o) => o.u.setsockname(bad(undefined), bad(undefined)),
    message: "bad argument #1 to 'setsockname' (string expected, got no value)",
  },
  {
    lua: "u:setsockname('127.0.0.1', true)",
    js: (o) => o.u.setsockname('127.0.0.1', bad(true)),
    message: "bad argument #2 to 'setsockname' (string expected, got boolean)",
  },
  {
    lua: 'u:setpeername(true, 1)',
    js: (o) => o.u.setpeername(bad(true), 1),
    message: "bad argument #1 to 'setpeername' (string expected, got boolean)",
  },
  {
    lua: "u:setpeername('127.0.0.1')",
    js: (o) => o.u.setpeername('127.0.0.1'),
    message: "bad argument #2 to 'setpeername' (string expected, got no value)",
  },
  // module functions
  {
    lua: 'socket.sleep()',
    js: () => socket.sleep(bad(undefined)),
    message: "bad argument #1 to 'sleep' (number expected, got no value)",
  },
  {
    lua: "socket.sleep('x')",
    js: () => socket.sleep('x'),
    message: "bad argument #1 to 'sleep' (number expected, got string)",
  },
  {
    lua: "socket.select('x')",
    js: () => socket.select(bad('x')),
    message: "bad argument #1 to 'select' (table expected, got string)",
  },
  {
    lua: 'socket.select(nil, true)',
    js: () => socket.select(null, bad(true)),
    message: "bad argument #2 to 'select' (table expected, got boolean)",
  },
  {
    lua: 'socket.select(c)',
    js: (o) => socket.select(bad(o.c)),
    message: "bad argument #1 to 'select' (table expected, got tcp{client})",
  },
  {
    lua: "socket.select({}, {}, 'x')",
    js: () => socket.select([], [], 'x'),
    message: "bad argument #3 to 'select' (number expected, got string)",
  },
  {
    lua: 'socket.connect()',
    js: () => socket.connect(bad(undefined), bad(undefined)),
    message: "bad argument #1 to 'connect' (string expected, got no value)",
  },
  {
    lua: "socket.connect('127.0.0.1', true)",
    js: () => socket.connect('127.0.0.1', bad(true)),
    message: "bad argument #2 to 'connect' (string expected, got boolean)",
  },
  {
    lua: "socket.connect('127.0.0.1', 1, true)",
    js: () => socket.connect('127.0.0.1', 1, bad(true)),
    message: "bad argument #3 to 'connect' (string expected, got boolean)",
  },
  {
    lua: "socket.connect('127.0.0.1', 1, '127.0.0.1', true)",
    js: () => socket.connect('127.0.0.1', 1, '127.0.0.1', bad(true)),
    message: "bad argument #4 to 'connect' (string expected, got boolean)",
  },
  {
    lua: "socket.connect('127.0.0.1', 1, nil, nil, 'x')",
    js: () => socket.connect('127.0.0.1', 1, null, null, bad('x')),
    message: "bad argument #5 to 'connect' (invalid option 'x')",
  },
  {
    lua: "socket.connect('127.0.0.1', 1, nil, nil, true)",
    js: () => socket.connect('127.0.0.1', 1, null, null, bad(true)),
    message: "bad argument #5 to 'connect' (string expected, got boolean)",
  },
  // socket.bind is Lua code (socket.lua): its errors name the calls it makes
  {
    lua: 'socket.bind()',
    js: () => socket.bind(bad(undefined), bad(undefined)),
    message: "bad argument #1 to 'getaddrinfo' (string expected, got nil)",
  },
  {
    lua: 'socket.bind(true, 0)',
    js: () => socket.bind(bad(true), 0),
    message: "bad argument #1 to 'getaddrinfo' (string expected, got boolean)",
  },
  {
    lua: "socket.bind('127.0.0.1')",
    js: () => socket.bind('127.0.0.1', bad(undefined)),
    message: "bad argument #2 to 'bind' (string expected, got nil)",
  },
  {
    lua: "socket.bind('127.0.0.1', 0, 'x')",
    js: () => socket.bind('127.0.0.1', 0, 'x'),
    message: "bad argument #1 to 'listen' (number expected, got string)",
  },
  // socket.dns
  {
    lua: 'socket.dns.toip()',
    js: () => socket.dns.toip(bad(undefined)),
    message: "bad argument #1 to 'toip' (string expected, got no value)",
  },
  {
    lua: 'socket.dns.toip({})',
    js: () => socket.dns.toip(bad({})),
    message: "bad argument #1 to 'toip' (string expected, got table)",
  },
  {
    lua: 'socket.dns.tohostname(true)',
    js: () => socket.dns.tohostname(bad(true)),
    message: "bad argument #1 to 'tohostname' (string expected, got boolean)",
  },
  {
    lua: 'socket.dns.getaddrinfo()',
    js: () => socket.dns.getaddrinfo(bad(undefined)),
    message: "bad argument #1 to 'getaddrinfo' (string expected, got no value)",
  },
  {
    lua: 'socket.dns.getnameinfo()',
    js: () => socket.dns.getnameinfo(),
    message: 'host and serv cannot be both nil',
  },
  {
    lua: 'socket.dns.getnameinfo(true)',
    js: () => socket.dns.getnameinfo(bad(true)),
    message: "bad argument #1 to 'getnameinfo' (string expected, got boolean)",
  },
  {
    lua: 'socket.dns.getnameinfo(nil, {})',
    js: () => socket.dns.getnameinfo(null, bad({})),
    message: "bad argument #2 to 'getnameinfo' (string expected, got table)",
  },
  // Unix domain objects (unixstream.c)
  {
    lua: 'x:bind()',
    js: (o) => o.x.bind(bad(undefined)),
    message: "bad argument #1 to 'bind' (string expected, got no value)",
  },
  {
    lua: 'x:connect(true)',
    js: (o) => o.x.connect(bad(true)),
    message: "bad argument #1 to 'connect' (string expected, got boolean)",
  },
  {
    lua: "x:listen('x')",
    js: (o) => o.x.listen('x'),
    message: "bad argument #1 to 'listen' (number expected, got string)",
  },
  {
    lua: 'x:accept()',
    js: (o) => o.x.accept(),
    message: "calling 'accept' on bad self (unixstream{server} expected)",
  },
  {
    lua: 'x:receive()',
    js: (o) => o.x.receive(),
    message: "calling 'receive' on bad self (unixstream{client} expected)",
  },
];
