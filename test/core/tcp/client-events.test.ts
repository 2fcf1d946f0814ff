import { describe, expect, it } from 'vitest';
import { SocketError } from '../../../src/errors/socket-error.js';
import { failClient } from '../../../src/tcp/client-events.js';
import { openedAfterEach } from '../../helpers/kept.js';
import { collect, loopback, pause, rejection, socketError, write } from '../../helpers/loopback.js';
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

describe('the end of stream, told from a reset', () => {
  const opened = openedAfterEach();

  /** A core client whose raw peer writes `data`, then resets or ends one turn later. */
  async function sentThen(data: string, ending: 'reset' | 'fin') {
    const lb = await loopback();
    opened.push(lb.raw);
    lb.peer.on('error', () => undefined);
    lb.peer.write(data, () =>
      // One turn later: from inside the write's callback Node.js sends a FIN, not a RST.
      setImmediate(() => (ending === 'reset' ? lb.peer.resetAndDestroy() : lb.peer.end())),
    );
    await pause(30); // the data and the ending are both here before the first read
    return lb;
  }

  it("a reset right behind the data fails '*a' with closed, cause ECONNRESET, partial the data (ten of ten)", async () => {
    for (let i = 0; i < 10; i++) {
      const lb = await sentThen('truncated transfer', 'reset');
      const err = await socketError(lb.client.receive('*a'));
      expect(err.code).toBe('closed');
      expect(err.partial).toBe('truncated transfer');
      expect((err.cause as NodeJS.ErrnoException).code).toBe('ECONNRESET');
      lb.client.close();
    }
  });

  it('lines() and chunk iteration throw on a reset right behind the data, after what arrived', async () => {
    const lb = await sentThen('one\ntwo\nthree', 'reset');
    const got: string[] = [];
    const err = await rejection(
      (async () => {
        for await (const line of lb.client.lines()) got.push(line);
      })(),
    );
    expect(got).toEqual(['one', 'two']);
    expect(err).toMatchObject({ code: 'closed', partial: 'three' });

    const again = await sentThen('chunk', 'reset');
    const chunks: string[] = [];
    const thrown = await rejection(
      (async () => {
        for await (const chunk of again.client) chunks.push(chunk);
      })(),
    );
    expect(chunks.join('')).toBe('chunk');
    expect(thrown).toMatchObject({ code: 'closed' });
    lb.client.close();
    again.client.close();
  });

  it('a FIN right behind the data is a clean end, and asking the kernel sent the peer nothing', async () => {
    const lb = await sentThen('complete transfer', 'fin');
    expect(await lb.client.receive('*a')).toBe('complete transfer');
    const received = collect(lb.peer);
    expect(await lb.client.send('reply')).toBe(5);
    lb.client.shutdown('send');
    expect((await received).toString()).toBe('reply');
    lb.client.close();
  });

  it('an end that comes while sends wait for room is taken as it came, at once', async () => {
    const lb = await loopback({ encoding: 'buffer' });
    opened.push(lb.raw);
    lb.peer.pause();
    const sending = lb.client.send(Buffer.alloc(32 << 20)).catch((err: unknown) => err);
    await pause(20);
    lb.peer.end('bye');
    expect((await lb.client.receive('*a', { timeout: 5 })).toString()).toBe('bye');
    lb.client.close();
    expect(await sending).toMatchObject({ code: 'closed' });
  });
});
