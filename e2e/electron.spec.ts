import { _electron as electron, expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './harness.ts';

// Smoke test of the desktop shell. It runs where an Electron binary exists; on machines where
// electron's postinstall could not download one, it is skipped and says why.
function electronBinary(): string | null {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  console.log(
    '[electron smoke] SKIPPED: no Electron binary is installed here (ELECTRON_SKIP_BINARY_DOWNLOAD, no access to its download host).',
  );
}

test.describe('Electron shell', () => {
  test.skip(!binary, 'no Electron binary installed on this machine');

  test('opens one hardened window on the renderer and exposes only the contract', async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-main.mjs')], { cwd: repoRoot, stdio: 'inherit' });
    const app = await electron.launch({ executablePath: binary!, args: [repoRoot], cwd: repoRoot });
    try {
      const win = await app.firstWindow();
      await expect(win.getByTestId('ehr-badge')).toContainText('Sandbox EHR', { timeout: 60_000 });
      const exposed = await win.evaluate(() => ({
        keys: Object.keys((window as unknown as { scribe: object }).scribe).sort(),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
      }));
      expect(exposed.keys).toContain('visit.start');
      expect(exposed.require).toBe('undefined');
      expect(exposed.process).toBe('undefined');
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const w = BrowserWindow.getAllWindows()[0]!;
        const p = (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
        return { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration };
      });
      expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    } finally {
      await app.close();
    }
  });
});
