import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { afterEach, describe, expect, it, test, vi } from 'vitest';
import { bind, connect } from '../../../src/index.js';
import { getOption, setOption, type OptionName } from '../../../src/net/socket-options.js';
import {
  clientOptionTable,
  inherit,
  NOTHING_INHERITED,
  serverOptionTable,
  SYSTEM_KEEPIDLE,
  type Inherited,
  type ServerSettings,
} from '../../../src/tcp/options.js';
import { rawServer, type RawServer } from '../../helpers/loopback.js';
import { codeAndMessage } from '../../helpers/thrown.js';

/** The options LuaSocket sets on TCP sockets that Node.js has no call for, with the constant each stands for. */
const NO_CALL: [OptionName, string][] = [
  ['tcp-keepcnt', 'TCP_KEEPCNT'],
  ['tcp-keepintvl', 'TCP_KEEPINTVL'],
  ['recv-buffer-size', 'SO_RCVBUF'],
  ['send-buffer-size', 'SO_SNDBUF'],
  ['tcp-defer-accept', 'TCP_DEFER_ACCEPT'],
  ['tcp-fastopen', 'TCP_FASTOPEN'],
  ['tcp-fastopen-connect', 'TCP_FASTOPEN_CONNECT'],
  ['reuseport', 'SO_REUSEPORT'],
  ['error', 'SO_ERROR'],
];

const settings = (over: Partial<ServerSettings> = {}): ServerSettings => ({
  keepalive: false,
  nodelay: false,
  ipv6Only: false,
  reuseaddr: true,
  keepidle: undefined,
  ...over,
});

let raw: RawServer | undefined;
let sockets: Socket[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of sockets) s.destroy();
  sockets = [];
  await raw?.close();
  raw = undefined;
});

/** A real connected socket and the server's end of it. */
async function connected(): Promise<{ socket: Socket; accepted: Socket }> {
  raw = await rawServer();
  const socket = createConnection(raw.port, raw.host);
  sockets.push(socket);
  const [accepted] = await Promise.all([raw.accepted(), once(socket, 'connect')]);
  return { socket, accepted };
}

describe('constants', () => {
  it('a connection that inherited nothing reports every option off, frozen', () => {
    expect(NOTHING_INHERITED).toEqual({
      keepalive: false,
      nodelay: false,
      reuseaddr: false,
      keepidle: undefined,
    });
    expect(Object.isFrozen(NOTHING_INHERITED)).toBe(true);
    expect(SYSTEM_KEEPIDLE).toBe(7200);
  });
});

describe('inherit', () => {
  it('inherit applies keepalive (with its idle delay) and nodelay to an accepted socket', async () => {
    const { accepted } = await connected();
    const keepAlive = vi.spyOn(accepted, 'setKeepAlive');
    const noDelay = vi.spyOn(accepted, 'setNoDelay');
    const got = inherit(
      accepted,
      settings({ keepalive: true, nodelay: true, keepidle: 45 }),
      NOTHING_INHERITED,
    );
    expect(got).toEqual({ keepalive: true, nodelay: true, reuseaddr: true, keepidle: 45 });
    expect(keepAlive.mock.calls).toEqual([[true, 45_000]]);
    expect(noDelay.mock.calls).toEqual([[true]]);
  });

  it('inherit leaves an accepted socket alone when the server set nothing', async () => {
    const { accepted } = await connected();
    const keepAlive = vi.spyOn(accepted, 'setKeepAlive');
    const noDelay = vi.spyOn(accepted, 'setNoDelay');
    inherit(accepted, settings(), NOTHING_INHERITED);
    expect(keepAlive).not.toHaveBeenCalled();
    expect(noDelay).not.toHaveBeenCalled();
  });

  it('inherit returns the previous record while the settings stay the same, so connections share it', async () => {
    const { accepted } = await connected();
    const server = settings({ keepalive: true });
    const first = inherit(accepted, server, NOTHING_INHERITED);
    expect(inherit(accepted, server, first)).toBe(first);
    server.keepidle = 10;
    const second = inherit(accepted, server, first);
    expect(second).not.toBe(first);
    expect(second.keepidle).toBe(10);
    expect(inherit(accepted, settings({ reuseaddr: false }), NOTHING_INHERITED)).toBe(
      NOTHING_INHERITED,
    );
  });
});

describe('clientOptionTable', () => {
  it('clientOptionTable reports what the connection inherited', async () => {
    const { socket } = await connected();
    const inherited: Inherited = { keepalive: true, nodelay: true, reuseaddr: true, keepidle: 30 };
    const table = clientOptionTable(socket, { resetOnClose: false }, inherited);
    expect(getOption(table, 'keepalive')).toBe(true);
    expect(getOption(table, 'tcp-nodelay')).toBe(true);
    expect(getOption(table, 'tcp-keepidle')).toBe(30);
    expect(getOption(table, 'reuseaddr')).toBe(true);
    const fresh = clientOptionTable(socket, { resetOnClose: false });
    expect(getOption(fresh, 'keepalive')).toBe(false);
    expect(getOption(fresh, 'tcp-keepidle')).toBe(SYSTEM_KEEPIDLE);
    expect(getOption(fresh, 'reuseaddr')).toBe(false);
  });

  it('keepalive and tcp-keepidle go to setKeepAlive together; a delay set while keepalive is off waits for it', async () => {
    const { socket } = await connected();
    const keepAlive = vi.spyOn(socket, 'setKeepAlive');
    const table = clientOptionTable(socket, { resetOnClose: false });
    setOption(table, 'tcp-keepidle', 60);
    expect(keepAlive).not.toHaveBeenCalled();
    expect(getOption(table, 'tcp-keepidle')).toBe(60);
    setOption(table, 'keepalive', true);
    setOption(table, 'tcp-keepidle', 5);
    setOption(table, 'keepalive', false);
    expect(keepAlive.mock.calls).toEqual([
      [true, 60_000],
      [true, 5_000],
      [false, 5_000],
    ]);
    expect(getOption(table, 'keepalive')).toBe(false);
  });

  it('tcp-nodelay goes to setNoDelay and reads back', async () => {
    const { socket } = await connected();
    const noDelay = vi.spyOn(socket, 'setNoDelay');
    const table = clientOptionTable(socket, { resetOnClose: false });
    setOption(table, 'tcp-nodelay', true);
    expect(getOption(table, 'tcp-nodelay')).toBe(true);
    setOption(table, 'tcp-nodelay', false);
    expect(noDelay.mock.calls).toEqual([[true], [false]]);
    expect(getOption(table, 'tcp-nodelay')).toBe(false);
  });

  it('linger { on: true, timeout: 0 } turns on the reset on close; { on: false } turns it off', async () => {
    const { socket } = await connected();
    const target = { resetOnClose: false };
    const table = clientOptionTable(socket, target);
    expect(getOption(table, 'linger')).toEqual({ on: false, timeout: 0 });
    setOption(table, 'linger', { on: true, timeout: 0 });
    expect(target.resetOnClose).toBe(true);
    const read = getOption(table, 'linger') as { on: boolean; timeout: number };
    expect(read).toEqual({ on: true, timeout: 0 });
    read.on = false; // A copy: changing it changes nothing.
    expect(getOption(table, 'linger')).toEqual({ on: true, timeout: 0 });
    setOption(table, 'linger', { on: false, timeout: 7 });
    expect(target.resetOnClose).toBe(false);
    expect(getOption(table, 'linger')).toEqual({ on: false, timeout: 7 });
  });

  it("linger with a timeout Node.js cannot honour fails with 'unsupported' and changes nothing", async () => {
    const { socket } = await connected();
    const target = { resetOnClose: false };
    const table = clientOptionTable(socket, target);
    expect(codeAndMessage(() => setOption(table, 'linger', { on: true, timeout: 5 }))).toEqual({
      code: 'unsupported',
      message: 'linger: only { on: true, timeout: 0 } (reset on close) is supported by Node.js',
    });
    expect(target.resetOnClose).toBe(false);
    expect(getOption(table, 'linger')).toEqual({ on: false, timeout: 0 });
  });

  it("reuseaddr and ipv6-v6only cannot be set on a connection: 'unsupported'", async () => {
    const { socket } = await connected();
    const table = clientOptionTable(socket, { resetOnClose: false });
    expect(codeAndMessage(() => setOption(table, 'reuseaddr', true))).toEqual({
      code: 'unsupported',
      message: 'reuseaddr: not supported by Node.js for this socket',
    });
    expect(codeAndMessage(() => getOption(table, 'ipv6-v6only'))).toEqual({
      code: 'unsupported',
      message: 'ipv6-v6only: not supported by Node.js for this socket',
    });
  });
});

describe('options Node.js has no call for', () => {
  it.for(NO_CALL)(
    '%s answers, to set and get alike, that Node.js cannot set %s',
    async ([name, constant]) => {
      const { socket } = await connected();
      const message = `${name}: not supported by Node.js (it has no way to set ${constant})`;
      for (const table of [
        clientOptionTable(socket, { resetOnClose: false }),
        serverOptionTable(undefined, settings()),
      ]) {
        const handler = table[name];
        expect(codeAndMessage(() => handler?.get?.())).toEqual({ code: 'unsupported', message });
        expect(codeAndMessage(() => handler?.set?.(1 as never))).toEqual({
          code: 'unsupported',
          message,
        });
      }
    },
  );
});

describe('serverOptionTable', () => {
  it('keepalive, tcp-keepidle and tcp-nodelay are kept in the settings the connections inherit', () => {
    const server = settings();
    const table = serverOptionTable(undefined, server);
    expect(getOption(table, 'tcp-keepidle')).toBe(SYSTEM_KEEPIDLE);
    setOption(table, 'keepalive', true);
    setOption(table, 'tcp-keepidle', 90);
    setOption(table, 'tcp-nodelay', true);
    expect(server).toEqual(settings({ keepalive: true, keepidle: 90, nodelay: true }));
    expect([
      getOption(table, 'keepalive'),
      getOption(table, 'tcp-keepidle'),
      getOption(table, 'tcp-nodelay'),
    ]).toEqual([true, 90, true]);
  });

  it('reuseaddr can only be turned on, and ipv6-v6only only read', () => {
    const server = settings({ reuseaddr: false, ipv6Only: true });
    const table = serverOptionTable(undefined, server);
    expect(getOption(table, 'reuseaddr')).toBe(false);
    setOption(table, 'reuseaddr', true);
    expect(server.reuseaddr).toBe(true);
    expect(codeAndMessage(() => setOption(table, 'reuseaddr', false))).toEqual({
      code: 'unsupported',
      message: 'reuseaddr: Node.js always sets it on listening sockets',
    });
    expect(server.reuseaddr).toBe(true);
    expect(getOption(table, 'ipv6-v6only')).toBe(true);
    expect(codeAndMessage(() => setOption(table, 'ipv6-v6only', false))).toMatchObject({
      code: 'unsupported',
    });
  });

  it('linger reads off on a listening socket; turning it on is refused', () => {
    const table = serverOptionTable(undefined, settings());
    expect(getOption(table, 'linger')).toEqual({ on: false, timeout: 0 });
    expect(() => setOption(table, 'linger', { on: false, timeout: 3 })).not.toThrow();
    expect(codeAndMessage(() => setOption(table, 'linger', { on: true, timeout: 0 }))).toEqual({
      code: 'unsupported',
      message: 'linger: Node.js cannot set it on a listening socket',
    });
  });

  test('an accepted connection inherits the idle delay and reuseaddr; a connected client inherits nothing', async () => {
    await using server = await bind('127.0.0.1', 0);
    server.setoption('keepalive', true);
    server.setoption('tcp-keepidle', 20);
    await using client = await connect('127.0.0.1', server.getsockname().port);
    await using conn = await server.accept({ timeout: 5 });
    expect([conn.getoption('tcp-keepidle'), conn.getoption('reuseaddr')]).toEqual([20, true]);
    expect([client.getoption('tcp-keepidle'), client.getoption('reuseaddr')]).toEqual([
      SYSTEM_KEEPIDLE,
      false,
    ]);
  });
});

describe('TcpServer options', () => {
  test('keepalive and tcp-nodelay set on the server apply to accepted connections', async () => {
    await using server = await bind('127.0.0.1', 0);
    expect(server.getoption('keepalive')).toBe(false);
    server.setoption('keepalive', true);
    server.setoption('tcp-nodelay', true);
    expect(server.getoption('keepalive')).toBe(true);
    expect(server.getoption('tcp-nodelay')).toBe(true);
    await using client = await connect('127.0.0.1', server.getsockname().port);
    await using conn = await server.accept({ timeout: 5 });
    expect(conn.getoption('keepalive')).toBe(true);
    expect(conn.getoption('tcp-nodelay')).toBe(true);
    expect(client.getoption('keepalive')).toBe(false);
  });

  test("reuseaddr is always on for a server; turning it off fails with 'unsupported'", async () => {
    await using server = await bind('127.0.0.1', 0);
    expect(server.getoption('reuseaddr')).toBe(true);
    server.setoption('reuseaddr', true);
    expect(() => server.setoption('reuseaddr', false)).toThrow(
      expect.objectContaining({ code: 'unsupported' }) as Error,
    );
    expect(server.getoption('ipv6-v6only')).toBe(false);
  });
});
