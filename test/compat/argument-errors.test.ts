import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatObjects, compatOutcome } from '../helpers/lua-raises.js';
import { ARGUMENT_ERRORS } from './argument-errors.js';

describe("compat's usage errors read as Lua's", () => {
  let objects: Awaited<ReturnType<typeof compatObjects>> | undefined;
  beforeAll(async () => {
    objects = await compatObjects();
  });
  afterAll(() => objects?.close());

  it.for(ARGUMENT_ERRORS)('$lua raises "$message"', (row) => {
    const outcome = compatOutcome(() => row.js(objects!));
    expect(outcome).toMatchObject({ raised: true, message: row.message });
    expect(outcome.error).toBeInstanceOf(row.type ?? TypeError);
    // A plain TypeError is also what a RangeError is not: the class is exact.
    expect((outcome.error as Error).constructor).toBe(row.type ?? TypeError);
  });
});
