/**
 * The public exports and their types, pinned: a change to the layout of
 * `src/`, `compat/` or `nixio/` must leave the files below unchanged; a change to the
 * API shows up in them, reviewed in the diff (`vitest -u` rewrites them).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiSurface } from './api-surface.js';

const at = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const tsconfig = at('../../tsconfig.json');

describe('public API surface', () => {
  it.each([
    ['luasocket-async', '../../src/index.ts', './api/index.api.txt'],
    ['luasocket-async/compat', '../../compat/index.ts', './api/compat.api.txt'],
    ['luasocket-async/nixio', '../../nixio/index.ts', './api/nixio.api.txt'],
    ['luasocket-async/compat/ssl', '../../compat/ssl/index.ts', './api/compat-ssl.api.txt'],
  ])(
    '%s exports the pinned names and types',
    async (_name, entry, pinned) => {
      await expect(apiSurface(at(entry), tsconfig)).toMatchFileSnapshot(pinned);
    },
    60_000,
  );
});
