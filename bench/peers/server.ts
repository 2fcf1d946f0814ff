/**
 * The measured echo server of the connections workload, in a fresh process
 * of its own: `raw` (node:net), `core` (bind + for await … of server) or
 * `compat` (socket.bind + accept()). Each connection echoes lines until the
 * peer closes. Prints "PORT <port>"; then answers "rss" on stdin with
 * "RSS <bytes after a full GC> <open connections>".
 *   node --import tsx bench/peers/server.ts raw|core|compat
 */
import { createServer, type AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createInterface } from 'node:readline';
import socket, { type TcpObject } from '../../compat/index.js';
import { bind, type TcpClient } from '../../src/index.js';

const kind = process.argv[2];
let open = 0;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function coreSession(c: TcpClient): Promise<void> {
  open++;
  try {
    for (;;) await c.send((await c.receive('*l')) + '\n');
  } catch {
    // closed
  }
  c.close();
  open--;
}

async function compatSession(c: TcpObject): Promise<void> {
  open++;
  for (;;) {
    const [line] = await c.receive();
    if (line === null) break;
    await c.send(line + '\n');
  }
  c.close();
  open--;
}

let port: number;
if (kind === 'raw') {
  const server = createServer((s) => {
    open++;
    s.setNoDelay(true);
    let rest = '';
    s.setEncoding('latin1');
    s.on('data', (chunk: string) => {
      const text = rest + chunk;
      const at = text.lastIndexOf('\n') + 1;
      rest = text.slice(at);
      if (at > 0) s.write(text.slice(0, at));
    });
    s.on('error', () => undefined);
    s.on('end', () => s.end());
    s.on('close', () => open--);
  });
  server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as AddressInfo).port;
} else if (kind === 'core') {
  const server = await bind('127.0.0.1', 0, { backlog: 4096 });
  server.setoption('tcp-nodelay', true);
  port = server.getsockname().port;
  void (async () => {
    for await (const c of server) void coreSession(c);
  })();
} else {
  const [server, err] = await socket.bind('127.0.0.1', 0, 4096);
  if (server === null) throw new Error(err);
  server.setoption('tcp-nodelay', true);
  port = Number(server.getsockname()[1]);
  void (async () => {
    for (;;) {
      const [c] = await server.accept();
      if (c !== null) void compatSession(c);
    }
  })();
}
process.stdout.write(`PORT ${port}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'rss') {
    gc();
    gc();
    process.stdout.write(`RSS ${process.memoryUsage().rss} ${open}\n`);
  }
});
process.stdin.on('end', () => process.exit(0));
