/**
 * The sending contenders of the bulk workload (see bulk.ts): `bytes` in
 * 64 KiB pieces to the sink peer, then a half close; each resolves to the
 * byte count the sink answers with at EOF, which bulk.ts checks.
 *   raw     write() of one Buffer, waiting for 'drain' when it says so; and
 *           write() of the 65536-character string compat sends, as latin1: the
 *           least a string costs, as Node copies it into bytes on every write
 *   core    an `await c.send(piece)` loop, default options, the same Buffer
 *   compat  `c:send(piece)` of a 65536-character string, as a Lua port sends
 */
import { once } from 'node:events';
import socket from '../../compat/index.js';
import { connect } from '../../src/index.js';
import { rawConnect } from '../lib.js';
import { PIECE } from './bulk-receive.js';

export async function rawSend(port: number, bytes: number, text = false): Promise<number> {
  const s = await rawConnect(port);
  const piece = text ? 'y'.repeat(PIECE) : Buffer.alloc(PIECE, 121);
  let sent = 0;
  while (sent < bytes) {
    sent += PIECE;
    if (!(typeof piece === 'string' ? s.write(piece, 'latin1') : s.write(piece)))
      await once(s, 'drain');
  }
  s.end();
  s.setEncoding('latin1');
  let answer = '';
  for await (const chunk of s) answer += chunk as string;
  return Number(answer);
}

export async function coreSend(port: number, bytes: number): Promise<number> {
  const c = await connect('127.0.0.1', port);
  const piece = Buffer.alloc(PIECE, 121);
  let sent = 0;
  while (sent < bytes) sent += await c.send(piece);
  c.shutdown('send');
  const answer = await c.receive('*l');
  c.close();
  return Number(answer);
}

export async function compatSend(port: number, bytes: number): Promise<number> {
  const [c, err] = await socket.connect('127.0.0.1', port);
  if (c === null) throw new Error(err);
  const piece = 'y'.repeat(PIECE);
  let sent = 0;
  while (sent < bytes) {
    const [last, e] = await c.send(piece);
    if (last === null) throw new Error(`compat: ${e}`);
    sent += last;
  }
  c.shutdown('send');
  const [answer, e] = await c.receive('*l');
  c.close();
  if (answer === null) throw new Error(`compat: ${e}`);
  return Number(answer);
}
