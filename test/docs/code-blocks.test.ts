/**
 * Every line of code a reader meets in the docs must compile: the ```ts
 * blocks of README.md and docs/**\/*.md, and the `@example` blocks of the
 * TSDoc in src/, compat/ and nixio/. Each block becomes a module of its own (so
 * top-level await works and names never clash), and one `tsc --noEmit` run
 * checks them all against the sources, with the root tsconfig's settings.
 * A block opts out only with an explicit marker: ```ts ignore.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { markdownBlocks, tsdocExampleBlocks, type CodeBlock } from './extract-blocks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Under the repository, so that module resolution finds `node_modules` and `@types`. */
const OUT = join(ROOT, 'node_modules', '.cache', 'doc-blocks');

/** The files below `dir` (relative to the root) whose names end with `suffix`. */
function filesUnder(dir: string, suffix: string, skip: readonly string[] = []): string[] {
  const found: string[] = [];
  const walk = (path: string): void => {
    for (const entry of readdirSync(join(ROOT, path), { withFileTypes: true })) {
      const child = path === '' ? entry.name : `${path}/${entry.name}`;
      if (skip.includes(child)) continue;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith(suffix)) found.push(child);
    }
  };
  walk(dir);
  return found.sort();
}

function collectBlocks(): CodeBlock[] {
  const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
  const markdown = ['README.md', ...filesUnder('docs', '.md', ['docs/api'])];
  const sources = ['src', 'compat', 'nixio'].flatMap((dir) => filesUnder(dir, '.ts'));
  return [
    ...markdown.flatMap((file) => markdownBlocks(file, read(file))),
    ...sources.flatMap((file) => tsdocExampleBlocks(file, read(file))),
  ];
}

/** A module that type-checks like the root project, with the package names mapped to the sources. */
function tsconfigFor(files: readonly string[]): string {
  return JSON.stringify(
    {
      extends: relative(OUT, join(ROOT, 'tsconfig.json')).split(sep).join('/'),
      compilerOptions: {
        noEmit: true,
        paths: {
          'luasocket-async': [join(ROOT, 'src', 'index.ts')],
          'luasocket-async/compat': [join(ROOT, 'compat', 'index.ts')],
          'luasocket-async/nixio': [join(ROOT, 'nixio', 'index.ts')],
          'luasocket-async/compat/ssl': [join(ROOT, 'compat', 'ssl', 'index.ts')],
        },
      },
      files,
      // The base config's `include` would pull in the whole project.
      include: [],
    },
    null,
    2,
  );
}

/** The module a block becomes; a block without imports or exports is made a module too. */
function moduleText(block: CodeBlock): string {
  const code = block.code.join('\n');
  const isModule = /^\s*(import|export)\s/m.test(code);
  return isModule ? `${code}\n` : `${code}\nexport {};\n`;
}

describe('extract-blocks', () => {
  it('markdownBlocks finds ```ts and ```typescript fences, and honours the ignore marker', () => {
    const text = [
      '# Title', // 1
      '```ts', // 2
      'const a = 1;', // 3
      '```', // 4
      '```sh', // 5
      'npm test', // 6
      '```', // 7
      '```typescript ignore', // 8
      'not: checked', // 9
      '```', // 10
      '````ts', // 11
      '```', // 12
      '````', // 13
    ].join('\n');
    expect(markdownBlocks('x.md', text)).toEqual([
      { file: 'x.md', line: 3, code: ['const a = 1;'], ignored: false },
      { file: 'x.md', line: 9, code: ['not: checked'], ignored: true },
      { file: 'x.md', line: 12, code: ['```'], ignored: false },
    ]);
  });

  it('tsdocExampleBlocks takes the fences of @example sections only, with their file lines', () => {
    const text = [
      '/**', // 1
      ' * Summary.', // 2
      ' * ```ts', // 3
      ' * notAnExample();', // 4
      ' * ```', // 5
      ' * @example Titled', // 6
      ' * ```ts', // 7
      ' * import { tcp } from "luasocket-async";', // 8
      ' *', // 9
      ' * tcp();', // 10
      ' * ```', // 11
      ' * @returns nothing', // 12
      ' * ```ts', // 13
      ' * alsoNot();', // 14
      ' * ```', // 15
      ' */', // 16
    ].join('\n');
    expect(tsdocExampleBlocks('y.ts', text)).toEqual([
      {
        file: 'y.ts',
        line: 8,
        code: ['import { tcp } from "luasocket-async";', '', 'tcp();'],
        ignored: false,
      },
    ]);
  });
});

describe('documentation code blocks', () => {
  it('every ```ts block of the docs and every @example of the TSDoc compiles', () => {
    const blocks = collectBlocks();
    const checked = blocks.filter((b) => !b.ignored);
    const byFile = new Map<string, CodeBlock>();

    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    for (const block of checked) {
      const name = `${block.file.replace(/[^A-Za-z0-9]+/g, '_')}_L${block.line}.ts`;
      writeFileSync(join(OUT, name), moduleText(block));
      byFile.set(name, block);
    }
    writeFileSync(join(OUT, 'tsconfig.json'), tsconfigFor([...byFile.keys()]));

    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', OUT, '--pretty', 'false'],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(run.error).toBeUndefined();

    // `file(line,col): error TSxxxx: message`, with the file relative to the cwd.
    const errors: string[] = [];
    const other: string[] = [];
    for (const line of `${run.stdout}${run.stderr}`.split('\n')) {
      if (line.trim() === '') continue;
      const m = /^(.*?)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(line);
      const block = m === null ? undefined : byFile.get((m[1] ?? '').split(/[\\/]/).pop() ?? '');
      if (m !== null && block !== undefined) {
        const at = block.line + Number(m[2]) - 1;
        errors.push(`${block.file}:${at}:${m[3]} (block at line ${block.line}): ${m[4]}`);
      } else if (/^\s/.test(line) && errors.length > 0) {
        errors[errors.length - 1] += `\n${line}`;
      } else {
        other.push(line);
      }
    }

    const ignored = blocks.length - checked.length;
    console.log(
      `code blocks: ${checked.length} checked, ${ignored} ignored ` +
        `(${checked.filter((b) => b.file.endsWith('.md')).length} from Markdown, ` +
        `${checked.filter((b) => b.file.endsWith('.ts')).length} from TSDoc @example)`,
    );
    expect(errors, errors.join('\n')).toEqual([]);
    expect(other, other.join('\n')).toEqual([]);
    expect(run.status).toBe(0);
    expect(checked.length).toBeGreaterThanOrEqual(40);
  }, 180_000);
});
