import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readManifest, requireAsset } from '../../app/assets/index.ts';
import { INDEX_FORMAT } from '../../app/coding/compile.ts';
import { installTerminology, TERMINOLOGY_ASSET } from '../../app/coding/index.ts';

/**
 * For tests and benches: the terminology pack installed with the real installer (`--from` the shared
 * folder) into a temp assets folder. It is installed and compiled once and reused by later test files
 * of the run (and later runs) as long as the manifest pins, the index format and the compiler's source
 * are unchanged.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');

export function sharedDir(): string {
  return process.env.SCRIBE_SHARED_DIR ? path.resolve(process.env.SCRIBE_SHARED_DIR) : path.resolve(repoRoot, '..', 'shared');
}

function cacheKey(): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(readManifest().assets.find((a) => a.name === TERMINOLOGY_ASSET)));
  h.update(String(INDEX_FORMAT));
  for (const f of ['compile.ts', 'text.ts']) h.update(readFileSync(path.join(repoRoot, 'app', 'coding', f)));
  return h.digest('hex').slice(0, 16);
}

function holderAlive(lockDir: string): boolean {
  try {
    process.kill(Number(readFileSync(path.join(lockDir, 'pid'), 'utf8')), 0);
    return true;
  } catch (e) {
    // EPERM: alive but not ours; no pid file yet: the holder is still writing it.
    return (e as NodeJS.ErrnoException).code === 'EPERM' || !existsSync(path.join(lockDir, 'pid'));
  }
}

/** One installer at a time across the test run's worker processes; a dead holder's lock is taken over. */
async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch {
      if (Date.now() > deadline || !holderAlive(lockDir)) rmSync(lockDir, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** The assets folder holding an installed, compiled terminology pack; installs it when needed. */
export async function testTerminologyAssets(): Promise<{ assetsDir: string; terminologyDir: string; installedNow: boolean }> {
  const assetsDir = path.join(os.tmpdir(), `scribe-test-assets-${cacheKey()}`);
  mkdirSync(assetsDir, { recursive: true });
  return withLock(`${assetsDir}.lock`, async () => {
    const ready = existsSync(path.join(assetsDir, TERMINOLOGY_ASSET, 'installed.json'));
    if (!ready) await installTerminology({ from: path.join(sharedDir(), 'terminology'), dir: assetsDir });
    return { assetsDir, terminologyDir: requireAsset(TERMINOLOGY_ASSET, { dir: assetsDir }), installedNow: !ready };
  });
}
