/**
 * Compiles every script of examples/ once, before the example tests, so that
 * each test starts its example with plain `node` instead of loading tsx and
 * transpiling the example and the whole of src/ again in every process.
 *
 * Each example becomes one ES module, bundled with the sources it imports
 * ('luasocket-async' resolves to src/ through the tsconfig's `paths`, as it
 * does under tsx), for the Node.js that runs the tests, into a temporary
 * directory that is removed when the run ends. The tests find it through
 * `inject('compiledExamples')` (see example-process.ts).
 */

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The directory that holds examples/**\/*.mjs, compiled from examples/**\/*.ts. */
    compiledExamples: string;
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The example scripts, as paths from the repository root. */
function exampleScripts(): string[] {
  return ['examples', 'examples/compat', 'examples/nixio'].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `${dir}/${f}`),
  );
}

export default async function setup(project: TestProject): Promise<() => void> {
  const out = mkdtempSync(join(tmpdir(), 'lsa-examples-'));
  const remove = (): void => rmSync(out, { recursive: true, force: true });
  try {
    await build({
      absWorkingDir: ROOT,
      entryPoints: exampleScripts(),
      outbase: ROOT,
      outdir: out,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      // As tsx does: only the syntax this Node.js lacks (`await using`) is
      // lowered, names are kept, and stack traces point into the .ts files.
      target: `node${process.versions.node}`,
      keepNames: true,
      sourcemap: true,
      tsconfig: join(ROOT, 'tsconfig.json'),
      logLevel: 'warning',
    });
  } catch (err) {
    remove();
    throw err;
  }
  project.provide('compiledExamples', out);
  return remove;
}
