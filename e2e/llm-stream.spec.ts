import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChatServer } from '../testing/llm/chat-server.ts';
import { launchBrowser, openApp, removeDir, speechWav, startApp, wavSeconds, type RunningApp } from './harness.ts';
import type { Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe.ts';
import { startTinyPracticeServer, type TinyPracticeServer, writeServerDraftingSettings } from './llm-harness.ts';

// A visit drafted by a practice server that streams: the server (running the tiny model) holds its answer
// after the first finished section until the test lets it go, so the note is seen with that section and
// not the rest — no timing involved. Then: the whole draft replaces it, editable. And a stopped drafting
// gives the built-in draft with none of the streamed text.

let app: RunningApp;
let dataDir: string;
let server: TinyPracticeServer;
let chat: ChatServer;
let wav: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'scribe-e2e-stream-'));
  server = await startTinyPracticeServer(dataDir, { seed: 1, writesNumbers: true });
  chat = server.chat;
  chat.behaviour = { kind: 'model', stepped: true };
  wav = speechWav(
    'She has had a headache for three days. We will check her blood pressure again in two weeks.',
    path.join(dataDir, 'visit.wav'),
  );
  writeServerDraftingSettings(dataDir, server);
  app = await startApp({ dataDir });
});

test.afterAll(async () => {
  await app?.stop();
  await server?.close();
  if (dataDir) removeDir(dataDir);
});

/** Start the nth encounter's visit, let the microphone play the recording, and stop. */
async function recordVisit(page: Page, nth: number): Promise<void> {
  await page.getByTestId('encounter').nth(nth).getByRole('button', { name: 'Start visit' }).click();
  // The note is drafted on the practice server: the patient is not told everything stays on this computer.
  const consent = page.getByTestId('consent-dialog');
  await expect(consent).toContainText(`stay within our practice, on this computer and our own server (${new URL(chat.url).host})`);
  await expect(consent).not.toContainText('stay on this computer');
  await consent.getByRole('button', { name: /Patient agreed/ }).click();
  await expect(page.getByTestId('visit-status')).toHaveText('recording');
  const seconds = wavSeconds(wav);
  await expect
    .poll(async () => Number(await page.getByTestId('audio-seconds').getAttribute('data-seconds')), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(seconds - 0.5);
  await page.getByTestId('stop').click();
}

test('sections appear in the note as the model finishes them, before the draft is complete', async () => {
  const browser = await launchBrowser({ micWav: wav });
  try {
    const page = await openApp(browser, app);
    await recordVisit(page, 0);
    await chat.holding(); // the answer's first section is sent; the rest waits
    // Which step runs where, precisely (decision 0205): recognition here, drafting on the practice server.
    await expect(page.getByTestId('processing')).toHaveText(
      `Transcribing on this computer, drafting on our own server (${new URL(chat.url).host})…`,
    );
    const preview = page.getByTestId('drafting-preview');
    const first = preview.locator('textarea').first();
    await expect(first).toHaveValue(/^\d+$/, { timeout: 120_000 });
    // Before the draft is complete: still drafting, one section only, read-only, no editable note yet.
    await expect(page.getByTestId('visit-status')).toHaveText('processing');
    await expect(preview.locator('textarea')).toHaveCount(1);
    await expect(first).toHaveAttribute('readonly', '');
    await expect(page.getByTestId('drafting-badge')).toHaveText(/Drafting… 1 section so far/);
    await expect(preview.locator('.drafting-flags')).toContainText('you will keep or remove it before signing');
    await expect(page.getByTestId('note-editor')).toHaveCount(0);
    const streamedText = await first.inputValue();
    const sectionId = (await first.getAttribute('id'))!.replace(/^drafting-/, '');
    await page.screenshot({ path: path.join(os.tmpdir(), 'scribe-llm-streaming.png'), fullPage: true });
    await expectNoAxeViolations(page, 'the note while it is drafted');

    chat.release();
    await expect(page.getByTestId('visit-status')).toHaveText('draft', { timeout: 120_000 });
    await expect(page.getByTestId('drafting-preview')).toHaveCount(0);
    const section = page.locator(`#section-${sectionId}`);
    await expect(section).toHaveValue(streamedText);
    await expect(section).not.toHaveAttribute('readonly', '');
    await expect(page.getByTestId('draft-origin')).toHaveText(/practice server \(tiny-served\)/);

    // A redraft with another template streams too: the editor is hidden (not unmounted) meanwhile, and the
    // clinician's edit survives it.
    const plan = page.locator('#section-assessment_plan');
    await plan.fill('Recheck blood pressure in two weeks (edited by the clinician).');
    await plan.press('Tab');
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
    await page.getByTestId('template-select').selectOption('problem-focused');
    await chat.holding();
    const redraft = page.getByTestId('drafting-preview');
    await expect(redraft.locator('textarea')).toHaveCount(1);
    await expect(redraft.locator('#drafting-chief_complaint')).toHaveValue(/^\d+$/);
    await expect(page.getByTestId('note-editor')).toBeHidden();
    await expect(page.getByTestId('template-select')).toBeDisabled();
    await expect(page.getByTestId('sign')).toBeDisabled();
    await page.screenshot({ path: path.join(os.tmpdir(), 'scribe-llm-redraft-streaming.png'), fullPage: true });
    chat.release();
    await expect(page.getByTestId('drafting-preview')).toHaveCount(0);
    await expect(page.getByTestId('note-editor')).toBeVisible();
    await expect(page.getByTestId('sign')).toBeEnabled();
    await expect(page.locator('#section-chief_complaint')).toHaveValue(/^\d+$/);
    await expect(plan).toHaveValue('Recheck blood pressure in two weeks (edited by the clinician).');
    await expect(page.getByTestId('section-assessment_plan')).toHaveAttribute('data-edited', 'true');
  } finally {
    await browser.close();
  }
});

test('stopping the drafting gives the built-in draft, keeping none of the streamed text', async () => {
  const browser = await launchBrowser({ micWav: wav });
  try {
    const page = await openApp(browser, app);
    await recordVisit(page, 1);
    await chat.holding();
    const first = page.getByTestId('drafting-preview').locator('textarea').first();
    await expect(first).toHaveValue(/^\d+$/, { timeout: 120_000 });
    const streamedText = await first.inputValue();
    await page.getByTestId('stop-drafting').click();

    await expect(page.getByTestId('visit-status')).toHaveText('draft', { timeout: 120_000 });
    await expect(page.getByTestId('draft-fallback')).toContainText('was stopped; nothing it had written was kept');
    await expect(page.getByTestId('draft-origin')).toHaveText(/built-in drafter/);
    const texts = await page
      .getByTestId('note-editor')
      .locator('textarea')
      .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
    expect(texts.join('\n')).not.toContain(streamedText);
  } finally {
    await browser.close();
  }
});

test('leaving the visit while it drafts saves no half-written note: the complete draft is there on return', async () => {
  const browser = await launchBrowser({ micWav: wav });
  try {
    const page = await openApp(browser, app);
    await recordVisit(page, 2);
    await chat.holding();
    await expect(page.getByTestId('drafting-preview').locator('textarea')).toHaveCount(1, { timeout: 120_000 });
    const patient = (await page.locator('.visit-head h1').innerText()).trim();
    await page.getByRole('button', { name: '← Today' }).click();
    chat.release();
    const recent = page
      .getByTestId('recent-visits')
      .getByRole('button', { name: new RegExp(patient) })
      .first();
    await expect(recent).toBeVisible();
    await recent.click();
    await expect(page.getByTestId('visit-status')).toHaveText('draft', { timeout: 120_000 });
    await expect(page.getByTestId('drafting-preview')).toHaveCount(0);
    await expect(page.getByTestId('draft-origin')).toHaveText(/practice server \(tiny-served\)/);
    // Every section of the saved draft is the model's whole answer, none left half-written.
    const texts = await page
      .getByTestId('note-editor')
      .locator('textarea')
      .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) expect(text).toMatch(/^(- )?\d+$/);
  } finally {
    await browser.close();
  }
});
