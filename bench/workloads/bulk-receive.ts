/**
 * The receiving contenders of the bulk workload (see bulk.ts). Each resolves
 * to the bytes it read, to the peer's FIN; bulk.ts checks the count.
 *   raw          'data' Buffers, counted (receive), or kept and concatenated ('*a')
 *   raw onread   net.connect's `onread` into one reused 64 KiB buffer, counted,
 *                never copied: the floor for reading
 *   core         a `receive(65536)` loop / one `receive('*a')`, text (default) or buffer
 *   compat       the same on `socket.connect`'s default object
 */
import { connect as netConnect } from 'node:net';
import { once } from 'node:events';
import socket from '../../compat/index.js';
import type { ReceivePattern } from '../../src/index.js';
import { closedWith, rawConnect } from '../lib.js';

export const PIECE = 65536;

/** What the core contenders need of a client, whatever its encoding. */
interface Reader {
  receive(pattern: ReceivePattern): Promise<{ length: number }>;
  close(): void;
}

export async function rawReceive(port: number): Promise<number> {
  const s = await rawConnect(port);
  let total = 0;
  s.on('data', (chunk: Buffer) => (total += chunk.length));
  await once(s, 'end');
  s.destroy();
  return total;
}

export async function rawOnread(port: number): Promise<number> {
  let total = 0;
  const s = netConnect({
    port,
    host: '127.0.0.1',
    onread: {
      buffer: Buffer.allocUnsafe(PIECE),
      callback: (n: number) => {
        total += n;
        return true;
      },
    },
  });
  s.resume(); // 'end' comes only to a flowing stream
  await once(s, 'end');
  s.destroy();
  return total;
}

export async function rawAll(port: number): Promise<number> {
  const s = await rawConnect(port);
  const chunks: Buffer[] = [];
  s.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(s, 'end');
  s.destroy();
  return Buffer.concat(chunks).length;
}

export async function coreReceive(open: Promise<Reader>): Promise<number> {
  const c = await open;
  let total = 0;
  try {
    for (;;) total += (await c.receive(PIECE)).length;
  } catch (err) {
    total += closedWith(err);
  }
  c.close();
  return total;
}

export async function coreAll(open: Promise<Reader>): Promise<number> {
  const c = await open;
  const n = (await c.receive('*a')).length;
  c.close();
  return n;
}

export async function compatReceive(port: number): Promise<number> {
  const [c, err] = await socket.connect('127.0.0.1', port);
  if (c === null) throw new Error(err);
  let total = 0;
  for (;;) {
    const [data, e, partial] = await c.receive(PIECE);
    if (data === null) {
      if (e !== 'closed') throw new Error(`compat: ${e}`);
      total += partial.length;
      break;
    }
    total += data.length;
  }
  c.close();
  return total;
}

export async function compatAll(port: number): Promise<number> {
  const [c, err] = await socket.connect('127.0.0.1', port);
  if (c === null) throw new Error(err);
  const [data, e] = await c.receive('*a');
  c.close();
  if (data === null) throw new Error(`compat: ${e}`);
  return data.length;
}
