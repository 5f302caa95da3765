/**
 * Which addresses the desktop shell may open in the system browser (Electron checklist item 15): the
 * SMART sign-in page the core itself just handed out — wherever the EHR hosts it, since many run their
 * authorization server on another origin than the FHIR base — or the loopback sandbox. Nothing else, so a
 * link planted in PHI (a note, a patient name) never leaves the app.
 */
export function isEhrSignInUrl(url: string, issued: ReadonlySet<string>): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol === 'http:' && (target.hostname === '127.0.0.1' || target.hostname === '[::1]')) return true;
  if (target.protocol !== 'https:' || target.username || target.password) return false;
  return issued.has(target.href);
}
