import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { auditAction, type AuditCaller, type AuditLog } from '../audit/index.ts';
import { AUDIO_RECORD, writeFileAtomic, type Vault } from '../vault/index.ts';

/**
 * Retention (docs/decisions/0052-retention.md): a signed visit's audio is crypto-shredded `audioDays`
 * after signing (default 7; 0 = at signing); its transcript and draft are purged after
 * `transcriptDays` / `draftDays` when an admin sets them (null = keep). `runRetention(now)` runs when the
 * core starts and every hour; `visitSigned` applies a 0-day audio policy at once. Every destruction is
 * audited (`record.deleted`, reason `retention` or `clinician`).
 */
export const RetentionPolicy = z
  .object({
    audioDays: z.number().int().min(0).max(3650),
    transcriptDays: z.number().int().min(0).max(36500).nullable(),
    draftDays: z.number().int().min(0).max(36500).nullable(),
  })
  .strict();
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = { audioDays: 7, transcriptDays: null, draftDays: null };
export const RETENTION_POLICY_FILE = 'retention-policy.json';
const DAY_MS = 24 * 60 * 60 * 1000;
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** What retention needs to know about a visit (from its stored visit.json). */
export interface RetainedVisit {
  visitId: string;
  signedAt?: string;
  hasTranscript: boolean;
  hasDraft: boolean;
}

export type RetainedPart = 'audio' | 'transcript' | 'draft';

export interface RetentionDeps {
  vault: Vault;
  audit: AuditLog;
  /** Folder for the policy file (no PHI in it). */
  settingsDir: string;
  /** Signed state of every visit; default: read `visit.json` of each visit in the vault. */
  visits?: () => Promise<RetainedVisit[]>;
  /**
   * Removes the transcript or the draft from a visit. The visit service owns visit.json, so it must do
   * this (keeping its cache right); without it, transcript/draft retention reports an error.
   */
  purge?: (visitId: string, part: 'transcript' | 'draft') => Promise<void>;
  /** Called after a whole visit was shredded (the visit service drops it from memory). */
  onVisitDeleted?: (visitId: string) => Promise<void> | void;
  now?: () => Date;
}

export interface RetentionReport {
  ranAt: string;
  destroyed: { visitId: string; part: RetainedPart }[];
  errors: { visitId: string; part: RetainedPart; message: string }[];
}

export interface RetentionService {
  policy(): Promise<RetentionPolicy>;
  setPolicy(actor: AuditCaller, patch: Partial<RetentionPolicy>): Promise<RetentionPolicy>;
  runRetention(now?: Date): Promise<RetentionReport>;
  /** Applies the policy to one visit just signed (audioDays 0 destroys the audio now). */
  visitSigned(visitId: string, signedAt: string): Promise<RetentionReport>;
  /** "Delete this visit": crypto-shreds everything of it on this workstation. */
  deleteVisit(actor: AuditCaller, visitId: string): Promise<void>;
  /** Runs now and then every hour until the returned stop() is called. */
  start(intervalMs?: number): { stop(): void; firstRun: Promise<RetentionReport> };
}

/** Reads the signing state straight from each visit's `visit.json` record. */
export function visitsFromVault(vault: Vault): () => Promise<RetainedVisit[]> {
  return async () => {
    const out: RetainedVisit[] = [];
    for (const visitId of await vault.listVisits()) {
      const visit = await vault
        .visit(visitId)
        .readJson<{ signedAt?: string; transcript?: unknown; draft?: unknown }>('visit.json')
        .catch(() => null);
      if (!visit) continue;
      out.push({
        visitId,
        ...(typeof visit.signedAt === 'string' ? { signedAt: visit.signedAt } : {}),
        hasTranscript: visit.transcript != null,
        hasDraft: visit.draft != null,
      });
    }
    return out;
  };
}

export function createRetention(deps: RetentionDeps): RetentionService {
  const now = deps.now ?? (() => new Date());
  const policyFile = path.join(deps.settingsDir, RETENTION_POLICY_FILE);
  const listVisits = deps.visits ?? visitsFromVault(deps.vault);
  let running: Promise<RetentionReport> | null = null;

  async function policy(): Promise<RetentionPolicy> {
    let text: string;
    try {
      text = await readFile(policyFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...DEFAULT_RETENTION_POLICY };
      throw error;
    }
    const parsed = RetentionPolicy.safeParse(JSON.parse(text));
    // A damaged policy file must not silently keep audio forever: fall back to the default (7 days).
    return parsed.success ? parsed.data : { ...DEFAULT_RETENTION_POLICY };
  }

  async function destroy(visit: RetainedVisit, part: RetainedPart, report: RetentionReport): Promise<void> {
    try {
      if (part === 'audio') await deps.vault.shredRecord(visit.visitId, AUDIO_RECORD);
      else {
        if (!deps.purge) throw new Error(`no purge function for the ${part} was wired into retention`);
        await deps.purge(visit.visitId, part);
      }
      await auditAction(deps.audit, null, 'record.deleted', {
        visitId: visit.visitId,
        details: { part, reason: 'retention', ...(visit.signedAt ? { signedAt: visit.signedAt } : {}) },
      });
      report.destroyed.push({ visitId: visit.visitId, part });
    } catch (error) {
      report.errors.push({ visitId: visit.visitId, part, message: error instanceof Error ? error.message : String(error) });
    }
  }

  async function apply(visits: RetainedVisit[], at: Date): Promise<RetentionReport> {
    const rules = await policy();
    const report: RetentionReport = { ranAt: at.toISOString(), destroyed: [], errors: [] };
    const due = (signedAt: string, days: number | null): boolean => days !== null && at.getTime() - Date.parse(signedAt) >= days * DAY_MS;
    for (const visit of visits) {
      if (!visit.signedAt || Number.isNaN(Date.parse(visit.signedAt))) continue;
      if (due(visit.signedAt, rules.audioDays) && (await deps.vault.visit(visit.visitId).hasAudio())) await destroy(visit, 'audio', report);
      if (visit.hasTranscript && due(visit.signedAt, rules.transcriptDays)) await destroy(visit, 'transcript', report);
      if (visit.hasDraft && due(visit.signedAt, rules.draftDays)) await destroy(visit, 'draft', report);
    }
    return report;
  }

  /** One run at a time: the hourly timer, start-up and a signing never race on the same keys. */
  function exclusive(task: () => Promise<RetentionReport>): Promise<RetentionReport> {
    const run = (running ?? Promise.resolve()).catch(() => undefined).then(task);
    running = run;
    void run
      .finally(() => {
        if (running === run) running = null;
      })
      .catch(() => undefined);
    return run;
  }

  const service: RetentionService = {
    policy,
    async setPolicy(actor, patch) {
      const before = await policy();
      const next = RetentionPolicy.parse({ ...before, ...patch });
      await mkdir(deps.settingsDir, { recursive: true });
      await writeFileAtomic(policyFile, Buffer.from(JSON.stringify(next, null, 2)));
      for (const key of ['audioDays', 'transcriptDays', 'draftDays'] as const) {
        if (before[key] !== next[key]) {
          await auditAction(deps.audit, actor, 'settings.changed', {
            details: { key: `retention.${key}`, from: before[key], to: next[key] },
          });
        }
      }
      return next;
    },
    runRetention: (at) => exclusive(async () => apply(await listVisits(), at ?? now())),
    visitSigned: (visitId, signedAt) =>
      exclusive(async () => {
        const visit = (await listVisits()).find((v) => v.visitId === visitId) ?? {
          visitId,
          signedAt,
          hasTranscript: false,
          hasDraft: false,
        };
        return apply([{ ...visit, signedAt }], now());
      }),
    async deleteVisit(actor, visitId) {
      await deps.vault.shredVisit(visitId);
      await auditAction(deps.audit, actor, 'record.deleted', {
        visitId,
        details: { part: 'visit', reason: actor.role === 'clinician' ? 'clinician' : 'admin' },
      });
      await deps.onVisitDeleted?.(visitId);
    },
    start(intervalMs = RETENTION_INTERVAL_MS) {
      const firstRun = service.runRetention();
      const timer = setInterval(() => void service.runRetention().catch(() => undefined), intervalMs);
      timer.unref();
      return { stop: () => clearInterval(timer), firstRun };
    },
  };
  return service;
}
