import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The desktop package keeps the app in an asar archive, and a native library cannot be loaded from inside
// one: every add-on (.node) and every shared library it loads (.so, .dll, .dylib; node-llama-cpp's llama.cpp
// builds are such libraries beside their add-on) must be listed by electron-builder.yml's asarUnpack. No
// Electron binary can be installed on the build machine, so this checks the configuration against the
// production dependencies actually installed: a new native dependency that is not unpacked fails here, not
// on a clinic's workstation.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);
const NATIVE = /\.(node|so(\.\d+)*|dll|dylib)$/;

/** The asarUnpack globs of electron-builder.yml (a YAML list of quoted or plain strings). */
function asarUnpackGlobs(): string[] {
  const lines = readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('asarUnpack:'));
  expect(start, 'electron-builder.yml has an asarUnpack list').toBeGreaterThanOrEqual(0);
  const globs: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const item = /^\s+-\s+(.+?)\s*$/.exec(line);
    if (item) globs.push(item[1]!.replace(/^["']|["']$/g, ''));
  }
  return globs;
}

function nativeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && NATIVE.test(e.name))
    .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

describe('the desktop package (electron-builder.yml)', () => {
  it('unpacks every native library of the production dependencies from the asar archive', async () => {
    const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 }).catch(
      // npm ls exits 1 on an extraneous or invalid package but still lists what is installed.
      (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }),
    );
    const packages = [...new Set(stdout.split('\n').filter((p) => p.startsWith(path.join(repoRoot, 'node_modules'))))];
    expect(packages.length).toBeGreaterThan(50);
    const globs = asarUnpackGlobs();
    const files = packages.flatMap(nativeFiles);
    // node-llama-cpp's CPU build for this platform is among them (the GPU builds are omitted; README).
    expect(files.some((f) => f.startsWith('node_modules/@node-llama-cpp/') && /\.(so|dll|dylib)$/.test(f))).toBe(true);
    const packed = files.filter((f) => !globs.some((g) => path.matchesGlob(f, g)));
    expect(packed).toEqual([]);
  });
});
