import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, openApp, removeDir, startApp, type RunningApp } from './harness.ts';
import { VISIT_SPEECH, bridgeCall, callFails, draftedVisit } from './queue-helpers.ts';

// Two editor windows on one note: the second sees the lock (who, since when) and cannot write; when it
// takes over, the first window's next save is refused and its text is kept as a version: nothing typed is lost.

let app: RunningApp;
let fixtures: string;

test.beforeAll(async () => {
  fixtures = mkdtempSync(path.join(os.tmpdir(), 'scribe-lock-'));
  app = await startApp();
});

test.afterAll(async () => {
  await app?.stop();
  if (app) removeDir(app.dataDir);
  if (fixtures) removeDir(fixtures);
});

test('a concurrent edit attempt from a second session shows the lock and loses no text', async () => {
  const visit = await draftedVisit(app, fixtures, VISIT_SPEECH);
  const section = visit.draft!.sections.at(-1)!;
  await bridgeCall(app, 'queue.assign', { visitId: visit.id, scribeId: 'sam-scribe' });
  await bridgeCall(app, 'session.useProfile', { profileId: 'sam-scribe' });

  const browser = await launchBrowser();
  try {
    // Window A opens the note and holds the lock.
    const a = await openApp(browser, app);
    await a.locator(`[data-testid="queue-item"][data-visit-id="${visit.id}"]`).getByTestId('queue-open').click();
    const boxA = a.getByTestId(`queue-section-${section.id}`);
    await expect(boxA).toBeEditable();
    await boxA.click();
    await boxA.press('Control+End');
    await boxA.pressSequentially(' First edit from window A.');
    await boxA.blur();
    await expect(a.getByTestId('queue-save-state')).toHaveText('All changes saved');

    // Window B (a second browser session) sees who holds the lock and since when, read-only.
    const b = await openApp(browser, app);
    await b
      .locator(`[data-testid="queue-item"][data-visit-id="${visit.id}"]`)
      .getByTestId('queue-lock')
      .filter({ hasText: 'Sam Ortiz' })
      .waitFor();
    await b.locator(`[data-testid="queue-item"][data-visit-id="${visit.id}"]`).getByTestId('queue-open').click();
    const banner = b.getByTestId('lock-banner');
    await expect(banner).toContainText('Sam Ortiz');
    await expect(banner).toContainText('editing since');
    const boxB = b.getByTestId(`queue-section-${section.id}`);
    await expect(boxB).not.toBeEditable();
    await expect(boxB).toHaveValue(/First edit from window A\.$/);
    // A write that bypasses the UI is refused too.
    expect(
      await callFails(app, 'draft.updateSection', { visitId: visit.id, sectionId: section.id, text: 'overwrite', baseVersion: 1 }),
    ).not.toBe('ok');

    // Window A types more without saving yet; window B takes over.
    await boxA.click();
    await boxA.press('Control+End');
    await boxA.pressSequentially(' Second edit typed in A.');
    await b.getByTestId('take-over').click();
    await expect(boxB).toBeEditable();

    // A learns it lost the lock; its save is refused and its text kept on screen and as a version.
    await expect(a.getByTestId('lost-lock')).toBeVisible();
    await a.getByTestId('queue-section-' + section.id).blur();
    await expect(boxA).toHaveValue(/Second edit typed in A\.$/);
    const versions = await bridgeCall(app, 'queue.versions', { visitId: visit.id });
    await expect
      .poll(
        async () =>
          (await bridgeCall(app, 'queue.versions', { visitId: visit.id })).some(
            (v) => v.kind === 'conflict' && v.sections.some((s) => s.text.endsWith('Second edit typed in A.')),
          ),
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(versions.some((v) => v.kind === 'saved' && v.sections.some((s) => s.text.endsWith('First edit from window A.')))).toBe(true);

    // The note itself was not overwritten by A: it holds A's saved text, which B now edits.
    const current = await bridgeCall(app, 'visit.get', { visitId: visit.id });
    expect(current.draft!.sections.find((s) => s.id === section.id)!.text).toMatch(/First edit from window A\.$/);
    await boxB.click();
    await boxB.press('Control+End');
    await boxB.pressSequentially(' Edit from B.');
    await boxB.blur();
    await expect(b.getByTestId('queue-save-state')).toHaveText('All changes saved');
    const after = await bridgeCall(app, 'visit.get', { visitId: visit.id });
    expect(after.draft!.sections.find((s) => s.id === section.id)!.text).toMatch(/First edit from window A\. Edit from B\.$/);
  } finally {
    await browser.close();
  }
});
