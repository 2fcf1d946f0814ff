/**
 * A UDP client in nixio's API (OpenWrt/LuCI): one datagram out, the answer back, within a timeout.
 *
 * The UDP query as LuCI's Lua code writes one with nixio: a datagram socket
 * (`nixio.socket("inet", "dgram")`), a receive timeout set the POSIX way
 * (`setopt("socket", "rcvtimeo", sec, usec)`), `sendto` the server and
 * `recvfrom` its answer. Every call answers nixio's values: the result, or
 * `nil, errno, errmsg` — `false` first when the time ran out (EAGAIN).
 * Each Lua line stands above its port where it helps.
 *
 *   npx tsx examples/nixio/udp-client.ts [host] [port] [message] [--timeout seconds]
 *
 *   host       an IP address: nixio's sendto takes no names (default 127.0.0.1)
 *   port       a port or a service name (default 7, the UDP echo service)
 *   message    the datagram to send (default 'hello')
 *   --timeout  how long to wait for the answer, in seconds (default 2; 0.5 works)
 *
 * Prints `sent <n> bytes to <host> <port>`, then `answer from <ip> <port>:
 * <data>`, and exits 0. A failed call (no answer in time among them) prints
 * `udp-client: <call> failed: <errno> <errmsg>` on stderr and exits 1.
 */
import { parseArgs } from 'node:util';
import nixio from 'luasocket-async/nixio';

function usage(message: string): never {
  console.error(`${message}\nusage: udp-client.ts [host] [port] [message] [--timeout seconds]`);
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      options: { timeout: { type: 'string', default: '2' } },
      allowPositionals: true,
    });
  } catch (err) {
    return usage((err as Error).message);
  }
})();
if (positionals.length > 3) usage(`too many arguments: ${positionals.join(' ')}`);
const [host = '127.0.0.1', service = '7', message = 'hello'] = positionals;
const port = /^\d+$/.test(service) ? Number(service) : service;
const timeout = Number(values.timeout);
if (!Number.isFinite(timeout) || timeout <= 0) usage(`not a timeout: ${values.timeout}`);

// Lua's print writes bytes, and a datagram is a Lua (byte) string.
const print = (bytes: string): boolean => process.stdout.write(Buffer.from(`${bytes}\n`, 'latin1'));

// local sock = nixio.socket("inet", "dgram")
const [sock, code, msg] = nixio.socket('inet', 'dgram');
if (sock === null) {
  console.error(`udp-client: socket failed: ${code} ${msg}`);
  process.exit(1);
}

/** Reports `call`'s `nil, code, msg` (or `false, code, msg`), closes the socket and exits 1. */
function die(call: string, code: number, msg: string): never {
  console.error(`udp-client: ${call} failed: ${code} ${msg}`);
  sock?.close();
  process.exit(1);
}

// The timeout as the kernel keeps it: whole seconds and microseconds.
// sock:setopt("socket", "rcvtimeo", 2, 0)
const sec = Math.floor(timeout);
const usec = Math.round((timeout - sec) * 1e6);
const set = sock.setopt('socket', 'rcvtimeo', sec, usec);
if (set[0] === null) die('setopt', set[1], set[2]);

// local n, code, msg = sock:sendto(message, host, port)
// if not n then ... end
const [n, sendCode, sendMsg] = await sock.sendto(message, host, port);
if (n === null || n === false) die('sendto', sendCode, sendMsg);
console.log(`sent ${n} bytes to ${host} ${port}`);

// local data, ip, port = sock:recvfrom(8192)
// On failure the same three hold nil (or false), errno and errmsg: here
// `false, 11, "Resource temporarily unavailable"` when rcvtimeo ran out first.
const [data, from, fromPort] = await sock.recvfrom(nixio.const.buffersize);
if (data === null || data === false) die('recvfrom', from, fromPort);
// print("answer from " .. ip .. " " .. port .. ": " .. data)
print(`answer from ${from} ${fromPort}: ${data}`);
// sock:close()
sock.close();
