import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    compat: 'compat/index.ts',
    'compat-ssl': 'compat/ssl/index.ts',
    nixio: 'nixio/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // No source maps: tsup's CJS splitting pass writes the absolute build path
  // into the .cjs maps, and the output is not minified and keeps its comments,
  // so a stack trace into dist/ already reads well.
  sourcemap: false,
  target: 'node20',
  // p-timeout is ESM-only: bundling it keeps require() working for CJS users.
  noExternal: ['p-timeout'],
  // The compat entry imports the core through a relative path, so both entries
  // share one chunk and one SocketError class per format.
  splitting: true,
});
