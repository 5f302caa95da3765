import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fhirRead, launchBrowser, openApp, removeDir, startApp, type RunningApp } from './harness.ts';
import { signAndSeePostedByEvent } from './no-polling.ts';
import {
  VISIT_SPEECH,
  bridgeCall,
  callFails,
  clinicianQueue,
  draftedVisit,
  scribeAppends,
  scribeOpens,
  sendToScribe,
} from './queue-helpers.ts';

// The scribe's day: a clinician sends a drafted note to the scribe; the scribe edits it beside the
// transcript and marks it ready; the clinician sees exactly what changed against the AI draft, signs,
// and the DocumentReference in the EHR carries the scribe's edits. The scribe can never sign.

const SCRIBE_LINE = 'Scribe added: recheck blood pressure in two weeks.';

let app: RunningApp;
let fixtures: string;

test.beforeAll(async () => {
  fixtures = mkdtempSync(path.join(os.tmpdir(), 'scribe-queue-'));
  app = await startApp();
});

test.afterAll(async () => {
  await app?.stop();
  if (app) removeDir(app.dataDir);
  if (fixtures) removeDir(fixtures);
});

test('a scribe edits and marks ready; the clinician sees the diff, signs; the posted note has the edits', async () => {
  const visit = await draftedVisit(app, fixtures, VISIT_SPEECH);
  const clinicianId = (await bridgeCall(app, 'session.get', {})).user!.id;
  const last = visit.draft!.sections.at(-1)!;

  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);

    // Clinician: send the drafted visit to the scribe.
    await sendToScribe(page);

    // Scribe: the queue shows the visit; open it (takes the lock), edit beside the transcript, hand over.
    await scribeOpens(page, visit.id);
    await expect(page.getByTestId('audio-transcript')).toBeVisible();
    await expect(page.getByTestId('sign')).toHaveCount(0);
    await expect(page.getByTestId('queue-sign')).toHaveCount(0);
    await scribeAppends(page, last.id, SCRIBE_LINE);
    await page.getByTestId('mark-ready').click();
    await expect(page.getByTestId('queue-note-status')).toHaveText('Ready for signature');

    // The scribe can never sign: the core refuses by role, whatever the UI shows.
    expect(await callFails(app, 'visit.sign', { visitId: visit.id })).toBe('forbidden');
    expect((await bridgeCall(app, 'visit.get', { visitId: visit.id })).status).toBe('draft');

    // Clinician: the "waiting for signature" queue, the diff against the AI draft, sign.
    await clinicianQueue(page, clinicianId);
    const waiting = page.locator(`[data-testid="queue-item"][data-visit-id="${visit.id}"]`);
    await expect(waiting).toHaveAttribute('data-status', 'ready_for_signature');
    await waiting.getByTestId('queue-open').click();
    const diff = page.getByTestId(`diff-${last.id}`);
    await expect(diff.locator('ins')).toContainText(SCRIBE_LINE);
    await expect(diff.locator('del')).toHaveCount(0);
    // The post status moves as the outbox reports it (events): no call re-reads the visit (no polling).
    const post = await signAndSeePostedByEvent(page, 'queue-post-status', 'queue-sign');
    const serverId = await post.getAttribute('data-server-id');

    const doc = await fhirRead<{ content: { attachment: { contentType: string; data: string } }[] }>(app, `DocumentReference/${serverId}`);
    const text = Buffer.from(
      doc.content.find((c) => c.attachment.contentType.startsWith('text/plain'))!.attachment.data,
      'base64',
    ).toString('utf8');
    expect(text).toContain(SCRIBE_LINE);

    // And in the scribe's queue it now reads "signed".
    await bridgeCall(app, 'session.useProfile', { profileId: 'sam-scribe' });
    const items = await bridgeCall(app, 'queue.list', {});
    expect(items.find((i) => i.visitId === visit.id)!.status).toBe('signed');
  } finally {
    await browser.close();
  }
});
