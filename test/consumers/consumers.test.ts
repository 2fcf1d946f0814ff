import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../dist/index.cjs', import.meta.url)));

// `npm test` builds first (pretest); a bare `vitest` run without dist/ says so here.
describe.skipIf(!built)('the built package', () => {
  it('import works from an ESM consumer, core and compat', async () => {
    const { stdout } = await run(process.execPath, [here + 'esm-consumer.mjs']);
    expect(JSON.parse(stdout)).toEqual({ line: 'esm', timeout: 'timeout', compat: 1 });
  });

  it('require() works from a CJS consumer, and SocketError is one class across copies', async () => {
    const { stdout } = await run(process.execPath, [here + 'cjs-consumer.cjs']);
    expect(JSON.parse(stdout)).toEqual({
      line: 'cjs',
      timeout: 'timeout',
      crossCopy: true,
      compat: 1,
    });
  });
});

if (!built)
  console.warn('[consumers] dist/ not built: run `npm run build` (npm test does it first)');
