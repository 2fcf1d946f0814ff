import { describe, expect, it } from 'vitest';
import { SocketError } from '../../../src/errors/socket-error.js';
import { failClient } from '../../../src/tcp/client-events.js';
import { socketError, write } from '../../helpers/loopback.js';
import { wiredAfterEach } from '../../helpers/wired-client.js';

const wired = wiredAfterEach();

describe('attachClient', () => {
  it('attachClient feeds arriving bytes to the reader and tells select', async () => {
    const { peer, reader, notifier } = await wired();
    let told = 0;
    notifier.watch(() => told++);
    await write(peer, 'hello\r\nwor');
    expect(await reader.receive('*l')).toBe('hello');
    peer.end('ld');
    expect(await reader.receive('*a')).toBe('world');
    expect(told).toBeGreaterThan(0);
  });

  it('attachClient registers one shared listener per event, the same for every socket', async () => {
    const a = await wired();
    const b = await wired();
    for (const event of ['data', 'end', 'error', 'close'] as const) {
      // attachClient's listener is the last added; the socket and reader add their own before it.
      const mine = a.socket.listeners(event).at(-1);
      expect(mine).toBeTypeOf('function');
      expect(mine).toBe(b.socket.listeners(event).at(-1));
    }
  });

  it('attachClient drops data once the notifier is closed', async () => {
    const { peer, reader, notifier } = await wired();
    notifier.closed = true;
    await write(peer, 'ignored');
    peer.end();
    await new Promise((r) => setTimeout(r, 20));
    expect(reader.buffered).toBe(0);
  });

  it('attachClient turns a peer reset into a SocketError for the pending receive', async () => {
    const { peer, reader } = await wired();
    const pending = reader.receive('*l');
    peer.resetAndDestroy();
    expect(await socketError(pending)).toBeInstanceOf(SocketError);
  });

  it("attachClient fails a pending receive with 'closed' when the socket closes", async () => {
    const { socket, reader } = await wired();
    const pending = reader.receive(10);
    socket.destroy();
    expect((await socketError(pending)).code).toBe('closed');
  });
});

describe('failClient', () => {
  it('failClient fails both directions with the given error', async () => {
    const { io, reader, writer } = await wired();
    const pending = reader.receive('*l');
    failClient(io, new SocketError('timeout'));
    expect((await socketError(pending)).code).toBe('timeout');
    expect((await socketError(writer.send(Buffer.from('x'), undefined))).code).toBe('timeout');
  });
});
