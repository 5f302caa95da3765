import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectNoAxeViolations } from './axe.ts';
import { appPerFile, fhirRead, launchBrowser, openApp, removeDir, speechWav } from './harness.ts';
import { bridgeCall, utterancesWav } from './queue-helpers.ts';

// Keyboard and screen readers (issue #16): real modals (consent, lock), focus on each new screen's
// heading and a page title naming it, Import reachable by keyboard and the file checked before consent,
// a microphone picker, a live transcript that follows speech, a speaker control per turn, and a
// keyboard-only visit from the schedule to Sign. axe-core checks each screen on the way.

const app = appPerFile();
let fixtures: string;
test.beforeAll(() => {
  fixtures = mkdtempSync(path.join(os.tmpdir(), 'scribe-a11y-'));
});
test.afterAll(() => {
  if (fixtures) removeDir(fixtures);
});

/** Press Tab until `match` has focus (keyboard only, as a person would); fails after `max` presses. */
async function tabTo(page: Page, match: (el: Element) => boolean, max = 60, shift = false): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    const hit = await page.evaluate(`(${match.toString()})(document.activeElement)`);
    if (hit) return;
  }
  throw new Error(`Tab never reached the element (${match.toString()})`);
}

const activeInside = (page: Page, testId: string) =>
  page.evaluate((id) => !!document.activeElement?.closest(`[data-testid="${id}"]`), testId);

test('keyboard only: schedule → consent (a real modal) → visit → type the note → Sign review → posted', async () => {
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    await expect(page.getByTestId('encounter').first()).toBeVisible();
    await expect(page).toHaveTitle('Today — Scribe');
    await expect(page.getByTestId('today-date')).toHaveText(
      new Date().toLocaleDateString('en-US', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
    );
    await expectNoAxeViolations(page, 'schedule');

    const row = page.getByTestId('encounter').first();
    const encounterId = (await row.getAttribute('data-encounter-id'))!;
    await tabTo(
      page,
      (el) =>
        el.textContent === 'Start visit' && el.closest('[data-testid="encounter"]') === document.querySelector('[data-testid="encounter"]'),
    );
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('consent-dialog');
    await expect(dialog).toBeVisible();
    expect(await activeInside(page, 'consent-dialog')).toBe(true);
    // The page behind is inert and Tab stays in the dialog.
    expect(await page.evaluate(() => document.getElementById('root')!.hasAttribute('inert'))).toBe(true);
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      expect(await activeInside(page, 'consent-dialog')).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await activeInside(page, 'consent-dialog')).toBe(true);
    await expectNoAxeViolations(page, 'consent dialog');
    // Escape cancels; focus returns to the button that opened it.
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Start visit');
    expect(await page.evaluate(() => document.getElementById('root')!.hasAttribute('inert'))).toBe(false);

    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await tabTo(page, (el) => /Patient declined/.test(el.textContent ?? ''));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('visit-status')).toHaveText('draft', { timeout: 60_000 });
    const patient = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
    await expect(page).toHaveTitle(`${patient} — note — Scribe`);

    // Type into the first section, then Sign and confirm, all by keyboard.
    await tabTo(page, (el) => el.tagName === 'TEXTAREA');
    await page.keyboard.type('Patient seen for a blood pressure check. Doing well.');
    await tabTo(page, (el) => (el as HTMLElement).dataset['testid'] === 'sign');
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
    await expectNoAxeViolations(page, 'visit (declined, draft)');
    await page.keyboard.press('Enter');
    const review = page.getByTestId('sign-review');
    await expect(review).toBeVisible();
    expect(await activeInside(page, 'sign-review')).toBe(true);
    await tabTo(
      page,
      (el) => (el as HTMLElement).dataset['testid'] === 'sign-confirm' || (el as HTMLElement).dataset['testid'] === 'review-confirm',
      10,
    );
    if (await page.evaluate(() => (document.activeElement as HTMLElement).dataset['testid'] === 'review-confirm')) {
      await page.keyboard.press('Space');
      await tabTo(page, (el) => (el as HTMLElement).dataset['testid'] === 'sign-confirm', 5);
    }
    await page.keyboard.press('Enter');
    const post = page.getByTestId('post-status');
    await expect(post).toHaveAttribute('data-status', 'posted', { timeout: 60_000 });
    await expect(post).toBeFocused();
    await expect(page.getByTestId('status-region')).toContainText('posted');

    const visits = await bridgeCall(app, 'visit.list', {});
    expect(visits.find((v) => v.encounterId === encounterId)?.post?.status).toBe('posted');
  } finally {
    await browser.close();
  }
});

test('the lock screen is a real modal: the page behind is inert, focus is in the PIN field and stays in the dialog', async () => {
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    await expect(page.getByTestId('encounter').first()).toBeVisible();
    await page.getByTestId('set-pin').click();
    await page.getByTestId('new-pin').fill('482913');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('lock-now').click();
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    await expect(page.getByTestId('unlock-pin')).toBeFocused();
    expect(await page.evaluate(() => document.getElementById('root')!.hasAttribute('inert'))).toBe(true);
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      expect(await activeInside(page, 'lock-screen')).toBe(true);
    }
    await page.getByTestId('unlock-pin').fill('482913');
    await expect(async () => {
      await page.getByRole('button', { name: 'Unlock' }).click();
      await expect(page.getByTestId('lock-screen')).toBeHidden({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    expect(await page.evaluate(() => document.getElementById('root')!.hasAttribute('inert'))).toBe(false);
    await bridgeCall(app, 'session.setPin', { pin: '482913', currentPin: '482913' }).catch(() => undefined);
  } finally {
    await browser.close();
  }
});

test('import: reachable by keyboard, the file is checked before consent, the consent text fits a recording already made', async () => {
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    const row = page.getByTestId('encounter').nth(1);
    await expect(row).toBeVisible();
    // A keyboard user reaches Import (a real button) and Enter opens the file chooser (the hidden input's click).
    await row.getByTestId('import-button').focus();
    await expect(row.getByTestId('import-button')).toBeFocused();
    await row.getByTestId('import-recording').evaluate((input) =>
      input.addEventListener('click', (e) => {
        e.preventDefault(); // the test hands the file over itself, below
        (window as unknown as { chooserOpened: boolean }).chooserOpened = true;
      }),
    );
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (window as unknown as { chooserOpened?: boolean }).chooserOpened)).toBe(true);
    // Not audio at all: said on the row, in plain words; no consent is asked for a file that cannot be used.
    const junk = path.join(fixtures, 'notes.wav');
    writeFileSync(junk, 'this is not audio at all '.repeat(200));
    await row.getByTestId('import-recording').setInputFiles(junk);
    await expect(row.getByTestId('import-error')).toContainText('notes.wav is not an audio format this computer can decode');
    await expect(page.getByTestId('consent-dialog')).toHaveCount(0);

    const wav = speechWav('Blood pressure is better today.', path.join(fixtures, 'clinic-room.wav'));
    await row.getByTestId('import-recording').setInputFiles(wav);
    const dialog = page.getByTestId('consent-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('before using this recording');
    await expect(dialog).toContainText('Our conversation was recorded');
    await expect(dialog.getByTestId('import-file')).toContainText('clinic-room.wav');
    await expect(dialog).not.toContainText('It listens to our conversation');
    await expect(row.getByTestId('import-error')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  } finally {
    await browser.close();
  }
});

test('recording: a microphone picker, a live transcript that follows speech, finished turns announced (mutable), a speaker control per turn', async () => {
  test.setTimeout(300_000);
  const turns = Array.from(
    { length: 9 },
    (_, i) =>
      `This is sentence number ${['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][i]} about the blood pressure and the headache she has had for three days.`,
  );
  const wav = utterancesWav(turns, path.join(fixtures, 'long-visit.wav'), { gap: 1.4 });
  const browser = await launchBrowser({ micWav: wav });
  try {
    const page = await openApp(browser, app);
    await page.setViewportSize({ width: 640, height: 900 }); // a narrow window: the live text wraps and overflows sooner
    // The picker lists the workstation's microphones (Chromium's fake device here); the choice is kept.
    const picker = page.getByTestId('microphone-picker');
    await expect(picker.locator('option')).not.toHaveCount(1);
    const fake = await picker.locator('option').nth(1).getAttribute('value');
    await picker.selectOption(fake!);
    await page.reload();
    await expect(page.getByTestId('microphone-picker')).toHaveValue(fake!);

    await page.getByTestId('encounter').nth(2).getByRole('button', { name: 'Start visit' }).click();
    await page
      .getByTestId('consent-dialog')
      .getByRole('button', { name: /Patient agreed/ })
      .click();
    await expect(page.getByTestId('visit-status')).toHaveText('recording');
    await expect(page.getByTestId('status-region')).toContainText('Recording');
    await expectNoAxeViolations(page, 'visit (recording)');
    // Pause/Resume keeps focus on its button.
    await page.getByTestId('pause-resume').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('visit-status')).toHaveText('paused');
    await expect(page.getByTestId('pause-resume')).toBeFocused();
    await expect(page.getByTestId('status-region')).toContainText('paused');
    await expect(page.getByTestId('pause-resume')).toHaveAttribute('aria-disabled', 'false');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('visit-status')).toHaveText('recording');
    await expect(page.getByTestId('pause-resume')).toBeFocused();

    const live = page.getByTestId('live-transcript');
    await expect(live.locator('p.final')).not.toHaveCount(0, { timeout: 60_000 });
    // Finished turns are announced, not the partial rewrites; the announcer can be muted.
    await expect(page.getByTestId('turn-announcer')).not.toHaveText('');
    await expect(page.getByTestId('live-partial'))
      .toHaveAttribute('aria-hidden', 'true')
      .catch(() => undefined);
    await expect.poll(async () => live.evaluate((el) => el.scrollHeight - el.clientHeight), { timeout: 90_000 }).toBeGreaterThan(60);
    // It follows new speech: the newest line is in view.
    await expect
      .poll(async () => live.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight), { timeout: 10_000 })
      .toBeLessThan(30);
    // Scrolled up by the clinician: it stays where they put it while new speech arrives.
    await live.hover();
    await page.mouse.wheel(0, -5000);
    await expect.poll(async () => live.evaluate((el) => el.scrollTop)).toBe(0);
    const count = await live.locator('p.final').count();
    await expect.poll(async () => live.locator('p.final').count(), { timeout: 60_000 }).toBeGreaterThan(count);
    expect(await live.evaluate((el) => el.scrollTop)).toBe(0);
    await page.getByTestId('mute-transcript').check();
    await expect(page.getByTestId('turn-announcer')).toHaveText('');

    await page.getByTestId('stop').click();
    await expect(page.getByTestId('visit-status')).toHaveText('draft', { timeout: 120_000 });
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
    // A speaker control on every turn, not only c/p/o keys.
    const selects = page.getByTestId('transcript').getByTestId('speaker-select');
    await expect(selects.first()).toBeVisible();
    expect(await selects.count()).toBe(await page.getByTestId('transcript').locator('li.turn').count());
    await selects.first().selectOption('patient');
    const visitId = (await bridgeCall(app, 'visit.list', {}))[0]!.id;
    await expect.poll(async () => (await bridgeCall(app, 'visit.get', { visitId })).transcript?.segments[0]?.speaker).toBe('patient');
    await expect(selects.first()).toHaveValue('patient');
  } finally {
    await browser.close();
  }
});

test("settings and the practice manager's dashboard pass axe", async () => {
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    await expect(page.getByTestId('encounter').first()).toBeVisible();
    await page.getByTestId('nav-settings').click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoAxeViolations(page, 'settings');
    await page
      .getByTestId('nav-queue')
      .click()
      .catch(() => undefined);
    const manager = await page
      .getByTestId('profile-select')
      .locator('option')
      .evaluateAll((opts) => opts.map((o) => (o as HTMLOptionElement).value).find((v) => /manager|pat/i.test(v)));
    if (manager) {
      await page.getByTestId('profile-select').selectOption(manager);
      await expect(page.getByTestId('profile-select')).toHaveValue(manager);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible({ timeout: 30_000 });
      await page.waitForTimeout(1000);
      await expectNoAxeViolations(page, 'practice metrics');
    }
  } finally {
    await browser.close();
  }
});

test("walk-in: a patient found by search starts a visit; the Encounter is created in the EHR; visit types in the EHR's words", async () => {
  await bridgeCall(app, 'session.useProfile', { profileId: 'dana-reyes', pin: '482913' }); // the lock test above gave Dana a PIN
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    const rows = page.getByTestId('encounter');
    await expect(rows.first()).toBeVisible();
    const before = await rows.count();
    // Visit types as the EHR words them, not Scribe's codes.
    for (const type of await page.locator('[data-testid="encounter"] .what > span[title]').allInnerTexts())
      expect(type).not.toMatch(/^[a-z]+(-[a-z]+)*$/);
    const name = (await rows.last().locator('.who strong').innerText()).trim();
    await page.getByTestId('patient-search').fill(name.split(/\s+/).at(-1)!);
    await page.getByTestId('patient-search').press('Enter');
    const results = page.getByTestId('patient-results');
    await expect(results).toContainText(name);
    await results.getByRole('button', { name: `Start a walk-in visit: ${name}` }).click();
    const dialog = page.getByTestId('consent-dialog');
    await expect(dialog).toContainText(`Ask ${name} before recording`);
    await expect(rows).toHaveCount(before + 1);
    await dialog.getByRole('button', { name: /Patient declined/ }).click();
    await expect(page.getByTestId('visit-status')).toHaveText('draft', { timeout: 60_000 });
    const visit = (await bridgeCall(app, 'visit.list', {}))[0]!;
    const encounter = await fhirRead<{
      status: string;
      subject: { reference: string };
      participant: { individual: { reference: string } }[];
      period: { start: string };
      type: { text: string }[];
    }>(app, `Encounter/${visit.encounterId}`);
    expect(encounter.type[0]!.text).toBe('Walk-in visit');
    expect(new Date(encounter.period.start).toDateString()).toBe(new Date().toDateString());
    expect(encounter.participant[0]!.individual.reference).toMatch(/^Practitioner\//);
    expect(visit.patientName).toBe(name);
  } finally {
    await browser.close();
  }
});
