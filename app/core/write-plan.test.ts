import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../contract/index.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { createCore, SANDBOX_PROFILES, type Core } from './index.ts';

/** The core reads the write plan from the EHR it connects to, shows it with the session, and audits it. */
describe('write plan in the core (sandbox playing an EHR without transactions)', () => {
  let dir: string;
  let core: Core;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-core-plan-'));
    core = await createCore({ dataDir: dir, secrets: createMemorySecretStore(), ehr: { mode: 'sandbox', writeMode: 'minimal' } });
  });
  afterAll(async () => {
    await core?.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('the session shows the plan in force and what the EHR will not receive; the audit log records it', async () => {
    await core.dispatch('session.useProfile', { profileId: SANDBOX_PROFILES[0]!.id });
    let session = (await core.dispatch('session.get', {})) as Session;
    for (let i = 0; i < 100 && !session.ehr.writePlan; i++) {
      await new Promise((r) => setTimeout(r, 50));
      session = (await core.dispatch('session.get', {})) as Session;
    }
    expect(session.ehr.writePlan).toMatchObject({ mode: 'minimal', summary: expect.stringMatching(/note alone; accepted diagnoses are written into its text/) });
    expect(session.ehr.writePlan!.notSent.join('\n')).toMatch(/diagnoses as coded Conditions.*\n.*Provenance record/s);
    let planned = (await core.audit.records()).filter((r) => r.action === 'ehr.writePlan');
    for (let i = 0; i < 100 && !planned.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      planned = (await core.audit.records()).filter((r) => r.action === 'ehr.writePlan');
    }
    expect(planned.map((r) => r.details)).toEqual([{ mode: 'minimal', withheld: ['formatted-copy', 'authenticator', 'conditions', 'provenance'], server: 'sandbox' }]);
  });
});
