import { randomBytes } from 'node:crypto';
import { ScribeError } from '../contract/index.ts';
import type {
  Draft,
  EditLock,
  NoteDiff,
  NoteVersion,
  OpenedNote,
  QueueItem,
  QueuePerson,
  QueueSaveResult,
  QueueStatus,
  User,
  Visit,
} from '../contract/index.ts';
import { diffSections } from './diff.ts';

/**
 * The scribe's queue: visits assigned to scribes, edit locks, versioned saves and the hand-off for
 * signature. Stored in each visit's own vault records (so shredding a visit shreds its queue history).
 * The note text itself lives in the visit's draft; every save here writes through to it.
 */

/** One section's text as a version keeps it. */
type SectionText = NoteVersion['sections'][number];

/** Who is editing and since when. The token identifies one editor window; it is never shown to others. */
interface LockRecord extends EditLock {
  token: string;
}

interface AssignmentRecord {
  visitId: string;
  scribe: QueuePerson;
  clinicianId: string;
  assignedAt: string;
  assignedBy: QueuePerson;
  status: Exclude<QueueStatus, 'signed'>;
  readyAt?: string;
  readyBy?: QueuePerson;
  lock: LockRecord | null;
  /** The draft as the AI wrote it (or as it stood when the queue first saw it, if a person had already edited it). */
  aiDraft: SectionText[] | null;
  aiDraftEditedBefore: boolean;
  versionCount: number;
  conflictCount: number;
}

/** The parts of the visit service the queue needs (VisitService satisfies it). */
export interface QueueNotes {
  get(visitId: string): Promise<Visit>;
  updateSection(visitId: string, sectionId: string, text: string, baseVersion: number): Promise<Draft>;
}

export interface QueueRecords {
  readJson<T>(key: string): Promise<T | null>;
  writeJson(key: string, value: unknown): Promise<void>;
}

export interface QueueStorage {
  visit(visitId: string): QueueRecords;
  listVisits(): Promise<string[]>;
}

export interface QueueDeps {
  storage: QueueStorage;
  notes: QueueNotes;
  /** Looks up a person by id (the scribe being assigned). */
  person: (id: string) => QueuePerson | undefined;
  emit?: (event: 'queue.updated', item: QueueItem) => void;
  now?: () => Date;
}

export const ASSIGNMENT_RECORD = 'queue.assignment.json';
const versionKey = (n: number) => `queue.version.${String(n).padStart(6, '0')}.json`;

const personOf = (u: User | QueuePerson): QueuePerson => ({ id: u.id, name: u.name, role: u.role });
const sectionsOf = (draft: Draft): SectionText[] => draft.sections.map(({ id, title, text }) => ({ id, title, text }));

export function createQueueService(deps: QueueDeps) {
  const now = deps.now ?? (() => new Date());
  const cache = new Map<string, AssignmentRecord | null>();
  const chains = new Map<string, Promise<unknown>>();

  /** One operation at a time per visit: lock checks and saves never interleave. */
  function serial<T>(visitId: string, work: () => Promise<T>): Promise<T> {
    const prev = chains.get(visitId) ?? Promise.resolve();
    const next = prev.then(work, work);
    chains.set(
      visitId,
      next.catch(() => undefined),
    );
    return next;
  }

  async function loadAssignment(visitId: string): Promise<AssignmentRecord | null> {
    if (cache.has(visitId)) return cache.get(visitId) ?? null;
    const record = await deps.storage.visit(visitId).readJson<AssignmentRecord>(ASSIGNMENT_RECORD);
    cache.set(visitId, record);
    return record;
  }

  async function requireAssignment(visitId: string): Promise<AssignmentRecord> {
    const record = await loadAssignment(visitId);
    if (!record) throw new ScribeError('not_found', `Visit ${visitId} is not in the scribe queue`);
    return record;
  }

  async function storeAssignment(record: AssignmentRecord): Promise<void> {
    await deps.storage.visit(record.visitId).writeJson(ASSIGNMENT_RECORD, record);
    cache.set(record.visitId, record);
  }

  async function writeVersion(record: AssignmentRecord, version: Omit<NoteVersion, 'n'>): Promise<NoteVersion> {
    const full: NoteVersion = { n: record.versionCount + 1, ...version };
    await deps.storage.visit(record.visitId).writeJson(versionKey(full.n), full);
    record.versionCount = full.n;
    return full;
  }

  async function readVersions(record: AssignmentRecord): Promise<NoteVersion[]> {
    const out: NoteVersion[] = [];
    for (let n = 1; n <= record.versionCount; n++) {
      const v = await deps.storage.visit(record.visitId).readJson<NoteVersion>(versionKey(n));
      if (v) out.push(v);
    }
    return out;
  }

  const clinicianName = (id: string): string | undefined => deps.person(id)?.name;

  function toItem(record: AssignmentRecord, visit: Visit): QueueItem {
    const signed = visit.status === 'signed';
    const lock = record.lock && !signed ? publicLock(record.lock) : null;
    return {
      visitId: record.visitId,
      patientName: visit.patientName,
      visitType: visit.visitType,
      ...(visit.visitTypeText ? { visitTypeText: visit.visitTypeText } : {}),
      visitDate: visit.startedAt,
      clinicianId: record.clinicianId,
      ...(clinicianName(record.clinicianId) ? { clinicianName: clinicianName(record.clinicianId)! } : {}),
      scribe: record.scribe,
      assignedAt: record.assignedAt,
      assignedBy: record.assignedBy,
      status: signed ? 'signed' : record.status,
      ...(record.readyAt ? { readyAt: record.readyAt } : {}),
      ...(record.readyBy ? { readyBy: record.readyBy } : {}),
      ...(visit.signedAt ? { signedAt: visit.signedAt } : {}),
      lock,
      versionCount: record.versionCount,
      conflictCount: record.conflictCount ?? 0,
    };
  }

  async function itemOf(record: AssignmentRecord): Promise<QueueItem> {
    const visit = await deps.notes.get(record.visitId);
    return toItem(record, visit);
  }

  async function announce(record: AssignmentRecord): Promise<QueueItem> {
    const item = await itemOf(record);
    try {
      deps.emit?.('queue.updated', item);
    } catch {
      // a broken listener never breaks a save
    }
    return item;
  }

  function publicLock(lock: LockRecord): EditLock {
    const { token: _token, ...shown } = lock;
    return shown;
  }

  /** Scribes act only on visits assigned to them; clinicians only on their own visits. */
  function requireAccess(user: User, record: AssignmentRecord, action: string): void {
    if (user.role === 'scribe' && record.scribe.id !== user.id) {
      throw new ScribeError('forbidden', `Only the scribe this visit is assigned to may ${action}`);
    }
    if (user.role === 'clinician' && record.clinicianId !== user.id) {
      throw new ScribeError('forbidden', `Only the visit's own clinician may ${action}`);
    }
    if (user.role === 'manager') throw new ScribeError('forbidden', `A practice manager may not ${action}`);
  }

  async function draftOf(visitId: string): Promise<{ visit: Visit; draft: Draft }> {
    const visit = await deps.notes.get(visitId);
    if (!visit.draft) throw new ScribeError('conflict', 'The draft of this visit is not ready yet');
    return { visit, draft: visit.draft };
  }

  /** First time the queue sees the draft: keep it as the base of "what the scribe changed". */
  async function captureAiDraft(record: AssignmentRecord, draft: Draft, by: QueuePerson): Promise<void> {
    if (record.aiDraft) return;
    record.aiDraft = sectionsOf(draft);
    record.aiDraftEditedBefore = draft.sections.some((s) => s.edited);
    await writeVersion(record, {
      kind: 'ai_draft',
      savedAt: now().toISOString(),
      savedBy: by,
      baseVersion: draft.version,
      draftVersion: draft.version,
      sections: record.aiDraft,
    });
  }

  function lockHeldBy(record: AssignmentRecord, token: string | undefined): boolean {
    return !!record.lock && !!token && record.lock.token === token;
  }

  function describeLock(lock: LockRecord): string {
    return `${lock.name} (${lock.role}) has been editing since ${lock.since}`;
  }

  /** Keep what was typed as a conflicting version, then refuse with the current text. */
  async function keepConflict(
    record: AssignmentRecord,
    user: User,
    baseVersion: number,
    sections: SectionText[],
    reason: string,
  ): Promise<never> {
    const version = await writeVersion(record, {
      kind: 'conflict',
      savedAt: now().toISOString(),
      savedBy: personOf(user),
      baseVersion,
      sections,
      reason,
    });
    record.conflictCount = (record.conflictCount ?? 0) + 1;
    await storeAssignment(record);
    const { draft } = await draftOf(record.visitId);
    await announce(record);
    throw new ScribeError('conflict', `${reason}. Your text was kept as version ${version.n}; nothing was lost.`, {
      current: draft,
      keptVersion: version.n,
      lock: record.lock ? publicLock(record.lock) : null,
    });
  }

  return {
    /** A clinician (or manager) hands a drafted visit to a scribe. */
    assign(user: User, visitId: string, scribeId: string): Promise<QueueItem> {
      return serial(visitId, async () => {
        const visit = await deps.notes.get(visitId);
        if (user.role === 'scribe') throw new ScribeError('forbidden', 'Scribes cannot assign visits');
        if (user.role === 'clinician' && visit.clinicianId !== user.id) {
          throw new ScribeError('forbidden', "Only the visit's own clinician may assign it to a scribe");
        }
        if (visit.status === 'signed') throw new ScribeError('conflict', 'This note is already signed');
        const scribe = deps.person(scribeId);
        if (!scribe || scribe.role !== 'scribe') throw new ScribeError('not_found', `No scribe ${scribeId}`);
        const existing = await loadAssignment(visitId);
        if (existing?.lock) throw new ScribeError('conflict', `Cannot reassign while ${describeLock(existing.lock)}`);
        const record: AssignmentRecord = existing
          ? {
              ...existing,
              scribe: personOf(scribe),
              assignedAt: now().toISOString(),
              assignedBy: personOf(user),
              status: 'waiting_for_edit',
            }
          : {
              visitId,
              scribe: personOf(scribe),
              clinicianId: visit.clinicianId,
              assignedAt: now().toISOString(),
              assignedBy: personOf(user),
              status: 'waiting_for_edit',
              lock: null,
              aiDraft: null,
              aiDraftEditedBefore: false,
              versionCount: 0,
              conflictCount: 0,
            };
        if (visit.draft) await captureAiDraft(record, visit.draft, personOf(user));
        await storeAssignment(record);
        return announce(record);
      });
    },

    /** The signed-in person's queue: a scribe sees what is assigned to them, a clinician their own visits. */
    async list(user: User, filter: { status?: QueueStatus } = {}): Promise<QueueItem[]> {
      const items: QueueItem[] = [];
      for (const visitId of await deps.storage.listVisits()) {
        const record = await loadAssignment(visitId).catch(() => null);
        if (!record) continue;
        if (user.role === 'scribe' && record.scribe.id !== user.id) continue;
        if (user.role === 'clinician' && record.clinicianId !== user.id) continue;
        if (user.role === 'manager') continue;
        const item = await itemOf(record).catch(() => null);
        if (item && (!filter.status || item.status === filter.status)) items.push(item);
      }
      return items.sort((a, b) => b.visitDate.localeCompare(a.visitDate));
    },

    /**
     * Open a visit for editing: takes the edit lock when it is free (or already this person's stale one).
     * When someone else holds it, the note opens read-only and the answer shows who and since when.
     */
    open(user: User, visitId: string): Promise<OpenedNote> {
      return serial(visitId, async () => {
        const record = await requireAssignment(visitId);
        requireAccess(user, record, 'open this note');
        const { visit, draft } = await draftOf(visitId);
        await captureAiDraft(record, draft, personOf(user));
        if (visit.status === 'signed') {
          await storeAssignment(record);
          return { item: await itemOf(record), lockToken: null, draft };
        }
        if (record.lock) {
          return { item: await itemOf(record), lockToken: null, draft };
        }
        const at = now().toISOString();
        const token = randomBytes(18).toString('base64url');
        record.lock = { ...personOf(user), since: at, lastSeen: at, token };
        if (user.role === 'scribe' && record.status === 'waiting_for_edit') record.status = 'in_edit';
        await storeAssignment(record);
        return { item: await announce(record), lockToken: token, draft };
      });
    },

    /** The visit's clinician (or the lock holder themselves, from another window) takes the lock over. */
    takeOver(user: User, visitId: string): Promise<OpenedNote> {
      return serial(visitId, async () => {
        const record = await requireAssignment(visitId);
        requireAccess(user, record, 'take over this note');
        const { visit, draft } = await draftOf(visitId);
        if (visit.status === 'signed') throw new ScribeError('conflict', 'This note is already signed');
        if (record.lock && user.role !== 'clinician' && record.lock.id !== user.id) {
          throw new ScribeError('forbidden', `Only the clinician can take over: ${describeLock(record.lock)}`);
        }
        const at = now().toISOString();
        const token = randomBytes(18).toString('base64url');
        record.lock = { ...personOf(user), since: at, lastSeen: at, token };
        await storeAssignment(record);
        return { item: await announce(record), lockToken: token, draft };
      });
    },

    /** Give the lock back (closing the editor). */
    release(user: User, visitId: string, lockToken: string): Promise<QueueItem> {
      return serial(visitId, async () => {
        const record = await requireAssignment(visitId);
        requireAccess(user, record, 'close this note');
        if (lockHeldBy(record, lockToken)) {
          record.lock = null;
          await storeAssignment(record);
        }
        return announce(record);
      });
    },

    /**
     * Save sections. Refused (the typed text kept as a conflicting version, the answer carrying the current
     * text) when this window does not hold the lock or started from an older draft version.
     */
    save(
      user: User,
      visitId: string,
      lockToken: string,
      baseVersion: number,
      sections: { id: string; text: string }[],
    ): Promise<QueueSaveResult> {
      return serial(visitId, async () => {
        const record = await requireAssignment(visitId);
        requireAccess(user, record, 'edit this note');
        const { visit, draft } = await draftOf(visitId);
        const typed: SectionText[] = sections.map((s) => ({
          id: s.id,
          title: draft.sections.find((d) => d.id === s.id)?.title ?? s.id,
          text: s.text,
        }));
        const unknown = sections.find((s) => !draft.sections.some((d) => d.id === s.id));
        if (unknown) throw new ScribeError('not_found', `No section ${unknown.id} in this draft`);
        if (visit.status === 'signed') {
          return keepConflict(record, user, baseVersion, typed, 'The note was signed before this save arrived');
        }
        if (!lockHeldBy(record, lockToken)) {
          const reason = record.lock
            ? `${describeLock(record.lock)}; this window no longer holds the edit lock`
            : 'This window does not hold the edit lock';
          return keepConflict(record, user, baseVersion, typed, reason);
        }
        if (draft.version !== baseVersion) {
          return keepConflict(
            record,
            user,
            baseVersion,
            typed,
            `The note changed since this editor loaded it (now version ${draft.version}, yours ${baseVersion})`,
          );
        }
        let current = draft;
        for (const section of sections) {
          const before = current.sections.find((s) => s.id === section.id);
          if (before && before.text === section.text) continue;
          current = await deps.notes.updateSection(visitId, section.id, section.text, current.version);
        }
        const at = now().toISOString();
        record.lock!.lastSeen = at;
        // A scribe changing a note already handed over takes it back: the clinician never signs a moving target.
        if (user.role === 'scribe' && record.status === 'ready_for_signature') record.status = 'in_edit';
        const version = await writeVersion(record, {
          kind: 'saved',
          savedAt: at,
          savedBy: personOf(user),
          baseVersion,
          draftVersion: current.version,
          sections: sectionsOf(current),
        });
        await storeAssignment(record);
        return { item: await announce(record), draft: current, version };
      });
    },

    /** The scribe hands the note to the clinician for signature; the lock is released. */
    markReady(user: User, visitId: string, lockToken: string): Promise<QueueItem> {
      return serial(visitId, async () => {
        const record = await requireAssignment(visitId);
        requireAccess(user, record, 'hand this note over for signature');
        const { visit } = await draftOf(visitId);
        if (visit.status === 'signed') throw new ScribeError('conflict', 'This note is already signed');
        if (record.lock && !lockHeldBy(record, lockToken)) {
          throw new ScribeError('conflict', `${describeLock(record.lock)}; this window no longer holds the edit lock`, {
            lock: publicLock(record.lock),
          });
        }
        record.lock = null;
        record.status = 'ready_for_signature';
        record.readyAt = now().toISOString();
        record.readyBy = personOf(user);
        await storeAssignment(record);
        return announce(record);
      });
    },

    /** What changed against the AI draft, section by section, word by word. */
    async diff(user: User, visitId: string): Promise<NoteDiff> {
      const record = await requireAssignment(visitId);
      requireAccess(user, record, 'see this note');
      const { draft } = await draftOf(visitId);
      const base = record.aiDraft ?? sectionsOf(draft);
      const sections = diffSections(base, sectionsOf(draft));
      return {
        visitId,
        base: record.aiDraftEditedBefore ? 'as_assigned' : 'ai_draft',
        sections,
        insertedWords: sections.reduce((n, s) => n + s.insertedWords, 0),
        deletedWords: sections.reduce((n, s) => n + s.deletedWords, 0),
      };
    },

    /** Every version kept for a visit (saved and conflicting), oldest first. */
    async versions(user: User, visitId: string): Promise<NoteVersion[]> {
      const record = await requireAssignment(visitId);
      requireAccess(user, record, 'see this note');
      return readVersions(record);
    },

    /** The scribe a visit is assigned to, if any (the access policy's `assignedVisit` rule reads it). */
    async assignedScribe(visitId: string): Promise<string | null> {
      return (await loadAssignment(visitId))?.scribe.id ?? null;
    },

    /**
     * For the visit service's own save path: may this person edit this visit's draft outside the queue?
     * Scribes only on visits assigned to them; nobody while another person holds the edit lock.
     */
    async assertMayEditDraft(user: User, visitId: string): Promise<void> {
      const record = await loadAssignment(visitId);
      if (!record) {
        if (user.role === 'scribe') throw new ScribeError('forbidden', 'This visit is not assigned to you');
        return;
      }
      requireAccess(user, record, 'edit this note');
      if (record.lock && record.lock.id !== user.id) {
        throw new ScribeError('conflict', `${describeLock(record.lock)}`, { lock: publicLock(record.lock) });
      }
    },
  };
}

export type QueueService = ReturnType<typeof createQueueService>;
