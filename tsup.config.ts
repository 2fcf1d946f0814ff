import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', compat: 'compat/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // p-timeout is ESM-only: bundling it keeps require() working for CJS users.
  noExternal: ['p-timeout'],
  // The compat entry imports the core through a relative path, so both entries
  // share one chunk and one SocketError class per format.
  splitting: true,
});
