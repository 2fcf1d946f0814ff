// Runs npm scripts side by side: `node scripts/parallel.mjs lint typecheck build`.
// Each script's output is held back and printed whole when it ends, under its
// name, so the logs never interleave. Exits 1 if any script failed, after all
// of them have ended.
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('Usage: node scripts/parallel.mjs <npm script>...');
  process.exit(2);
}

// npm sets npm_execpath to its own CLI when it runs this script.
const npm = process.env.npm_execpath;
const [command, prefix] = npm ? [process.execPath, [npm]] : ['npm', []];

function run(name) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, [...prefix, 'run', '--silent', name], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0'),
      },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => (output += `${err.message}\n`));
    child.on('close', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const verdict = code === 0 ? 'ok' : `failed (${signal ?? `exit ${code}`})`;
      process.stdout.write(`> ${name}: ${verdict} in ${seconds} s\n${output}`);
      resolve(code === 0);
    });
  });
}

const results = await Promise.all(names.map(run));
if (results.includes(false)) process.exit(1);
