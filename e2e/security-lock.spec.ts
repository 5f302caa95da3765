import { expect, test } from '@playwright/test';
import { appPerFile, launchBrowser, openApp, startApp } from './harness.ts';

// Idle lock and re-authentication, through the real UI: a PIN is set, the session locks, the core
// refuses calls (Sign included) until the right PIN is entered.

const app = appPerFile();

test('set a PIN, lock, calls refused while locked, wrong PIN refused, right PIN unlocks', async () => {
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    await expect(page.getByTestId('encounter').first()).toBeVisible();

    await page.getByTestId('set-pin').click();
    await page.getByTestId('new-pin').fill('482913');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('lock-now')).toBeVisible();

    await page.getByTestId('lock-now').click();
    await expect(page.getByTestId('lock-screen')).toBeVisible();

    // The core itself refuses while locked, whatever the UI shows.
    const refused = await page.evaluate(async (token) => {
      const res = await fetch('/api/call/visit.list', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: '{}',
      });
      return { status: res.status, body: await res.json() };
    }, app.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/locked/i);

    await page.getByTestId('unlock-pin').fill('000000');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByTestId('lock-screen').getByRole('alert')).toBeVisible();
    await expect(page.getByTestId('lock-screen')).toBeVisible();

    // Wrong PINs slow further attempts: wait for the stated retry time if there is one.
    const retry = await page.getByTestId('lock-screen').getByRole('alert').innerText();
    const at = /after (.+)$/.exec(retry);
    if (at) await page.waitForTimeout(3_000);
    await page.getByTestId('unlock-pin').fill('482913');
    await expect(async () => {
      await page.getByRole('button', { name: 'Unlock' }).click();
      await expect(page.getByTestId('lock-screen')).toBeHidden({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId('encounter').first()).toBeVisible();
  } finally {
    await browser.close();
  }
});

// #15: the lock screen hides everything (opaque; the rest hidden, inert and out of the accessibility
// tree), clears a wrong PIN, survives a restart of the core, and a profile switch to the clinician asks
// for the clinician's PIN.
const restartable = appPerFile();

test('the lock screen hides all PHI, clears a wrong PIN, holds across a restart; switching to the clinician asks their PIN', async () => {
  const browser = await launchBrowser();
  try {
    let page = await openApp(browser, restartable);
    const first = page.getByTestId('encounter').first();
    await expect(first).toBeVisible();
    const patientName = (await first.locator('.who strong').innerText()).trim();
    await page.getByTestId('set-pin').click();
    await page.getByTestId('new-pin').fill('482913');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('lock-now').click();
    await expect(page.getByTestId('lock-screen')).toBeVisible();

    // Opaque: the backdrop's colour has no transparency; the app behind is hidden and inert.
    const backdrop = await page.locator('.lock-backdrop').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(backdrop).toMatch(/^rgb\(/);
    const app = page.locator('.app');
    await expect(app).toHaveAttribute('inert', '');
    await expect(app).toHaveAttribute('aria-hidden', 'true');
    await expect(page.getByText(patientName)).toBeHidden();
    // Screen readers: the accessibility tree holds the lock dialog and nothing of the patient.
    const tree = await page.locator('body').ariaSnapshot();
    expect(tree).toContain('Scribe is locked');
    expect(tree).not.toContain(patientName);
    await page.screenshot({ path: 'test-results/lock-screen.png' });

    // A wrong PIN is refused and does not stay in the field.
    await page.getByTestId('unlock-pin').fill('000000');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByTestId('lock-screen').getByRole('alert')).toContainText('Wrong PIN');
    await expect(page.getByTestId('unlock-pin')).toHaveValue('');

    // Quit and relaunch: a lock survives it...
    await page.close();
    const { dataDir } = restartable;
    await restartable.stop();
    const again = await startApp({ dataDir });
    try {
      page = await openApp(browser, again);
      await expect(page.getByTestId('lock-screen')).toBeVisible();
      await expect(page.getByText(patientName)).toBeHidden();
      await page.getByTestId('unlock-pin').fill('482913');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await expect(page.getByTestId('lock-screen')).toBeHidden();
      await expect(page.getByTestId('encounter').first()).toContainText(patientName);
    } finally {
      await again.stop();
    }
    // ...and an unlocked session comes back locked too: nobody proved they are still at the keyboard.
    const third = await startApp({ dataDir });
    try {
      page = await openApp(browser, third);
      await expect(page.getByTestId('lock-screen')).toContainText('restarted');
      await expect(page.getByText(patientName)).toBeHidden();
      await page.getByTestId('unlock-pin').fill('482913');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await expect(page.getByTestId('lock-screen')).toBeHidden();
      // The screens read again after the start-up lock: the schedule is there.
      await expect(page.getByTestId('encounter').first()).toContainText(patientName);

      // A scribe at this workstation cannot become the clinician without the clinician's PIN.
      await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/call/session.useProfile')),
        page.getByTestId('profile-select').selectOption('sam-scribe'),
      ]);
      await expect(page.getByTestId('profile-select')).toHaveValue('sam-scribe');
      const clinicianId = await page.getByTestId('profile-select').locator('option').first().getAttribute('value');
      await page.getByTestId('profile-select').selectOption(clinicianId!);
      await expect(page.getByTestId('profile-pin-form')).toBeVisible();
      await expect(page.getByTestId('profile-select')).toHaveValue('sam-scribe');
      await page.getByTestId('profile-pin').fill('111111');
      await page.getByRole('button', { name: 'Switch' }).click();
      await expect(page.getByTestId('profile-pin-form').getByRole('alert')).toContainText('Wrong PIN');
      await expect(page.getByTestId('profile-pin')).toHaveValue('');
      await page.getByTestId('profile-pin').fill('482913');
      await page.getByRole('button', { name: 'Switch' }).click();
      await expect(page.getByTestId('profile-select')).toHaveValue(clinicianId!);
    } finally {
      await third.stop();
    }
  } finally {
    await browser.close();
  }
});
