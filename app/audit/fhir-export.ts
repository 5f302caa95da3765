import type { FhirAuditEvent } from './fhir.ts';

/**
 * Posts AuditEvents to a FHIR R4 server (`POST [base]/AuditEvent`), e.g. the clinic's EHR or audit
 * repository. The server's OperationOutcome is surfaced as the error when it refuses one.
 */
export function fhirAuditPoster(baseUrl: string, opts: { token?: string; fetch?: typeof fetch } = {}) {
  const doFetch = opts.fetch ?? fetch;
  const url = `${baseUrl.replace(/\/+$/, '')}/AuditEvent`;
  return async (event: FhirAuditEvent): Promise<{ id?: string }> => {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/fhir+json',
          accept: 'application/fhir+json',
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
        body: JSON.stringify(event),
      });
    } catch (error) {
      throw new Error(`Could not reach ${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    if (!response.ok) {
      let reason = text.slice(0, 300);
      try {
        const outcome = JSON.parse(text) as { issue?: { diagnostics?: string; details?: { text?: string } }[] };
        reason =
          outcome.issue
            ?.map((i) => i.details?.text ?? i.diagnostics)
            .filter(Boolean)
            .join('; ') || reason;
      } catch {
        // not JSON: keep the text
      }
      throw new Error(`${url} refused the AuditEvent (HTTP ${response.status}): ${reason}`);
    }
    return JSON.parse(text) as { id?: string };
  };
}
