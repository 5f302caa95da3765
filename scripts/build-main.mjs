// Bundles Electron's main process and preload with esbuild. The preload is sandboxed, so it must be one
// CommonJS file that needs nothing but `electron`; main keeps node_modules external (asar-packed).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'info' };
await build({ ...common, entryPoints: ['main/main.ts'], outfile: 'dist/main/main.js', format: 'esm', packages: 'external' });
await build({ ...common, entryPoints: ['main/preload.ts'], outfile: 'dist/main/preload.cjs', format: 'cjs', external: ['electron'] });
