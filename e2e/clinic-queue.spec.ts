import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testTerminologyAssets } from '../testing/coding/terminology.ts';
import { expectNoAxeViolations } from './axe.ts';
import { launchBrowser, openApp, removeDir, startApp, signThroughReview, type RunningApp } from './harness.ts';
import { VISIT_SPEECH, bridgeCall, clinicianQueue, draftedVisit, scribeAppends, scribeOpens, sendToScribe } from './queue-helpers.ts';

// The hand-off, told truthfully (issue #16): the scribe's own "Ready for signature" is not a lost lock;
// the clinician signs from the queue with the chart and the coding hints in view, through the Sign
// review; afterwards the queue screen says Signed and shows the posted version.

let app: RunningApp;
let fixtures: string;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  fixtures = mkdtempSync(path.join(os.tmpdir(), 'scribe-clinic-queue-'));
  const { assetsDir } = await testTerminologyAssets();
  app = await startApp({ env: { SCRIBE_ASSETS_DIR: assetsDir } });
});

test.afterAll(async () => {
  await app?.stop();
  if (app) removeDir(app.dataDir);
  if (fixtures) removeDir(fixtures);
});

test('hand-off without a false alarm; sign-off from the queue with chart and hints; the signed state and version shown', async () => {
  const visit = await draftedVisit(app, fixtures, VISIT_SPEECH);
  const clinicianId = (await bridgeCall(app, 'session.get', {})).user!.id;
  const last = visit.draft!.sections.at(-1)!;
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    await sendToScribe(page);

    // Scribe: edit, hand over. No red "edit lock was released" banner for their own hand-off.
    await scribeOpens(page, visit.id);
    await expect(page).toHaveTitle(new RegExp(`${visit.patientName} — note from the queue`));
    // The scribe sees the chart and the coding hints too (read-only hints: no Accept for a scribe).
    await expect(page.getByTestId('chart-panel')).toContainText('Active problems');
    await expect(page.getByTestId('coding-panel').locator('[data-testid^="hint-"][data-decision]').first()).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByTestId('coding-panel').getByTestId('hint-accept')).toHaveCount(0);
    await scribeAppends(page, last.id, 'Recheck in two weeks.');
    await expectNoAxeViolations(page, 'queue note (scribe)');
    await page.getByTestId('mark-ready').click();
    await expect(page.getByTestId('queue-note-status')).toHaveText('Ready for signature');
    await page.waitForTimeout(1500); // the queue.updated event of the release has arrived by now
    await expect(page.getByTestId('lost-lock')).toHaveCount(0);
    await expect(page.locator('.error[role="alert"]')).toHaveCount(0);

    // Clinician: from the queue, chart and hints beside the note; decide one hint; sign through the review.
    await clinicianQueue(page, clinicianId);
    await page.locator(`[data-testid="queue-item"][data-visit-id="${visit.id}"]`).getByTestId('queue-open').click();
    await expect(page.getByTestId('chart-panel').locator('li').first()).toBeVisible();
    const hint = page.getByTestId('coding-panel').locator('[data-testid^="hint-icd10cm"]').first();
    await expect(hint).toBeVisible({ timeout: 30_000 });
    await hint.getByTestId('hint-accept').click();
    await expect(hint).toHaveAttribute('data-decision', 'accept');
    const reviewed = await signThroughReview(page, 'queue-sign');
    expect(reviewed).toContain('Review before signing');
    const post = page.getByTestId('queue-post-status');
    await expect(post).toHaveAttribute('data-status', 'posted', { timeout: 60_000 });
    await expect(page.getByTestId('queue-note-status')).toHaveText('Signed');
    const version = await post.getAttribute('data-version-id');
    expect(version).toBeTruthy();
    await expect(post).toContainText(`(version ${version})`);
    // The accepted diagnosis travelled with the note.
    const signed = await bridgeCall(app, 'visit.get', { visitId: visit.id });
    expect(signed.codingDecisions?.some((d) => d.action === 'accept')).toBe(true);
  } finally {
    await browser.close();
  }
});
