import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScribeError } from '../contract/index.ts';
import type { Draft, User, Visit } from '../contract/index.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { openVault, type Vault } from '../vault/index.ts';
import { createQueueService, type QueueNotes } from './queue.ts';

const clinician: User = { id: 'dr-lee', name: 'Dr Ana Lee', role: 'clinician' };
const otherClinician: User = { id: 'dr-who', name: 'Dr Who', role: 'clinician' };
const scribe: User = { id: 'sam', name: 'Sam Scribe', role: 'scribe' };
const otherScribe: User = { id: 'kim', name: 'Kim Scribe', role: 'scribe' };
const manager: User = { id: 'pm', name: 'Pat Manager', role: 'manager' };
const people = [clinician, otherClinician, scribe, otherScribe, manager];

/** A visit store with the visit service's version rule (each section save bumps the draft version). */
function visitBook(): QueueNotes & { visits: Map<string, Visit>; sign(visitId: string): void } {
  const visits = new Map<string, Visit>();
  return {
    visits,
    async get(visitId) {
      const v = visits.get(visitId);
      if (!v) throw new ScribeError('not_found', `No visit ${visitId}`);
      return structuredClone(v);
    },
    async updateSection(visitId, sectionId, text, baseVersion) {
      const v = visits.get(visitId)!;
      if (v.draft!.version !== baseVersion) throw new ScribeError('conflict', 'stale');
      const draft: Draft = {
        ...v.draft!,
        version: v.draft!.version + 1,
        sections: v.draft!.sections.map((s) => (s.id === sectionId ? { ...s, text, edited: true } : s)),
      };
      visits.set(visitId, { ...v, draft });
      return structuredClone(draft);
    },
    sign(visitId) {
      const v = visits.get(visitId)!;
      visits.set(visitId, { ...v, status: 'signed', signedAt: new Date().toISOString(), signedBy: clinician.id });
    },
  };
}

function drafted(id: string, clinicianId = clinician.id): Visit {
  return {
    id,
    consent: 'agreed',
    clinicianId,
    encounterId: `enc-${id}`,
    patientId: 'p1',
    patientName: 'Maria Gomez',
    visitType: 'Follow-up',
    status: 'draft',
    startedAt: '2026-11-25T09:00:00.000Z',
    audioSeconds: 300,
    transcript: { engine: 'sphinx', segments: [] },
    draft: {
      template: 'soap',
      engine: 'builtin',
      engineVersion: '1',
      generatedAt: '2026-11-25T09:06:00.000Z',
      version: 0,
      sections: [
        { id: 'assessment', title: 'Assessment', text: 'Hypertension, well controlled.', sentences: [], edited: false },
        { id: 'plan', title: 'Plan', text: 'Continue lisinopril 10 mg daily. Follow up in 3 months.', sentences: [], edited: false },
      ],
    },
    post: null,
  } as Visit;
}

let dir: string;
let vault: Vault;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'scribe-queue-'));
  vault = await openVault({ dir, secrets: createMemorySecretStore() });
});
afterEach(async () => {
  await vault.close();
  await rm(dir, { recursive: true, force: true });
});

async function setup() {
  const book = visitBook();
  const storage = {
    visit: (id: string) => vault.visit(id),
    listVisits: () => vault.listVisits(),
  };
  const events: unknown[] = [];
  const queue = createQueueService({
    storage,
    notes: book,
    person: (id) => people.find((p) => p.id === id),
    emit: (_e, item) => events.push(item),
  });
  for (const id of ['v1', 'v2']) {
    book.visits.set(id, drafted(id));
    await vault.visit(id).writeJson('visit.json', { id }); // the visit service's record, so listVisits sees it
  }
  return { book, queue, storage, events };
}

async function expectError(p: Promise<unknown>, code: string, message?: RegExp): Promise<ScribeError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScribeError);
  expect((error as ScribeError).code).toBe(code);
  if (message) expect((error as ScribeError).message).toMatch(message);
  return error as ScribeError;
}

describe('scribe queue', () => {
  it('assigns, opens with a lock, saves versions, hands off and shows the diff against the AI draft', async () => {
    const { queue, book, events } = await setup();
    const assigned = await queue.assign(clinician, 'v1', scribe.id);
    expect(assigned).toMatchObject({
      status: 'waiting_for_edit',
      scribe: { id: 'sam' },
      clinicianName: 'Dr Ana Lee',
      patientName: 'Maria Gomez',
      lock: null,
    });
    expect(await queue.list(scribe)).toHaveLength(1);
    expect(await queue.list(otherScribe)).toHaveLength(0);

    const opened = await queue.open(scribe, 'v1');
    expect(opened.lockToken).toBeTruthy();
    expect(opened.item.status).toBe('in_edit');
    expect(opened.item.lock).toMatchObject({ id: 'sam', name: 'Sam Scribe' });
    expect(JSON.stringify(opened.item)).not.toContain(opened.lockToken!); // the token is never shown

    const saved = await queue.save(scribe, 'v1', opened.lockToken!, 0, [
      { id: 'plan', text: 'Continue lisinopril 20 mg daily. Follow up in 3 months. Low salt diet.' },
    ]);
    expect(saved.draft.version).toBe(1);
    expect(book.visits.get('v1')!.draft!.sections[1]!.text).toContain('20 mg');

    const ready = await queue.markReady(scribe, 'v1', opened.lockToken!);
    expect(ready).toMatchObject({ status: 'ready_for_signature', lock: null, readyBy: { id: 'sam' } });
    expect((await queue.list(clinician, { status: 'ready_for_signature' })).map((i) => i.visitId)).toEqual(['v1']);

    const diff = await queue.diff(clinician, 'v1');
    expect(diff.base).toBe('ai_draft');
    const plan = diff.sections.find((s) => s.sectionId === 'plan')!;
    expect(plan.parts).toEqual([
      { op: 'equal', text: 'Continue lisinopril ' },
      { op: 'delete', text: '10' },
      { op: 'insert', text: '20' },
      { op: 'equal', text: ' mg daily. Follow up in 3 months.' },
      { op: 'insert', text: ' Low salt diet.' },
    ]);
    expect(diff.sections.find((s) => s.sectionId === 'assessment')!.changed).toBe(false);
    expect(diff.insertedWords).toBe(4);
    expect(diff.deletedWords).toBe(1);

    // Edited again after the hand-off: back to "in edit" until marked ready again.
    const reopened = await queue.open(scribe, 'v1');
    const again = await queue.save(scribe, 'v1', reopened.lockToken!, 1, [
      { id: 'assessment', text: 'Hypertension, well controlled on lisinopril.' },
    ]);
    expect(again.item.status).toBe('in_edit');
    expect((await queue.markReady(scribe, 'v1', reopened.lockToken!)).status).toBe('ready_for_signature');

    book.sign('v1');
    expect((await queue.list(scribe))[0]!.status).toBe('signed');
    await expectError(queue.save(scribe, 'v1', opened.lockToken!, 2, [{ id: 'plan', text: 'late' }]), 'conflict', /signed/);
    expect(events.length).toBeGreaterThan(3);

    const versions = await queue.versions(clinician, 'v1');
    expect(versions.map((v) => v.kind)).toEqual(['ai_draft', 'saved', 'saved', 'conflict']);
    expect(versions[3]!.sections[0]!.text).toBe('late');
  });

  it('shows the lock to a second window and keeps its text when it tries to save', async () => {
    const { queue, book } = await setup();
    await queue.assign(clinician, 'v1', scribe.id);
    const first = await queue.open(scribe, 'v1');
    const second = await queue.open(scribe, 'v1'); // same scribe, another window
    expect(second.lockToken).toBeNull();
    expect(second.item.lock).toMatchObject({ id: 'sam' });
    expect(second.item.lock!.since).toBe(first.item.lock!.since);

    const error = await expectError(
      queue.save(scribe, 'v1', 'not-the-token', 0, [{ id: 'plan', text: 'Typed in window two.' }]),
      'conflict',
      /kept as version 2/,
    );
    expect((error.details as { current: Draft }).current.sections[1]!.text).toBe(book.visits.get('v1')!.draft!.sections[1]!.text);
    const kept = (await queue.versions(scribe, 'v1')).find((v) => v.kind === 'conflict')!;
    expect(kept.sections).toEqual([{ id: 'plan', title: 'Plan', text: 'Typed in window two.' }]);
    expect(book.visits.get('v1')!.draft!.version).toBe(0); // nothing overwritten

    // The first window still saves normally.
    await queue.save(scribe, 'v1', first.lockToken!, 0, [{ id: 'plan', text: 'Window one text.' }]);
    // A save from an older version is refused too, with the current text.
    const stale = await expectError(
      queue.save(scribe, 'v1', first.lockToken!, 0, [{ id: 'plan', text: 'Again from v0' }]),
      'conflict',
      /changed since/,
    );
    expect((stale.details as { current: Draft }).current.sections[1]!.text).toBe('Window one text.');
    expect((await queue.list(scribe))[0]!.conflictCount).toBe(2);
  });

  it('lets the clinician take over the lock; the scribe then can no longer save over them', async () => {
    const { queue } = await setup();
    await queue.assign(clinician, 'v1', scribe.id);
    const scribeWindow = await queue.open(scribe, 'v1');
    const clinicianView = await queue.open(clinician, 'v1');
    expect(clinicianView.lockToken).toBeNull();
    expect(clinicianView.item.lock!.name).toBe('Sam Scribe');
    const took = await queue.takeOver(clinician, 'v1');
    expect(took.item.lock).toMatchObject({ id: 'dr-lee' });
    await expectError(
      queue.save(scribe, 'v1', scribeWindow.lockToken!, 0, [{ id: 'plan', text: 'scribe text' }]),
      'conflict',
      /Dr Ana Lee/,
    );
    await queue.save(clinician, 'v1', took.lockToken!, 0, [{ id: 'plan', text: 'clinician text' }]);
    await expectError(queue.markReady(scribe, 'v1', scribeWindow.lockToken!), 'conflict', /edit lock/);
    // Another scribe can never take over.
    await expectError(queue.takeOver(scribe, 'v1'), 'forbidden');
  });

  it('enforces who may do what', async () => {
    const { queue } = await setup();
    await expectError(queue.assign(scribe, 'v1', scribe.id), 'forbidden');
    await expectError(queue.assign(otherClinician, 'v1', scribe.id), 'forbidden', /own clinician/);
    await expectError(queue.assign(clinician, 'v1', otherClinician.id), 'not_found', /No scribe/);
    await queue.assign(clinician, 'v1', scribe.id);
    await expectError(queue.open(otherScribe, 'v1'), 'forbidden', /assigned/);
    await expectError(queue.open(otherClinician, 'v1'), 'forbidden');
    await expectError(queue.diff(manager, 'v1'), 'forbidden');
    await expectError(queue.open(scribe, 'v2'), 'not_found', /not in the scribe queue/);
    await expectError(queue.assertMayEditDraft(scribe, 'v2'), 'forbidden');
    await queue.assertMayEditDraft(scribe, 'v1');
    await queue.open(scribe, 'v1');
    await expectError(queue.assertMayEditDraft(clinician, 'v1'), 'conflict', /Sam Scribe/);
    expect(await queue.list(manager)).toEqual([]);
  });

  it('keeps assignments, locks and versions across a restart (stored in the vault)', async () => {
    const { queue, book, storage } = await setup();
    await queue.assign(clinician, 'v1', scribe.id);
    const opened = await queue.open(scribe, 'v1');
    await queue.save(scribe, 'v1', opened.lockToken!, 0, [{ id: 'assessment', text: 'Hypertension.' }]);
    const restarted = createQueueService({ storage, notes: book, person: (id) => people.find((p) => p.id === id) });
    const [item] = await restarted.list(scribe);
    expect(item).toMatchObject({ status: 'in_edit', lock: { id: 'sam' }, versionCount: 2 });
    await restarted.save(scribe, 'v1', opened.lockToken!, 1, [{ id: 'assessment', text: 'Hypertension, improved.' }]);
    const diff = await restarted.diff(scribe, 'v1');
    expect(diff.sections[0]!.parts).toEqual([
      { op: 'equal', text: 'Hypertension, ' },
      { op: 'delete', text: 'well controlled' },
      { op: 'insert', text: 'improved' },
      { op: 'equal', text: '.' },
    ]);
  });

  it('refuses unknown sections and unready drafts clearly', async () => {
    const { queue, book } = await setup();
    await queue.assign(clinician, 'v1', scribe.id);
    const opened = await queue.open(scribe, 'v1');
    await expectError(queue.save(scribe, 'v1', opened.lockToken!, 0, [{ id: 'nope', text: 'x' }]), 'not_found');
    book.visits.set('v2', { ...drafted('v2'), status: 'processing', draft: null });
    await queue.assign(clinician, 'v2', scribe.id);
    await expectError(queue.open(scribe, 'v2'), 'conflict', /not ready/);
  });
});
