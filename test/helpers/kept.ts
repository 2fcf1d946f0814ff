import type { Socket } from 'node:net';
import { afterEach } from 'vitest';
import type { RawServer } from './loopback.js';

/**
 * In the calling test file: a `keep` that throws for a `null` object (a
 * failed creation), and closes every object it was given after each test,
 * whatever the test did.
 */
export function closedAfterEach(): <T extends { close(): void }>(o: T | null) => T {
  const made: { close(): void }[] = [];
  afterEach(() => {
    for (const o of made.splice(0)) o.close();
  });
  return (o) => {
    if (o === null) throw new Error('expected an object');
    made.push(o);
    return o;
  };
}

/**
 * In the calling test file: a list of raw sockets and servers, each
 * destroyed (a socket) or closed (a server) after each test.
 */
export function openedAfterEach(): (Socket | RawServer)[] {
  const opened: (Socket | RawServer)[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0)) {
      if ('destroy' in o) o.destroy();
      else await o.close();
    }
  });
  return opened;
}
