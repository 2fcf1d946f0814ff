/**
 * Socket files for the Unix domain socket tests: fresh paths in a
 * temporary directory of the test file, and stale socket files (a socket
 * file nobody listens on).
 */

import { spawnSync } from 'node:child_process';
import { linkSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { bindUnix, connectUnix, type UnixClient, type UnixServer } from '../../src/index.js';

/**
 * A temporary directory removed after the file's tests; `fresh()` gives a
 * new socket path in it at each call.
 */
export function socketDir(prefix = 'lsa-unix-'): { dir: string; fresh: () => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let counter = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, fresh: () => join(dir, `s${++counter}.sock`) };
}

/** Leaves a socket file nobody listens on: a process that exits without closing its server. */
export function staleSocket(path: string): void {
  const script = `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.exit(0))`;
  const r = spawnSync(process.execPath, ['-e', script], { stdio: 'ignore' });
  expect(r.status).toBe(0);
  expect(lstatSync(path).isSocket()).toBe(true);
}

/** A Unix server, a client connected to it, and the server's end of that connection. */
export interface Pair<T extends string | Buffer> extends AsyncDisposable {
  server: UnixServer<T>;
  client: UnixClient<T>;
  conn: UnixClient<T>;
  path: string;
}

/** Binds `path`, connects to it and accepts; disposing closes all three. */
export async function unixPair(path: string): Promise<Pair<string>> {
  const server = await bindUnix(path);
  const [client, conn] = await Promise.all([connectUnix(path), server.accept({ timeout: 5 })]);
  return {
    server,
    client,
    conn,
    path,
    [Symbol.asyncDispose]: () => {
      client.close();
      conn.close();
      server.close();
      return Promise.resolve();
    },
  };
}

/**
 * The same as {@link staleSocket} without a process: a second name (a hard
 * link) for the socket file of a server that then closes, which removes
 * only its own name.
 */
export async function staleSocketLink(path: string): Promise<void> {
  const server = createServer();
  const first = `${path}.first`;
  await new Promise<void>((resolve) => server.listen(first, resolve));
  linkSync(first, path);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  expect(lstatSync(path).isSocket()).toBe(true);
}
