/**
 * The README is also the package's page on the npm registry, where a relative
 * link leads nowhere. So every link in it is absolute or an in-page anchor;
 * a link into this repository names a path on main that exists in the tree
 * (a file for /blob/, a directory for /tree/); and every anchor, in the README
 * or in a linked Markdown file, names one of its headings.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPOSITORY = 'https://github.com/luasocket-async/luasocket-async';

/** Markdown without its fenced blocks. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\1[`~]*[ \t]*$/gm, '');
}

/** Markdown without its fenced blocks and code spans, where nothing is a link. */
function prose(markdown: string): string {
  return withoutFences(markdown).replace(/(`+)[\s\S]*?\1/g, '');
}

/** Every link target: inline links and images, reference definitions, HTML href and src. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const found: string[] = [];
  for (const [, target] of text.matchAll(/\]\(\s*<?([^)\s>]*)>?(?:\s+["'(][^)]*)?\)/g))
    found.push(target ?? '');
  for (const [, target] of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s.*)?$/gm))
    found.push(target ?? '');
  for (const [, target] of text.matchAll(/\s(?:href|src)\s*=\s*["']([^"']*)["']/g))
    found.push(target ?? '');
  return found;
}

/** The anchors GitHub gives a Markdown file's headings. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of withoutFences(markdown).matchAll(/^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/gm)) {
    const slug = (heading ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** The files git tracks, or, outside a git checkout, whatever is on disk. */
function tracked(): ((path: string) => 'file' | 'directory' | undefined) | undefined {
  let files: string[];
  try {
    files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
  } catch {
    return undefined;
  }
  const set = new Set(files.filter((f) => f !== ''));
  return (path) =>
    set.has(path)
      ? 'file'
      : [...set].some((f) => f.startsWith(`${path}/`))
        ? 'directory'
        : undefined;
}

function onDisk(path: string): 'file' | 'directory' | undefined {
  const full = join(ROOT, path);
  if (!existsSync(full)) return undefined;
  return statSync(full).isDirectory() ? 'directory' : 'file';
}

describe('linkTargets and headingAnchors', () => {
  it('find links outside code only, and anchor headings as GitHub does', () => {
    const md = [
      '# A `code` title, twice!',
      '## A code title, twice',
      'See [x](https://a.example/x "title"), ![i](img.png) and [r][r].',
      '`[not](a-link)`',
      '```md',
      '[nor](this)',
      '```',
      '<a href="#top">top</a>',
      '[r]: https://b.example/r',
    ].join('\n');
    expect(linkTargets(md)).toEqual([
      'https://a.example/x',
      'img.png',
      'https://b.example/r',
      '#top',
    ]);
    expect([...headingAnchors(md)]).toEqual(['a-code-title-twice', 'a-code-title-twice-1']);
  });
});

describe('README.md links', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const targets = linkTargets(readme);

  it('has links to check', () => {
    expect(targets.length).toBeGreaterThanOrEqual(10);
  });

  it('are absolute or in-page anchors, never relative', () => {
    const relative = targets.filter((t) => !/^(https?:\/\/|mailto:|#)/.test(t));
    expect(relative).toEqual([]);
  });

  it('into the repository name paths on main that exist in the tree', () => {
    const kind = tracked() ?? onDisk;
    const broken: string[] = [];
    for (const target of targets.filter((t) => t.startsWith(`${REPOSITORY}/`))) {
      const m = /^\/(blob|tree)\/main\/([^#?]+)(?:#(.*))?$/.exec(target.slice(REPOSITORY.length));
      if (m === null) {
        broken.push(`${target}: not a /blob/main/ or /tree/main/ link`);
        continue;
      }
      const [, view, path = '', anchor] = m;
      const expected = view === 'blob' ? 'file' : 'directory';
      const found = kind(decodeURIComponent(path).replace(/\/$/, ''));
      if (found !== expected) {
        broken.push(
          `${target}: ${path} is ${found === undefined ? 'not in the tree' : `a ${found}`}`,
        );
      } else if (anchor !== undefined && path.endsWith('.md')) {
        const anchors = headingAnchors(readFileSync(join(ROOT, path), 'utf8'));
        if (!anchors.has(anchor)) broken.push(`${target}: no heading #${anchor} in ${path}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('to anchors name headings of the README', () => {
    const anchors = headingAnchors(readme);
    const missing = targets
      .filter((t) => t.startsWith('#'))
      .filter((t) => !anchors.has(decodeURIComponent(t.slice(1))));
    expect(missing).toEqual([]);
  });
});
