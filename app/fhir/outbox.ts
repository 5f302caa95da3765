import type { Bundle, DocumentReference } from '@medplum/fhirtypes';
import type { EhrClient } from './ehr-client.ts';
import { EhrError } from './ehr-error.ts';
import type { OutboxStore } from './outbox-store.ts';
import { clinicOf, postNoteDirect, postSignedNote } from './post-signed-note.ts';
import { buildSignedNoteBundle, defaultWriteContext, type SignedNoteInput, type WriteContext } from './signed-note.ts';
import type { WriteMode } from './write-plan.ts';

export type OutboxStatus = 'queued' | 'sending' | 'posted' | 'failed';

/** What the UI shows for one note (fits the visit's PostStatus). */
export interface OutboxUpdate {
  noteId: string;
  status: OutboxStatus;
  attempts: number;
  /** DocumentReference id and version once posted. */
  serverId?: string;
  versionId?: string;
  /** Plain words: why it failed, or why it is waiting to retry. */
  error?: string;
  /** When the next automatic attempt is due (queued after a failure). */
  nextAttemptAt?: string;
  /** The write plan the note went out under (full transaction, direct POST, minimal). */
  mode?: WriteMode;
  updatedAt: string;
}

interface OutboxRecord extends OutboxUpdate {
  format: 1;
  note: SignedNoteInput;
  createdAt: string;
  /** Amendment: the posted DocumentReference to mark superseded, at the version Scribe posted. */
  supersede?: { documentReferenceId: string; versionId: string; originalNoteId: string };
}

export interface OutboxOptions {
  store: OutboxStore;
  /** The EHR client, or a factory called for each attempt (so a new sign-in is picked up). */
  ehr: EhrClient | (() => EhrClient | Promise<EhrClient>);
  /**
   * How notes are written (plan from the EHR's CapabilityStatement, the practice's identifier systems, its
   * Organization when the encounter names none); read at each attempt. Default: full transaction.
   */
  writeContext?: () => WriteContext | Promise<WriteContext>;
  onUpdate?: (update: OutboxUpdate) => void;
  /** Retry delays: first, growth factor, cap (ms). Default 1 s, x2, 5 min, with ±20 % jitter. */
  backoff?: { firstMs?: number; factor?: number; maxMs?: number };
  /** Notes sent at the same time (default 4). */
  concurrency?: number;
  /** Posted notes leave the store after this many days (default 30): the chart has them; PHI is not kept twice. */
  retainPostedDays?: number;
  now?: () => Date;
}

export interface Outbox {
  /** Persist the signed note, then deliver it in the background. Idempotent on noteId. */
  enqueue(note: SignedNoteInput): Promise<OutboxUpdate>;
  /**
   * Amend a posted note: `amended` (with its own noteId) is posted as a new DocumentReference that
   * `replaces` the original, and the original is set to superseded with If-Match, in one transaction.
   */
  amend(original: string | { documentReferenceId: string; versionId: string }, amended: SignedNoteInput): Promise<OutboxUpdate>;
  /** Try a failed note again now. */
  retry(noteId: string): Promise<OutboxUpdate>;
  /** Send every waiting note now instead of at its backoff time (after a sign-in, or the network came back). */
  resume(): void;
  status(noteId: string): Promise<OutboxUpdate | null>;
  list(): Promise<OutboxUpdate[]>;
  /** Load the persisted notes (after a restart) and start delivering. */
  start(): Promise<void>;
  /** Resolves when the note is posted or failed. */
  whenSettled(noteId: string): Promise<OutboxUpdate>;
  /** Stop timers and wait for sends in flight (their outcome is persisted). */
  close(): Promise<void>;
}

export class OutboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxError';
  }
}

function publicView(record: OutboxRecord): OutboxUpdate {
  const { noteId, status, attempts, serverId, versionId, error, nextAttemptAt, updatedAt, mode } = record;
  return {
    noteId,
    status,
    attempts,
    updatedAt,
    ...(mode ? { mode } : {}),
    ...(serverId ? { serverId } : {}),
    ...(versionId ? { versionId } : {}),
    ...(error ? { error } : {}),
    ...(nextAttemptAt && status === 'queued' ? { nextAttemptAt } : {}),
  };
}

/**
 * The outbox: a signed note is written to the store before anything is sent; delivery retries with
 * exponential backoff while the EHR is unreachable, survives restarts (start() re-reads the store, and a
 * note caught "sending" by a crash is simply sent again), and is exactly-once because every entry of
 * the transaction is a conditional create (full mode) or every POST is preceded, and a lost answer
 * followed, by a search on the resource's identifier (direct and minimal modes).
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const now = options.now ?? (() => new Date());
  const firstMs = options.backoff?.firstMs ?? 1000;
  const factor = options.backoff?.factor ?? 2;
  const maxMs = options.backoff?.maxMs ?? 5 * 60_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const retainPostedDays = options.retainPostedDays ?? 30;
  const records = new Map<string, OutboxRecord>();
  const inFlight = new Map<string, Promise<void>>();
  const waiters = new Map<string, ((u: OutboxUpdate) => void)[]>();
  let loaded: Promise<void> | null = null;
  let started = false;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  const keyLocks = new Map<string, Promise<unknown>>();
  const unreadable = new Map<string, string>();

  /** One change at a time per note (enqueue vs. send vs. retry). */
  function locked<T>(noteId: string, task: () => Promise<T>): Promise<T> {
    const previous = keyLocks.get(noteId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.catch(() => undefined);
    keyLocks.set(noteId, settled);
    void settled.then(() => {
      if (keyLocks.get(noteId) === settled) keyLocks.delete(noteId);
    });
    return run;
  }

  async function getClient(): Promise<EhrClient> {
    return typeof options.ehr === 'function' ? await options.ehr() : options.ehr;
  }

  /** Tells the listener (the visit screen) where a note stands. */
  function report(record: OutboxRecord): OutboxUpdate {
    const update = publicView(record);
    try {
      options.onUpdate?.(update);
    } catch {
      // a listener's failure never stops delivery
    }
    return update;
  }

  async function save(record: OutboxRecord): Promise<void> {
    record.updatedAt = now().toISOString();
    await options.store.writeJson(record.noteId, record);
    records.set(record.noteId, record);
    const update = report(record);
    if (record.status === 'posted' || record.status === 'failed') {
      for (const resolve of waiters.get(record.noteId) ?? []) resolve(update);
      waiters.delete(record.noteId);
    }
  }

  function load(): Promise<void> {
    loaded ??= (async () => {
      for (const key of await options.store.list()) {
        let record: OutboxRecord | null;
        try {
          record = await options.store.readJson<OutboxRecord>(key);
        } catch (error) {
          // An unreadable record (tampered, corrupt) is reported and left in the store, never dropped.
          unreadable.set(
            key,
            `This signed note could not be read from the outbox store (${(error as Error).message}); it was left untouched. Contact IT.`,
          );
          continue;
        }
        if (!record || record.format !== 1 || !record.note?.noteId) {
          if (record)
            unreadable.set(key, 'This outbox record is not in a format this version of Scribe understands; it was left untouched.');
          continue;
        }
        // A note caught mid-send by a crash goes again: the conditional creates make that safe.
        if (record.status === 'sending') record.status = 'queued';
        if (record.status === 'posted' && Date.parse(record.updatedAt) < now().getTime() - retainPostedDays * 86_400_000) {
          await options.store.delete(key);
          continue;
        }
        records.set(record.noteId, record);
      }
    })();
    return loaded;
  }

  function backoffMs(attempts: number): number {
    const base = Math.min(maxMs, firstMs * factor ** Math.max(0, attempts - 1));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  function pump(): void {
    if (!started || closed) return;
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const t = now().getTime();
    let earliest = Infinity;
    for (const record of records.values()) {
      if (record.status !== 'queued' || inFlight.has(record.noteId)) continue;
      const due = record.nextAttemptAt ? Date.parse(record.nextAttemptAt) : 0;
      if (due <= t) {
        if (inFlight.size >= concurrency) continue;
        const sending = send(record.noteId).finally(() => {
          inFlight.delete(record.noteId);
          pump();
        });
        inFlight.set(record.noteId, sending);
      } else {
        earliest = Math.min(earliest, due);
      }
    }
    if (earliest < Infinity) {
      timer = setTimeout(pump, Math.max(10, earliest - t));
      timer.unref();
    }
  }

  async function amendmentBundle(client: EhrClient, record: OutboxRecord, ctx: WriteContext): Promise<Bundle> {
    const bundle = buildSignedNoteBundle(record.note, ctx);
    const target = record.supersede!;
    const original = await client.read<DocumentReference>('DocumentReference', target.documentReferenceId);
    const { meta: _meta, ...rest } = original;
    bundle.entry!.push({
      resource: { ...rest, status: 'superseded' },
      request: { method: 'PUT', url: `DocumentReference/${target.documentReferenceId}`, ifMatch: `W/"${target.versionId}"` },
    });
    return bundle;
  }

  /** After a 412 on an amendment: did an earlier attempt of ours already land (response lost)? */
  async function amendmentAlreadyLanded(client: EhrClient, record: OutboxRecord, ctx: WriteContext): Promise<DocumentReference | null> {
    const [mine] = await client.search<DocumentReference>('DocumentReference', { identifier: `${ctx.systems.note}|${record.noteId}` });
    if (!mine) return null;
    const original = await client.read<DocumentReference>('DocumentReference', record.supersede!.documentReferenceId);
    return original.status === 'superseded' ? mine : null;
  }

  function send(noteId: string): Promise<void> {
    return locked(noteId, async () => {
      const record = records.get(noteId);
      if (!record || record.status !== 'queued' || closed) return;
      record.status = 'sending';
      record.attempts += 1;
      delete record.nextAttemptAt;
      try {
        await save(record);
      } catch (error) {
        // Could not record the attempt (disk full, vault locked): do not send; try again later.
        record.status = 'queued';
        record.nextAttemptAt = new Date(now().getTime() + backoffMs(record.attempts)).toISOString();
        record.error = `Scribe could not update its outbox (${(error as Error).message}); the note is kept and will be sent later.`;
        // Not persisted, but still reported: otherwise the visit shows "waiting to send" with no reason.
        report(record);
        return;
      }
      let client: EhrClient | null = null;
      let ctx: WriteContext = defaultWriteContext();
      try {
        client = await getClient();
        const base = options.writeContext ? await options.writeContext() : ctx;
        const clinic = await clinicOf(
          client,
          record.note,
          base.organizationRef ? { reference: base.organizationRef, display: base.organizationName } : undefined,
        );
        ctx = {
          ...base,
          ...(clinic ? { organizationRef: clinic.reference, ...(clinic.display ? { organizationName: clinic.display } : {}) } : {}),
        };
        record.mode = ctx.plan.mode;
        const posted =
          ctx.plan.mode === 'full'
            ? await postSignedNote(
                client,
                record.supersede ? await amendmentBundle(client, record, ctx) : buildSignedNoteBundle(record.note, ctx),
              )
            : await postNoteDirect(client, record.note, ctx, record.supersede);
        Object.assign(record, { status: 'posted', serverId: posted.documentReferenceId, versionId: posted.versionId });
        delete record.error;
      } catch (caught) {
        const error =
          caught instanceof EhrError
            ? caught
            : new EhrError('invalid-resource', `Scribe could not prepare the note: ${(caught as Error)?.message ?? String(caught)}`);
        if (record.supersede && error.kind === 'conflict' && error.status === 412 && client) {
          const landed = await amendmentAlreadyLanded(client, record, ctx).catch(() => null);
          if (landed?.id) {
            Object.assign(record, { status: 'posted', serverId: landed.id, versionId: landed.meta?.versionId });
            delete record.error;
            await save(record);
            return;
          }
          record.status = 'failed';
          record.error =
            'The original note was changed in the EHR after Scribe posted it (412 Precondition Failed), ' +
            'so the amendment was not posted and the original was left as it is. Review the note in the EHR, then amend again.';
        } else if (error.retryable || error.kind === 'unauthorized') {
          // Waiting for a sign-in: try at least every minute, so the note goes soon after it even without resume().
          const delay = error.kind === 'unauthorized' ? Math.min(60_000, backoffMs(record.attempts)) : backoffMs(record.attempts);
          record.status = 'queued';
          record.nextAttemptAt = new Date(now().getTime() + delay).toISOString();
          record.error =
            error.kind === 'unauthorized'
              ? `${error.message} The note is kept and will be sent after sign-in.`
              : `${error.message}. The note is kept and will be sent automatically (next try in ${Math.ceil(delay / 1000)} s).`;
        } else {
          record.status = 'failed';
          record.error = error.message;
        }
      }
      try {
        await save(record);
      } catch (error) {
        // The outcome stays in memory (posted notes are not re-sent in this run); a restart re-sends, which the conditional creates make safe.
        records.set(record.noteId, record);
        record.error ??= `Scribe could not record the outcome in its outbox (${(error as Error).message})`;
        report(record);
      }
    });
  }

  async function settledOrWait(noteId: string): Promise<OutboxUpdate> {
    await load();
    const record = records.get(noteId);
    if (!record) throw new OutboxError(`No note ${noteId} in the outbox`);
    if (record.status === 'posted' || record.status === 'failed') return publicView(record);
    return new Promise((resolve) => waiters.set(noteId, [...(waiters.get(noteId) ?? []), resolve]));
  }

  async function add(record: Omit<OutboxRecord, 'updatedAt'>): Promise<OutboxUpdate> {
    return locked(record.noteId, async () => {
      const existing = records.get(record.noteId);
      if (existing) return publicView(existing);
      await save({ ...record, updatedAt: '' });
      pump();
      return publicView(records.get(record.noteId)!);
    });
  }

  return {
    async enqueue(note) {
      if (closed) throw new OutboxError('The outbox is closed');
      await load();
      return add({ format: 1, noteId: note.noteId, note, status: 'queued', attempts: 0, createdAt: now().toISOString() });
    },

    async amend(originalNote, amended) {
      if (closed) throw new OutboxError('The outbox is closed');
      await load();
      let target: { documentReferenceId: string; versionId: string; originalNoteId: string };
      if (typeof originalNote === 'string') {
        const original = records.get(originalNote);
        if (!original) {
          throw new OutboxError(
            `No note ${originalNote} in the outbox to amend (posted notes are kept ${retainPostedDays} days); amend it by its DocumentReference id and version`,
          );
        }
        if (original.status !== 'posted' || !original.serverId || !original.versionId) {
          throw new OutboxError('Only a note already posted to the EHR can be amended; this one is still ' + original.status);
        }
        target = { documentReferenceId: original.serverId, versionId: original.versionId, originalNoteId: originalNote };
      } else {
        target = { ...originalNote, originalNoteId: '' };
      }
      if (amended.noteId === target.originalNoteId) throw new OutboxError('An amendment needs its own note id');
      const note: SignedNoteInput = { ...amended, replaces: { documentReferenceId: target.documentReferenceId } };
      return add({
        format: 1,
        noteId: note.noteId,
        note,
        status: 'queued',
        attempts: 0,
        createdAt: now().toISOString(),
        supersede: target,
      });
    },

    async retry(noteId) {
      await load();
      return locked(noteId, async () => {
        const record = records.get(noteId);
        if (!record) throw new OutboxError(`No note ${noteId} in the outbox`);
        if (record.status === 'failed' || record.status === 'queued') {
          record.status = 'queued';
          delete record.nextAttemptAt;
          await save(record);
          pump();
        }
        return publicView(record);
      });
    },

    resume() {
      for (const record of records.values()) if (record.status === 'queued') delete record.nextAttemptAt;
      pump();
    },

    async status(noteId) {
      await load();
      const record = records.get(noteId);
      return record ? publicView(record) : null;
    },

    async list() {
      await load();
      const problems: OutboxUpdate[] = [...unreadable].map(([noteId, error]) => ({
        noteId,
        status: 'failed',
        attempts: 0,
        error,
        updatedAt: now().toISOString(),
      }));
      return [...problems, ...[...records.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(publicView)];
    },

    async start() {
      await load();
      started = true;
      for (const [noteId, error] of unreadable) {
        try {
          options.onUpdate?.({ noteId, status: 'failed', attempts: 0, error, updatedAt: now().toISOString() });
        } catch {
          // listeners never stop delivery
        }
      }
      pump();
    },

    whenSettled: settledOrWait,

    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
