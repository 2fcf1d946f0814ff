import { execFile } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import {
  ACCEPT_CHANNEL,
  bind,
  CLOSE_CHANNEL,
  connect,
  CONNECT_CHANNEL,
  ERROR_CHANNEL,
  SocketError,
  TIMEOUT_CHANNEL,
  udp,
  type AcceptMessage,
  type CloseMessage,
  type ConnectMessage,
  type FailureMessage,
} from '../../../src/index.js';
import { rejection } from '../../helpers/loopback.js';

const IP = '127.0.0.1';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHANNELS = [CONNECT_CHANNEL, ACCEPT_CHANNEL, TIMEOUT_CHANNEL, CLOSE_CHANNEL, ERROR_CHANNEL];

let seen: [string, unknown][] = [];
const listener = (message: unknown, name: string | symbol): void => {
  seen.push([String(name), message]);
};

function listen(): void {
  seen = [];
  for (const name of CHANNELS) subscribe(name, listener);
}

afterEach(() => {
  for (const name of CHANNELS) unsubscribe(name, listener);
});

const on = <M>(name: string): M[] => seen.filter(([n]) => n === name).map(([, m]) => m as M);

describe('diagnostics channels', () => {
  test('the channel names', () => {
    expect(CHANNELS).toEqual([
      'luasocket:connect',
      'luasocket:accept',
      'luasocket:timeout',
      'luasocket:close',
      'luasocket:error',
    ]);
  });

  test('connect, accept, timeout and close of a loopback connection', async () => {
    listen();
    const server = await bind(IP, 0);
    const port = server.getsockname().port;
    const client = await connect(IP, port);
    const peer = await server.accept();

    const [connected] = on<ConnectMessage>(CONNECT_CHANNEL);
    expect(connected?.socket).toBe(client);
    expect(connected?.remote).toEqual({ address: IP, port, family: 'inet' });
    expect(connected?.local).toEqual(client.getsockname());

    const [acceptedMessage] = on<AcceptMessage>(ACCEPT_CHANNEL);
    expect(acceptedMessage?.server).toBe(server);
    expect(acceptedMessage?.socket).toBe(peer);
    expect(acceptedMessage?.remote).toEqual(client.getsockname());

    const err = await rejection(client.receive('*l', { timeout: 0.05 }));
    const [timedOut] = on<FailureMessage>(TIMEOUT_CHANNEL);
    expect(timedOut?.operation).toBe('receive');
    expect(timedOut?.error).toBe(err);
    expect(timedOut?.remote).toEqual({ address: IP, port, family: 'inet' });

    const local = client.getsockname();
    const peerLocal = peer.getsockname();
    client.close();
    peer.close();
    server.close();
    const closes = on<CloseMessage>(CLOSE_CHANNEL);
    expect(closes.map((c) => [c.kind, c.socket, c.local])).toEqual([
      ['tcp', client, local],
      ['tcp', peer, peerLocal],
      ['server', server, { address: IP, port, family: 'inet' }],
    ]);
    expect(on(ERROR_CHANNEL)).toEqual([]);
  });

  test('a refused connect goes to the error channel, with where it went', async () => {
    const server = await bind(IP, 0);
    const port = server.getsockname().port;
    server.close();
    listen();
    const err = await rejection(connect(IP, port));
    expect(err).toBeInstanceOf(SocketError);
    const [failure] = on<FailureMessage>(ERROR_CHANNEL);
    expect(failure?.operation).toBe('connect');
    expect(failure?.error).toBe(err);
    expect([failure?.error.address, failure?.error.port]).toEqual([IP, port]);
    expect(on(TIMEOUT_CHANNEL)).toEqual([]);
  });

  test('a UDP receive timeout and close', async () => {
    const u = udp();
    await u.setsockname(IP, 0);
    listen();
    await rejection(u.receive(100, { timeout: 0.05 }));
    const local = u.getsockname();
    u.close();
    expect(on<FailureMessage>(TIMEOUT_CHANNEL).map((m) => m.operation)).toEqual(['receive']);
    expect(on<CloseMessage>(CLOSE_CHANNEL)).toEqual([{ socket: u, kind: 'udp', local }]);
  });

  test('nothing is published without subscribers', async () => {
    seen = [];
    const server = await bind(IP, 0);
    const client = await connect(IP, server.getsockname().port);
    client.close();
    server.close();
    expect(seen).toEqual([]);
  });
});

describe('NODE_DEBUG=luasocket', () => {
  test('logs one line per connect, accept, timeout, error and close', async () => {
    const script = `
      import { bind, connect } from './src/index.ts';
      const server = await bind('127.0.0.1', 0);
      const port = server.getsockname().port;
      const client = await connect('127.0.0.1', port);
      const peer = await server.accept();
      await client.receive('*l', { timeout: 0.05 }).catch(() => {});
      const free = await bind('127.0.0.1', 0);
      const freePort = free.getsockname().port;
      free.close();
      await connect('127.0.0.1', freePort).catch(() => {});
      console.log(JSON.stringify({ port, local: client.getsockname().port, freePort }));
      client.close();
      peer.close();
      server.close();
    `;
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: ROOT, env: { ...process.env, NODE_DEBUG: 'luasocket' }, timeout: 30_000 },
    );
    const { port, local, freePort } = JSON.parse(stdout) as Record<string, number>;
    const p = (n: number | undefined): string => `127.0.0.1:${String(n)}`;
    const lines = stderr
      .split('\n')
      .filter((l) => l.startsWith('LUASOCKET '))
      .map((l) => l.replace(/^LUASOCKET \d+: /, ''));
    expect(lines).toEqual([
      `accept ${p(port)} <- ${p(local)}`,
      `connect ${p(local)} -> ${p(port)}`,
      `timeout receive ${p(port)}: timeout (timeout)`,
      `close server ${p(freePort)}`,
      `error connect ${p(freePort)}: refused (connection refused)`,
      `close tcp ${p(local)}`,
      `close tcp ${p(port)}`,
      `close server ${p(port)}`,
    ]);
  }, 40_000);
});
