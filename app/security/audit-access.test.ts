import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_FILE, type AuditRecord } from '../audit/index.ts';
import { createCore, type Core } from '../core/index.ts';
import { startSandbox, type Sandbox } from '../fhir/sandbox/server.ts';
import { approveInSandboxBrowser } from '../../testing/fhir/sandbox-browser.ts';
import { openKeychain, type SecretStore } from '../secrets/index.ts';
import { identityOf } from './index.ts';

// Who saw what (#15): every sign-in (interactive and silent, through the sandbox EHR's real SMART server)
// and every call that returns PHI is in the audit log, with no PHI text; a log that cannot be written
// stops the call. And only practitioners sign in, with their role from the EHR or the admin's file.

describe('sign-ins and PHI reads are audited; a failing audit stops the call', () => {
  let dir: string;
  let service: string;
  let secrets: SecretStore;
  let core: Core | null = null;
  let sandbox: Sandbox;
  const records = async () =>
    (await readFile(path.join(dir, 'audit', AUDIT_FILE), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
  const start = async () =>
    (core = await createCore({
      dataDir: dir,
      keychainService: service,
      ehr: { mode: 'fhir', baseUrl: sandbox.baseUrl, clientId: 'scribe-desktop' },
    }));

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-audit-access-'));
    service = `org.scribe.test.access-${randomBytes(4).toString('hex')}`;
    secrets = await openKeychain(service);
    process.env.SCRIBE_ROLES_FILE = path.join(dir, 'no-roles.json');
    // The EHR outlives Scribe's restarts (as a real one does), so the refresh token still works after one.
    sandbox = await startSandbox({ seed: true, requireAuth: true });
  });
  afterAll(async () => {
    await core?.close();
    await sandbox?.close();
    delete process.env.SCRIBE_ROLES_FILE;
    for (const account of await secrets.list()) await secrets.delete(account);
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('an interactive SMART sign-in and the silent one at the next start are both audited', async () => {
    const first = await start();
    const changed = new Promise<void>((resolve) =>
      first.subscribe((event, payload) => event === 'session.changed' && (payload as { user: unknown }).user && resolve()),
    );
    const { authorizeUrl } = (await first.dispatch('ehr.signIn', {})) as { authorizeUrl: string };
    expect(new URL(authorizeUrl).searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    await approveInSandboxBrowser(authorizeUrl);
    await changed;
    expect(((await first.dispatch('session.get', {})) as { user: { role: string } }).user.role).toBe('clinician');
    await core!.close();
    core = null;
    const second = await start();
    expect(((await second.dispatch('session.get', {})) as { user: { id: string } | null }).user).not.toBeNull();
    const signIns = (await records()).filter((r) => r.action === 'session.signedIn');
    expect(signIns.map((r) => r.details.method)).toEqual(['smart', 'smart-silent']);
    expect(signIns[0]!.details.fhirUser).toMatch(/^Practitioner\//);
  });

  it('every call that returns PHI is recorded: who, which call, when, how many items, no PHI text', async () => {
    const running = core!;
    const schedule = (await running.dispatch('schedule.today', {})) as { encounterId: string; patientName: string; patientId: string }[];
    const visit = (await running.dispatch('visit.start', { encounterId: schedule[0]!.encounterId, consent: 'agreed' })) as { id: string };
    await running.dispatch('visit.stop', { visitId: visit.id });
    await running.idle();
    await running.dispatch('visit.list', {});
    const family = schedule[0]!.patientName.split(' ').at(-1)!;
    await running.dispatch('patient.search', { text: family });
    await running.dispatch('visit.chart', { visitId: visit.id });
    await running.dispatch('coding.suggest', { visitId: visit.id });
    await running.dispatch('queue.list', {});
    const access = (await records()).filter((r) => r.action === 'phi.accessed');
    expect(access.map((r) => r.details.call)).toEqual(
      expect.arrayContaining(['schedule.today', 'visit.list', 'patient.search', 'visit.chart', 'coding.suggest', 'queue.list']),
    );
    for (const r of access) {
      expect(r.actor.role).toBe('clinician');
      expect(Date.parse(r.at)).toBeGreaterThan(Date.now() - 5 * 60_000);
    }
    const text = await readFile(path.join(dir, 'audit', AUDIT_FILE), 'utf8');
    expect(text).not.toContain(schedule[0]!.patientName);
    expect(text).not.toContain(family);
  });

  it('when the audit log cannot be written, the PHI read is refused with a clear error and nothing is handed out', async () => {
    const running = core!;
    const file = path.join(dir, 'audit', AUDIT_FILE);
    const saved = await readFile(file);
    await rm(file);
    await mkdir(file); // the log's place taken by a folder: every write fails (as for root a chmod would not)
    try {
      await expect(running.dispatch('schedule.today', {})).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringMatching(/audit log could not be written/),
      });
      await expect(running.dispatch('visit.list', {})).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      await rm(file, { recursive: true });
      await writeFile(file, saved);
    }
    await expect(running.dispatch('visit.list', {})).resolves.toBeInstanceOf(Array);
  });
});

describe('identity from the EHR', () => {
  const ehr = (roles: unknown[]) => ({
    read: async () => ({
      resourceType: 'PractitionerRole',
      practitioner: { reference: 'Practitioner/p-9' },
      code: [{ coding: [{ code: 'scribe' }] }],
    }),
    search: async () => roles,
  });
  it('refuses a Patient (or any non-practitioner) fhirUser', async () => {
    for (const resourceType of ['Patient', 'RelatedPerson', 'Person']) {
      await expect(
        identityOf(
          { fhirUser: `${resourceType}/x1`, resourceType, id: 'x1' },
          { dataDir: '/nonexistent', ehr: ehr([]), rolesFile: '/nonexistent/roles.json' },
        ),
      ).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/not a practitioner/) });
    }
  });
  it("takes the role from PractitionerRole codes, and the IT admin's roles file over them", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scribe-roles-file-'));
    const rolesFile = path.join(dir, 'roles.json');
    const scribeRole = [
      {
        resourceType: 'PractitionerRole',
        code: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/practitioner-role', code: 'scribe' }] }],
      },
    ];
    const base = { fhirUser: 'Practitioner/p-1', resourceType: 'Practitioner', id: 'p-1' };
    expect((await identityOf(base, { dataDir: dir, ehr: ehr(scribeRole), rolesFile })).role).toBe('scribe');
    expect(
      (
        await identityOf(base, {
          dataDir: dir,
          ehr: ehr([{ resourceType: 'PractitionerRole', code: [{ coding: [{ code: 'practice-manager' }] }] }]),
          rolesFile,
        })
      ).role,
    ).toBe('manager');
    expect(
      await identityOf(
        { fhirUser: 'PractitionerRole/r-1', resourceType: 'PractitionerRole', id: 'r-1' },
        { dataDir: dir, ehr: ehr([]), rolesFile },
      ),
    ).toMatchObject({ id: 'p-9', role: 'scribe', fhirUser: 'Practitioner/p-9' });
    await writeFile(rolesFile, JSON.stringify({ 'Practitioner/p-1': 'manager' }));
    expect((await identityOf(base, { dataDir: dir, ehr: ehr(scribeRole), rolesFile })).role).toBe('manager');
    await writeFile(rolesFile, JSON.stringify({ 'Practitioner/p-1': 'superuser' }));
    await expect(identityOf(base, { dataDir: dir, ehr: ehr(scribeRole), rolesFile })).rejects.toThrow(/unknown role/);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('the audit chain is copied to the EHR automatically', () => {
  it('sends every record not sent yet as an AuditEvent carrying its hash, once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scribe-audit-anchor-'));
    const service = `org.scribe.test.anchor-${randomBytes(4).toString('hex')}`;
    const secrets = await openKeychain(service);
    const core = await createCore({ dataDir: dir, keychainService: service, ehr: { mode: 'sandbox' } });
    try {
      await core.dispatch('schedule.today', {});
      await core.dispatch('visit.list', {});
      const records = (await readFile(path.join(dir, 'audit', AUDIT_FILE), 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as AuditRecord);
      expect(await core.auditAnchor.syncNow()).toBe(records.length);
      expect(await core.auditAnchor.syncNow()).toBe(0);
      const bundle = (await (await fetch(`${core.fhirBaseUrl}/AuditEvent?_count=200`)).json()) as {
        entry?: { resource: { entity?: { detail?: { type: string; valueString: string }[] }[] } }[];
      };
      const hashes = (bundle.entry ?? [])
        .flatMap((e) => e.resource.entity ?? [])
        .flatMap((en) => en.detail ?? [])
        .filter((d) => d.type === 'hash')
        .map((d) => d.valueString);
      expect(hashes).toEqual(expect.arrayContaining(records.map((r) => r.hash)));
    } finally {
      await core.close();
      for (const account of await secrets.list()) await secrets.delete(account);
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    }
  });
});
