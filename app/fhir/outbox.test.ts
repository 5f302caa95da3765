import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentReference } from '@medplum/fhirtypes';
import { createMemorySecretStore } from '../secrets/index.ts';
import { openVault } from '../vault/index.ts';
import { createEhrClient, type EhrClient } from './ehr-client.ts';
import { createOutbox, type Outbox, type OutboxUpdate } from './outbox.ts';
import { createFileOutboxStore } from './outbox-store.ts';
import { startSandbox, type Sandbox } from './sandbox/server.ts';
import { demoSignedNote, sandboxWriteContext } from '../../testing/fhir/demo-note.ts';
import { startFaultProxy, type FaultProxy } from '../../testing/fhir/fault-proxy.ts';
import { buildSignedNoteBundle } from './signed-note.ts';
import { postSignedNote } from './post-signed-note.ts';

let sandbox: Sandbox;
let direct: EhrClient;
let dir: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ seed: true });
  direct = createEhrClient({ baseUrl: sandbox.baseUrl });
  dir = await mkdtemp(path.join(os.tmpdir(), 'scribe-outbox-'));
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

const fast = { firstMs: 50, factor: 2, maxMs: 200 };

async function storedNotes(client: EhrClient, noteId: string): Promise<DocumentReference[]> {
  return client.search<DocumentReference>('DocumentReference', { identifier: `http://scribe.example.org/fhir/identifier/note|${noteId}` });
}

function recordUpdates(): { updates: OutboxUpdate[]; onUpdate: (u: OutboxUpdate) => void } {
  const updates: OutboxUpdate[] = [];
  return { updates, onUpdate: (u) => updates.push(u) };
}

function outboxFor(
  name: string,
  baseUrl: string,
  extra: { timeoutMs?: number; onUpdate?: (u: OutboxUpdate) => void; backoff?: typeof fast } = {},
): Outbox {
  const outbox = createOutbox({
    store: createFileOutboxStore(path.join(dir, name)),
    ehr: createEhrClient({ baseUrl, timeoutMs: extra.timeoutMs ?? 5000 }),
    onUpdate: extra.onUpdate,
    backoff: extra.backoff ?? fast,
  });
  cleanups.push(() => outbox.close());
  return outbox;
}

describe('outbox', () => {
  it('persists before sending, then posts: queued -> sending -> posted with id and version', async () => {
    const { updates, onUpdate } = recordUpdates();
    const outbox = outboxFor('basic', sandbox.baseUrl, { onUpdate });
    const queued = await outbox.enqueue(demoSignedNote('note-ob-1'));
    expect(queued.status).toBe('queued');
    // Persisted before anything was sent: a fresh outbox on the same store already knows the note.
    const reader = createOutbox({ store: createFileOutboxStore(path.join(dir, 'basic')), ehr: direct });
    expect((await reader.status('note-ob-1'))?.status).toBe('queued');
    await outbox.start();
    const settled = await outbox.whenSettled('note-ob-1');
    expect(settled.status).toBe('posted');
    expect(updates.map((u) => u.status)).toEqual(['queued', 'sending', 'posted']);
    const [doc] = await storedNotes(direct, 'note-ob-1');
    expect(settled).toMatchObject({ serverId: doc!.id, versionId: doc!.meta!.versionId, attempts: 1 });
    expect(await outbox.enqueue(demoSignedNote('note-ob-1'))).toMatchObject({ status: 'posted' });
  });

  it('works on the encrypted vault namespace as its store', async () => {
    const vault = await openVault({ dir: path.join(dir, 'vault'), secrets: createMemorySecretStore() });
    cleanups.push(() => vault.close());
    const outbox = createOutbox({ store: vault.namespace('outbox'), ehr: direct });
    cleanups.push(() => outbox.close());
    await outbox.enqueue(demoSignedNote('note-ob-vault'));
    await outbox.start();
    expect((await outbox.whenSettled('note-ob-vault')).status).toBe('posted');
    expect(await vault.namespace('outbox').list()).toEqual(['note-ob-vault']);
  });

  it('reports an unreadable record in the store and still delivers the others', async () => {
    const store = createFileOutboxStore(path.join(dir, 'corrupt'));
    await store.writeJson('note-ok', { placeholder: true });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'corrupt', 'note-broken.json'), '{"format": 1, "note": {"noteId"');
    const { updates, onUpdate } = recordUpdates();
    const outbox = createOutbox({ store, ehr: direct, onUpdate });
    cleanups.push(() => outbox.close());
    await outbox.enqueue(demoSignedNote('note-ob-beside-corrupt'));
    await outbox.start();
    expect((await outbox.whenSettled('note-ob-beside-corrupt')).status).toBe('posted');
    expect(updates.find((u) => u.noteId === 'note-broken')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/could not be read.*left untouched/),
    });
    expect((await outbox.list()).map((u) => u.noteId)).toEqual(
      expect.arrayContaining(['note-broken', 'note-ok', 'note-ob-beside-corrupt']),
    );
    expect(await store.list()).toContain('note-broken');
  });

  it('drops posted notes from the store after the retention period, never waiting ones', async () => {
    const name = 'retention';
    const first = outboxFor(name, sandbox.baseUrl);
    await first.start();
    await first.enqueue(demoSignedNote('note-ob-old'));
    await first.whenSettled('note-ob-old');
    await first.close();
    const later = new Date(Date.now() + 31 * 86_400_000);
    const store = createFileOutboxStore(path.join(dir, name));
    await store.writeJson('note-ob-waiting', {
      ...(await store.readJson<object>('note-ob-old')),
      noteId: 'note-ob-waiting',
      status: 'failed',
      updatedAt: new Date(0).toISOString(),
    });
    const reopened = createOutbox({ store, ehr: direct, now: () => later });
    cleanups.push(() => reopened.close());
    expect((await reopened.list()).map((u) => u.noteId)).toEqual(['note-ob-waiting']);
    expect(await store.list()).toEqual(['note-ob-waiting']);
    await expect(reopened.amend('note-ob-old', demoSignedNote('note-ob-old-amend'))).rejects.toThrow(
      /kept 30 days.*DocumentReference id and version/,
    );
  });

  it('fails a note the EHR rejects, in plain words, and keeps it for a retry', async () => {
    const outbox = outboxFor('rejected', sandbox.baseUrl);
    await outbox.enqueue(demoSignedNote('note-ob-bad', { encounterId: 'enc-today-1', patientId: 'no-such-patient' }));
    await outbox.start();
    const settled = await outbox.whenSettled('note-ob-bad');
    expect(settled.status).toBe('failed');
    expect(settled.error).toMatch(/rejected the request \(400\).*Reference Patient\/no-such-patient does not exist/);
    expect((await outbox.list()).map((u) => u.noteId)).toContain('note-ob-bad');
  });

  it('reports a status write that failed (never a silent "waiting"), then delivers on the next try', async () => {
    const { updates, onUpdate } = recordUpdates();
    const files = createFileOutboxStore(path.join(dir, 'status-write'));
    let failNextSending = true;
    const store = {
      ...files,
      async writeJson(key: string, value: unknown) {
        if (failNextSending && (value as { status?: string }).status === 'sending') {
          failNextSending = false;
          throw new Error('disk full');
        }
        return files.writeJson(key, value);
      },
    };
    const outbox = createOutbox({ store, ehr: direct, onUpdate, backoff: fast });
    cleanups.push(() => outbox.close());
    await outbox.start();
    await outbox.enqueue(demoSignedNote('note-ob-write'));
    expect((await outbox.whenSettled('note-ob-write')).status).toBe('posted');
    expect(updates.map((u) => u.status)).toEqual(['queued', 'queued', 'sending', 'posted']);
    expect(updates[1]).toMatchObject({ attempts: 1, error: expect.stringMatching(/could not update its outbox \(disk full\)/) });
    expect(updates[1]!.nextAttemptAt).toBeDefined();
    expect(await storedNotes(direct, 'note-ob-write')).toHaveLength(1);
  });

  it('amends: the new DocumentReference replaces the old, which becomes superseded (If-Match)', async () => {
    const outbox = outboxFor('amend', sandbox.baseUrl);
    await outbox.start();
    await outbox.enqueue(demoSignedNote('note-ob-amend'));
    const original = await outbox.whenSettled('note-ob-amend');
    await outbox.amend('note-ob-amend', demoSignedNote('note-ob-amend-1', { text: 'Addendum: A1c 6.8 %.' }));
    const amended = await outbox.whenSettled('note-ob-amend-1');
    expect(amended.status).toBe('posted');
    const old = await direct.read<DocumentReference>('DocumentReference', original.serverId!);
    expect(old.status).toBe('superseded');
    const fresh = await direct.read<DocumentReference>('DocumentReference', amended.serverId!);
    expect(fresh.relatesTo).toEqual([{ code: 'replaces', target: { reference: `DocumentReference/${original.serverId}` } }]);
    await expect(outbox.amend('note-ob-missing', demoSignedNote('x'))).rejects.toThrow(/No note/);
    // Amend again, by the EHR's id and version (as after the outbox forgot the posted note).
    await outbox.amend(
      { documentReferenceId: amended.serverId!, versionId: amended.versionId! },
      demoSignedNote('note-ob-amend-2', { text: 'Second addendum.' }),
    );
    const twice = await outbox.whenSettled('note-ob-amend-2');
    expect(twice.status).toBe('posted');
    expect((await direct.read<DocumentReference>('DocumentReference', amended.serverId!)).status).toBe('superseded');
  });

  it('amending a note someone changed in the EHR meanwhile fails clearly (412) and changes nothing', async () => {
    const outbox = outboxFor('amend-412', sandbox.baseUrl);
    await outbox.start();
    await outbox.enqueue(demoSignedNote('note-ob-412'));
    const original = await outbox.whenSettled('note-ob-412');
    const doc = await direct.read<DocumentReference>('DocumentReference', original.serverId!);
    await direct.update({ ...doc, description: 'Edited in the EHR' }, { ifMatchVersion: doc.meta!.versionId });
    await outbox.amend('note-ob-412', demoSignedNote('note-ob-412-amend'));
    const settled = await outbox.whenSettled('note-ob-412-amend');
    expect(settled.status).toBe('failed');
    expect(settled.error).toMatch(/changed in the EHR after Scribe posted it \(412/);
    expect(await storedNotes(direct, 'note-ob-412-amend')).toHaveLength(0);
    expect((await direct.read<DocumentReference>('DocumentReference', original.serverId!)).status).toBe('current');
  });
});

describe('outbox against a failing EHR (fault tests, real sandbox)', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(sandbox.baseUrl);
  });
  afterAll(async () => {
    await proxy?.close();
  });

  for (const [mode, expected] of [
    ['error-500', /internal error \(500\).*Database connection lost/],
    ['garbage-json', /malformed JSON/],
    ['hang', /did not answer within 1 s/],
  ] as const) {
    it(`${mode}: shows a clear status, keeps the note, and delivers it once the EHR recovers`, async () => {
      proxy.mode = mode;
      const { updates, onUpdate } = recordUpdates();
      const outbox = outboxFor(`fault-${mode}`, proxy.baseUrl, { timeoutMs: 1000, onUpdate });
      const noteId = `note-fault-${mode}`;
      await outbox.enqueue(demoSignedNote(noteId));
      await outbox.start();
      await waitFor(() => updates.some((u) => u.status === 'queued' && u.attempts >= 1 && !!u.error));
      const waiting = updates.find((u) => u.status === 'queued' && u.error)!;
      expect(waiting.error).toMatch(expected);
      expect(waiting.error).toMatch(/will be sent automatically/);
      expect(waiting.nextAttemptAt).toBeDefined();
      proxy.mode = 'pass';
      const settled = await outbox.whenSettled(noteId);
      expect(settled.status).toBe('posted');
      expect(await storedNotes(direct, noteId)).toHaveLength(1);
    });
  }

  it('20 concurrent retries of one note store one DocumentReference', async () => {
    const bundle = buildSignedNoteBundle(demoSignedNote('note-concurrent'), sandboxWriteContext());
    const clients = Array.from({ length: 20 }, () => createEhrClient({ baseUrl: sandbox.baseUrl }));
    const results = await Promise.all(clients.map((c) => postSignedNote(c, bundle)));
    expect(new Set(results.map((r) => r.documentReferenceId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await storedNotes(direct, 'note-concurrent')).toHaveLength(1);
    expect(
      await direct.search('Provenance', { _tag: 'http://scribe.example.org/fhir/identifier/provenance|note-concurrent' }),
    ).toHaveLength(1);
    expect(
      await direct.search('Condition', { identifier: 'http://scribe.example.org/fhir/identifier/diagnosis|note-concurrent:E11.9' }),
    ).toHaveLength(1);
  });

  it('a lost answer (the EHR stored the note, the app never heard) is not duplicated by the retry', async () => {
    proxy.mode = 'swallow-response';
    const outbox = outboxFor('lost-answer', proxy.baseUrl, { timeoutMs: 1000 });
    await outbox.enqueue(demoSignedNote('note-lost-answer'));
    await outbox.start();
    await proxy.nextSwallowed();
    proxy.mode = 'pass';
    const settled = await outbox.whenSettled('note-lost-answer');
    expect(settled.status).toBe('posted');
    expect(settled.attempts).toBeGreaterThanOrEqual(2);
    expect(await storedNotes(direct, 'note-lost-answer')).toHaveLength(1);
  });
});

describe('outbox across an EHR restart', () => {
  it('server stopped during Sign: the note waits, then is delivered exactly once after the restart', async () => {
    const first = await startSandbox({ seed: true });
    const port = Number(new URL(first.origin).port);
    await first.close();
    const { updates, onUpdate } = recordUpdates();
    // Long backoff: delivery after the restart comes from resume() (what the app calls when the EHR is back).
    const outbox = outboxFor('restart', first.baseUrl, { onUpdate, backoff: { firstMs: 60_000, factor: 2, maxMs: 60_000 } });
    await outbox.enqueue(demoSignedNote('note-restart'));
    await outbox.start();
    await waitFor(() => updates.filter((u) => u.status === 'queued' && u.error).length >= 1);
    expect(updates.find((u) => u.error)?.error).toMatch(/cannot be reached.*will be sent automatically/);
    const second = await startSandbox({ seed: true, port });
    cleanups.push(() => second.close());
    outbox.resume();
    const settled = await outbox.whenSettled('note-restart');
    expect(settled.status).toBe('posted');
    expect(await storedNotes(createEhrClient({ baseUrl: second.baseUrl }), 'note-restart')).toHaveLength(1);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
