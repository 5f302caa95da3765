// Bundles Electron's preload: it runs sandboxed, so it must be one CommonJS file that needs nothing but
// `electron`. The main process itself runs from source through tsx (main/bootstrap.mjs).
import { build } from 'esbuild';

await build({
  entryPoints: ['main/preload.ts'],
  outfile: 'dist/main/preload.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'info',
});
