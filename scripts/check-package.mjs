// Checks the package as npm would publish it, from the built dist/:
// - publint: package.json fields, "exports" and "files" agree with the tarball;
// - attw (Are the Types Wrong): both entry points resolve to the right types
//   under every moduleResolution (node10, node16 from CJS and ESM, bundler);
// - the tarball holds the licenses, the README and the build, nothing else
//   (no tests, no sources, no source maps), and no absolute build path;
// - THIRD_PARTY_NOTICES names every package bundled into dist/, at the version
//   installed, with its license text.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The file of a devDependency's command, run with this node. */
const bin = (pkg, name) => {
  const dir = join(ROOT, 'node_modules', pkg);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return join(dir, typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name]);
};

let failed = false;
function step(title, fn) {
  try {
    fn();
    console.log(`${title}: ok`);
  } catch (err) {
    failed = true;
    console.error(`${title}: FAILED\n${err.message}`);
  }
}

const run = (file, args) => {
  try {
    execFileSync(process.execPath, [file, ...args], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    throw new Error(`${err.stdout ?? ''}${err.stderr ?? ''}`.trim() || err.message);
  }
};

step('publint', () => run(bin('publint', 'publint'), ['--strict']));
step('attw --pack', () => run(bin('@arethetypeswrong/cli', 'attw'), ['--pack', '.']));

step('npm pack --dry-run', () => {
  const npm = process.env.npm_execpath;
  const [command, args] = npm?.endsWith('.js') ? [process.execPath, [npm]] : ['npm', []];
  const listing = execFileSync(command, [...args, 'pack', '--dry-run', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const files = JSON.parse(listing)[0].files.map((f) => f.path);
  const allowed =
    /^(LICENSE|README\.md|THIRD_PARTY_NOTICES|package\.json|dist\/[\w-]+\.(c?js|d\.c?ts))$/;
  const problems = files.filter((f) => !allowed.test(f)).map((f) => `unexpected file: ${f}`);
  for (const required of [
    'LICENSE',
    'THIRD_PARTY_NOTICES',
    'dist/index.js',
    'dist/compat.cjs',
    'dist/nixio.js',
    'dist/nixio.cjs',
    'dist/compat-ssl.js',
    'dist/compat-ssl.cjs',
  ]) {
    if (!files.includes(required)) problems.push(`missing: ${required}`);
  }
  for (const f of files.filter((f) => f.startsWith('dist/'))) {
    if (readFileSync(join(ROOT, f), 'utf8').includes(ROOT.replace(/\/$/, '')))
      problems.push(`${f} holds the build path ${ROOT}`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
});

step('THIRD_PARTY_NOTICES', () => {
  const notices = readFileSync(join(ROOT, 'THIRD_PARTY_NOTICES'), 'utf8');
  // esbuild marks each bundled module with a `// node_modules/<package>/<file>` line.
  const bundled = new Set();
  for (const file of readdirSync(join(ROOT, 'dist')).filter((f) => /\.c?js$/.test(f))) {
    const text = readFileSync(join(ROOT, 'dist', file), 'utf8');
    for (const [, name] of text.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) {
      bundled.add(name);
    }
  }
  const problems = [];
  for (const name of bundled) {
    const dir = join(ROOT, 'node_modules', name);
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const licenseFile = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    const license = licenseFile && readFileSync(join(dir, licenseFile), 'utf8').trim();
    if (!notices.includes(`\n${name} ${version}\n`))
      problems.push(`${name} ${version} is not named`);
    if (!license || !notices.includes(license))
      problems.push(`${name}: its license text is missing`);
  }
  if (problems.length > 0)
    throw new Error(`dist/ bundles what the notices miss:\n${problems.join('\n')}`);
});

if (failed) process.exit(1);
