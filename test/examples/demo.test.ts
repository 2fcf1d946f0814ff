/**
 * examples/demo.ts, what `npm start` runs: it must tell its whole story,
 * through both layers, and exit 0 on its own, with nothing left open.
 */

import { expect, test } from 'vitest';
import { startExample } from '../helpers/example-process.js';

test('demo.ts prints every section and exits 0 by itself', async () => {
  await using demo = startExample('examples/demo.ts');
  const { code, signal, stderr } = await demo.exit();
  expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  const printed = demo.printed;
  const headings = printed.filter((l) => l.startsWith('— '));
  expect(headings).toEqual([
    '— The async core: lines, and a timeout with its partial —',
    '— The async core: a select loop serves two clients from one loop —',
    '— The async core: a UDP round trip —',
    '— The LuaSocket compat layer: the same exchange, line for line as in Lua —',
    '— The compat layer: the same select loop, as a Lua program writes it —',
    '— The compat layer: the same UDP round trip —',
  ]);
  // A few lines of each section, and the verdict.
  for (const expected of [
    `receive('*l') with 0.2 s → timeout, partial "half a li"`,
    `…resumed with the partial as prefix → "half a line"`,
    `select → a connection is readable: receive('*l') → "hello from bo"`,
    '    bo got back "HELLO FROM BO"',
    'select(…, {timeout: 0.1}) with nobody talking → timedOut: true',
    'client.receive(8)        → "a longer"   (the rest of that datagram is dropped)',
    'local line, err, partial = conn:receive() -- null, "timeout", "par"',
    'socket.select → a connection: conn:receive() -- "hello from ana"',
    'socket.select(conns, nil, 0.1) with nobody talking -- {}, nil, "timeout"',
    'local reply = client:receive()               -- "pong"',
  ]) {
    expect(printed).toContain(expected);
  }
  expect(printed.at(-1)).toBe('All steps behaved as expected.');
});
