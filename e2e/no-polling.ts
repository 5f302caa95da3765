import type { Page } from '@playwright/test';

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
