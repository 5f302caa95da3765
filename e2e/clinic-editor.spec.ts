import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testTerminologyAssets } from '../testing/coding/terminology.ts';
import { expectNoAxeViolations } from './axe.ts';
import { launchBrowser, openApp, removeDir, repoRoot, startApp, type RunningApp } from './harness.ts';
import { VISIT_SPEECH, bridgeCall, draftedVisit, wavPcm } from './queue-helpers.ts';

// A clinician's day with the note editor (issue #16): boxes that grow with their text, a one-page read
// view, errors under the section that caused them in plain words, a page that stays put when a sentence
// is clicked, a Sign review step before anything is posted, and status that tells the truth afterwards.

let app: RunningApp;
let fixtures: string;
const shots = path.join(repoRoot, '.tmp', 'shots');

test.beforeAll(async () => {
  test.setTimeout(300_000);
  fixtures = mkdtempSync(path.join(os.tmpdir(), 'scribe-clinic-'));
  mkdirSync(shots, { recursive: true });
  const { assetsDir } = await testTerminologyAssets();
  app = await startApp({ env: { SCRIBE_ASSETS_DIR: assetsDir } });
});

test.afterAll(async () => {
  await app?.stop();
  if (app) removeDir(app.dataDir);
  if (fixtures) removeDir(fixtures);
});

const LONG_PARAGRAPH = Array.from(
  { length: 14 },
  (_, i) => `Sentence ${i + 1} of a long assessment paragraph that wraps over several lines without any line break in it.`,
).join(' ');

async function boxFitsText(page: Page, testId: string): Promise<{ scroll: number; client: number }> {
  return page.getByTestId(testId).evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
}

test('editor: boxes grow, the read view shows the note as posted, limits and errors sit under the section, clicks do not scroll the page', async () => {
  const visit = await draftedVisit(app, fixtures, VISIT_SPEECH);
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    await page.setViewportSize({ width: 1280, height: 900 });

    // The schedule row says where this visit stands, and opens it.
    const row = page.locator(`[data-testid="encounter"][data-encounter-id="${visit.encounterId}"]`);
    await expect(row.getByTestId('encounter-state')).toHaveText('Draft to review');
    await row.getByRole('button', { name: /Open visit/ }).click();
    await expect(page.getByTestId('visit-status')).toHaveText('draft');
    await expect(page).toHaveTitle(new RegExp(`${visit.patientName} — note — Scribe`));
    await expect(page.getByRole('heading', { level: 1, name: visit.patientName })).toBeFocused();

    // A long paragraph without line breaks: the box grows to show all of it (no scrolling inside it).
    const sections = visit.draft!.sections;
    const assess = sections.find((s) => /assess/i.test(s.id)) ?? sections.at(-2)!;
    const box = page.getByTestId(`section-${assess.id}`);
    await box.fill(LONG_PARAGRAPH);
    await box.blur();
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
    const fit = await boxFitsText(page, `section-${assess.id}`);
    expect(fit.scroll).toBeLessThanOrEqual(fit.client + 2);
    expect(fit.client).toBeGreaterThan(120);
    await page.screenshot({ path: path.join(shots, 'editor-grown.png'), fullPage: true });

    // Clicking a drafted sentence shows its evidence without scrolling the page away from the box.
    const hpi = sections.find((s) => s.sentences.length > 0 && s.id !== assess.id)!;
    const hpiBox = page.getByTestId(`section-${hpi.id}`);
    await hpiBox.scrollIntoViewIfNeeded();
    const before = await page.evaluate(() => window.scrollY);
    await hpiBox.click({ position: { x: 30, y: 12 } });
    await expect(page.getByTestId('evidence-bar')).not.toHaveAttribute('data-evidence-count', '0');
    await page.waitForTimeout(600); // a smooth scroll would have moved by now
    expect(await page.evaluate(() => window.scrollY)).toBe(before);

    // The whole note on one page, exactly as it will be posted.
    await page.getByTestId('read-view-toggle').click();
    const read = page.getByTestId('read-view');
    await expect(read).toContainText(assess.title.toUpperCase());
    await expect(read).toContainText('Sentence 14 of a long assessment paragraph');
    await expect(read).toContainText('CONSENT');
    await page.screenshot({ path: path.join(shots, 'read-view.png'), fullPage: true });
    await page.getByTestId('read-view-toggle').click();

    // Over the length limit: said under the section, in plain words; not sent; Sign is held back for it.
    const plan = page.getByTestId(`section-${sections.at(-1)!.id}`);
    await plan.evaluate((el, text) => {
      const area = el as HTMLTextAreaElement;
      const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
      setter.call(area, text);
      area.dispatchEvent(new Event('input', { bubbles: true }));
    }, 'x'.repeat(100_050));
    const planError = page.getByTestId(`section-${sections.at(-1)!.id}-error`);
    await expect(planError).toContainText('50 characters over the limit of 100,000');
    await expect(page.getByText(/Invalid input for/)).toHaveCount(0);
    await page.getByTestId('sign').click();
    const review = page.getByTestId('sign-review');
    await expect(review.getByTestId('review-over-limit')).toContainText(sections.at(-1)!.title);
    await expect(review.getByTestId('sign-confirm')).toBeDisabled();
    await review.getByRole('button', { name: 'Back to the note' }).click();
    await plan.fill('Recheck blood pressure in two weeks.');
    await plan.blur();
    await expect(planError).toHaveCount(0);
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
    expect((await bridgeCall(app, 'visit.get', { visitId: visit.id })).draft!.sections.at(-1)!.text).toBe(
      'Recheck blood pressure in two weeks.',
    );

    await expectNoAxeViolations(page, 'visit (draft)');
  } finally {
    await browser.close();
  }
});

test('sign: the review lists unedited AI text, undecided hints and chart differences; the clinician confirms; status tells the truth after', async () => {
  const visit = await draftedVisit(app, fixtures, VISIT_SPEECH);
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByTestId('recent-visits').getByRole('button').first().click();
    await expect(page.getByTestId('visit-status')).toHaveText('draft');

    // Accept one hint: its Accept/Reject buttons give way to the decision (and a Change link).
    const panel = page.getByTestId('coding-panel');
    const firstHint = panel.locator('[data-testid^="hint-"][data-decision]').first();
    await expect(firstHint).toBeVisible({ timeout: 30_000 });
    const hintCount = await panel.locator('[data-testid^="hint-"][data-decision]').count();
    const acceptedId = (await firstHint.getAttribute('data-testid'))!.replace(/^hint-/, '');
    await firstHint.getByTestId('hint-accept').click();
    await expect(firstHint).toHaveAttribute('data-decision', 'accept');
    await expect(firstHint.getByTestId('hint-accept')).toHaveCount(0);
    await expect(firstHint.getByTestId('hint-reject')).toHaveCount(0);
    await expect(firstHint.getByTestId('hint-decision')).toBeFocused();
    await expect(page.getByTestId('status-region')).toContainText('Accepted');

    // The review: every section is still the AI's words; undecided hints are listed; the medicine said
    // in the visit (lisinopril) is not on this patient's chart.
    await page.getByTestId('sign').click();
    const review = page.getByTestId('sign-review');
    await expect(review).toBeVisible();
    await expect(review.getByTestId('review-unedited')).toContainText(visit.draft!.sections.find((s) => s.sentences.length)!.title);
    if (hintCount > 1) await expect(review.getByTestId('review-undecided').locator('li')).toHaveCount(hintCount - 1);
    await expect(review.getByTestId('review-undecided').locator(`[data-hint="${acceptedId}"]`)).toHaveCount(0);
    const chartMeds = await page.getByTestId('chart-panel').innerText();
    const problemsBefore = await page.getByTestId('chart-panel').locator('ul').first().locator('li').allInnerTexts();
    if (!/lisinopril/i.test(chartMeds)) await expect(review.getByTestId('review-medicines')).toContainText('lisinopril');
    await page.screenshot({ path: path.join(shots, 'sign-review.png') });
    await expectNoAxeViolations(page, 'sign review');
    // Nothing is posted before the clinician confirms.
    await expect(review.getByTestId('sign-confirm')).toBeDisabled();
    await review.getByTestId('review-confirm').check();
    await review.getByTestId('sign-confirm').click();
    const post = page.getByTestId('post-status');
    await expect(post).toHaveAttribute('data-status', 'posted', { timeout: 60_000 });
    await expect(post).toBeFocused();
    await expect(page.getByTestId('status-region')).toContainText('posted');

    // The accepted encounter diagnosis is not a second active problem in the chart panel.
    await page.reload();
    await page.getByTestId('recent-visits').getByRole('button').first().click();
    const chart = page.getByTestId('chart-panel');
    await expect(chart.locator('li').first()).toBeVisible();
    const problems = await chart.locator('ul').first().locator('li').allInnerTexts();
    expect(problems.sort(), 'the posted encounter diagnosis is not a problem-list item').toEqual(problemsBefore.sort());

    // The schedule row shows the posted note.
    await page.getByRole('button', { name: '← Today' }).click();
    await expect(
      page.locator(`[data-testid="encounter"][data-encounter-id="${visit.encounterId}"]`).getByTestId('encounter-state'),
    ).toHaveText('Note posted');
    await expectNoAxeViolations(page, 'schedule');
  } finally {
    await browser.close();
  }
});

test('a declined visit is labelled honestly: not recorded, written by the clinician', async () => {
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    const encounter = page.getByTestId('encounter').first();
    await encounter.getByRole('button', { name: 'Start visit' }).click();
    await page
      .getByTestId('consent-dialog')
      .getByRole('button', { name: /Patient declined/ })
      .click();
    await expect(page.getByTestId('visit-status')).toHaveText('draft', { timeout: 60_000 });
    await expect(page.getByTestId('draft-origin')).toHaveText(/Not recorded \(the patient declined\)/);
    await expect(page.getByTestId('draft-origin')).not.toContainText('built-in drafter');
    await expect(page.getByTestId('transcript-empty')).toHaveText('Not recorded: the patient declined recording.');
    await page.getByRole('button', { name: '← Today' }).click();
    await expect(page.getByTestId('encounter').first().getByTestId('encounter-state')).toHaveText('Note to write (not recorded)');
  } finally {
    await browser.close();
  }
});

test('wrong patient: a hypertension and diabetes visit recorded under a patient on levothyroxine and sertraline is flagged', async () => {
  const encounters = await bridgeCall(app, 'schedule.today', {});
  const linda = encounters.find((e) => /Okafor/.test(e.patientName));
  expect(linda, 'the sandbox schedules Linda Okafor today').toBeTruthy();
  const visit = await bridgeCall(app, 'visit.start', { encounterId: linda!.encounterId, consent: 'agreed' });
  const wav = path.join(fixtures, 'wrong-patient.wav');
  execFileSync('flite', [
    '-voice',
    'slt',
    '-t',
    'Your blood pressure is high and your diabetes is not controlled. Continue lisinopril ten milligrams and metformin five hundred milligrams twice daily.',
    '-o',
    `${wav}.raw.wav`,
  ]);
  execFileSync('sox', [`${wav}.raw.wav`, '-r', '16000', '-c', '1', '-b', '16', wav, 'pad', '0.3', '1']);
  const pcm = wavPcm(wav);
  for (let seq = 0, at = 0; at < pcm.length; seq++, at += 32000) {
    await bridgeCall(app, 'visit.appendAudio', { visitId: visit.id, seq, pcm16: pcm.subarray(at, at + 32000).toString('base64') });
  }
  await bridgeCall(app, 'visit.stop', { visitId: visit.id });
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    await page
      .locator(`[data-testid="encounter"][data-encounter-id="${linda!.encounterId}"]`)
      .getByRole('button', { name: /Open visit/ })
      .click();
    await expect(page.getByTestId('visit-status')).toHaveText('draft', { timeout: 120_000 });
    await expect(page.getByTestId('chart-panel')).toContainText(/levothyroxine/i);
    const warning = page.getByTestId('wrong-patient');
    await expect(warning).toBeVisible({ timeout: 30_000 });
    await expect(warning).toContainText('is this the right patient?');
    await page.getByTestId('sign').click();
    await expect(page.getByTestId('sign-review').getByTestId('review-wrong-patient')).toBeVisible();
  } finally {
    await browser.close();
  }
});
