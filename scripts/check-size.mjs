// Fails when a source file outgrows one concept: src/, compat/ and nixio/ files stay
// under 400 lines so that the tree keeps showing the architecture.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LIMIT = 400;
const offenders = [];
for (const root of ['src', 'compat', 'nixio']) {
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) {
        const lines = readFileSync(path, 'utf8').split('\n').length;
        if (lines > LIMIT) offenders.push(`${path}: ${lines} lines`);
      }
    }
  };
  walk(root);
}
if (offenders.length > 0) {
  console.error(`Files over ${LIMIT} lines:\n${offenders.join('\n')}`);
  process.exit(1);
}
