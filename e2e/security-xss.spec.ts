import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openKeychain } from '../app/secrets/index.ts';
import { openVault } from '../app/vault/index.ts';
import { launchBrowser, openApp, removeDir, startApp, type RunningApp } from './harness.ts';

// Hostile text (a recognized transcript, a draft, even a patient name from the EHR) renders as inert
// text in Chromium: no element is created from it, no script or handler runs, the CSP blocks the rest.

const IMG = '<img src=x onerror="window.__xss=(window.__xss||0)+1;document.title=\'pwned\'">';
const SCRIPT = '<script>window.__xss=(window.__xss||0)+100</script>';
const SVG = '<svg onload="window.__xss=(window.__xss||0)+1000"></svg>';
const LINK = '<a href="javascript:window.__xss=1e4" id="evil-link">click</a>';

let app: RunningApp;
let dataDir: string;
const visitId = 'v-hostile-text-1';

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'scribe-e2e-xss-'));
  // A visit as the core stores it, written through the real vault and keychain before the app starts.
  const vault = await openVault({ dir: path.join(dataDir, 'vault'), secrets: await openKeychain() });
  const now = new Date().toISOString();
  await vault.visit(visitId).writeJson('visit.json', {
    id: visitId,
    consent: 'agreed',
    clinicianId: 'dana-reyes',
    encounterId: 'enc-today-1',
    patientId: 'maria-gonzalez',
    patientName: `Maria ${IMG}`,
    visitType: 'Follow-up',
    status: 'draft',
    startedAt: now,
    stoppedAt: now,
    audioSeconds: 12,
    transcript: {
      engine: 'sphinx',
      segments: [
        { id: 's1', start: 0, end: 4, text: `patient says ${IMG} hello`, speaker: 'patient' },
        { id: 's2', start: 4, end: 8, text: `doctor says ${SCRIPT} and ${SVG}`, speaker: 'clinician' },
        { id: 's3', start: 8, end: 12, text: LINK, speaker: 'patient' },
      ],
    },
    draft: {
      template: 'soap',
      engine: 'builtin',
      engineVersion: 'test',
      generatedAt: now,
      version: 1,
      sections: [
        {
          id: 'subjective',
          title: `Subjective ${SVG}`,
          text: `Reports ${IMG}`,
          sentences: [{ text: `Reports ${IMG}`, evidence: ['s1'] }],
          edited: false,
        },
        { id: 'plan', title: 'Plan', text: SCRIPT, sentences: [{ text: SCRIPT, evidence: ['s2'] }], edited: false },
      ],
    },
    post: null,
  });
  await vault.close();
  app = await startApp({ dataDir });
});

test.afterAll(async () => {
  await app?.stop();
  if (dataDir) removeDir(dataDir);
});

test('hostile transcript, draft and patient-name text renders as inert text', async () => {
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });

    const recent = page.getByTestId('recent-visits');
    await expect(recent).toContainText('<img src=x onerror=');
    await recent.getByRole('button').first().click();
    await expect(page.getByTestId('visit-status')).toHaveText('draft');

    const transcript = page.getByTestId('transcript');
    await expect(transcript).toContainText(`patient says ${IMG} hello`);
    await expect(transcript).toContainText(`doctor says ${SCRIPT} and ${SVG}`);
    await expect(transcript).toContainText(LINK);
    await expect(page.getByTestId('section-subjective')).toHaveValue(`Reports ${IMG}`);
    await expect(page.getByTestId('section-plan')).toHaveValue(SCRIPT);

    // Give any injected handler time to fire, then check that nothing was created or ran.
    await page.waitForTimeout(1000);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('svg[onload]').count()).toBe(0);
    expect(await page.locator('#evil-link').count()).toBe(0);
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.title()).not.toBe('pwned');
    expect(dialogs).toEqual([]);

    // Defence in depth: the page's CSP forbids inline script even if markup ever got in.
    const blocked = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.appendChild(s);
      return (window as unknown as { __inline?: number }).__inline;
    });
    expect(blocked).toBeUndefined();
    await expect.poll(() => violations.length).toBeGreaterThan(0);
  } finally {
    await browser.close();
  }
});
