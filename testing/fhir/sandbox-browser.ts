/**
 * Test support: what the system browser does with the sandbox's sign-in page: load the authorize URL,
 * follow the auto-approve link, and deliver the redirect to Scribe's loopback listener.
 */
export async function approveInSandboxBrowser(authorizeUrl: string, options: { practitioner?: string } = {}): Promise<void> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  if (page.status === 302) {
    await fetch(page.headers.get('location')!); // the EHR refused and redirected with an error
    return;
  }
  const html = await page.text();
  const href = /id="approve" href="([^"]+)"/.exec(html)?.[1];
  if (!href) throw new Error(`no approve link on the sign-in page (HTTP ${page.status}): ${html.slice(0, 300)}`);
  const approve = new URL(href.replace(/&#38;/g, '&'), authorizeUrl);
  if (options.practitioner) approve.searchParams.set('practitioner', options.practitioner);
  const redirect = await fetch(approve, { redirect: 'manual' });
  const location = redirect.headers.get('location');
  if (!location) throw new Error(`the sign-in page did not redirect (HTTP ${redirect.status})`);
  await fetch(location);
}
