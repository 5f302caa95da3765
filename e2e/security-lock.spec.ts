import { expect, test } from '@playwright/test';
import { appPerFile, launchBrowser, openApp } from './harness.ts';

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
      const res = await fetch('/api/call/visit.list', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
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
