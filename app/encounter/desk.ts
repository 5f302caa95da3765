import { ScribeError, type PostStatus, type Visit } from '../contract/index.ts';
import type { VisitDeadlines } from './deadlines.ts';
import type { EmitVisitEvent, LifecycleEvent, LifecycleListener, OutboxPort, PostUpdate, StreamingSession, VisitStorage } from './ports.ts';

export const VISIT_RECORD = 'visit.json';

/** Why a visit found "processing" at start is failed instead (decision 0186). */
const STOPPED_WHILE_PROCESSING =
  "Scribe stopped before this visit's note was made. The recording is kept on this computer: Retry recognizes and drafts it again.";

/** A visit's signed note id; each amendment has its own (the EHR keeps them apart by identifier). */
export function noteIdOf(visitId: string, amendment?: number): string {
  return amendment ? `note-${visitId}-amend-${amendment}` : `note-${visitId}`;
}

export function visitIdOfNote(noteId: string): string {
  return noteId.replace(/^note-/, '').replace(/-amend-\d+$/, '');
}

/**
 * The note of this visit the EHR has or is getting: the one signed last. While an amendment is being
 * written, that is still the note it will replace.
 */
export function lastSignedNoteId(visit: Visit): string | null {
  if (visit.status === 'signed') return noteIdOf(visit.id, visit.amendments || undefined);
  if (visit.amendment) return noteIdOf(visit.id, visit.amendment.number - 1 || undefined);
  return null;
}

export function postStatusOf(update: PostUpdate): PostStatus {
  return {
    status: update.status,
    attempts: update.attempts,
    ...(update.serverId ? { serverId: update.serverId } : {}),
    ...(update.versionId ? { versionId: update.versionId } : {}),
    ...(update.error ? { error: update.error } : {}),
    updatedAt: update.updatedAt,
  };
}

interface Live {
  session: StreamingSession | null;
  nextSeq: number;
  /** Serialises every operation on one visit so concurrent calls never interleave. */
  queue: Promise<unknown>;
}

export interface DeskDeps {
  storage: VisitStorage;
  outbox: OutboxPort;
  emit: EmitVisitEvent;
  lifecycle: LifecycleListener;
  now: () => Date;
  /** How long each wait between Stop and the draft may take (deadlines.ts). */
  deadlines: () => VisitDeadlines;
}

/**
 * What every room of the visit shares: the visits in memory, one queue of work per visit, saving
 * (persist first, then announce), and the visit as the window sees it. A note's post status is the
 * outbox's (the one record of it); the visit never stores a copy, it is read when the visit is shown.
 */
export function createVisitDesk(deps: DeskDeps) {
  const visits = new Map<string, Visit>();
  const live = new Map<string, Live>();
  const background = new Set<Promise<unknown>>();
  const deleted = new Set<string>();

  async function shown(visit: Visit): Promise<Visit> {
    const noteId = lastSignedNoteId(visit);
    const update = noteId ? await deps.outbox.status(noteId) : null;
    return { ...visit, post: update ? postStatusOf(update) : null };
  }

  const desk = {
    now: deps.now,
    deadlines: deps.deadlines,
    live,
    deleted,

    liveOf(visitId: string): Live {
      let l = live.get(visitId);
      if (!l) {
        l = { session: null, nextSeq: 0, queue: Promise.resolve() };
        live.set(visitId, l);
      }
      return l;
    },

    serial<T>(visitId: string, work: () => Promise<T>): Promise<T> {
      const l = desk.liveOf(visitId);
      const next = l.queue.then(work, work);
      l.queue = next.catch(() => undefined);
      return next;
    },

    track(p: Promise<unknown>): void {
      background.add(p);
      void p.finally(() => background.delete(p));
    },

    /** Persist, then announce the visit as shown. */
    async save(visit: Visit): Promise<Visit> {
      // A late update (a background draft) never brings a deleted visit back.
      if (deleted.has(visit.id)) throw new ScribeError('not_found', `Visit ${visit.id} was deleted from this workstation`);
      // Counted from the last saved copy, not the one the caller started from (two saves can start from one load).
      const revision = Math.max(visits.get(visit.id)?.revision ?? 0, visit.revision ?? 0) + 1;
      const stored: Visit = { ...visit, revision, post: null };
      visits.set(visit.id, stored);
      await deps.storage.visit(visit.id).writeJson(VISIT_RECORD, stored);
      const view = await shown(stored);
      deps.emit('visit.updated', view);
      return view;
    },

    /** Keep a change in memory only (audio seconds while recording; persisted with the next save). */
    remember(visit: Visit): void {
      visits.set(visit.id, visit);
    },

    async load(visitId: string): Promise<Visit> {
      const cached = visits.get(visitId);
      if (cached) return cached;
      const stored = await deps.storage.visit(visitId).readJson<Visit>(VISIT_RECORD);
      if (!stored) throw new ScribeError('not_found', `No visit ${visitId} on this workstation`);
      if (stored.status === 'processing') {
        // Not in memory yet, so no work of this run is on it: a run of Scribe stopped before its note was made.
        const failed: Visit = { ...stored, status: 'failed', error: STOPPED_WHILE_PROCESSING, revision: (stored.revision ?? 0) + 1 };
        await deps.storage.visit(visitId).writeJson(VISIT_RECORD, failed);
        visits.set(visitId, failed);
        return failed;
      }
      visits.set(visitId, stored);
      return stored;
    },

    shown,

    /** Tell the window; used when only the outbox's part of the visit changed. */
    announce(visit: Visit): void {
      deps.emit('visit.updated', visit);
    },

    emit: deps.emit,
    storage: deps.storage,
    outbox: deps.outbox,

    requireStatus(visit: Visit, allowed: Visit['status'][], action: string): void {
      if (!allowed.includes(visit.status)) {
        throw new ScribeError('conflict', `Cannot ${action}: the visit is ${visit.status}`);
      }
    },

    lifecycle(visit: Visit, type: LifecycleEvent['type'], extra: Partial<LifecycleEvent> = {}): void {
      try {
        deps.lifecycle({
          type,
          visitId: visit.id,
          clinicianId: visit.clinicianId,
          visitType: visit.visitType,
          at: deps.now().toISOString(),
          ...extra,
        });
      } catch {
        // metrics must never break the clinical path
      }
    },

    /** Drop what is cached of a visit (it is being deleted). */
    drop(visitId: string): void {
      live.get(visitId)?.session?.close();
      live.delete(visitId);
      visits.delete(visitId);
    },

    async idle(): Promise<void> {
      while (background.size) await Promise.allSettled([...background]);
    },
  };
  return desk;
}

export type VisitDesk = ReturnType<typeof createVisitDesk>;
