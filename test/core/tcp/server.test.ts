import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { describe, expect, test } from 'vitest';
import { bind, connect, SocketError, type TcpClient } from '../../../src/index.js';
import { hasIPv6, pause, rejection, socketError, until } from '../../helpers/loopback.js';

/** A raw client socket, connected. */
async function rawClient(port: number, host = '127.0.0.1'): Promise<Socket> {
  const socket = createConnection({ port, host });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

describe('TcpServer addresses', () => {
  test("bind('127.0.0.1', 0) reports the chosen port at once", async () => {
    await using server = await bind('127.0.0.1', 0);
    const name = server.getsockname();
    expect(name).toEqual({
      address: '127.0.0.1',
      port: expect.any(Number) as number,
      family: 'inet',
    });
    expect(name.port).toBeGreaterThan(0);
    await using client = await connect('127.0.0.1', name.port);
    await using conn = await server.accept({ timeout: 5 });
    expect(conn.getsockname()).toEqual(name);
    expect(conn.getpeername()).toEqual(client.getsockname());
  });

  test("bind('*', 0) listens on every IPv4 interface and reports the port at once", async () => {
    await using server = await bind('*', 0);
    const { address, port, family } = server.getsockname();
    expect(address).toBe('0.0.0.0');
    expect(family).toBe('inet');
    expect(port).toBeGreaterThan(0);
    await using client = await connect('127.0.0.1', port);
    await using conn = await server.accept({ timeout: 5 });
    await client.send('via the wildcard\n');
    expect(await conn.receive('*l')).toBe('via the wildcard');
  });

  test.skipIf(!hasIPv6)("bind('::1', 0) reports family 'inet6'", async () => {
    await using server = await bind('::1', 0);
    const name = server.getsockname();
    expect(name).toMatchObject({ address: '::1', family: 'inet6' });
    await using client = await connect('::1', name.port);
    await using conn = await server.accept({ timeout: 5 });
    expect(conn.getpeername()).toEqual(client.getsockname());
  });

  test('bind() passes encoding and maxLineLength on to accepted connections', async () => {
    await using server = await bind('127.0.0.1', 0, { encoding: 'buffer', maxLineLength: 4 });
    await using client = await connect('127.0.0.1', server.getsockname().port);
    await using conn = await server.accept({ timeout: 5 });
    expect(conn.encoding).toBe('buffer');
    await client.send(Buffer.from([0xff, 0, 10, 1, 2, 3, 4, 5, 10]));
    expect(await conn.receive('*l')).toEqual(Buffer.from([0xff, 0]));
    expect((await socketError(conn.receive('*l'))).code).toBe('linetoolong');
  });
});

describe('TcpServer.accept', () => {
  test("accept({ timeout }) fails with 'timeout' when nobody connects, and the server still works", async () => {
    await using server = await bind('127.0.0.1', 0);
    const err = await socketError(server.accept({ timeout: 0.05 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('timeout');
    await using client = await connect('127.0.0.1', server.getsockname().port);
    await using conn = await server.accept({ timeout: 5 });
    await client.send('after\n');
    expect(await conn.receive('*l')).toBe('after');
  });

  test("settimeout() bounds accept() with 'timeout'", async () => {
    await using server = await bind('127.0.0.1', 0);
    server.settimeout(0.05);
    expect((await socketError(server.accept())).code).toBe('timeout');
    server.settimeout(0);
    expect((await socketError(server.accept())).code).toBe('timeout');
  });

  test("accept({ signal }) with an already aborted signal rejects with the signal's reason", async () => {
    await using server = await bind('127.0.0.1', 0);
    const reason = new Error('no more');
    expect(await rejection(server.accept({ signal: AbortSignal.abort(reason) }))).toBe(reason);
  });

  test('accept({ signal }) aborted while waiting rejects with the reason, and the next connection goes to the next accept', async () => {
    await using server = await bind('127.0.0.1', 0);
    const controller = new AbortController();
    const pending = server.accept({ signal: controller.signal });
    const reason = new Error('stop waiting');
    controller.abort(reason);
    expect(await rejection(pending)).toBe(reason);
    await using client = await connect('127.0.0.1', server.getsockname().port);
    await using conn = await server.accept({ timeout: 5 });
    expect(conn.getpeername()).toEqual(client.getsockname());
  });

  test('accept() hands out connections in arrival order, one per call', async () => {
    await using server = await bind('127.0.0.1', 0);
    const { port } = server.getsockname();
    const clients: TcpClient[] = [];
    try {
      for (let i = 0; i < 3; i++) clients.push(await connect('127.0.0.1', port));
      await until(() => server.pending === 3, 10_000, 'three queued connections');
      const conns = [await server.accept(), await server.accept(), await server.accept()];
      expect(server.pending).toBe(0);
      expect(conns.map((c) => c.getpeername().port).sort()).toEqual(
        clients.map((c) => c.getsockname().port).sort(),
      );
      for (const c of conns) c.close();
    } finally {
      for (const c of clients) c.close();
    }
  });

  test('data a client sends before accept() waits in the connection buffer', async () => {
    await using server = await bind('127.0.0.1', 0);
    await using client = await connect('127.0.0.1', server.getsockname().port);
    await client.send('early\nbird\r\nlast');
    client.shutdown('send');
    await until(() => server.pending === 1, 10_000, 'the queued connection');
    // Give the bytes time to arrive before anyone accepts: they must not be lost.
    await pause(50);
    await using conn = await server.accept();
    expect(conn.dirty()).toBe(true);
    const lines: string[] = [];
    for await (const line of conn.lines()) lines.push(line);
    expect(lines).toEqual(['early', 'bird', 'last']);
  });
});

describe('TcpServer iteration and close', () => {
  test('for await (const conn of server) yields each connection and ends when the server closes', async () => {
    const server = await bind('127.0.0.1', 0);
    const { port } = server.getsockname();
    const seen: TcpClient[] = [];
    const clients: TcpClient[] = [];
    const loop = (async () => {
      for await (const conn of server) seen.push(conn);
    })();
    try {
      for (let i = 0; i < 3; i++) clients.push(await connect('127.0.0.1', port));
      await until(() => seen.length === 3, 10_000, 'three accepted connections');
      server.close();
      await loop;
      expect(seen).toHaveLength(3);
    } finally {
      server.close();
      for (const c of [...seen, ...clients]) c.close();
    }
  });

  test("close() fails pending accepts with 'closed'; later calls fail the same way", async () => {
    const server = await bind('127.0.0.1', 0);
    const first = server.accept();
    const second = server.accept({ timeout: 30 });
    server.close();
    expect(server.closed).toBe(true);
    for (const pending of [first, second]) {
      const err = await socketError(pending);
      expect(err.code).toBe('closed');
      expect(err.message).toBe('closed');
    }
    expect((await socketError(server.accept())).code).toBe('closed');
    expect(() => server.getsockname()).toThrow(SocketError);
    server.close();
  });

  test('close() closes connections nobody accepted and stops listening', async () => {
    const server = await bind('127.0.0.1', 0);
    const { port } = server.getsockname();
    await using client = await connect('127.0.0.1', port);
    await until(() => server.pending === 1, 10_000, 'the queued connection');
    server.close();
    const err = await socketError(client.receive('*a', { timeout: 10 }));
    expect(err.code).toBe('closed');
    expect((await socketError(connect('127.0.0.1', port))).code).toBe('refused');
  });

  test('close() leaves accepted connections open', async () => {
    const server = await bind('127.0.0.1', 0);
    await using client = await connect('127.0.0.1', server.getsockname().port);
    await using conn = await server.accept();
    server.close();
    await client.send('still open\n');
    expect(await conn.receive('*l')).toBe('still open');
  });

  test('queueLimit: connections past it are closed and counted in `dropped`', async () => {
    await using server = await bind('127.0.0.1', 0, { queueLimit: 2 });
    const { port } = server.getsockname();
    const clients: Socket[] = [];
    try {
      for (let i = 0; i < 4; i++) clients.push(await rawClient(port));
      await until(
        () => server.pending + server.dropped === 4,
        10_000,
        'four connections to arrive',
      );
      expect(server.pending).toBe(2);
      expect(server.dropped).toBe(2);
      // The two kept connections answer; the two dropped ones were closed.
      for (let i = 0; i < 2; i++) {
        const conn = await server.accept();
        await conn.send('kept');
        conn.close();
      }
      const replies = await Promise.all(
        clients.map(
          (socket) =>
            new Promise<string>((resolve) => {
              let text = '';
              socket.setEncoding('latin1');
              socket.on('data', (d: string) => (text += d));
              socket.on('close', () => resolve(text));
              socket.on('end', () => socket.end());
            }),
        ),
      );
      expect(replies.sort()).toEqual(['', '', 'kept', 'kept']);
    } finally {
      for (const socket of clients) socket.destroy();
    }
  });
});
