import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDictationService } from '../../dictation/index.ts';
import { createQueueService } from '../../queue/index.ts';
import { createMemorySecretStore } from '../../secrets/index.ts';
import { createSessionService } from '../../session/index.ts';
import { openVault, type Vault } from '../../vault/index.ts';
import { ScribeError } from '../../contract/index.ts';
import { createAccessPolicy } from '../access.ts';
import { createDispatcher, type Handlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';
import type { Draft, User, Visit } from '../../contract/index.ts';
import { dictationHandlers } from './dictation.ts';
import { queueHandlers } from './queue.ts';
import { sessionHandlers } from './session.ts';

// The queue and dictation calls through the real dispatcher: roles per call (the contract), then the
// per-visit checks of the services (assignment, own visit), with real vault storage.

const profiles: User[] = [
  { id: 'dr-lee', name: 'Dr Ana Lee', role: 'clinician' },
  { id: 'sam-scribe', name: 'Sam Ortiz', role: 'scribe' },
  { id: 'kim-scribe', name: 'Kim Park', role: 'scribe' },
  { id: 'pat-manager', name: 'Pat Lee', role: 'manager' },
];

const visit: Visit = {
  id: 'v-1',
  consent: 'agreed',
  clinicianId: 'dr-lee',
  encounterId: 'e-1',
  patientId: 'p-1',
  patientName: 'Maria Gomez',
  visitType: 'Follow-up',
  status: 'draft',
  startedAt: '2026-11-25T09:00:00.000Z',
  audioSeconds: 60,
  transcript: { engine: 'sphinx', segments: [] },
  post: null,
  draft: {
    template: 'soap',
    engine: 'builtin',
    engineVersion: '1',
    generatedAt: '2026-11-25T09:05:00.000Z',
    version: 0,
    sections: [{ id: 'plan', title: 'Plan', text: 'Continue lisinopril.', sentences: [], edited: false }],
  },
};

let dir: string;
let vault: Vault;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'scribe-queue-calls-'));
  vault = await openVault({ dir, secrets: createMemorySecretStore() });
  await vault.visit(visit.id).writeJson('visit.json', { id: visit.id });
});
afterEach(async () => {
  await vault.close();
  await rm(dir, { recursive: true, force: true });
});

function core() {
  let current: Visit = structuredClone(visit);
  const visits = {
    get: async (id: string) => {
      if (id !== current.id) throw new ScribeError('not_found', `No visit ${id}`);
      return structuredClone(current);
    },
    updateSection: async (_id: string, sectionId: string, text: string, baseVersion: number): Promise<Draft> => {
      if (current.draft!.version !== baseVersion) throw new ScribeError('conflict', 'stale');
      current = {
        ...current,
        draft: {
          ...current.draft!,
          version: baseVersion + 1,
          sections: current.draft!.sections.map((s) => (s.id === sectionId ? { ...s, text, edited: true } : s)),
        },
      };
      return structuredClone(current.draft!);
    },
  };
  const session = createSessionService({
    ehr: () => ({ mode: 'sandbox', label: 'Sandbox', baseUrl: 'http://127.0.0.1', auth: 'none', connected: true }),
    profiles,
  });
  const storage = { visit: (id: string) => vault.visit(id), listVisits: () => vault.listVisits() };
  const queue = createQueueService({ storage, notes: visits, person: (id) => profiles.find((p) => p.id === id) });
  const dictation = createDictationService({
    transcriber: {
      start: () => ({ push() {}, pause() {}, resume() {}, finish: async () => ({ engine: 'none', segments: [] }), close() {} }),
    },
    notes: visits,
    storage,
    emit: () => undefined,
    mayEdit: (user, visitId) => queue.assertMayEditDraft(user, visitId),
  });
  const services = { session, queue, dictation, visits } as unknown as CoreServices;
  const handlers = {
    ...sessionHandlers(services),
    ...queueHandlers(services),
    ...dictationHandlers(services),
    'visit.sign': () => {
      throw new Error('never reached in these tests');
    },
  } as unknown as Handlers;
  const access = createAccessPolicy({
    clinicianOf: async (visitId) => (await visits.get(visitId)).clinicianId,
    scribeOf: (visitId) => queue.assignedScribe(visitId),
    visitOfDictation: (dictationId) => dictation.visitOf(dictationId),
  });
  const dispatch = createDispatcher(handlers, () => session.current(), access);
  const as = (profileId: string) => session.useProfile(profileId);
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: unknown) => (e instanceof ScribeError ? e.code : String(e)),
    );
  return { dispatch, as, code };
}

describe('queue and dictation calls', () => {
  it('lets the clinician assign and the assigned scribe edit, and nobody else', async () => {
    const { dispatch, as, code } = core();
    as('dr-lee');
    expect(await dispatch('queue.scribes', {})).toEqual([
      { id: 'sam-scribe', name: 'Sam Ortiz', role: 'scribe' },
      { id: 'kim-scribe', name: 'Kim Park', role: 'scribe' },
    ]);
    await dispatch('queue.assign', { visitId: visit.id, scribeId: 'sam-scribe' });

    as('kim-scribe');
    expect(await dispatch('queue.list', {})).toEqual([]);
    expect(await code(dispatch('queue.open', { visitId: visit.id }))).toBe('forbidden');

    as('sam-scribe');
    const opened = (await dispatch('queue.open', { visitId: visit.id })) as { lockToken: string };
    const saved = (await dispatch('queue.save', {
      visitId: visit.id,
      lockToken: opened.lockToken,
      baseVersion: 0,
      sections: [{ id: 'plan', text: 'Continue lisinopril 20 mg.' }],
    })) as { draft: Draft };
    expect(saved.draft.sections[0]!.text).toBe('Continue lisinopril 20 mg.');
    expect(await code(dispatch('queue.markReady', { visitId: visit.id, lockToken: opened.lockToken }))).toBe('ok');
  });

  it('refuses by role before any visit is touched: scribes never sign, assign or dictate; managers see no notes', async () => {
    const { dispatch, as, code } = core();
    as('sam-scribe');
    expect(await code(dispatch('visit.sign', { visitId: visit.id }))).toBe('forbidden');
    expect(await code(dispatch('queue.assign', { visitId: visit.id, scribeId: 'sam-scribe' }))).toBe('forbidden');
    expect(await code(dispatch('dictation.start', { visitId: visit.id, cursor: { sectionId: 'plan', offset: 0 } }))).toBe('forbidden');
    expect(await code(dispatch('dictation.prepare', { visitId: visit.id }))).toBe('forbidden');
    as('pat-manager');
    expect(await code(dispatch('queue.list', {}))).toBe('forbidden');
    expect(await code(dispatch('queue.diff', { visitId: visit.id }))).toBe('forbidden');
  });

  it('rejects malformed input clearly', async () => {
    const { dispatch, as, code } = core();
    as('dr-lee');
    expect(await code(dispatch('queue.save', { visitId: visit.id, lockToken: 'x', baseVersion: -1, sections: [] }))).toBe('bad_request');
    expect(await code(dispatch('queue.assign', { visitId: '../etc/passwd', scribeId: 'sam-scribe' }))).toBe('bad_request');
    expect(await code(dispatch('dictation.appendAudio', { dictationId: 'd-1', seq: 0, pcm16: 'not base64!' }))).toBe('bad_request');
    expect(await code(dispatch('queue.list', { status: 'lost' }))).toBe('bad_request');
    expect(await code(dispatch('dictation.edit', { dictationId: 'd-nope', sectionId: 'plan', offset: 0 }))).toBe('not_found');
  });

  it("dictates into the clinician's own visit only", async () => {
    const { dispatch, as, code } = core();
    as('dr-lee');
    const state = (await dispatch('dictation.start', { visitId: visit.id, cursor: { sectionId: 'plan', offset: 20 } })) as {
      dictationId: string;
    };
    expect(await code(dispatch('dictation.stop', { dictationId: state.dictationId }))).toBe('ok');
    expect(await code(dispatch('dictation.start', { visitId: 'v-other', cursor: { sectionId: 'plan', offset: 0 } }))).toBe('not_found');
  });
});
