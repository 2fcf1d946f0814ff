/**
 * Runs an example by name: `npm run example <name> [args…]`.
 *
 * `<name>` is a file of examples/ without its `.ts` (`echo-server`), or one
 * of examples/compat/ (`compat/echo-server`) or examples/nixio/
 * (`nixio/udp-client`); a bare name that examples/ lacks is looked for in
 * compat/, then in nixio/. The example runs under tsx with the arguments
 * after the name, sharing this terminal, and its exit code is this script's.
 * With no name it lists the examples with their one-line descriptions (the
 * first line of each file's header comment); with an unknown name it lists
 * them on stderr and exits 2.
 *
 * npm takes `--flags` for itself: pass them after `--`, as in
 * `npm run example forwarder -- --target 127.0.0.1:8080`.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The first line of text of the file's header comment (after a shebang, if any). */
function description(file) {
  const header = /^(?:#!.*\n)?\s*(?:\/\*\*?|\/\/)[\s*]*(.*)/.exec(readFileSync(file, 'utf8'));
  return header?.[1]?.replace(/\s*\*\/$/, '').trim() ?? '';
}

/** Every example: core ones first, then compat ones, then nixio ones, each sorted by name. */
function examples() {
  return [
    ['examples', ''],
    ['examples/compat', 'compat/'],
    ['examples/nixio', 'nixio/'],
  ].flatMap(([dir, prefix]) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => ({
        name: prefix + f.slice(0, -'.ts'.length),
        file: join(ROOT, dir, f),
        description: description(join(ROOT, dir, f)),
      })),
  );
}

function listing(all) {
  const width = Math.max(...all.map((e) => e.name.length));
  return [
    'Usage: npm run example <name> [-- args…]',
    '',
    'Examples:',
    ...all.map((e) => `  ${e.name.padEnd(width)}  ${e.description}`),
    '',
  ].join('\n');
}

const [wanted, ...args] = process.argv.slice(2);
const all = examples();

if (wanted === undefined || wanted === '--help' || wanted === '-h') {
  process.stdout.write(listing(all));
  process.exit(0);
}

// A name from the list only: nothing outside examples/ can be run this way.
const bare = wanted.replace(/^examples\//, '').replace(/\.ts$/, '');
const candidates = /^(compat|nixio)\//.test(bare)
  ? [bare]
  : [bare, `compat/${bare}`, `nixio/${bare}`];
const example = candidates.map((c) => all.find((e) => e.name === c)).find(Boolean);
if (example === undefined) {
  process.stderr.write(`Unknown example: ${wanted}\n\n${listing(all)}`);
  process.exit(2);
}

// tsx and the tsconfig (whose paths map 'luasocket-async' to src/) are
// this repository's, wherever the script is started from.
const tsx = import.meta.resolve('tsx');
const child = spawn(process.execPath, ['--import', tsx, example.file, ...args], {
  stdio: 'inherit',
  env: { TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'), ...process.env },
});

// Ctrl-C reaches the example by itself (the terminal signals the whole
// process group), so this script only has to outlive it. Other signals are
// sent to this script alone: they are passed on, once.
const forward = (signal) => () => child.kill(signal);
process.on('SIGINT', () => undefined);
process.once('SIGTERM', forward('SIGTERM'));
process.once('SIGHUP', forward('SIGHUP'));

child.on('exit', (code, signal) => {
  if (signal === null) process.exit(code ?? 1);
  // Killed by a signal: end the same way, so the caller sees it.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
});
