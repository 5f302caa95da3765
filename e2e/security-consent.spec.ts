import { expect, test } from '@playwright/test';
import { type RunningApp, appPerFile, launchBrowser, openApp } from './harness.ts';

// Consent in the real UI: the plain-language explanation is shown before anything is recorded, and a
// patient who declines is never recorded (the microphone is not even opened); the decision is kept.

const app = appPerFile();

test('the explanation comes first, and "declined" never opens the microphone', async () => {
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    await page.addInitScript(() => {
      const w = window as unknown as { __micRequests: number };
      w.__micRequests = 0;
      const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = (constraints) => {
        w.__micRequests += 1;
        return original(constraints);
      };
    });
    await page.reload();

    const encounter = page.getByTestId('encounter').first();
    await encounter.getByRole('button', { name: 'Start visit' }).click();
    const dialog = page.getByTestId('consent-dialog');
    await expect(dialog).toBeVisible();
    // Plain language: what it does, where the data stays, what goes to the record, that no is fine.
    for (const phrase of [/listens to our conversation/, /stay on this computer/, /only\s+the note I check and sign/, /You can say no/]) {
      await expect(dialog).toContainText(phrase);
    }
    expect(await page.evaluate(() => (window as unknown as { __micRequests: number }).__micRequests)).toBe(0);

    await dialog.getByRole('button', { name: /Patient declined/ }).click();
    await expect(page.getByTestId('visit-status')).toHaveText(/processing|draft/);
    await expect(page.getByTestId('visit-status')).toHaveText('draft', { timeout: 60_000 });
    await expect(page.getByTestId('recorder')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __micRequests: number }).__micRequests)).toBe(0);

    // The decision is stored with the visit, and no audio exists for it.
    const visits = await callApi<{ id: string; status: string }[]>(app, 'visit.list', {});
    const visit = await callApi<{ consent: string; audioSeconds: number }>(app, 'visit.get', { visitId: visits[0]!.id });
    expect(visit).toMatchObject({ consent: 'declined', audioSeconds: 0 });
    await expect(callApi(app, 'visit.audioClip', { visitId: visits[0]!.id, start: 0, end: 1 })).rejects.toThrow(/not_found|conflict/);

    // The counter is real: agreeing on the next encounter does open the microphone.
    await page.reload();
    await page.getByTestId('encounter').nth(1).getByRole('button', { name: 'Start visit' }).click();
    await page
      .getByTestId('consent-dialog')
      .getByRole('button', { name: /Patient agreed/ })
      .click();
    await expect(page.getByTestId('visit-status')).toHaveText('recording');
    await expect.poll(() => page.evaluate(() => (window as unknown as { __micRequests: number }).__micRequests)).toBeGreaterThanOrEqual(1);
    await page.getByTestId('stop').click();
  } finally {
    await browser.close();
  }
});

async function callApi<T>(running: RunningApp, name: string, input: unknown): Promise<T> {
  const res = await fetch(`${running.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${running.token}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { code: string; message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error?.code} ${body.error?.message}`);
  return body.result as T;
}
