// The core, precompiled: app/cli/main.ts (the `scribe` command and everything it reaches) bundled by esbuild
// into dist/core/, one chunk per lazily imported part, npm packages left external. Loading one bundle takes
// a third of the time tsx needs to resolve and compile ~250 TypeScript modules at every start.
//
// `npm run build:core` builds it; bin/scribe.mjs calls `currentCore()`, which uses the build when every
// source file it was made from is unchanged (one stat per file) and rebuilds it (a fraction of a second)
// when one changed, so a stale build is never run. SCRIBE_FROM_SOURCE=1 runs the sources through tsx.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(repoRoot, 'dist', 'core');
const manifestFile = path.join(outDir, 'manifest.json');
const ENTRY = 'app/cli/main.ts';
const COMMANDS_DIR = 'app/cli/commands';

/**
 * Modules find files beside themselves (templates, commands, fixtures, native add-ons through
 * createRequire) with `import.meta.url`. In a bundle that would be the bundle's address, so each source
 * file's `import.meta.url` becomes its own source file's address, relative to the bundle.
 */
const sourceAddresses = {
  name: 'source-addresses',
  setup(build) {
    build.onLoad({ filter: /[\\/]app[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const relative = path.relative(outDir, args.path).split(path.sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

/** `scribe` finds its commands with a glob import of app/cli/commands/*.ts: their tests stay out of the build. */
const noTests = {
  name: 'no-tests',
  setup(build) {
    build.onLoad({ filter: /\.test\.ts$/ }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

function readManifest() {
  try {
    return JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    return null;
  }
}

function writeAtomic(file, contents) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

/** Build dist/core from the sources; returns the entry file's path. */
export async function buildCore({ log = false } = {}) {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: { cli: ENTRY },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    metafile: true,
    write: false,
    logLevel: log ? 'info' : 'warning',
    plugins: [noTests, sourceAddresses],
  });
  mkdirSync(outDir, { recursive: true });
  // Chunks are named by their content: writing them again is harmless to a process that runs them now.
  for (const file of result.outputFiles) writeAtomic(file.path, file.contents);
  const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === ENTRY)?.[0];
  if (!entry) throw new Error(`esbuild produced no output for ${ENTRY}`);
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) inputs[input] = statSync(path.join(repoRoot, input)).mtimeMs;
  // A command added to (or removed from) the folder changes the folder's time.
  inputs[COMMANDS_DIR] = statSync(path.join(repoRoot, COMMANDS_DIR)).mtimeMs;
  writeAtomic(manifestFile, JSON.stringify({ entry: path.relative(outDir, path.join(repoRoot, entry)), inputs }));
  pruneOldOutputs(new Set(Object.keys(result.metafile.outputs).map((o) => path.basename(o))));
  return path.join(repoRoot, entry);
}

/**
 * Earlier builds' files, a day after they were replaced (a process started from one may still load a
 * lazy chunk of it; none runs that long from a build whose sources were edited since).
 */
function pruneOldOutputs(current) {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const name of readdirSync(outDir)) {
    if (current.has(name) || name === 'manifest.json') continue;
    const file = path.join(outDir, name);
    try {
      if (statSync(file).mtimeMs < dayAgo) rmSync(file, { force: true });
    } catch {
      // gone already
    }
  }
}

/** The entry of an up-to-date build, built first when there is none or a source changed since. */
export async function currentCore() {
  const manifest = readManifest();
  if (manifest && Object.entries(manifest.inputs).every(([file, mtime]) => mtimeOf(file) === mtime)) {
    return path.join(outDir, manifest.entry);
  }
  return buildCore();
}

function mtimeOf(file) {
  try {
    return statSync(path.join(repoRoot, file)).mtimeMs;
  } catch {
    return null;
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const entry = await buildCore({ log: true });
  console.log(`core built: ${path.relative(repoRoot, entry)}`);
}
