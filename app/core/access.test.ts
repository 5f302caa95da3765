import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, contract, eventNames, type CallName, type CallSpec, type EventName, type User, type Visit } from '../contract/index.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { sampleValue } from '../../testing/security/sample-input.ts';
import { createCore, SANDBOX_PROFILES, type Core } from './index.ts';

/**
 * The one access policy, end to end through the real core: for a visit of one clinician, a scribe it is
 * not assigned to, the practice manager and another clinician are refused every call about that visit
 * (PHI calls: those whose access names a visit rule), see it in no list, and receive no event about it.
 */
const clinician = SANDBOX_PROFILES.find((p) => p.role === 'clinician')!;
const scribe = SANDBOX_PROFILES.find((p) => p.role === 'scribe')!;
const manager = SANDBOX_PROFILES.find((p) => p.role === 'manager')!;
const otherClinician: User = { id: 'dr-other', name: 'Dr Other', role: 'clinician', fhirUser: 'Practitioner/dr-other' };

const VISIT_RULES = new Set(['ownVisit', 'assignedVisit']);
const isPhiCall = (name: CallName) => Object.values(contract[name].access).some((rule) => VISIT_RULES.has(rule));
const isList = (name: CallName) => Boolean((contract[name] as CallSpec).list);
/** Events about one visit (the others go to everyone: session, lock, sign-in). */
const PHI_EVENTS = new Set<EventName>(['visit.updated', 'transcript.partial', 'dictation.partial', 'dictation.applied', 'queue.updated']);

let dir: string;
let core: Core;
let visit: Visit;
const known: Record<string, unknown> = {};

/** Act as someone: a sandbox profile, or (for the second clinician, whom the sandbox has no profile for) a signed-in EHR user. */
async function actAs(user: User): Promise<void> {
  const session = core.forTests.services.session;
  if (SANDBOX_PROFILES.some((p) => p.id === user.id)) {
    await core.dispatch('session.useProfile', { profileId: user.id });
  } else {
    session.setSmartUser(user);
  }
  expect(session.current()?.id).toBe(user.id);
}

async function outcome(name: CallName, input: unknown): Promise<string> {
  return core.dispatch(name, input).then(
    () => 'answered',
    (error: { code?: string; message?: string }) => `${error.code}: ${error.message}`,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'scribe-access-'));
  core = await createCore({ dataDir: dir, secrets: createMemorySecretStore() });
  await actAs(clinician);
  const schedule = (await core.dispatch('schedule.today', {})) as { encounterId: string }[];
  // Consent declined: the visit goes straight to a (clinician-written) draft, no recognizer needed.
  visit = (await core.dispatch('visit.start', { encounterId: schedule[0]!.encounterId, consent: 'declined' })) as Visit;
  await core.idle();
  visit = (await core.dispatch('visit.get', { visitId: visit.id })) as Visit;
  expect(visit.status).toBe('draft');
  await core.dispatch('draft.updateSection', {
    visitId: visit.id,
    sectionId: visit.draft!.sections[0]!.id,
    text: 'Blood pressure well controlled.',
    baseVersion: visit.draft!.version,
  });
  // A dictation of the clinician's, running, so calls naming it (not the visit) are checked too.
  const dictation = (await core.dispatch('dictation.start', {
    visitId: visit.id,
    cursor: { sectionId: visit.draft!.sections[0]!.id, offset: 0 },
  })) as { dictationId: string };
  Object.assign(known, {
    visitId: visit.id,
    dictationId: dictation.dictationId,
    encounterId: schedule[0]!.encounterId,
    consent: 'agreed',
    start: 0,
    end: 1,
    scribeId: scribe.id,
  });
});

afterAll(async () => {
  await core?.close();
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

describe('calls: one visit is its clinician’s (and its assigned scribe’s) only', () => {
  it('names a visit rule on every call that takes a visit or a dictation', () => {
    for (const name of callNames) {
      const shape = (contract[name].input as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      if ('visitId' in shape || 'dictationId' in shape) expect(isPhiCall(name), name).toBe(true);
    }
    expect(contract['coding.suggest'].access).toEqual({ clinician: 'ownVisit', scribe: 'assignedVisit' });
  });

  for (const [who, user] of [
    ['a scribe it is not assigned to', scribe],
    ['the practice manager', manager],
    ['another clinician', otherClinician],
  ] as const) {
    it(`${who} is refused every PHI call about it and sees it in no list`, async () => {
      await actAs(clinician);
      const before = JSON.stringify(await core.dispatch('visit.get', { visitId: visit.id }));
      await actAs(user);
      const wrong: string[] = [];
      for (const name of callNames) {
        if (!isPhiCall(name)) continue;
        if (isList(name)) {
          const result = await core.dispatch(name, sampleValue(contract[name].input, known)).catch(() => []);
          if (JSON.stringify(result).includes(visit.id)) wrong.push(`${name} listed the visit`);
          continue;
        }
        const got = await outcome(name, sampleValue(contract[name].input, known));
        if (!got.startsWith('forbidden:')) wrong.push(`${name}: ${got}`);
      }
      expect(wrong).toEqual([]);
      await actAs(clinician);
      expect(JSON.stringify(await core.dispatch('visit.get', { visitId: visit.id }))).toBe(before); // nothing changed
    });
  }

  it('the visit’s clinician may, and so may the scribe once it is assigned to them', async () => {
    await actAs(clinician);
    await expect(core.dispatch('coding.suggest', { visitId: visit.id })).resolves.toBeDefined();
    await core.dispatch('queue.assign', { visitId: visit.id, scribeId: scribe.id });
    await actAs(scribe);
    await expect(core.dispatch('visit.get', { visitId: visit.id })).resolves.toMatchObject({ id: visit.id });
    await expect(core.dispatch('coding.suggest', { visitId: visit.id })).resolves.toBeDefined();
    expect(JSON.stringify(await core.dispatch('visit.list', {}))).toContain(visit.id);
    await expect(core.dispatch('visit.sign', { visitId: visit.id })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('a clinician asking for someone else’s figures is refused; their own are narrowed to them', async () => {
    await actAs(clinician);
    await expect(core.dispatch('metrics.dashboard', { clinicianId: 'dr-other' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(core.dispatch('metrics.dashboard', {})).resolves.toMatchObject({ options: { clinicians: [clinician.id] } });
  });
});

describe('events: a window receives only what its signed-in person may', () => {
  it('the manager and another clinician receive no event about the visit; its clinician does', async () => {
    const received: { event: EventName; payload: unknown }[] = [];
    const off = core.subscribe((event, payload) => void received.push({ event, payload }));
    const visits = core.forTests.services.visits;
    const edit = async (text: string) => {
      const current = await visits.get(visit.id);
      await visits.updateSection(visit.id, current.draft!.sections[0]!.id, text, current.draft!.version);
    };
    try {
      for (const user of [manager, otherClinician, { ...scribe, id: 'kim-unassigned' }]) {
        await actAs(user);
        received.length = 0;
        await edit(`Edited while ${user.id} is signed in.`);
        await core.forTests.services.queue.list({ ...clinician }, {}); // no event, but make sure the queue is loaded
        await new Promise((r) => setTimeout(r, 200));
        const phi = received.filter((r) => PHI_EVENTS.has(r.event));
        expect(phi, user.id).toEqual([]);
        expect(JSON.stringify(received)).not.toContain(visit.patientName);
      }
      await actAs(clinician);
      received.length = 0;
      await edit('Edited while the visit’s clinician is signed in.');
      await new Promise((r) => setTimeout(r, 200));
      expect(received.some((r) => r.event === 'visit.updated' && (r.payload as Visit).id === visit.id)).toBe(true);
    } finally {
      off();
    }
    expect(eventNames).toContain('visit.updated');
  });
});
