import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { closeClient, shutdownClient } from '../../../src/tcp/client-close.js';
import { CLOSED } from '../../../src/tcp/client-events.js';
import { collect, socketError, write } from '../../helpers/loopback.js';
import { wiredAfterEach } from '../../helpers/wired-client.js';

const wired = wiredAfterEach({ allowHalfOpen: true });

describe('CLOSED', () => {
  it("CLOSED is one SocketError with code 'closed'", () => {
    expect(CLOSED.code).toBe('closed');
  });
});

describe('shutdownClient', () => {
  it("shutdownClient('send') sends FIN, refuses sends and keeps reading", async () => {
    const { socket, peer, io, reader, writer } = await wired();
    const got = collect(peer);
    await writer.send(Buffer.from('bye'), undefined);
    shutdownClient(socket, io, 'send');
    expect((await got).toString()).toBe('bye');
    expect((await socketError(writer.send(Buffer.from('x'), undefined))).code).toBe('closed');
    await write(peer, 'still\n');
    expect(await reader.receive('*l')).toBe('still');
  });

  it("shutdownClient('receive') fails reads and keeps the send direction", async () => {
    const { socket, peer, io, reader, writer } = await wired();
    shutdownClient(socket, io, 'receive');
    expect((await socketError(reader.receive('*l'))).code).toBe('closed');
    const got = collect(peer);
    expect(await writer.send(Buffer.from('ok'), undefined)).toBe(2);
    socket.end();
    expect((await got).toString()).toBe('ok');
  });

  it('shutdownClient throws a TypeError for an unknown direction', async () => {
    const { socket, io } = await wired();
    expect(() => shutdownClient(socket, io, 'sideways')).toThrow(TypeError);
  });
});

describe('closeClient', () => {
  it("closeClient fails the pending receive with 'closed' and destroys an idle socket", async () => {
    const { socket, io, reader } = await wired();
    const pending = reader.receive('*l');
    closeClient(socket, io, false);
    expect((await socketError(pending)).code).toBe('closed');
    expect(socket.destroyed).toBe(true);
  });

  it('closeClient with reset aborts the connection: the peer sees a reset', async () => {
    const { socket, peer, io } = await wired();
    const errored = once(peer, 'error').then(([err]) => (err as NodeJS.ErrnoException).code);
    closeClient(socket, io, true);
    expect(await errored).toBe('ECONNRESET');
  });
});
