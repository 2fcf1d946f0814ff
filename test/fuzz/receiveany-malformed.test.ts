/**
 * `receiveany(max)` on a `'utf8'` socket, when `max` is shorter than the
 * next character, answers that character whole. A lead byte followed by
 * ASCII is a malformed character of one byte (one U+FFFD), not of the length
 * its lead promised: over e2 41 42 43, `receiveany(1)` answers '\uFFFD',
 * as the buffer model does, and never '\uFFFDAB'. Found by the receive
 * fuzzer's model; kept as a case over a real socket.
 */

import { expect, it } from 'vitest';
import { loopback, until, write } from '../helpers/loopback.js';
import { coreRules, receive } from './model.js';

it('receiveany(1) after a malformed lead byte answers that one byte', async () => {
  await using lb = await loopback();
  const bytes = Buffer.from([0xe2, 0x41, 0x42, 0x43]);
  await write(lb.peer, bytes);
  await until(() => lb.client.buffered === bytes.length);
  const model = receive(bytes, 'open', { kind: 'any', max: 1 }, coreRules('utf8', Infinity));
  expect(model.data.toString('utf8')).toBe('\uFFFD');
  expect(await lb.client.receiveany(1)).toBe(model.data.toString('utf8'));
});
