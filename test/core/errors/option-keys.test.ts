import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import socket from '../../../compat/index.js';
import {
  bind,
  bindUnix,
  connect,
  connectUnix,
  dns,
  select,
  sleep,
  tcp,
  udp,
  unix,
  type TcpClient,
  type TcpServer,
  type UdpSocket,
  type UnixServer,
} from '../../../src/index.js';
import { nearest } from '../../../src/errors/option-keys.js';

const IP = '127.0.0.1';
const dir = mkdtempSync(join(tmpdir(), 'lsa-keys-'));
let counter = 0;
const fresh = (): string => join(dir, `k${++counter}.sock`);

let server: TcpServer;
let port: number;
let client: TcpClient;
let peer: TcpClient;
let u: UdpSocket;
let unixServer: UnixServer;
let unixPath: string;

beforeAll(async () => {
  server = await bind(IP, 0);
  port = server.getsockname().port;
  client = await connect(IP, port);
  peer = await server.accept();
  u = udp();
  await u.setsockname(IP, 0);
  unixPath = fresh();
  unixServer = await bindUnix(unixPath);
});

// What the connect cases opened arrives at the servers: close it there too.
afterEach(async () => {
  for (const s of [server, unixServer]) {
    while (s.pending > 0) (await s.accept()).close();
  }
});

afterAll(() => {
  client.close();
  peer.close();
  server.close();
  unixServer.close();
  u.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What a call ended with: its error (thrown or rejected), else undefined; results are closed. */
async function outcome(call: () => unknown): Promise<unknown> {
  try {
    const value = await call();
    const result = Array.isArray(value) ? (value[0] as unknown) : value;
    if (typeof result === 'object' && result !== null && 'close' in result) {
      (result as { close(): unknown }).close();
    }
    return undefined;
  } catch (err) {
    return err;
  }
}

type Bag = Record<string, unknown>;

interface Case {
  /** The bag, as the message names it. */
  where: string;
  /** Calls with `bag` as the options. */
  call: (bag: Bag) => unknown;
  /** A misspelt key and the key it should suggest. */
  typo: [string, string];
  /** Every documented key, with a value the call accepts. */
  keys: Bag;
}

const signal = (): AbortSignal => new AbortController().signal;
const stream = { encoding: 'utf8', maxLineLength: 1000, highWaterMark: 4096 };
const wait = (): Bag => ({ signal: signal(), timeout: 0 });

const cases: Case[] = [
  {
    where: 'connect()',
    call: (bag) => connect(IP, port, bag as never),
    typo: ['timeOut', 'timeout'],
    keys: {
      ...stream,
      signal: signal(),
      timeout: 5,
      localAddress: IP,
      localPort: 0,
      family: 'inet',
    },
  },
  {
    where: 'bind()',
    call: (bag) => bind(IP, 0, bag as never),
    typo: ['backlg', 'backlog'],
    keys: { ...stream, backlog: 8, queueLimit: 8, ipv6Only: false, family: 'inet' },
  },
  {
    where: 'tcp()',
    call: (bag) => tcp(bag as never),
    typo: ['famly', 'family'],
    keys: { ...stream, backlog: 8, queueLimit: 8, ipv6Only: false, family: 'inet' },
  },
  {
    where: 'connect()',
    call: (bag) => tcp().connect(IP, port, bag),
    typo: ['signl', 'signal'],
    keys: { signal: signal(), timeout: 5 },
  },
  {
    where: 'udp()',
    call: (bag) => udp(bag as never),
    typo: ['queuelimit', 'queueLimit'],
    keys: { family: 'inet', encoding: 'buffer', queueLimit: 8 },
  },
  {
    where: 'unix()',
    call: (bag) => unix(bag as never),
    typo: ['unlnk', 'unlink'],
    keys: { ...stream, backlog: 8, queueLimit: 8, unlink: false, type: 'stream' },
  },
  {
    where: 'bind()',
    call: async (bag) => {
      const master = unix();
      try {
        await master.bind(fresh(), bag);
      } finally {
        master.close();
      }
    },
    typo: ['unlik', 'unlink'],
    keys: { unlink: true },
  },
  {
    where: 'connect()',
    call: (bag) => unix().connect(unixPath, bag),
    typo: ['timout', 'timeout'],
    keys: { signal: signal(), timeout: 5 },
  },
  {
    where: 'connectUnix()',
    call: (bag) => connectUnix(unixPath, bag as never),
    typo: ['maxLineLenght', 'maxLineLength'],
    keys: { ...stream, signal: signal(), timeout: 5 },
  },
  {
    where: 'bindUnix()',
    call: (bag) => bindUnix(fresh(), bag as never),
    typo: ['highwatermark', 'highWaterMark'],
    keys: { ...stream, backlog: 8, queueLimit: 8, unlink: true },
  },
  {
    where: 'receive()',
    call: (bag) => client.receive('*l', bag),
    typo: ['timout', 'timeout'],
    keys: { ...wait(), prefix: '' },
  },
  {
    where: 'receive()',
    call: (bag) => client.receive(0, bag),
    typo: ['prefx', 'prefix'],
    keys: { ...wait(), prefix: 'x' },
  },
  {
    where: 'receiveany()',
    call: (bag) => client.receiveany(10, bag),
    typo: ['timeOut', 'timeout'],
    keys: wait(),
  },
  {
    where: 'send()',
    call: (bag) => client.send('', bag),
    typo: ['singal', 'signal'],
    keys: { signal: signal(), timeout: 5 },
  },
  {
    where: 'lines()',
    call: (bag) => client.lines(bag),
    typo: ['timeuot', 'timeout'],
    keys: wait(),
  },
  {
    where: 'accept()',
    call: (bag) => server.accept(bag),
    typo: ['Timeout', 'timeout'],
    keys: wait(),
  },
  {
    where: 'receive()',
    call: (bag) => u.receive(100, bag),
    typo: ['timout', 'timeout'],
    keys: wait(),
  },
  {
    where: 'receivefrom()',
    call: (bag) => u.receivefrom(100, bag),
    typo: ['sgnal', 'signal'],
    keys: wait(),
  },
  {
    where: 'select()',
    call: (bag) => select([client], [], bag as never),
    typo: ['timeOut', 'timeout'],
    keys: wait(),
  },
  {
    where: 'sleep()',
    call: (bag) => sleep(0, bag),
    typo: ['sigal', 'signal'],
    keys: { signal: signal() },
  },
  ...(['toip', 'tohostname', 'gethost', 'getaddrinfo'] as const).map((name): Case => ({
    where: 'dns',
    call: (bag) => dns[name]('127.0.0.1', bag),
    typo: ['timout', 'timeout'],
    keys: { signal: signal(), timeout: 5 },
  })),
  ...(['tcp', 'tcp4', 'tcp6', 'udp', 'udp4', 'udp6'] as const).map((name): Case => ({
    where: `socket.${name}()`,
    call: (bag) => socket[name](bag),
    typo: ['encodng', 'encoding'],
    keys: { encoding: 'utf8' },
  })),
  {
    where: 'socket.connect()',
    call: (bag) => socket.connect(IP, port, null, null, null, bag),
    typo: ['Encoding', 'encoding'],
    keys: { encoding: 'latin1' },
  },
  {
    where: 'socket.bind()',
    call: (bag) => socket.bind(IP, 0, null, bag),
    typo: ['encoding ', 'encoding'],
    keys: { encoding: 'latin1' },
  },
  {
    where: 'unix.stream()',
    call: (bag) => socket.unix.stream(bag),
    typo: ['encding', 'encoding'],
    keys: { encoding: 'utf8' },
  },
];

describe('options bags', () => {
  test.each(cases.map((c) => [`${c.where} { ${c.typo[0]} }`, c] as const))(
    '%s throws a TypeError naming the key and the suggestion',
    async (_, c) => {
      const [typo, suggestion] = c.typo;
      const err = await outcome(() => c.call({ [typo]: 1 }));
      expect(err).toBeInstanceOf(TypeError);
      expect((err as Error).message).toBe(
        `Unknown option \`${typo}\` in ${c.where} options; did you mean \`${suggestion}\`?`,
      );
    },
  );

  test.each(cases.map((c) => [c.where, Object.keys(c.keys).join(', '), c] as const))(
    '%s accepts every documented key (%s)',
    async (_, __, c) => {
      const err = await outcome(() => c.call(c.keys));
      expect(String(err)).not.toMatch(/Unknown option/);
    },
  );

  test('a key nothing resembles gets no suggestion', async () => {
    const err = await outcome(() => connect(IP, port, { zzzzzz: 1 } as never));
    expect((err as Error).message).toBe('Unknown option `zzzzzz` in connect() options');
  });

  test('inherited keys are not options; own symbol keys are ignored', async () => {
    const bag = Object.assign(Object.create({ timeOut: 1 }) as object, {
      [Symbol('x')]: 1,
      timeout: 0,
    });
    const err = await outcome(() => client.receive('*l', bag));
    expect((err as { code?: string }).code).toBe('timeout');
  });
});

describe('nearest()', () => {
  test.each([
    ['timeOut', 'timeout'],
    ['TIMEOUT', 'timeout'],
    ['tiemout', 'timeout'],
    ['maxlinelen', 'maxLineLength'],
    ['timeline', undefined],
    ['x', undefined],
  ])('nearest(%j) is %j', (key, expected) => {
    expect(nearest(key, ['signal', 'timeout', 'prefix', 'maxLineLength'])).toBe(expected);
  });
});
