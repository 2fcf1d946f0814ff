import { once } from 'node:events';
import { existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Socket, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SocketError } from '../../../src/errors/socket-error.js';
import { OPTION_NAMES } from '../../../src/net/socket-options.js';
import {
  checkPath,
  connectedEndpoint,
  connectPath,
  datagramUnsupported,
  listenPath,
  removeStale,
  serverEndpoint,
  unixAddress,
  unixOptionTable,
} from '../../../src/unix/path.js';
import { rejection, socketError } from '../../helpers/loopback.js';
import { socketDir, staleSocketLink } from '../../helpers/unix-paths.js';
import { codeAndMessage } from '../../helpers/thrown.js';

const { dir, fresh } = socketDir('lsa-path-');
const NO_TIMEOUTS = { block: undefined, total: undefined };

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((done) => server.close(() => done()));
}

describe('checkPath', () => {
  it('checkPath returns a path of up to 107 bytes, as sun_path holds', () => {
    expect(checkPath('/tmp/a.sock')).toBe('/tmp/a.sock');
    const longest = '/' + 'x'.repeat(106);
    expect(checkPath(longest)).toBe(longest);
  });

  it('checkPath throws a RangeError past 107 bytes, counting bytes, not characters', () => {
    expect(() => checkPath('/' + 'x'.repeat(107))).toThrow(
      new RangeError('Expected `path` to be at most 107 bytes long, got 108 bytes'),
    );
    // 54 characters of two bytes each.
    expect(() => checkPath('é'.repeat(54), 'address')).toThrow(
      new RangeError('Expected `address` to be at most 107 bytes long, got 108 bytes'),
    );
  });

  it('checkPath throws a TypeError for an empty path or a non-string', () => {
    expect(() => checkPath('')).toThrow(
      new TypeError("Expected `path` to be a socket file path, got `''`"),
    );
    expect(() => checkPath(42, 'address')).toThrow(
      new TypeError('Expected `address` to be a socket file path, got `42`'),
    );
    expect(() => checkPath(undefined)).toThrow('got `undefined`');
    expect(() => checkPath(Buffer.from('/tmp/x'))).toThrow(TypeError);
  });
});

describe('addresses and endpoints', () => {
  it("unixAddress is the path, port 0 and family 'unix'; '' an unnamed socket", () => {
    expect(unixAddress('/run/x.sock')).toEqual({ address: '/run/x.sock', port: 0, family: 'unix' });
    expect(unixAddress('')).toEqual({ address: '', port: 0, family: 'unix' });
  });

  it('a connected client is unnamed and its peer is the path', () => {
    const endpoint = connectedEndpoint('/run/x.sock');
    expect(endpoint.local).toEqual(unixAddress(''));
    expect(endpoint.remote).toEqual(unixAddress('/run/x.sock'));
  });

  it('a server is named by its path, and each connection it accepts gets its own record', () => {
    const endpoint = serverEndpoint('/run/x.sock');
    expect(endpoint.address).toEqual(unixAddress('/run/x.sock'));
    const first = endpoint.accepted(new Socket());
    const second = endpoint.accepted(new Socket());
    expect(first.local).toEqual(unixAddress('/run/x.sock'));
    expect(first.remote).toEqual(unixAddress(''));
    expect(second).not.toBe(first);
    expect(second.local).not.toBe(first.local);
  });
});

describe('what Node.js cannot do on Unix domain sockets', () => {
  it("datagramUnsupported is SocketError 'unsupported', saying why", () => {
    const err = datagramUnsupported();
    expect(err).toBeInstanceOf(SocketError);
    expect([err.code, err.message]).toEqual([
      'unsupported',
      'dgram: Unix domain datagram sockets are not supported by Node.js',
    ]);
  });

  it("every option of unixOptionTable answers 'unsupported', to set and get alike, the name first", () => {
    const tables = [
      unixOptionTable(),
      connectedEndpoint('/x').options,
      serverEndpoint('/x').options,
      serverEndpoint('/x').accepted(new Socket()).options,
    ];
    for (const table of tables) {
      for (const name of OPTION_NAMES) {
        const expected = {
          code: 'unsupported',
          message: `${name}: not supported by Node.js on Unix domain sockets`,
        };
        const handler = table[name];
        expect(
          codeAndMessage(() => handler?.get?.()),
          name,
        ).toEqual(expected);
        expect(
          codeAndMessage(() => handler?.set?.(true as never)),
          name,
        ).toEqual(expected);
      }
    }
  });
});

describe('removeStale', () => {
  it('removeStale removes a socket file nobody listens on', async () => {
    const path = fresh();
    await staleSocketLink(path);
    await removeStale(path);
    expect(existsSync(path)).toBe(false);
  });

  it('removeStale leaves a live socket, a regular file and a directory alone, and a missing path is no error', async () => {
    const live = fresh();
    const server = await listenPath(live, 8, false);
    // The probe's connection: the test ends it, as a server would.
    server.on('connection', (probe: Socket) => probe.destroy());
    try {
      await removeStale(live);
      expect(lstatSync(live).isSocket()).toBe(true);
    } finally {
      await closeServer(server);
    }
    const file = fresh();
    writeFileSync(file, 'keep me');
    await removeStale(file);
    expect(lstatSync(file).isFile()).toBe(true);
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    await removeStale(folder);
    expect(lstatSync(folder).isDirectory()).toBe(true);
    await expect(removeStale(fresh())).resolves.toBeUndefined();
  });
});

describe('listenPath', () => {
  it('listenPath gives a listening server on the path, and closing it removes the file', async () => {
    const path = fresh();
    const server = await listenPath(path, 16, false);
    expect(server.listening).toBe(true);
    expect(server.address()).toBe(path);
    expect(lstatSync(path).isSocket()).toBe(true);
    await closeServer(server);
    expect(existsSync(path)).toBe(false);
  });

  it("listenPath on a stale file fails with 'addrinuse' unless asked to unlink it", async () => {
    const path = fresh();
    await staleSocketLink(path);
    const err = await socketError(listenPath(path, 16, false));
    expect([err.code, err.message, err.address]).toEqual([
      'addrinuse',
      'address already in use',
      path,
    ]);
    const server = await listenPath(path, 16, true);
    expect(server.listening).toBe(true);
    await closeServer(server);
  });

  it("listenPath where the directory does not exist fails with 'access', as libuv reports it", async () => {
    // libuv turns bind's ENOENT into EACCES for pipes.
    const err = await socketError(listenPath(join(dir, 'missing', 'x.sock'), 16, false));
    expect([err.code, err.message]).toEqual(['access', 'permission denied']);
  });
});

describe('connectPath', () => {
  it('connectPath gives a socket connected to the server on the path', async () => {
    const path = fresh();
    const server = await listenPath(path, 16, false);
    try {
      const accepted = once(server, 'connection') as Promise<[Socket]>;
      const socket = await connectPath(path, {}, NO_TIMEOUTS);
      const [peer] = await accepted;
      peer.end('ping');
      const [data] = (await once(socket, 'data')) as [Buffer];
      expect(data.toString()).toBe('ping');
      socket.destroy();
      peer.destroy();
    } finally {
      await closeServer(server);
    }
  });

  it("connectPath fails with 'refused' at a stale file and the system's message at a missing one", async () => {
    const stale = fresh();
    await staleSocketLink(stale);
    const refused = await socketError(connectPath(stale, {}, NO_TIMEOUTS));
    expect([refused.code, refused.message]).toEqual(['refused', 'connection refused']);
    const missing = await socketError(connectPath(fresh(), {}, NO_TIMEOUTS));
    expect([missing.code, missing.message]).toEqual(['system', 'No such file or directory']);
  });

  it("connectPath with an aborted signal rejects with the signal's reason", async () => {
    const path = fresh();
    const server = await listenPath(path, 16, false);
    try {
      const reason = new Error('stop');
      expect(
        await rejection(connectPath(path, { signal: AbortSignal.abort(reason) }, NO_TIMEOUTS)),
      ).toBe(reason);
    } finally {
      await closeServer(server);
    }
  });
});
