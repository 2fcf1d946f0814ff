/**
 * A client's parts wired by hand to a real connected socket, for the tests
 * of the modules a `TcpClient` is made of (its events, its close).
 */

import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { ReadyState } from '../../src/select/readiness.js';
import { codecFor } from '../../src/stream/codec.js';
import { readLimits } from '../../src/stream/options.js';
import type { StreamReader } from '../../src/stream/reader.js';
import type { StreamWriter } from '../../src/stream/writer.js';
import { attachClient, type ClientIo } from '../../src/tcp/client-events.js';
import { openedAfterEach } from './kept.js';
import { rawServer } from './loopback.js';

/** A connected socket, its peer, and the parts a client would give `attachClient`. */
export interface Wired {
  socket: Socket;
  peer: Socket;
  io: ClientIo;
  reader: StreamReader<string>;
  writer: StreamWriter;
  notifier: ReadyState;
}

/**
 * In the calling test file: a maker of wired sockets, each closed with its
 * peer's server after the test.
 */
export function wiredAfterEach(options: { allowHalfOpen?: boolean } = {}): () => Promise<Wired> {
  const opened = openedAfterEach();
  return async () => {
    const raw = await rawServer();
    opened.push(raw);
    const socket = netConnect({ port: raw.port, host: '127.0.0.1', ...options });
    opened.push(socket);
    const [peer] = await Promise.all([raw.accepted(), once(socket, 'connect')]);
    const settings = { block: undefined, total: undefined };
    const notifier = new ReadyState();
    const wired = attachClient(socket, codecFor('utf8'), settings, notifier, readLimits({}));
    return { socket, peer, notifier, ...wired };
  };
}
