import { expect, test, type Page } from '@playwright/test';
import { appPerFile, launchBrowser, signThroughReview } from './harness.ts';

// Active editing time, measured in the real note editor in Chromium against the real core: a scripted
// session of typing, a short pause (counts), a long idle gap (counts only up to the 30 s threshold) and a
// blur (stops the clock). Playwright's fake clock drives the page's time so the script is exact.

const app = appPerFile();

async function call<T>(name: string, input: unknown): Promise<T> {
  const res = await fetch(`${app.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}`, origin: app.origin },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
  return body.result as T;
}

async function typeSlowly(page: Page, text: string, everyMs: number): Promise<void> {
  for (const ch of text) {
    await page.keyboard.type(ch);
    await page.clock.runFor(everyMs);
  }
}

test('active editing time of a scripted session is measured within 1 s', async () => {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(app.url);

    const reports: number[] = [];
    const trail: string[] = []; // every editorActivity exchange, for the failure message
    page.on('request', (request) => {
      if (request.url().includes('/api/call/metrics.editorActivity')) trail.push(`→ ${request.postData()}`);
    });
    page.on('response', async (response) => {
      if (!response.url().includes('/api/call/metrics.editorActivity')) return;
      const text = await response.text().catch(() => '');
      trail.push(`← ${response.status()} ${text}`);
      const body = JSON.parse(text || 'null') as { ok: boolean; result?: { activeEditSeconds: number } } | null;
      if (body?.ok && body.result) reports.push(body.result.activeEditSeconds);
    });
    page.on('pageerror', (error) => trail.push(`page error: ${error.message}`));
    await call('session.useProfile', { profileId: 'dana-reyes' });

    // A visit whose patient declined recording: the clinician writes the note in the editor.
    await page.getByTestId('encounter').first().getByRole('button', { name: 'Start visit' }).click();
    await page
      .getByTestId('consent-dialog')
      .getByRole('button', { name: /Patient declined/ })
      .click();
    await expect(page.getByTestId('visit-status')).toHaveText('draft', { timeout: 60_000 });
    const section = page.locator('textarea[data-testid^="section-"]').first();
    await expect(section).toBeEditable();

    // From here on the page's clock moves only when the script says so.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
    await section.click(); // focus: T0
    await typeSlowly(page, 'Cough for three days', 250); // keys at T0 … T0+4.75 s
    await page.clock.runFor(10_000); // a 10.25 s pause (reading): counts
    await typeSlowly(page, ' and no fever today.', 250); // keys at T0+15 s … T0+19.75 s
    await page.clock.runFor(90_000); // walked away for 90.25 s: only 30 s count
    await typeSlowly(page, ' Rest.', 250); // keys at T0+110 s … T0+111.25 s, then 0.25 s to the blur
    await page.getByRole('heading', { name: 'Note' }).click(); // blur at T0+111.5 s
    const scripted = 4.75 + 10.25 + 4.75 + 30 + 1.25 + 0.25;

    try {
      await expect.poll(() => reports.at(-1) ?? 0, { timeout: 10_000 }).toBeGreaterThan(scripted - 1);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\neditorActivity exchanges:\n${trail.join('\n')}`);
    }
    await page.clock.runFor(120_000); // not focused: nothing more counts
    const measured = reports.at(-1)!;
    console.log(`active editing time: measured ${measured} s, scripted ${scripted} s (${reports.length} reports)`);
    expect(Math.abs(measured - scripted), `measured ${measured} s for a scripted ${scripted} s`).toBeLessThanOrEqual(1);

    // Sign; the practice manager's figures carry the same active time for this note.
    await page.clock.resume();
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved', { timeout: 30_000 });
    await signThroughReview(page);
    await expect(page.getByTestId('visit-status')).toHaveText('signed', { timeout: 30_000 });
    expect(reports.at(-1)).toBe(measured);

    await call('session.useProfile', { profileId: 'morgan-manager' });
    type Totals = { totals: { notesSigned: number; documentationMinutesPerNote: number } };
    // the signing reaches metrics in the background, just after the visit shows signed
    await expect.poll(async () => (await call<Totals>('metrics.dashboard', {})).totals.notesSigned).toBeGreaterThanOrEqual(1);
    const dash = await call<Totals>('metrics.dashboard', {});
    expect(Math.abs(dash.totals.documentationMinutesPerNote * 60 - scripted)).toBeLessThanOrEqual(1);
    await call('session.useProfile', { profileId: 'dana-reyes' });
    await context.close();
  } finally {
    await browser.close();
  }
});
