import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduledEncounter, Visit } from '../contract/index.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { createCore, type Core } from './index.ts';

// The real core end to end without a browser: vault, sandbox EHR, drafter, outbox, audit.
// Consent "declined" keeps recognition out of it (the e2e visit covers the microphone path).

let core: Core;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'scribe-core-'));
  core = await createCore({ dataDir, secrets: createMemorySecretStore() });
});

afterAll(async () => {
  await core?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const call = <T>(name: string, input: unknown) => core.dispatch(name, input) as Promise<T>;

async function until(visitId: string, ok: (v: Visit) => boolean): Promise<Visit> {
  for (let i = 0; i < 200; i++) {
    const v = await call<Visit>('visit.get', { visitId });
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`visit ${visitId} never reached the expected state`);
}

async function fhir<T>(ref: string): Promise<T> {
  const res = await fetch(`${core.fhirBaseUrl}/${ref}`);
  expect(res.ok, ref).toBe(true);
  return (await res.json()) as T;
}

describe('the core', () => {
  it('signs a written note, posts it once, then amends it with a replacing DocumentReference', async () => {
    const [encounter] = await call<ScheduledEncounter[]>('schedule.today', {});
    expect(encounter).toBeDefined();
    const started = await call<Visit>('visit.start', { encounterId: encounter!.encounterId, consent: 'declined' });
    expect(started.consent).toBe('declined');
    const drafted = await until(started.id, (v) => v.status === 'draft');
    expect(drafted.audioSeconds).toBe(0);

    const plan = drafted.draft!.sections.at(-1)!;
    await call('draft.updateSection', {
      visitId: started.id,
      sectionId: plan.id,
      text: 'Start lisinopril 10 mg daily.',
      baseVersion: drafted.draft!.version,
    });
    await call('visit.sign', { visitId: started.id });
    const posted = await until(started.id, (v) => v.post?.status === 'posted');
    const first = await fhir<{ status: string; content: { attachment: { data: string } }[] }>(`DocumentReference/${posted.post!.serverId}`);
    const firstText = Buffer.from(first.content[0]!.attachment.data, 'base64').toString('utf8');
    expect(firstText).toContain('Start lisinopril 10 mg daily.');
    expect(firstText).toMatch(/declined AI-assisted recording/);

    // A stale edit is refused, never silently applied.
    const amending = await call<Visit>('visit.amend', { visitId: started.id });
    expect(amending.status).toBe('draft');
    await expect(call('draft.updateSection', { visitId: started.id, sectionId: plan.id, text: 'x', baseVersion: 0 })).rejects.toMatchObject(
      { code: 'conflict' },
    );
    await call('draft.updateSection', {
      visitId: started.id,
      sectionId: plan.id,
      text: 'Start lisinopril 20 mg daily.',
      baseVersion: amending.draft!.version,
    });
    await call('visit.sign', { visitId: started.id });
    const amended = await until(started.id, (v) => v.post?.status === 'posted' && v.post.serverId !== posted.post!.serverId);

    const replacement = await fhir<{
      relatesTo: { code: string; target: { reference: string } }[];
      content: { attachment: { data: string } }[];
    }>(`DocumentReference/${amended.post!.serverId}`);
    expect(replacement.relatesTo[0]).toMatchObject({
      code: 'replaces',
      target: { reference: `DocumentReference/${posted.post!.serverId}` },
    });
    expect(Buffer.from(replacement.content[0]!.attachment.data, 'base64').toString('utf8')).toContain('20 mg');
    const old = await fhir<{ status: string }>(`DocumentReference/${posted.post!.serverId}`);
    expect(old.status).toBe('superseded');

    // Both actions are in the audit log, which verifies.
    const verified = await core.forTests.audit.verify();
    expect(verified.ok).toBe(true);
  });

  it('refuses to amend a note that is not in the EHR yet', async () => {
    const [, encounter] = await call<ScheduledEncounter[]>('schedule.today', {});
    const v = await call<Visit>('visit.start', { encounterId: encounter!.encounterId, consent: 'declined' });
    await until(v.id, (x) => x.status === 'draft');
    await expect(call('visit.amend', { visitId: v.id })).rejects.toMatchObject({ code: 'conflict' });
  });
});
