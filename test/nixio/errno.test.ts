/**
 * nixio's failures are the kernel's: each case runs through the adapter and,
 * as the oracle, through python3's socket module (a thin layer over the same
 * system calls nixio makes), and the errno and text must agree.
 */

import { afterEach, describe, expect, it } from 'vitest';
import nixio, { type NixioSocket } from '../../nixio/index.js';
import { closedPort } from '../helpers/loopback.js';
import { hasPython, runPython } from '../helpers/python.js';

const open: NixioSocket[] = [];
const keep = <T extends NixioSocket | null | false>(s: T): T => {
  if (s) open.push(s);
  return s;
};
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/** `[errno, strerror]` of `call` made on a python socket, '0' when it succeeds. */
function kernel(setup: string, call: string): [number, string] {
  const out = runPython(
    `import socket, os, json\n${setup}\ntry:\n    ${call}\n    print(json.dumps([0, '']))\n` +
      `except OSError as e:\n    print(json.dumps([e.errno, os.strerror(e.errno)]))\n`,
  );
  return JSON.parse(out) as [number, string];
}

const TCP = 's = socket.socket(socket.AF_INET, socket.SOCK_STREAM)';
const UDP = 's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)';

describe('errno values against the kernel', () => {
  it.skipIf(!hasPython)('connection refused', async () => {
    const port = await closedPort();
    const [sock] = nixio.socket('inet', 'stream');
    keep(sock);
    const ours = await sock!.connect('127.0.0.1', port);
    expect(ours).toEqual([null, ...kernel(TCP, `s.connect(('127.0.0.1', ${port}))`)]);
    expect(ours[1]).toBe(nixio.const.ECONNREFUSED);
    expect(nixio.errno()).toBe(111);
    // The shortcut fails the same way.
    expect(await nixio.connect('127.0.0.1', port)).toEqual(ours);
  });

  it.skipIf(!hasPython)('address in use', async () => {
    const [server] = await nixio.bind('127.0.0.1', 0);
    keep(server);
    await server!.listen(4);
    const [, port] = server!.getsockname();
    const [sock] = nixio.socket('inet', 'stream');
    keep(sock);
    const ours = await sock!.bind('127.0.0.1', port);
    const setup = `${TCP}\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)`;
    expect(ours).toEqual([null, ...kernel(setup, `s.bind(('127.0.0.1', ${port}))`)]);
    expect(ours[1]).toBe(nixio.const.EADDRINUSE);
    // nixio.bind sets reuseaddr, which does not share a listening port.
    expect(await nixio.bind('127.0.0.1', port ?? 0)).toEqual(ours);
  });

  it.skipIf(!hasPython)(
    'not connected: recv, getpeername, shutdown on a fresh socket',
    async () => {
      const [sock] = nixio.socket('inet', 'stream');
      keep(sock);
      const notConnected = [null, ...kernel(TCP, 's.recv(10)')];
      expect(notConnected[1]).toBe(nixio.const.ENOTCONN);
      expect(await sock!.recv(10)).toEqual(notConnected);
      expect(sock!.getpeername()).toEqual([null, ...kernel(TCP, 's.getpeername()')]);
      expect(sock!.shutdown('rdwr')).toEqual([
        null,
        ...kernel(TCP, 's.shutdown(socket.SHUT_RDWR)'),
      ]);
    },
  );

  it.skipIf(!hasPython)(
    'send on a fresh stream socket is EPIPE, accept before listen EINVAL',
    async () => {
      const [sock] = nixio.socket('inet', 'stream');
      keep(sock);
      expect(await sock!.send('x')).toEqual([null, ...kernel(TCP, "s.send(b'x')")]);
      expect(await sock!.accept()).toEqual([null, ...kernel(TCP, 's.accept()')]);
    },
  );

  it.skipIf(!hasPython)('UDP: send with no peer, getpeername with no peer', async () => {
    const [sock] = nixio.socket('inet', 'dgram');
    keep(sock);
    expect(await sock!.send('x')).toEqual([null, ...kernel(UDP, "s.send(b'x')")]);
    expect(sock!.getpeername()).toEqual([null, ...kernel(UDP, 's.getpeername()')]);
    expect(sock!.getsockname()).toEqual(['0.0.0.0', 0, null]);
    expect(runPython(`import socket\n${UDP}\nprint(s.getsockname())`).trim()).toBe(
      "('0.0.0.0', 0)",
    );
  });

  it('a name that does not resolve is getaddrinfo\u2019s failure', async () => {
    const [sock, code, text] = await nixio.connect('no-such-host.invalid', 80);
    expect(sock).toBeNull();
    expect([code, text]).toEqual([nixio.EAI.NONAME, nixio.gai_strerror(nixio.EAI.NONAME)]);
    expect(await nixio.connect('127.0.0.1', 'no-such-service')).toEqual([
      null,
      -8,
      nixio.gai_strerror(-8),
    ]);
  });

  it('a unix datagram socket is a type Node.js does not have', () => {
    expect(nixio.socket('unix', 'dgram')).toEqual([null, 94, 'Socket type not supported']);
  });
});
