import { createHash, randomBytes } from 'node:crypto';
import type { SecretStore } from '../secrets/index.ts';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rm, stat, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { GENESIS_HASH, hashRecord, verifyChain, type AuditHead, type AuditProblem, type AuditRecord } from './chain.ts';
import { AuditActor, auditDetails, VisitIdSchema, type AuditAction, type AuditDetails, type AuditEvent } from './events.ts';
import { toFhirAuditEvent, type FhirAuditEvent } from './fhir.ts';

/**
 * The audit log: append-only NDJSON, one record per line, each carrying the hash of the one before
 * (docs/decisions/0051-audit-hash-chain.md). `audit.head.json` beside it holds the last seq and hash
 * so records cut off the end are found too. Records hold ids, codes, hashes and counts only.
 */
export const AUDIT_FILE = 'audit.ndjson';
export const AUDIT_HEAD_FILE = 'audit.head.json';
const LOCK_FILE = 'audit.lock';
const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 5_000;
/** How much of the end of the log `append` reads to find the previous record. */
const TAIL_BYTES = 256 * 1024;

/** Where the core and the CLI keep the audit log inside Scribe's data folder. */
export function defaultAuditDir(dataDir: string): string {
  return path.join(dataDir, 'audit');
}

export interface VerifyResult {
  ok: boolean;
  records: number;
  problems: AuditProblem[];
}

export interface AuditLog {
  readonly file: string;
  append<E extends AuditEvent>(event: E): Promise<AuditRecord>;
  records(): Promise<AuditRecord[]>;
  verify(): Promise<VerifyResult>;
  /** Throws when the log cannot take a record now (folder or file not writable), before an action depends on it. */
  assertWritable?(): Promise<void>;
  /** Copies the log (verbatim lines) to `out`; returns the number of records. */
  exportNdjson(out: string): Promise<number>;
  toFhirAuditEvents(opts?: FhirExportOptions): Promise<FhirAuditEvent[]>;
  /** Sends each record as a FHIR AuditEvent through `post`; returns the server ids. */
  postFhir(post: (event: FhirAuditEvent) => Promise<{ id?: string }>, opts?: FhirExportOptions): Promise<string[]>;
}

export interface FhirExportOptions {
  /** Only records after this seq (incremental export). */
  afterSeq?: number;
  /** Shown as the AuditEvent's source observer (the workstation). */
  observer?: string;
}

/**
 * What makes the chain hard to cut or rewrite (docs/decisions/0120-audit-keyed-chain.md): the HMAC key and
 * a copy of the head, both kept outside the log's folder (the OS keychain in the app and the CLI).
 */
export interface AuditSealing {
  key: Uint8Array;
  /** The last seq and hash, written after every append; verify compares the log against it. */
  checkpoint: { get(): Promise<AuditHead | null>; set(head: AuditHead): Promise<void> };
}

/** The audit key and head checkpoint of the log in `dir`, in the OS keychain (created on first use). */
export async function keychainAuditSealing(secrets: SecretStore, dir: string, create = true): Promise<AuditSealing | null> {
  const id = createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 24);
  const keyAccount = `audit-hmac:${id}`;
  const headAccount = `audit-head:${id}`;
  let key = await secrets.get(keyAccount);
  if (!key) {
    if (!create) return null;
    key = randomBytes(32).toString('base64');
    await secrets.set(keyAccount, key);
  }
  return {
    key: Buffer.from(key, 'base64'),
    checkpoint: {
      async get() {
        const saved = await secrets.get(headAccount);
        if (!saved) return null;
        try {
          const head = JSON.parse(saved) as AuditHead;
          return Number.isInteger(head.seq) && typeof head.hash === 'string' ? head : null;
        } catch {
          return null;
        }
      },
      set: (head) => secrets.set(headAccount, JSON.stringify(head)),
    },
  };
}

/** The audit log could not be written: the action that needed the record must not go ahead. */
export class AuditWriteError extends Error {
  constructor(cause: unknown) {
    super(
      `The audit log could not be written (${cause instanceof Error ? cause.message : String(cause)}). Scribe does not do or show anything it cannot log: free disk space or fix the permissions of the data folder's audit/ folder, then try again.`,
    );
    this.name = 'AuditWriteError';
  }
}

export class AuditDetailsError extends Error {
  constructor(action: string, message: string) {
    super(`Audit record for ${action} refused: ${message}`);
    this.name = 'AuditDetailsError';
  }
}

export function openAuditLog(opts: { dir: string; now?: () => Date; sealing?: AuditSealing }): AuditLog {
  const key = opts.sealing?.key;
  const dir = path.resolve(opts.dir);
  const file = path.join(dir, AUDIT_FILE);
  const headFile = path.join(dir, AUDIT_HEAD_FILE);
  const now = opts.now ?? (() => new Date());
  let queue: Promise<unknown> = Promise.resolve();

  async function readText(): Promise<string> {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    }
  }

  async function readHead(): Promise<AuditHead | null> {
    try {
      const head = JSON.parse(await readFile(headFile, 'utf8')) as AuditHead;
      return Number.isInteger(head.seq) && typeof head.hash === 'string' ? head : null;
    } catch {
      return null;
    }
  }

  /**
   * The last complete record, read from the end of the file (the log grows for years). A torn last line
   * (crash mid-write) is cut on the next append; an unreadable line is skipped here and reported by verify.
   */
  async function lastRecord(): Promise<{ record: AuditRecord | null; validLength: number }> {
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { record: null, validLength: 0 };
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - TAIL_BYTES);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const end = buffer.lastIndexOf(0x0a) + 1;
      const validLength = start + end;
      const lines = buffer.subarray(0, end).toString('utf8').split('\n').reverse();
      for (const line of lines) {
        try {
          const value = JSON.parse(line) as AuditRecord;
          if (Number.isInteger(value.seq) && typeof value.hash === 'string') return { record: value, validLength };
        } catch {
          // a damaged line: keep looking further up
        }
      }
      return { record: null, validLength };
    } finally {
      await handle.close();
    }
  }

  /** A lock file shared with other processes (the CLI) that append to the same log. */
  async function withFileLock<T>(task: () => Promise<T>): Promise<T> {
    const lock = path.join(dir, LOCK_FILE);
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const handle = await open(lock, 'wx', 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const age = await stat(lock).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > LOCK_STALE_MS) await rm(lock, { force: true });
        else if (Date.now() > deadline) throw new Error(`The audit log in ${dir} is locked by another process (${lock})`);
        else await new Promise((r) => setTimeout(r, 5));
      }
    }
    try {
      return await task();
    } finally {
      await rm(lock, { force: true });
    }
  }

  function validate(event: AuditEvent): { actor: AuditActor; details: Record<string, unknown>; visitId?: string } {
    const schema = auditDetails[event.action as AuditAction];
    if (!schema) throw new AuditDetailsError(String(event.action), 'unknown action');
    const actor = AuditActor.safeParse(event.actor);
    if (!actor.success) throw new AuditDetailsError(event.action, `actor: ${actor.error.issues[0]?.message}`);
    const details = schema.safeParse(event.details);
    if (!details.success) {
      const issue = details.error.issues[0];
      throw new AuditDetailsError(event.action, `${issue?.path.join('.') || 'details'}: ${issue?.message}`);
    }
    if (event.visitId !== undefined && !VisitIdSchema.safeParse(event.visitId).success)
      throw new AuditDetailsError(event.action, 'visitId is not an id');
    return { actor: actor.data, details: details.data as Record<string, unknown>, ...(event.visitId ? { visitId: event.visitId } : {}) };
  }

  async function appendNow(event: AuditEvent): Promise<AuditRecord> {
    const checked = validate(event);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return withFileLock(async () => {
      const { record: last, validLength } = await lastRecord();
      const body: Omit<AuditRecord, 'hash'> = {
        seq: (last?.seq ?? 0) + 1,
        at: now().toISOString(),
        actor: checked.actor,
        action: event.action,
        ...(checked.visitId ? { visitId: checked.visitId } : {}),
        details: checked.details,
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const record: AuditRecord = { ...body, hash: hashRecord(body, key) };
      const handle = await open(file, 'a+', 0o600);
      try {
        const { size } = await handle.stat();
        if (size > validLength) await handle.truncate(validLength); // a line torn by a crash
        await handle.write(`${JSON.stringify(record)}\n`);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      const tmp = `${headFile}.tmp`;
      await writeFile(tmp, JSON.stringify({ seq: record.seq, hash: record.hash } satisfies AuditHead));
      await rename(tmp, headFile);
      await opts.sealing?.checkpoint.set({ seq: record.seq, hash: record.hash });
      return record;
    });
  }

  async function records(): Promise<AuditRecord[]> {
    return (await readText())
      .split('\n')
      .filter((l) => l.trim() !== '')
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as AuditRecord];
        } catch {
          return [];
        }
      });
  }

  async function fhirEvents(opts: FhirExportOptions = {}): Promise<FhirAuditEvent[]> {
    return (await records()).filter((r) => r.seq > (opts.afterSeq ?? 0)).map((r) => toFhirAuditEvent(r, opts.observer));
  }

  return {
    file,
    append(event) {
      const run = queue.then(() => appendNow(event));
      queue = run.catch(() => undefined);
      return run;
    },
    records,
    async assertWritable() {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await access(dir, constants.W_OK);
      // Opening for append is the real test (a full disk still lets this pass; the write itself then fails the call).
      await (await open(file, 'a', 0o600)).close();
    },
    async verify() {
      const text = await readText();
      const local = await readHead();
      const sealed = opts.sealing ? await opts.sealing.checkpoint.get() : null;
      // The checkpoint outside the folder wins: a head file rewritten along with the log proves nothing.
      const { records: count, problems } = verifyChain(text, sealed ?? local, key);
      if (opts.sealing && !sealed && text.trim() !== '') {
        problems.push({
          seq: null,
          kind: 'truncated',
          message: 'the keychain holds no checkpoint of this log: it cannot be shown complete (was it copied from another workstation?)',
        });
      }
      if (sealed && local && (local.seq !== sealed.seq || local.hash !== sealed.hash) && problems.length === 0) {
        problems.push({
          seq: local.seq,
          kind: 'altered',
          message: `the head file (record ${local.seq}) disagrees with the keychain's checkpoint (record ${sealed.seq})`,
        });
      }
      return { ok: problems.length === 0, records: count, problems };
    },
    async exportNdjson(out) {
      const text = await readText();
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      await mkdir(path.dirname(path.resolve(out)), { recursive: true });
      const tmp = `${out}.tmp-${process.pid}`;
      await writeFile(tmp, complete, { mode: 0o600 });
      await rename(tmp, out);
      return complete.split('\n').filter((l) => l.trim() !== '').length;
    },
    toFhirAuditEvents: fhirEvents,
    async postFhir(post, opts) {
      const ids: string[] = [];
      for (const event of await fhirEvents(opts)) ids.push((await post(event)).id ?? '');
      return ids;
    },
  };
}

/** Who did it, as the API layer knows the caller. */
export interface AuditCaller {
  id: string;
  role: AuditActor['role'];
}

/**
 * The one-line way for API handlers to record an action:
 * `await auditAction(audit, ctx.user, 'draft.edited', { visitId, details: { sectionId, ... } })`.
 * A caller of null is the system (retention job, outbox). Details are checked against the action's schema.
 */
export function auditAction<A extends AuditAction>(
  log: AuditLog,
  caller: AuditCaller | null | undefined,
  action: A,
  fields: { visitId?: string; details: AuditDetails<A> },
): Promise<AuditRecord> {
  const actor: AuditActor = caller ? { id: caller.id, role: caller.role } : { id: 'scribe', role: 'system' };
  return log.append({ actor, action, ...fields } as AuditEvent);
}

/** sha256 (hex) of text or bytes, for `recognition.completed` input/output hashes and note hashes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Size of an edit for `draft.edited`: characters outside the common prefix and suffix. */
export function editSize(before: string, after: string): { charsBefore: number; charsAfter: number; charsChanged: number } {
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before[prefix] === after[prefix]) prefix += 1;
  let suffix = 0;
  while (suffix < max - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix += 1;
  return { charsBefore: before.length, charsAfter: after.length, charsChanged: Math.max(before.length, after.length) - prefix - suffix };
}
