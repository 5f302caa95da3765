import { expect, type Locator, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, openApp, removeDir, speechWav, wavSeconds, type RunningApp } from './harness.ts';

/**
 * A page of the app whose fake microphone will say `spoken` (flite) once: `body` gets the page and how long
 * the recording is; the browser and the speech file are gone afterwards.
 */
export async function withSpeakingPage(
  app: RunningApp,
  spoken: string,
  body: (page: Page, seconds: number) => Promise<void>,
): Promise<void> {
  const fixtures = mkdtempSync(path.join(os.tmpdir(), 'scribe-speech-'));
  const wav = speechWav(spoken, path.join(fixtures, 'visit.wav'));
  const browser = await launchBrowser({ micWav: wav });
  try {
    const page = await openApp(browser, app);
    await expect(page.getByTestId('profile-select')).toHaveValue(/.+/);
    await body(page, wavSeconds(wav));
  } finally {
    await browser.close();
    removeDir(fixtures);
  }
}

/** Start `encounter`'s visit (a schedule row) with the patient's consent, and record until all `seconds` are in. */
export async function recordVisit(page: Page, encounter: Locator, seconds: number): Promise<void> {
  await encounter.getByRole('button', { name: 'Start visit' }).click();
  await page
    .getByTestId('consent-dialog')
    .getByRole('button', { name: /Patient agreed/ })
    .click();
  await expect(page.getByTestId('visit-status')).toHaveText('recording');
  await expect
    .poll(async () => Number(await page.getByTestId('audio-seconds').getAttribute('data-seconds')), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(seconds - 0.5);
}

/** From the schedule: the first encounter's visit, recorded. */
export async function recordFirstEncounter(page: Page, seconds: number): Promise<void> {
  await page.getByTestId('nav-schedule').click();
  await recordVisit(page, page.getByTestId('encounter').first(), seconds);
}
