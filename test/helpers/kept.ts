import { afterEach } from 'vitest';

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
