import { expect, test } from '@playwright/test';
import { startTranscriptionServer, type TestTranscriptionServer } from '../testing/transcribe/transcription-server.ts';
import { expectNoAxeViolations } from './axe.ts';
import { removeDir, startApp, type RunningApp } from './harness.ts';
import { recordFirstEncounter, withSpeakingPage } from './visit-helpers.ts';

// A visit recognized by a practice transcription server that answers HTTP 500 to every segment: the visit still
// reaches a draft (the local engine's text is kept, decision 0118) and the screen says why, beside the note.
// Nothing here waits on a clock: the server fails at once, every time.

const SPOKEN = 'My knee has been hurting for two weeks. It hurts when I climb the stairs. We will start ibuprofen.';
const CONTENT_WORDS = ['knee', 'hurting', 'two', 'weeks', 'hurts', 'climb', 'stairs', 'start'];

let app: RunningApp;
let asr: TestTranscriptionServer;

test.beforeAll(async () => {
  asr = await startTranscriptionServer('error500');
  app = await startApp();
});

test.afterAll(async () => {
  await app?.stop();
  await asr?.close();
  if (app) removeDir(app.dataDir);
});

test('a transcription server answering 500: the visit reaches a draft from the local text, and the screen says why', async () => {
  await withSpeakingPage(app, SPOKEN, async (page, seconds) => {
    // The workstation recognizes through the practice server.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-engine').selectOption('server');
    await page.getByTestId('settings-asr-server').fill(asr.url);
    await page.getByTestId('settings-asr-model').fill('Systran/faster-whisper-small.en');
    await page.getByTestId('settings-recognition-save').click();
    await expect(page.getByTestId('settings-recognition-status')).toContainText('Saved');

    // The patient is told their recording goes to the practice's own server (decision 0166, from the core's report of
    // where each step runs: decision 0205); the clinician cancels once to read it, then records.
    await page.getByTestId('nav-schedule').click();
    await page.getByTestId('encounter').first().getByRole('button', { name: 'Start visit' }).click();
    const consent = page.getByTestId('consent-dialog');
    await expect(consent).toContainText(`stay within our practice, on this computer and our own server (${new URL(asr.url).host})`);
    await expect(consent).not.toContainText('stay on this computer');
    await consent.getByRole('button', { name: 'Cancel' }).click();

    // Record a visit (the header names its type in words, not its code), stop.
    await recordFirstEncounter(page, seconds);
    await expect(page.getByTestId('visit-type')).toHaveText('Follow-up');

    // The answer to Stop ("processing") and the event of the finished draft travel different roads; under load
    // the answer can come last. Held back here until the draft is on screen, it must not put the visit back
    // to "processing" (the visit that stayed processing forever, with no event left to correct it).
    let stopAnswered!: () => void;
    const staleAnswerDelivered = new Promise<void>((resolve) => (stopAnswered = resolve));
    await page.route('**/api/call/visit.stop', async (route) => {
      const answer = await route.fetch();
      await expect(page.getByTestId('visit-status')).toHaveText('draft', { timeout: 120_000 });
      await route.fulfill({ response: answer });
      stopAnswered();
    });
    const stopFinished = page.waitForEvent('requestfinished', {
      predicate: (r) => r.url().endsWith('/api/call/visit.stop'),
      timeout: 120_000,
    });
    await page.getByTestId('stop').click();
    await staleAnswerDelivered;
    await stopFinished;
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

    // A draft, made from the local engine's text, with the reason in words beside it.
    await expect(page.getByTestId('visit-status')).toHaveText('draft');
    const notices = page.getByTestId('visit-notices');
    await expect(notices).toContainText('Speech recognition:');
    await expect(notices).toContainText(`The transcription server ${asr.url} answered HTTP 500: model not loaded`);
    await expect(notices).toContainText("kept the local engine's text");
    await expectNoAxeViolations(page, 'a draft with the reason recognition fell back');
    const transcript = (await page.getByTestId('transcript').innerText()).toLowerCase();
    expect(CONTENT_WORDS.filter((w) => transcript.includes(w)).length, `recognized: ${transcript}`).toBeGreaterThanOrEqual(3);
    expect(await page.locator('textarea[data-testid^="section-"]').count()).toBeGreaterThan(0);
    expect(asr.requests.length).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: test.info().outputPath('transcription-server-500-visit.png'), fullPage: true });
  });
});
