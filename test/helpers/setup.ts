import { afterEach, beforeEach, expect } from 'vitest';
import { activeHandles, leftovers, takeExemption } from './leaks.js';

let baseline = new Map<string, number>();

beforeEach(() => {
  baseline = activeHandles();
});

afterEach(async () => {
  if (takeExemption()) return;
  const extra = await leftovers(baseline);
  expect(extra, 'handles left open by this test').toEqual([]);
});
