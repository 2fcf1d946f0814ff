import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { until } from './loopback.js';

/**
 * A listener whose accept queue is full, so that a new connection attempt
 * gets no answer at all: a child process listens with a backlog of 1 and
 * then never runs its event loop again; the queue is filled with raw
 * connections. Linux drops SYNs to a full accept queue, so only a timeout or
 * an abort can end a connect to it.
 */
export async function fullListener(): Promise<{ port: number } & AsyncDisposable> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:net').createServer();
       s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
         process.stdout.write(s.address().port + '\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
       });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit');
  const fillers: Socket[] = [];
  const dispose = async (): Promise<void> => {
    for (const socket of fillers) socket.destroy();
    child.kill('SIGKILL');
    await exited;
  };
  try {
    const [data] = (await once(child.stdout, 'data')) as [Buffer];
    const port = Number(data.toString().trim());
    let connected = 0;
    for (let i = 0; i < 3; i++) {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.on('error', () => undefined);
      socket.on('connect', () => connected++);
      fillers.push(socket);
    }
    // Backlog 1 holds two connections; the third filler stays unanswered.
    await until(() => connected >= 2, 10_000, 'the accept queue to fill');
    return { port, [Symbol.asyncDispose]: dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
