import { createHash } from 'node:crypto';
import { ScribeError } from '../contract/index.ts';
import { canonicalJson } from './chain.ts';
import { auditAction, AuditWriteError, editSize, type AuditCaller, type AuditLog } from './log.ts';
import type { AuditAction, AuditDetails } from './events.ts';

/**
 * The audit trail of the running core, in two hooks the composition root installs:
 *  - `wrap(dispatch)`: every call made by a person, after the dispatcher answered: views, edits, sign,
 *    consent, exports, settings, sign-in, and every `forbidden` refusal (access.denied);
 *  - `onEvent(name, payload)`: what the core did on its own (recognition finished, draft generated,
 *    note posted or failed), seen on the `visit.updated` events.
 * Only ids, codes, counts and sha256 digests are written (the audit schemas refuse anything else).
 * An audit write that fails stops the call that needed it: the person gets a clear error (`unavailable`)
 * and, for a read, never sees the data that could not be logged (docs/decisions/0121-audit-fail-closed.md).
 * Records of background work (recognition, posting) that fail are reported through `onError`.
 */
type Dispatch = (name: unknown, input: unknown) => Promise<unknown>;

/** The parts of a Visit the trail reads (structurally; the shapes come from app/contract). */
interface VisitLike {
  id: string;
  encounterId?: string;
  visitType?: string;
  status?: string;
  audioSeconds?: number;
  transcript?: { engine: string; model?: string; segments: unknown[] } | null;
  draft?: {
    engine: string;
    engineVersion: string;
    template?: string;
    generatedAt: string;
    version: number;
    sections: { id: string; text: string; sentences?: { flags?: unknown[] }[] }[];
    model?: { name: string; version?: string; sha256?: string };
    fallback?: string;
  } | null;
  post?: { status: string; attempts: number; serverId?: string; versionId?: string } | null;
}

export interface AuditTrailOptions {
  audit: AuditLog;
  currentUser: () => AuditCaller | null;
  /** The visit as stored, to measure an edit against the text before it. */
  readVisit?: (visitId: string) => Promise<VisitLike | null>;
  /** The visit's stored audio, hashed for `recognition.completed`. */
  readAudio?: (visitId: string) => Promise<Uint8Array>;
  /** Repeated views of the same thing by the same person within this window are logged once (ms). */
  viewWindowMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** What the audit keeps of a language model's part in a draft: which model, its file hash, how much was flagged. */
function languageModelDetails(draft: NonNullable<VisitLike['draft']>): {
  model?: string;
  modelSha256?: string;
  flagged?: number;
  fallback?: boolean;
} {
  const flagged = draft.sections.reduce((n, s) => n + (s.sentences ?? []).filter((x) => x.flags?.length).length, 0);
  return {
    ...(draft.model ? { model: asCode([draft.model.name, draft.model.version].filter(Boolean).join(' ')) } : {}),
    ...(draft.model?.sha256 && /^[0-9a-f]{64}$/.test(draft.model.sha256) ? { modelSha256: draft.model.sha256 } : {}),
    ...(flagged ? { flagged } : {}),
    ...(draft.fallback ? { fallback: true } : {}),
  };
}

/** A free-text label (engine, model, visit type) as an audit code: letters, digits and -._:+ only. */
export function asCode(value: string): string {
  return (
    value
      .replace(/[^A-Za-z0-9\-._:+]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64) || 'unknown'
  );
}

function objectInput(input: unknown): Record<string, unknown> {
  return input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
}

export function createAuditTrail(opts: AuditTrailOptions) {
  const now = opts.now ?? Date.now;
  // Never silent: a record that cannot be written is said on stderr (the message names fields, not values).
  const onError =
    opts.onError ??
    ((error: unknown) => console.error(`[audit] a record could not be written: ${error instanceof Error ? error.message : String(error)}`));
  const viewWindow = opts.viewWindowMs ?? 60_000;
  const lastView = new Map<string, number>();
  const seen = new Map<string, { transcript: boolean; generatedAt: string | null; post: string | null }>();
  let queue: Promise<unknown> = Promise.resolve();

  type Fields<A extends AuditAction> = { visitId?: string; details: AuditDetails<A> };
  /** Records are written in the order they were asked for, even when their details need a read first. */
  function record<A extends AuditAction>(
    caller: AuditCaller | null,
    action: A,
    fields: Fields<A> | (() => Promise<Fields<A>>),
  ): Promise<void> {
    const run = queue
      .then(async () => auditAction(opts.audit, caller, action, typeof fields === 'function' ? await fields() : fields))
      .then(() => undefined);
    queue = run.catch(() => undefined);
    return run;
  }
  /** A background record: nobody waits for it, a failure is reported. */
  function recordLater<A extends AuditAction>(caller: AuditCaller | null, action: A, fields: Fields<A> | (() => Promise<Fields<A>>)): void {
    record(caller, action, fields).catch((error: unknown) => onError(error));
  }

  /** Calls that return PHI other than one visit's record, and what they return, as `phi.accessed`. */
  const PHI_LISTS: Record<string, 'visit-list' | 'schedule' | 'patient-search' | 'chart' | 'coding-hints' | 'queue'> = {
    'visit.list': 'visit-list',
    'schedule.today': 'schedule',
    'patient.search': 'patient-search',
    'visit.chart': 'chart',
    'coding.suggest': 'coding-hints',
    'queue.list': 'queue',
  };
  function itemsOf(result: unknown): number {
    if (Array.isArray(result)) return result.length;
    if (result && typeof result === 'object') {
      return Object.values(result).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : 0), 0);
    }
    return 0;
  }
  /** Who read which PHI listing; repeats of the same read with the same answer size within the view window are logged once. */
  function accessed(caller: AuditCaller | null, name: string, input: Record<string, unknown>, result: unknown): Promise<void> | undefined {
    const resource = PHI_LISTS[name]!;
    const visitId = typeof input.visitId === 'string' ? input.visitId : undefined;
    const items = itemsOf(result);
    const key = `${caller?.id}|${name}|${visitId ?? ''}|${typeof input.text === 'string' ? sha256(input.text) : ''}|${typeof input.status === 'string' ? input.status : ''}|${items}`;
    const last = lastView.get(key);
    if (last !== undefined && now() - last < viewWindow) return undefined;
    lastView.set(key, now());
    return record(caller, 'phi.accessed', { ...(visitId ? { visitId } : {}), details: { resource, call: name, items } });
  }

  function view(caller: AuditCaller | null, visitId: string, part: 'visit' | 'audio' | 'draft' | 'transcript'): Promise<void> | undefined {
    const key = `${caller?.id}|${visitId}|${part}`;
    const last = lastView.get(key);
    if (last !== undefined && now() - last < viewWindow) return undefined;
    lastView.set(key, now());
    return record(caller, 'record.viewed', { visitId, details: { part } });
  }

  async function edits(
    caller: AuditCaller | null,
    visitId: string,
    before: VisitLike | null,
    sections: { id: string; text: string }[],
    version?: number,
  ): Promise<void> {
    for (const section of sections) {
      const previous = before?.draft?.sections.find((s) => s.id === section.id)?.text ?? '';
      if (previous === section.text) continue;
      await record(caller, 'draft.edited', {
        visitId,
        details: { sectionId: asCode(section.id), ...editSize(previous, section.text), ...(version === undefined ? {} : { version }) },
      });
    }
  }

  async function afterCall(
    name: string,
    input: Record<string, unknown>,
    result: unknown,
    before: VisitLike | null,
    caller: AuditCaller | null,
  ): Promise<void> {
    const visitId = typeof input.visitId === 'string' ? input.visitId : undefined;
    const visit = (result && typeof result === 'object' ? result : {}) as VisitLike;
    if (name in PHI_LISTS) return accessed(caller, name, input, result);
    switch (name) {
      case 'visit.start': {
        const consent = input.consent === 'declined' ? 'declined' : 'agreed';
        seen.set(visit.id, { transcript: false, generatedAt: null, post: null });
        await record(caller, 'consent.recorded', { visitId: visit.id, details: { decision: consent } });
        await record(caller, 'visit.started', {
          visitId: visit.id,
          details: { encounterId: String(input.encounterId), consent, ...(visit.visitType ? { visitType: asCode(visit.visitType) } : {}) },
        });
        return;
      }
      case 'visit.pause':
        return record(caller, 'visit.paused', { visitId: visitId!, details: { audioSeconds: visit.audioSeconds ?? 0 } });
      case 'visit.resume':
        return record(caller, 'visit.resumed', { visitId: visitId!, details: {} });
      case 'visit.stop':
        return record(caller, 'visit.stopped', { visitId: visitId!, details: { audioSeconds: visit.audioSeconds ?? 0 } });
      case 'visit.recover':
        return record(caller, 'visit.recovered', {
          visitId: visitId!,
          details: { audioSeconds: visit.audioSeconds ?? 0, droppedBytes: 0 },
        });
      case 'visit.get':
        return view(caller, visitId!, 'visit');
      case 'visit.audioClip':
        return view(caller, visitId!, 'audio');
      case 'queue.open':
      case 'queue.diff':
      case 'queue.versions':
        return view(caller, visitId!, 'draft');
      case 'draft.updateSection': {
        const draft = result as { version?: number };
        return edits(caller, visitId!, before, [{ id: String(input.sectionId), text: String(input.text) }], draft.version);
      }
      case 'queue.save': {
        const saved = result as { draft?: { version?: number } };
        const sections = Array.isArray(input.sections) ? (input.sections as { id: string; text: string }[]) : [];
        return edits(caller, visitId!, before, sections, saved.draft?.version);
      }
      case 'draft.regenerate':
        if (visit.draft) {
          seen.set(visit.id, { ...(seen.get(visit.id) ?? { transcript: true, post: null }), generatedAt: visit.draft.generatedAt });
          await record(caller, 'draft.generated', {
            visitId: visitId!,
            details: {
              engine: asCode(visit.draft.engine),
              engineVersion: asCode(visit.draft.engineVersion),
              template: asCode(String(input.template)),
              sections: visit.draft.sections.length,
              ...languageModelDetails(visit.draft),
            },
          });
        }
        return;
      case 'visit.sign': {
        const text = canonicalJson(visit.draft?.sections.map((s) => ({ id: s.id, text: s.text })) ?? []);
        return record(caller, 'note.signed', {
          visitId: visitId!,
          details: { noteId: `note-${visitId}`, sections: visit.draft?.sections.length ?? 0, noteSha256: sha256(text) },
        });
      }
      case 'coding.decide': {
        const decisions = Array.isArray(result)
          ? (result as { hintId: string; action: string; system: string; code: string | null }[])
          : [];
        const decision = decisions.filter((d) => d.hintId === input.hintId).at(-1);
        if (!decision) return;
        const code = decision.code ?? String(input.hintId).split(':')[1] ?? 'unknown';
        const hintId = /^[A-Za-z0-9\-._:/]{1,200}$/.test(decision.hintId) ? { hintId: decision.hintId } : {};
        return record(caller, decision.action === 'reject' ? 'coding.rejected' : 'coding.accepted', {
          visitId: visitId!,
          details: { system: asCode(decision.system), code: asCode(code), ...hintId },
        });
      }
      case 'metrics.exportCsv':
        return record(caller, 'record.exported', { details: { part: 'metrics', format: 'csv', destination: 'file' } });
      case 'metrics.settings.set':
        for (const [key, value] of Object.entries(input)) {
          const to = typeof value === 'number' || typeof value === 'boolean' ? value : asCode(JSON.stringify(value));
          await record(caller, 'settings.changed', { details: { key: asCode(`metrics.${key}`), to } });
        }
        return;
      case 'session.useProfile':
        return record(caller, 'session.signedIn', { details: { method: 'profile' } });
      case 'ehr.signOut':
        return record(caller, 'session.signedOut', { details: {} });
      default:
        return;
    }
  }

  return {
    /** Wraps the dispatcher: same answers, plus the audit records of each call. */
    wrap(dispatch: Dispatch): Dispatch {
      return async (name, input) => {
        const callName = typeof name === 'string' ? name : String(name);
        const args = objectInput(input);
        const before =
          (callName === 'draft.updateSection' || callName === 'queue.save') && typeof args.visitId === 'string' && opts.readVisit
            ? await opts.readVisit(args.visitId).catch(() => null)
            : null;
        const callerBefore = opts.currentUser();
        // A log that cannot be written stops the call before it does anything (reads of the lock and session still answer).
        if (callName !== 'session.get' && callName !== 'session.lockStatus' && opts.audit.assertWritable) {
          await opts.audit.assertWritable().catch((error: unknown) => {
            onError(error);
            throw new ScribeError('unavailable', new AuditWriteError(error).message, { audit: 'write-failed' });
          });
        }
        let result: unknown;
        try {
          result = await dispatch(name, input);
        } catch (error) {
          if ((error as { code?: string }).code === 'forbidden' && /^[A-Za-z0-9.]{1,80}$/.test(callName)) {
            const reason = (error as { details?: { locked?: boolean } }).details?.locked ? 'locked' : callerBefore ? 'role' : 'signed-out';
            await record(callerBefore, 'access.denied', { details: { call: callName, reason } });
          }
          throw error;
        }
        try {
          await afterCall(callName, args, result, before, callName === 'session.useProfile' ? opts.currentUser() : callerBefore);
        } catch (error) {
          // Fail closed: what could not be logged is not handed out (a read) or is reported as not
          // confirmed (a change), in plain words, instead of a line on stderr nobody reads.
          onError(error);
          throw new ScribeError('unavailable', new AuditWriteError(error).message, { audit: 'write-failed' });
        }
        return result;
      };
    },

    /** Subscribe to the core's events: recognition, drafts and postings done in the background. */
    onEvent(event: string, payload: unknown): void {
      if (event !== 'visit.updated' || !payload || typeof payload !== 'object') return;
      const visit = payload as VisitLike;
      const previous = seen.get(visit.id);
      const state = {
        transcript: Boolean(visit.transcript),
        generatedAt: visit.draft?.generatedAt ?? null,
        post: visit.post?.status ?? null,
      };
      seen.set(visit.id, state);
      if (!previous) return; // first sight after a restart: nothing to compare with
      if (visit.transcript && !previous.transcript) {
        const transcript = visit.transcript;
        recordLater(null, 'recognition.completed', async () => {
          const audio = opts.readAudio ? await opts.readAudio(visit.id).catch(() => new Uint8Array()) : new Uint8Array();
          return {
            visitId: visit.id,
            details: {
              engine: asCode(transcript.engine),
              ...(transcript.model ? { model: asCode(transcript.model) } : {}),
              inputSha256: sha256(audio),
              outputSha256: sha256(canonicalJson(transcript)),
              audioSeconds: visit.audioSeconds ?? 0,
              segments: transcript.segments.length,
            },
          };
        });
      }
      if (visit.draft && visit.draft.generatedAt !== previous.generatedAt && previous.generatedAt === null) {
        const draft = visit.draft;
        recordLater(null, 'draft.generated', {
          visitId: visit.id,
          details: {
            engine: asCode(draft.engine),
            engineVersion: asCode(draft.engineVersion),
            ...(draft.template ? { template: asCode(draft.template) } : {}),
            sections: draft.sections.length,
            outputSha256: sha256(canonicalJson(draft.sections.map((s) => ({ id: s.id, text: s.text })))),
            ...languageModelDetails(draft),
          },
        });
      }
      if (visit.post && visit.post.status !== previous.post) {
        if (visit.post.status === 'posted' && visit.post.serverId) {
          recordLater(null, 'note.posted', {
            visitId: visit.id,
            details: {
              noteId: `note-${visit.id}`,
              serverId: asCode(visit.post.serverId),
              ...(visit.post.versionId ? { versionId: asCode(visit.post.versionId) } : {}),
              attempts: visit.post.attempts,
            },
          });
        } else if (visit.post.status === 'failed') {
          recordLater(null, 'note.postFailed', {
            visitId: visit.id,
            details: { noteId: `note-${visit.id}`, attempts: visit.post.attempts },
          });
        }
      }
    },

    /** Resolves when every record queued so far is written (tests, shutdown). */
    flush(): Promise<void> {
      return queue.then(() => undefined);
    },
  };
}
