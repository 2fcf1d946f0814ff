/**
 * The package as a user installs it: `npm pack` of the built dist/, unpacked
 * into the node_modules of a scratch project outside the repository, with no
 * dependency beside it. Plain node imports both entry points from ESM and
 * require()s them from CommonJS; tsc type-checks a TypeScript user under
 * moduleResolution node10, node16 (ESM and CommonJS) and bundler.
 */

import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const built = existsSync(join(ROOT, 'dist', 'index.cjs'));

/** npm itself: the one running this test when there is one, else the one on the PATH. */
async function npm(args: string[]): Promise<string> {
  const cli = process.env.npm_execpath;
  const [file, argv] =
    cli !== undefined && cli.endsWith('.js') ? [process.execPath, [cli, ...args]] : ['npm', args];
  return (await run(file, argv, { cwd: ROOT, encoding: 'utf8' })).stdout;
}

/** The compiler options of each resolution mode a TypeScript user may have. */
const MODES = {
  node10: { module: 'commonjs', moduleResolution: 'node10', files: ['consumer.ts'] },
  node16: { module: 'node16', moduleResolution: 'node16', files: ['consumer.ts', 'consumer.cts'] },
  bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['consumer.ts'] },
} as const;

let project = '';

// `npm test` builds first; a bare `vitest` run without dist/ says so here.
describe.skipIf(!built)('the packed package', () => {
  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'lsa-consumer-'));
    const packed = await npm(['pack', '--json', '--pack-destination', project]);
    const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
    const installed = join(project, 'node_modules', 'luasocket-async');
    mkdirSync(installed, { recursive: true });
    await run('tar', ['-xzf', join(project, filename), '-C', installed, '--strip-components=1']);
    // For tsc only: Node's own types, as a TypeScript user has them.
    symlinkSync(join(ROOT, 'node_modules', '@types'), join(project, 'node_modules', '@types'));
    writeFileSync(join(project, 'package.json'), '{ "type": "module", "private": true }\n');
    for (const file of ['esm-consumer.mjs', 'cjs-consumer.cjs']) {
      copyFileSync(join(here, file), join(project, file));
    }
    copyFileSync(join(here, 'ts-consumer.ts'), join(project, 'consumer.ts'));
    copyFileSync(join(here, 'ts-consumer.ts'), join(project, 'consumer.cts'));
  }, 60_000);

  afterAll(() => {
    if (project !== '') rmSync(project, { recursive: true, force: true });
  });

  it('import works from an ESM consumer, core, compat, compat/ssl and nixio', async () => {
    const { stdout } = await run(process.execPath, ['esm-consumer.mjs'], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({
      line: 'esm',
      timeout: 'timeout',
      compat: 1,
      nixio: true,
      ssl: 'SSL context',
    });
  });

  it('require() works from a CJS consumer, and SocketError is one class across copies', async () => {
    const { stdout } = await run(process.execPath, ['cjs-consumer.cjs'], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({
      line: 'cjs',
      timeout: 'timeout',
      crossCopy: true,
      compat: 1,
      nixio: true,
      ssl: 'SSL context',
    });
  });

  it.each(Object.keys(MODES) as (keyof typeof MODES)[])(
    'a TypeScript consumer type-checks under moduleResolution %s',
    async (mode) => {
      const { files, ...options } = MODES[mode];
      const config = join(project, `tsconfig.${mode}.json`);
      const compilerOptions = {
        ...options,
        target: 'ES2022',
        lib: ['ES2022'],
        types: ['node'],
        strict: true,
        // The package's declarations are checked too, as a strict user's build would.
        skipLibCheck: false,
        noEmit: true,
      };
      writeFileSync(config, JSON.stringify({ compilerOptions, files }));
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      // tsc prints its errors on stdout and exits non-zero: the errors are what to show.
      const errors = await run(process.execPath, [tsc, '-p', config, '--pretty', 'false'], {
        cwd: project,
        encoding: 'utf8',
      }).then(
        () => '',
        (err: Error & { stdout?: string; stderr?: string }) =>
          `${err.stdout ?? ''}${err.stderr ?? ''}` || err.message,
      );
      expect(errors).toBe('');
    },
    60_000,
  );
});

if (!built)
  console.warn('[consumers] dist/ not built: run `npm run build` (npm test does it first)');
