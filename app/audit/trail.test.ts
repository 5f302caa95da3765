import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScribeError } from '../contract/index.ts';
import { AUDIT_FILE, createAuditTrail, openAuditLog, type AuditLog } from './index.ts';

const PATIENT = 'Maria Gonzalez';
const SPOKEN = 'crushing chest pain radiating to the left arm';

function visit(overrides: Record<string, unknown> = {}): Record<string, unknown> & { id: string } {
  return {
    id: 'v-1',
    encounterId: 'enc-today-1',
    patientName: PATIENT,
    visitType: 'New patient',
    status: 'recording',
    audioSeconds: 0,
    transcript: null,
    draft: null,
    post: null,
    ...overrides,
  };
}
const transcript = { engine: 'sphinx', model: 'en-us (cmusphinx)', segments: [{ id: 's1', start: 0, end: 3, text: SPOKEN }] };
const draft = (text: string, version = 1) => ({
  template: 'soap',
  engine: 'builtin',
  engineVersion: '1.2.0',
  generatedAt: '2026-01-01T10:00:00.000Z',
  version,
  sections: [
    { id: 'hpi', title: 'HPI', text },
    { id: 'plan', title: 'Plan', text: 'ECG today.' },
  ],
});

describe('audit trail of the running core', () => {
  let dir: string;
  let audit: AuditLog;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-trail-'));
    audit = openAuditLog({ dir });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("records each person's actions and the core's own work, with no PHI text", async () => {
    let user: { id: string; role: 'clinician' | 'scribe' | 'manager' } = { id: 'dana-reyes', role: 'clinician' };
    let stored = visit({ status: 'draft', transcript, draft: draft(`Patient reports ${SPOKEN}.`) });
    const errors: unknown[] = [];
    const trail = createAuditTrail({
      audit,
      currentUser: () => user,
      readVisit: async () => stored,
      readAudio: async () => new Uint8Array([1, 2, 3]),
      onError: (e) => errors.push(e),
    });
    const dispatch = trail.wrap(async (name, input) => {
      const i = input as Record<string, string>;
      switch (name) {
        case 'visit.start':
          return visit();
        case 'visit.stop':
          return visit({ status: 'processing', audioSeconds: 42 });
        case 'visit.get':
          return stored;
        case 'draft.updateSection':
          return (stored = { ...stored, draft: draft(i.text!, 2) }).draft;
        case 'visit.sign':
          return { ...stored, status: 'signed' };
        case 'metrics.dashboard':
          throw new ScribeError('forbidden', 'not for you');
        case 'coding.decide':
          return [
            { hintId: 'icd10cm:R07.9', action: 'accept', system: 'icd10cm', code: 'R07.9', display: 'Chest pain', decidedAt: 'x' },
            {
              hintId: 'rxnorm:1191',
              action: i.action,
              system: 'rxnorm',
              code: i.action === 'reject' ? null : '1191',
              display: 'Aspirin',
              decidedAt: 'x',
            },
          ];
        default:
          return {};
      }
    });

    await dispatch('visit.start', { encounterId: 'enc-today-1', consent: 'agreed' });
    await dispatch('visit.stop', { visitId: 'v-1' });
    trail.onEvent('visit.updated', visit({ status: 'processing', audioSeconds: 42 }));
    trail.onEvent('visit.updated', visit({ status: 'processing', audioSeconds: 42, transcript }));
    trail.onEvent('visit.updated', visit({ status: 'draft', audioSeconds: 42, transcript, draft: draft(`Patient reports ${SPOKEN}.`) }));
    await dispatch('visit.get', { visitId: 'v-1' });
    await dispatch('visit.get', { visitId: 'v-1' }); // same view within a minute: logged once
    user = { id: 'sam-scribe', role: 'scribe' };
    await dispatch('draft.updateSection', {
      visitId: 'v-1',
      sectionId: 'hpi',
      text: `Patient reports ${SPOKEN} since Monday.`,
      baseVersion: 1,
    });
    user = { id: 'dana-reyes', role: 'clinician' };
    await dispatch('coding.decide', { visitId: 'v-1', hintId: 'rxnorm:1191', action: 'reject' });
    await dispatch('visit.sign', { visitId: 'v-1' });
    trail.onEvent('visit.updated', {
      ...stored,
      status: 'signed',
      post: { status: 'posted', attempts: 1, serverId: 'DocumentReference/77', versionId: '1' },
    });
    user = { id: 'morgan-manager', role: 'manager' };
    await expect(dispatch('metrics.dashboard', {})).rejects.toThrow('not for you');
    await new Promise((r) => setTimeout(r, 50));
    await trail.flush();

    expect(errors).toEqual([]);
    const records = await audit.records();
    expect(records.map((r) => `${r.actor.id}:${r.action}`)).toEqual([
      'dana-reyes:consent.recorded',
      'dana-reyes:visit.started',
      'dana-reyes:visit.stopped',
      'scribe:recognition.completed',
      'scribe:draft.generated',
      'dana-reyes:record.viewed',
      'sam-scribe:draft.edited',
      'dana-reyes:coding.rejected',
      'dana-reyes:note.signed',
      'scribe:note.posted',
      'morgan-manager:access.denied',
    ]);
    expect(records.find((r) => r.action === 'draft.edited')!.details).toEqual({
      sectionId: 'hpi',
      charsBefore: 62,
      charsAfter: 75,
      charsChanged: 13,
      version: 2,
    });
    expect(records.find((r) => r.action === 'recognition.completed')!.details).toMatchObject({
      engine: 'sphinx',
      model: 'en-us-cmusphinx',
      segments: 1,
      audioSeconds: 42,
    });
    expect(records.find((r) => r.action === 'visit.started')!.details).toEqual({
      encounterId: 'enc-today-1',
      consent: 'agreed',
      visitType: 'New-patient',
    });
    expect(records.find((r) => r.action === 'coding.rejected')!.details).toEqual({ system: 'rxnorm', code: '1191', hintId: 'rxnorm:1191' });
    expect(records.find((r) => r.action === 'access.denied')!.details).toEqual({ call: 'metrics.dashboard', reason: 'role' });
    const text = await readFile(path.join(dir, AUDIT_FILE), 'utf8');
    for (const phi of [PATIENT, 'Gonzalez', 'chest pain', 'Monday', 'ECG']) expect(text).not.toContain(phi);
    expect((await audit.verify()).ok).toBe(true);
  });
});
