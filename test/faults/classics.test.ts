import socket from 'luasocket-async/compat';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/index.js';
import {
  collect,
  pause,
  rawServer,
  socketError,
  until,
  type RawServer,
} from '../helpers/loopback.js';
import { faultProxy, type FaultProxy, type Toxics } from './proxy.js';

const opened: (FaultProxy | RawServer)[] = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close();
});

async function through(
  up: Toxics = {},
  down: Toxics = {},
): Promise<{ raw: RawServer; proxy: FaultProxy }> {
  const raw = await rawServer();
  opened.push(raw);
  const proxy = await faultProxy(raw, { up, down });
  opened.push(proxy);
  return { raw, proxy };
}

const BIG = Buffer.alloc(64 * 1024 * 1024, 0x61);

describe('a 64 MiB send to a peer that stops reading', () => {
  it("core: the send timeout fails it with 'timeout' and `sent`, and the peer gets exactly `sent` bytes", async () => {
    const { raw, proxy } = await through({ stall: { ms: 600 } });
    const client = await connect(proxy.host, proxy.port);
    const received = collect(await raw.accepted());
    const err = await socketError(client.send(BIG, { timeout: 0.25 }));
    expect(err.code).toBe('timeout');
    expect(err.sent).toBeGreaterThan(0);
    expect(err.sent).toBeLessThan(BIG.length);
    client.close();
    expect((await received).length).toBe(err.sent);
  });

  it("compat: [null, 'timeout', last], and the peer gets exactly `last` bytes", async () => {
    const { raw, proxy } = await through({ stall: { ms: 600 } });
    const [c] = socket.tcp();
    await c!.connect(proxy.host, proxy.port);
    const received = collect(await raw.accepted());
    c!.settimeout(0.25);
    const [ok, err, last] = await c!.send(BIG);
    expect([ok, err]).toEqual([null, 'timeout']);
    expect(last).toBeGreaterThan(0);
    c!.close();
    expect((await received).length).toBe(last);
  });
});

describe('through a slicing proxy', () => {
  it('two receives pending at once are served in call order', async () => {
    const { raw, proxy } = await through({}, { slice: { max: 2 } });
    const client = await connect(proxy.host, proxy.port);
    const server = await raw.accepted();
    const first = client.receive('*l');
    const second = client.receive(5);
    server.end('one line\r\nfive!rest');
    expect(await first).toBe('one line');
    expect(await second).toBe('five!');
    expect(await client.receive('*a')).toBe('rest');
    client.close();
  });
});

describe('after a reset', () => {
  it('a send fails with closed (a reset) and keeps failing', async () => {
    const { raw, proxy } = await through({}, { reset: { after: 3 } });
    const client = await connect(proxy.host, proxy.port);
    const server = await raw.accepted();
    server.write('abcdef');
    const err = await socketError(client.receive('*a'));
    expect([err.code, err.partial]).toEqual(['closed', 'abc']);
    for (let i = 0; i < 3; i++) expect((await socketError(client.send('x'))).code).toBe('closed');
    client.close();
    client.close();
    await until(() => proxy.stats.open === 0);
  });
});

describe('utf8: close() here while a receiveany waits on an incomplete character', () => {
  // docs/api.md: "close(): pending calls fail with `closed` and their partials;
  // unread bytes are discarded". The incomplete character is not handed out as
  // a value (U+FFFD); a receiveany takes nothing when it fails.
  it('fails the pending receiveany with closed, handing out nothing', async () => {
    const { raw, proxy } = await through();
    const client = await connect(proxy.host, proxy.port);
    const server = await raw.accepted();
    server.write(Buffer.from([0x61, 0xf0, 0x9d]));
    expect(await client.receiveany(100)).toBe('a');
    const pending = client.receiveany(100);
    await pause(20);
    client.close();
    const err = await socketError(pending);
    expect(err.code).toBe('closed');
    expect(err.partial).toBe('');
  });
});
