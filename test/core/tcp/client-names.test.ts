import { once } from 'node:events';
import { connect as netConnect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SocketError } from '../../../src/errors/socket-error.js';
import { readNames } from '../../../src/tcp/client-names.js';
import { rawServer } from '../../helpers/loopback.js';
import { openedAfterEach } from '../../helpers/kept.js';

const opened = openedAfterEach();

describe('readNames', () => {
  it('readNames gives both ends of a loopback connection', async () => {
    const raw = await rawServer();
    opened.push(raw);
    const socket = netConnect(raw.port, '127.0.0.1');
    opened.push(socket);
    await Promise.all([raw.accepted(), once(socket, 'connect')]);
    const names = readNames(socket);
    expect(names.local).toEqual({ address: '127.0.0.1', port: socket.localPort, family: 'inet' });
    expect(names.remote).toEqual({ address: '127.0.0.1', port: raw.port, family: 'inet' });
  });

  it("readNames throws SocketError 'closed' once the connection is gone", async () => {
    const raw = await rawServer();
    opened.push(raw);
    const socket = netConnect(raw.port, '127.0.0.1');
    opened.push(socket);
    await Promise.all([raw.accepted(), once(socket, 'connect')]);
    socket.destroy();
    await once(socket, 'close');
    let thrown: unknown;
    try {
      readNames(socket);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SocketError);
    expect((thrown as SocketError).code).toBe('closed');
  });
});
