import type { SecretStore } from '../secrets/index.ts';
import { fhirAuditPoster } from './fhir-export.ts';
import { toFhirAuditEvent } from './fhir.ts';
import type { AuditLog } from './log.ts';

/**
 * The audit chain's copy outside the workstation (docs/decisions/0120): while the EHR is connected, the
 * records not sent yet go to it as FHIR AuditEvents (each carrying its seq, hash and prevHash), every
 * minute. How far it got is kept in the keychain, so a restart resumes and nothing is sent twice.
 * A failure is reported and retried at the next round; it never blocks clinical work.
 */
export interface AuditAnchorOptions {
  audit: AuditLog;
  secrets: SecretStore;
  /** Keychain account holding the last seq sent. */
  account: string;
  /** The EHR's FHIR base, or null when not connected. */
  baseUrl: () => string | null;
  /** A bearer token for a SMART EHR; undefined when it needs none; null when signed out (then nothing is sent). */
  token: () => Promise<string | null | undefined>;
  observer: string;
  onError?: (error: unknown) => void;
}

export function createAuditAnchor(opts: AuditAnchorOptions) {
  let running: Promise<number> | null = null;
  async function sync(): Promise<number> {
    const base = opts.baseUrl();
    if (!base) return 0;
    const token = await opts.token();
    if (token === null) return 0;
    const after = Number(await opts.secrets.get(opts.account)) || 0;
    const post = fhirAuditPoster(base, token ? { token } : {});
    let sent = 0;
    for (const record of (await opts.audit.records()).filter((r) => r.seq > after).sort((a, b) => a.seq - b.seq)) {
      await post(toFhirAuditEvent(record, opts.observer));
      await opts.secrets.set(opts.account, String(record.seq));
      sent += 1;
    }
    return sent;
  }
  return {
    /** Sends what is not sent yet; resolves with how many records went. */
    syncNow(): Promise<number> {
      running ??= sync().finally(() => (running = null));
      return running;
    },
    start(everyMs = 60_000): () => void {
      const timer = setInterval(() => void this.syncNow().catch((error: unknown) => opts.onError?.(error)), everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

export type AuditAnchor = ReturnType<typeof createAuditAnchor>;
