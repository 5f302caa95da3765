import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQueueService } from '../../queue/index.ts';
import { createMemorySecretStore } from '../../secrets/index.ts';
import { createSessionService } from '../../session/index.ts';
import { createStyleLearning, createStyleService, STYLE_NAMESPACE } from '../../style/index.ts';
import { openVault, type Vault } from '../../vault/index.ts';
import { ScribeError } from '../../contract/index.ts';
import { createAccessPolicy } from '../access.ts';
import { createDispatcher, type Handlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';
import type { Draft, StyleProfileView, User, Visit } from '../../contract/index.ts';
import { queueHandlers } from './queue.ts';
import { sessionHandlers } from './session.ts';
import { styleHandlers } from './style.ts';

// The note-style calls through the real dispatcher: clinicians only, each their own profile; and learning at
// signing skips a note a scribe edited until its clinician accepts those edits.

const profiles: User[] = [
  { id: 'dr-lee', name: 'Dr Ana Lee', role: 'clinician' },
  { id: 'dr-kim', name: 'Dr Jo Kim', role: 'clinician' },
  { id: 'sam-scribe', name: 'Sam Ortiz', role: 'scribe' },
  { id: 'pat-manager', name: 'Pat Lee', role: 'manager' },
];

const drafted = [
  { id: 'ros', title: 'Review of systems', text: '- Respiratory: She denies cough.' },
  { id: 'plan', title: 'Plan', text: 'Continue lisinopril. Follow up in 3 months.' },
];
const draftOf = (sections: { id: string; title: string; text: string }[]): Draft => ({
  template: 'general-visit',
  engine: 'builtin',
  engineVersion: '1',
  generatedAt: '2026-11-25T09:05:00.000Z',
  version: 0,
  sections: sections.map((s) => ({ ...s, sentences: [], edited: false })),
  style: { drafted, defaultTemplate: 'general-visit', applied: [], removedSections: [] },
});
const visitOf = (id: string, clinicianId: string): Visit => ({
  id,
  consent: 'agreed',
  clinicianId,
  encounterId: 'e-1',
  patientId: 'p-1',
  patientName: 'Maria Gomez',
  visitType: 'Follow-up',
  status: 'draft',
  startedAt: '2026-11-25T09:00:00.000Z',
  audioSeconds: 60,
  transcript: { engine: 'sphinx', segments: [] },
  post: null,
  draft: draftOf(drafted),
});

let dir: string;
let vault: Vault;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'scribe-style-calls-'));
  vault = await openVault({ dir, secrets: createMemorySecretStore() });
});
afterEach(async () => {
  await vault.close();
  await rm(dir, { recursive: true, force: true });
});

function core() {
  const visits = new Map<string, Visit>();
  const notes = {
    get: async (id: string) => {
      const v = visits.get(id);
      if (!v) throw new ScribeError('not_found', `No visit ${id}`);
      return structuredClone(v);
    },
    updateSection: async (id: string, sectionId: string, text: string): Promise<Draft> => {
      const v = visits.get(id)!;
      v.draft = {
        ...v.draft!,
        version: v.draft!.version + 1,
        sections: v.draft!.sections.map((s) => (s.id === sectionId ? { ...s, text, edited: true } : s)),
      };
      return structuredClone(v.draft);
    },
  };
  /** The clinician signs what the draft now says, having cleared Review of systems and written "RTC 3 mo". */
  const signByClinician = (id: string) => {
    const v = visits.get(id)!;
    v.status = 'signed';
    v.signedAt = '2026-11-25T10:00:00.000Z';
    v.draft = {
      ...v.draft!,
      sections: v.draft!.sections.map((s) =>
        s.id === 'ros' ? { ...s, text: '' } : { ...s, text: s.text.replace('Follow up in 3 months', 'RTC 3 mo') },
      ),
    };
  };
  const session = createSessionService({
    ehr: () => ({ mode: 'sandbox', label: 'Sandbox', baseUrl: 'http://127.0.0.1', auth: 'none', connected: true }),
    profiles,
  });
  const storage = { visit: (id: string) => vault.visit(id), listVisits: () => vault.listVisits() };
  const queue = createQueueService({ storage, notes, person: (id) => profiles.find((p) => p.id === id) });
  const service = createStyleService({ store: vault.namespace(STYLE_NAMESPACE) });
  const learning = createStyleLearning({
    style: service,
    visit: notes.get,
    editedByOthers: async (visit) =>
      (await queue.versions({ id: visit.clinicianId, name: visit.clinicianId, role: 'clinician' }, visit.id).catch(() => [])).some(
        (v) => v.kind === 'saved' && v.savedBy.id !== visit.clinicianId,
      ),
  });
  const services = { session, queue, visits: notes, style: { service, learning } } as unknown as CoreServices;
  const handlers = { ...sessionHandlers(services), ...queueHandlers(services), ...styleHandlers(services) } as unknown as Handlers;
  const access = createAccessPolicy({
    clinicianOf: async (visitId) => (await notes.get(visitId)).clinicianId,
    scribeOf: (visitId) => queue.assignedScribe(visitId),
    visitOfDictation: () => null,
  });
  const dispatch = createDispatcher(handlers, () => session.current(), access);
  const as = (profileId: string) => session.useProfile(profileId);
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: unknown) => (e instanceof ScribeError ? e.code : String(e)),
    );
  return { dispatch, as, code, visits, signByClinician, learning };
}

describe('note style calls', () => {
  it('are for clinicians only, each seeing and changing only their own profile', async () => {
    const { dispatch, as, code, visits, signByClinician, learning } = core();
    for (let i = 1; i <= 3; i++) {
      visits.set(`v-${i}`, visitOf(`v-${i}`, 'dr-lee'));
      signByClinician(`v-${i}`);
      await learning.onSigned(`v-${i}`);
    }
    as('dr-lee');
    const mine = (await dispatch('style.profile', {})) as StyleProfileView;
    expect(mine.notes).toBe(3);
    const followUp = mine.rules.find((r) => r.kind === 'phrase.replace')!;
    expect(followUp).toMatchObject({ from: 'Follow up in {1} months', to: 'RTC {1} mo', item: 'follow-up', state: 'applied', seen: 3 });
    expect(mine.rules.find((r) => r.kind === 'section.remove')).toMatchObject({ sectionId: 'ros', state: 'applied' });

    as('dr-kim');
    expect(((await dispatch('style.profile', {})) as StyleProfileView).rules).toEqual([]);
    expect(await code(dispatch('style.setRule', { ruleId: followUp.id, enabled: false }))).toBe('not_found');
    expect(await code(dispatch('style.noteStatus', { visitId: 'v-1' }))).toBe('forbidden');
    expect(await code(dispatch('style.learnFromNote', { visitId: 'v-1' }))).toBe('forbidden');

    for (const who of ['sam-scribe', 'pat-manager']) {
      as(who);
      for (const [call, input] of [
        ['style.profile', {}],
        ['style.setRule', { ruleId: followUp.id, enabled: false }],
        ['style.reset', { confirm: true }],
        ['style.editRule', { ruleId: followUp.id, to: 'x' }],
      ] as const) {
        expect(await code(dispatch(call, input)), `${who} ${call}`).toBe('forbidden');
      }
    }
    as('dr-lee');
    expect(await code(dispatch('style.reset', {}))).toBe('bad_request');
    expect(await code(dispatch('style.setRule', { ruleId: followUp.id }))).toBe('bad_request');
    expect(((await dispatch('style.profile', {})) as StyleProfileView).notes).toBe(3);
  });

  it('learns nothing from a note a scribe edited until the clinician accepts those edits', async () => {
    const { dispatch, as, visits, signByClinician, learning } = core();
    visits.set('v-s', visitOf('v-s', 'dr-lee'));
    as('dr-lee');
    await dispatch('queue.assign', { visitId: 'v-s', scribeId: 'sam-scribe' });
    as('sam-scribe');
    const opened = (await dispatch('queue.open', { visitId: 'v-s' })) as { lockToken: string };
    await dispatch('queue.save', {
      visitId: 'v-s',
      lockToken: opened.lockToken,
      baseVersion: 0,
      sections: [{ id: 'plan', text: 'Continue lisinopril. F/u 3 months.' }],
    });
    await dispatch('queue.markReady', { visitId: 'v-s', lockToken: opened.lockToken });
    signByClinician('v-s');

    expect(await learning.onSigned('v-s')).toMatchObject({ learned: false, othersEdited: true, learnable: true });
    as('dr-lee');
    expect(((await dispatch('style.profile', {})) as StyleProfileView).notes).toBe(0);
    expect(await dispatch('style.noteStatus', { visitId: 'v-s' })).toEqual({ learned: false, othersEdited: true, learnable: true });
    expect(await dispatch('style.learnFromNote', { visitId: 'v-s' })).toEqual({ learned: true, othersEdited: true, learnable: false });
    expect(((await dispatch('style.profile', {})) as StyleProfileView).notes).toBe(1);
    // Never twice.
    await dispatch('style.learnFromNote', { visitId: 'v-s' });
    await learning.onSigned('v-s');
    expect(((await dispatch('style.profile', {})) as StyleProfileView).notes).toBe(1);
  });
});
