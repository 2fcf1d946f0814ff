/**
 * Finds the TypeScript code blocks of the documentation: the ```ts and
 * ```typescript fences of Markdown files, and the fences inside the
 * `@example` sections of TSDoc comments. Pure: text in, blocks out.
 */

/** One code block and where its first line of code is. */
export interface CodeBlock {
  /** The file the block comes from, relative to the repository root. */
  readonly file: string;
  /** The 1-based line of the block's first line of code in that file. */
  readonly line: number;
  /** The code, one entry per line, with TSDoc's leading ` * ` removed. */
  readonly code: readonly string[];
  /** True when the fence carries the `ignore` marker (```ts ignore). */
  readonly ignored: boolean;
}

/** An opening or closing fence: its indent, its backticks or tildes, and the info string. */
const FENCE = /^(\s*)(`{3,}|~{3,})\s*(.*)$/;

/** The info-string languages that mark a TypeScript block. */
const TS_LANGUAGES = new Set(['ts', 'typescript']);

/**
 * The fenced blocks of `lines` whose language is TypeScript. `lineOf(i)`
 * gives the file line of `lines[i]`; `keep(i)` says whether a fence that
 * opens at `lines[i]` counts (for TSDoc: only inside `@example`).
 */
function fencedBlocks(
  file: string,
  lines: readonly string[],
  lineOf: (index: number) => number,
  keep: (index: number) => boolean = () => true,
): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (open === null) continue;
    const [, indent = '', marker = '', info = ''] = open;
    const words = info.trim().split(/\s+/);
    // The block ends at a fence of the same kind, at least as long, with no info string.
    let end = i + 1;
    for (; end < lines.length; end++) {
      const close = FENCE.exec(lines[end] as string);
      if (
        close !== null &&
        close[2]?.[0] === marker[0] &&
        (close[2]?.length ?? 0) >= marker.length &&
        close[3]?.trim() === ''
      )
        break;
    }
    const language = (words[0] ?? '').toLowerCase();
    if (TS_LANGUAGES.has(language) && keep(i)) {
      const code = lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      blocks.push({ file, line: lineOf(i + 1), code, ignored: words.slice(1).includes('ignore') });
    }
    i = end;
  }
  return blocks;
}

/** The TypeScript blocks of a Markdown file. */
export function markdownBlocks(file: string, text: string): CodeBlock[] {
  return fencedBlocks(file, text.split('\n'), (index) => index + 1);
}

/** A TSDoc comment: its lines without the leading ` * `, and the file line of each. */
interface DocComment {
  readonly lines: string[];
  readonly fileLines: number[];
}

function docComments(text: string): DocComment[] {
  const comments: DocComment[] = [];
  const lines = text.split('\n');
  let current: DocComment | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (current === undefined) {
      const start = raw.indexOf('/**');
      if (start === -1) continue;
      const rest = raw.slice(start + 3);
      const close = rest.indexOf('*/');
      current = { lines: [], fileLines: [] };
      if (close !== -1) {
        // A one-line comment holds no fence.
        current = undefined;
        continue;
      }
      if (rest.trim() !== '') {
        current.lines.push(rest.trim());
        current.fileLines.push(i + 1);
      }
      comments.push(current);
      continue;
    }
    const close = raw.indexOf('*/');
    const body = close === -1 ? raw : raw.slice(0, close);
    const stripped = body.replace(/^\s*\* ?/, '').replace(/^\s*$/, '');
    if (close === -1 || stripped.trim() !== '') {
      current.lines.push(stripped);
      current.fileLines.push(i + 1);
    }
    if (close !== -1) current = undefined;
  }
  return comments;
}

/** The TypeScript blocks inside the `@example` sections of a source file's TSDoc. */
export function tsdocExampleBlocks(file: string, text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const comment of docComments(text)) {
    // Which lines lie in an @example section: from the tag to the next block tag outside a fence.
    const inExample: boolean[] = [];
    let example = false;
    let fence: string | undefined;
    for (const line of comment.lines) {
      const f = FENCE.exec(line);
      if (fence !== undefined) {
        if (f !== null && f[3]?.trim() === '' && (f[2] ?? '').startsWith(fence)) fence = undefined;
      } else if (f !== null) {
        fence = f[2];
      } else if (/^@\w+/.test(line.trim())) {
        example = line.trim().startsWith('@example');
      }
      inExample.push(example);
    }
    blocks.push(
      ...fencedBlocks(
        file,
        comment.lines,
        (index) => comment.fileLines[index] ?? 0,
        (index) => inExample[index] === true,
      ),
    );
  }
  return blocks;
}
