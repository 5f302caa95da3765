import { expect, type Locator, type Page } from '@playwright/test';
import { signThroughReview } from './harness.ts';

/**
 * Proof that a screen learns of changes from the core's events, not by polling: every data-status the
 * element takes is recorded in the page (a MutationObserver), and every call the page makes is counted.
 */
export async function watchStatus(page: Page, testId: string): Promise<() => Promise<string[]>> {
  await page.evaluate((id) => {
    const seen: string[] = [];
    (window as unknown as { __statuses: string[] }).__statuses = seen;
    const look = () => {
      const status = document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-status');
      if (status && seen.at(-1) !== status) seen.push(status);
    };
    new MutationObserver(look).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-status'],
    });
    look();
  }, testId);
  return () => page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
}

/** Calls the page makes from now on, by name (the web bridge serves each at /api/call/<name>). */
export function countCalls(page: Page): Map<string, number> {
  const counts = new Map<string, number>();
  page.on('request', (request) => {
    const name = /\/api\/call\/([\w.]+)$/.exec(new URL(request.url()).pathname)?.[1];
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  });
  return counts;
}

/**
 * Signs through the review dialog and proves the post status reached the screen by event: Sign answers before the
 * outbox has posted ("queued"/"sending"), the screen ends on "posted", and nothing re-reads the visit. Under load the
 * posted event can overtake Sign's answer and the window rightly keeps the newer copy (decision 0188), so the screen
 * may never show the earlier status; the answer's status and the absent visit.get are the proof. Returns the status.
 */
export async function signAndSeePostedByEvent(page: Page, statusTestId: string, signButton = 'sign'): Promise<Locator> {
  const statuses = await watchStatus(page, statusTestId);
  const calls = countCalls(page);
  const signAnswer = page.waitForResponse((r) => r.url().includes('/api/call/visit.sign'));
  await signThroughReview(page, signButton);
  const signed = (await (await signAnswer).json()) as { result: { post: { status: string } | null } };
  const post = page.getByTestId(statusTestId);
  await expect(post).toHaveAttribute('data-status', 'posted', { timeout: 60_000 });
  const shown = await statuses();
  expect(shown.at(-1)).toBe('posted');
  expect(signed.result.post?.status, `statuses shown: ${shown.join(' → ')}`).not.toBe('posted');
  expect(calls.get('visit.sign')).toBe(1);
  expect(calls.get('visit.get') ?? 0, 'visit.get after signing').toBe(0);
  return post;
}
