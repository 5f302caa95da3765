import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, openApp, removeDir, startApp, type RunningApp } from './harness.ts';
import { VISIT_SPEECH, bridgeCall, draftedVisit, utterancesWav } from './queue-helpers.ts';

// Dictation end to end: Chromium's fake microphone plays flite speech (one utterance after another, with
// pauses), the Dictate control streams it to the core, pocketsphinx recognizes it, spoken commands act
// ("period", "new paragraph", "scratch that") and never appear as words, and the note is saved.

const SPOKEN = [
  'start aspirin daily',
  'period',
  'new paragraph',
  'follow up in two weeks',
  'period',
  'check blood pressure',
  'scratch that',
];
const EXPECTED = 'Start aspirin daily.\n\nFollow up in two weeks.';

let app: RunningApp;
let fixtures: string;

test.beforeAll(async () => {
  fixtures = mkdtempSync(path.join(os.tmpdir(), 'scribe-dictation-'));
  app = await startApp();
});

test.afterAll(async () => {
  await app?.stop();
  if (app) removeDir(app.dataDir);
  if (fixtures) removeDir(fixtures);
});

test('dictating two sentences with "period" and "new paragraph" into Plan, then "scratch that"', async () => {
  const visit = await draftedVisit(app, fixtures, VISIT_SPEECH);
  const plan = visit.draft!.sections.find((s) => /plan/i.test(s.title) || /plan/i.test(s.id));
  expect(plan, `sections: ${visit.draft!.sections.map((s) => s.title).join(', ')}`).toBeTruthy();

  // The 'rms' flite voice: pocketsphinx hears all of these phrases as spoken (with 'slt' "scratch that" often loses its onset).
  const wav = utterancesWav(SPOKEN, path.join(fixtures, 'dictation.wav'), { voice: 'rms' });
  const browser = await launchBrowser({ micWav: wav });
  try {
    const page = await openApp(browser, app);
    await page.getByTestId('recent-visits').getByRole('button').first().click();
    const box = page.getByTestId(`section-${plan!.id}`);
    await expect(box).toBeVisible();

    // Start from an empty Plan so the expected text is exact.
    await box.click();
    await box.press('Control+a');
    await box.press('Delete');
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved');

    // The caret is in Plan; the Dictate control keeps it there.
    await page.getByTestId('dictate-button').click();
    await expect(page.getByTestId('dictate')).toHaveAttribute('data-phase', 'listening');
    await expect(page.getByTestId('dictation-partial')).toBeVisible();

    // The whole scripted dictation, recognized and applied utterance by utterance, ending with "scratch that".
    const control = page.getByTestId('dictate');
    await expect(control).toHaveAttribute('data-utterances', String(SPOKEN.length), { timeout: 90_000 });
    await expect(control).toHaveAttribute('data-last-effect', 'scratched');
    const log = await page
      .getByTestId('dictation-log')
      .locator('li')
      .evaluateAll((items) =>
        items.map((li) => ({ heard: li.getAttribute('data-heard') ?? '', effect: li.getAttribute('data-effect') ?? '' })),
      );
    // Every command acted as a command; every phrase was typed.
    expect(log.map((l) => l.effect)).toEqual(['inserted', 'punctuated', 'punctuated', 'inserted', 'punctuated', 'inserted', 'scratched']);
    // The phrases were recognized (pocketsphinx on synthetic speech may still miss a word)...
    const spokenWords = (i: number) => SPOKEN[i]!.split(' ');
    for (const i of [0, 3]) {
      const heard = log[i]!.heard.toLowerCase().split(' ');
      expect(spokenWords(i).filter((w) => heard.includes(w)).length, `heard ${log[i]!.heard}`).toBeGreaterThanOrEqual(2);
    }
    // ...and Plan holds exactly the two dictated sentences: capitalised, the periods and the paragraph break
    // in place, the scratched phrase gone, no command word typed.
    console.log(`dictation heard: ${JSON.stringify(log.map((l) => l.heard))}`);
    const sentence = (i: number) => log[i]!.heard.charAt(0).toUpperCase() + log[i]!.heard.slice(1);
    const expected = `${sentence(0)}.\n\n${sentence(3)}.`;
    await expect(box).toHaveValue(expected);
    if (log[0]!.heard === SPOKEN[0] && log[3]!.heard === SPOKEN[3]) expect(expected).toBe(EXPECTED);
    for (const word of ['period', 'paragraph', 'scratch']) expect(await box.inputValue()).not.toContain(word);
    await expect(page.getByTestId(`dictated-${plan!.id}`)).toContainText(`${sentence(3)}.`);

    await page.getByTestId('dictate-button').click();
    await expect(page.getByTestId('dictate')).toHaveAttribute('data-phase', 'idle');
    await expect(box).toHaveValue(expected);
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved');

    // Saved in the core, exactly.
    const stored = await bridgeCall(app, 'visit.get', { visitId: visit.id });
    expect(stored.draft!.sections.find((s) => s.id === plan!.id)!.text).toBe(expected);
  } finally {
    await browser.close();
  }
});
