import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, SANDBOX_PROFILES, type Core } from '../core/index.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { RECOGNITION_MODELS } from './index.ts';

/** settings.* through the core's real dispatcher, role gate and audit trail; checkEhr against the real sandbox EHR. */
describe('settings calls through the core', () => {
  let dir: string;
  let core: Core;
  const servers: Server[] = [];
  const as = (role: 'clinician' | 'scribe' | 'manager') =>
    core.dispatch('session.useProfile', { profileId: SANDBOX_PROFILES.find((p) => p.role === role)!.id });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-settings-api-'));
    core = await createCore({ dataDir: dir, secrets: createMemorySecretStore() });
  });
  afterAll(async () => {
    await core?.close();
    for (const s of servers) s.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('every role reads the settings; the EHR in use is the sandbox', async () => {
    for (const role of ['clinician', 'scribe', 'manager'] as const) {
      await as(role);
      const view = await core.dispatch('settings.get', {});
      expect(view).toMatchObject({
        recognition: { engine: 'sphinx', model: null },
        ehr: { mode: 'sandbox' },
        ehrInUse: { mode: 'sandbox', baseUrl: core.fhirBaseUrl },
        engineOverride: null,
        problem: null,
        processing: { recognition: { on: 'computer', host: null }, drafting: { on: 'computer', host: null } },
      });
    }
  });

  it('a scribe may not change settings or probe an EHR (forbidden, and the refusal is audited)', async () => {
    await as('scribe');
    await expect(core.dispatch('settings.set', { recognition: { engine: 'sherpa', model: RECOGNITION_MODELS[0]! } })).rejects.toMatchObject(
      { code: 'forbidden' },
    );
    await expect(core.dispatch('settings.checkEhr', { baseUrl: core.fhirBaseUrl })).rejects.toMatchObject({ code: 'forbidden' });
    expect(core.forTests.services.settings!.store.current().recognition.engine).toBe('sphinx');
    const denied = (await core.forTests.audit.records()).filter((r) => r.action === 'access.denied').map((r) => r.details);
    expect(denied).toEqual(
      expect.arrayContaining([
        { call: 'settings.set', reason: 'role' },
        { call: 'settings.checkEhr', reason: 'role' },
      ]),
    );
  });

  it('the practice manager changes the engine: saved, in force for the next visit, audited with who did it', async () => {
    await as('manager');
    const model = RECOGNITION_MODELS[0]!;
    const view = await core.dispatch('settings.set', { recognition: { engine: 'sherpa', model } });
    expect(view).toMatchObject({ recognition: { engine: 'sherpa', model } });
    expect(await core.dispatch('settings.get', {})).toMatchObject({ recognition: { engine: 'sherpa', model } });
    const changed = (await core.forTests.audit.records()).filter((r) => r.action === 'settings.changed');
    expect(changed.map((r) => ({ actor: r.actor, details: r.details }))).toEqual([
      { actor: { id: 'morgan-manager', role: 'manager' }, details: { key: 'recognition.engine', from: 'sphinx', to: 'sherpa' } },
      { actor: { id: 'morgan-manager', role: 'manager' }, details: { key: 'recognition.model', from: null, to: model } },
    ]);
    await core.dispatch('settings.set', { recognition: { engine: 'sphinx', model: null } });
  });

  it('the engine saved applies to the very next visit, without a restart', async () => {
    await as('clinician');
    const schedule = (await core.dispatch('schedule.today', {})) as { encounterId: string }[];
    expect(schedule.length).toBeGreaterThan(1);
    const record = async (encounterId: string) => {
      const visit = (await core.dispatch('visit.start', { encounterId, consent: 'agreed' })) as { id: string };
      await core.dispatch('visit.appendAudio', { visitId: visit.id, seq: 0, pcm16: Buffer.alloc(32_000).toString('base64') });
      await core.dispatch('visit.stop', { visitId: visit.id });
      await core.idle();
      return (await core.dispatch('visit.get', { visitId: visit.id })) as {
        status: string;
        error?: string;
        transcript?: { engine: string; fallback?: string } | null;
      };
    };
    // A sherpa model that is not installed here: the saved engine is tried, and the stored recording is
    // recognized on this computer instead (decision 0185); the transcript says which install command to run.
    const model = RECOGNITION_MODELS[0]!;
    await core.dispatch('settings.set', { recognition: { engine: 'sherpa', model } });
    const withSherpa = await record(schedule[0]!.encounterId);
    expect(withSherpa.status).toBe('draft');
    expect(withSherpa.transcript?.engine).toBe('sphinx');
    expect(withSherpa.transcript?.fallback).toMatch(/scribe assets install/);
    // Back to sphinx: the next visit is recognized by pocketsphinx.
    await core.dispatch('settings.set', { recognition: { engine: 'sphinx', model: null } });
    const withSphinx = await record(schedule[1]!.encounterId);
    expect(withSphinx.status).not.toBe('failed');
    expect(withSphinx.transcript?.engine).toBe('sphinx');
  });

  it('the practice manager saves a FHIR EHR (a clinician may not): kept for the next start, this run stays on the sandbox; bad input is refused', async () => {
    await as('clinician');
    await expect(
      core.dispatch('settings.set', { ehr: { mode: 'fhir', baseUrl: 'https://evil.example.org/fhir/R4', clientId: 'scribe-desktop' } }),
    ).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/practice manager or IT admin/) });
    await as('manager');
    const view = await core.dispatch('settings.set', {
      ehr: { mode: 'fhir', baseUrl: 'https://ehr.example.org/fhir/R4', clientId: 'scribe-desktop' },
    });
    expect(view).toMatchObject({
      ehr: { mode: 'fhir', baseUrl: 'https://ehr.example.org/fhir/R4' },
      ehrInUse: { mode: 'sandbox', baseUrl: core.fhirBaseUrl },
    });
    await expect(
      core.dispatch('settings.set', { ehr: { mode: 'fhir', baseUrl: 'http://ehr.example.org/fhir', clientId: 'x' } }),
    ).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/https/) });
    await expect(
      core.dispatch('settings.set', { ehr: { mode: 'fhir', baseUrl: 'https://ehr.example.org', clientId: 'x' }, patientName: 'x' }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    await core.dispatch('settings.set', { ehr: { mode: 'sandbox', baseUrl: null, clientId: null } });
  });

  it('checkEhr discovers the sandbox: FHIR R4 CapabilityStatement and SMART endpoints', async () => {
    await as('manager');
    const found = (await core.dispatch('settings.checkEhr', { baseUrl: core.fhirBaseUrl })) as {
      fhir: { fhirVersion: string; software: string | null; resourcesListed: boolean; missing: string[] };
      smart: { authorizationEndpoint: string; tokenEndpoint: string; pkceS256: boolean };
      writePlan: { mode: string; summary: string; notSent: string[] };
    };
    expect(found.fhir.fhirVersion).toMatch(/^4\.0/);
    expect(found.fhir.software).toMatch(/Scribe sandbox EHR/);
    // The sandbox lists every resource Scribe uses, and transactions with conditional create: the full plan.
    expect(found.fhir).toMatchObject({ resourcesListed: true, missing: [] });
    expect(found.writePlan).toMatchObject({ mode: 'full', notSent: [] });
    expect(found.smart.authorizationEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(found.smart.tokenEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(found.smart.pkceS256).toBe(true);
  });

  it('checkEhr says clearly when nothing answers, when it is not FHIR, and when there is no SMART', async () => {
    await as('manager');
    const dead = await serve(() => undefined);
    servers.pop()!.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(core.dispatch('settings.checkEhr', { baseUrl: `${dead}/fhir` })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/cannot be reached/),
    });

    const web = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Clinic intranet</body></html>'),
    );
    await expect(core.dispatch('settings.checkEhr', { baseUrl: `${web}/fhir` })).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/is not a FHIR server/),
    });

    const noSmart = await serve((req, res) => {
      if (req.url === '/fhir/metadata')
        res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(
          JSON.stringify({
            resourceType: 'CapabilityStatement',
            fhirVersion: '4.0.1',
            rest: [{ mode: 'server', resource: [{ type: 'Patient' }] }],
          }),
        );
      else res.writeHead(404).end();
    });
    await expect(core.dispatch('settings.checkEhr', { baseUrl: `${noSmart}/fhir` })).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/SMART/),
    });

    const partial = await serve((req, res) => {
      if (req.url === '/fhir/metadata')
        res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(
          JSON.stringify({
            resourceType: 'CapabilityStatement',
            fhirVersion: '4.0.1',
            software: { name: '<img src=x onerror=alert(1)>' },
            rest: [{ mode: 'server', resource: [{ type: 'Patient' }, { type: 'Encounter' }] }],
          }),
        );
      else if (req.url === '/fhir/.well-known/smart-configuration')
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            authorization_endpoint: 'https://auth.example.org/authorize',
            token_endpoint: 'https://auth.example.org/token',
            code_challenge_methods_supported: ['S256'],
            capabilities: ['launch-standalone'],
          }),
        );
      else res.writeHead(404).end();
    });
    expect(await core.dispatch('settings.checkEhr', { baseUrl: `${partial}/fhir/` })).toMatchObject({
      baseUrl: `${partial}/fhir`,
      fhir: {
        software: '<img src=x onerror=alert(1)>',
        resourcesListed: true,
        supported: ['Patient', 'Encounter'],
        missing: expect.arrayContaining(['DocumentReference', 'Provenance']),
      },
      smart: {
        authorizationEndpoint: 'https://auth.example.org/authorize',
        pkceS256: true,
        capabilities: ['launch-standalone'],
        revocationEndpoint: null,
      },
    });

    const stu3 = await serve((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/fhir+json' })
        .end(JSON.stringify({ resourceType: 'CapabilityStatement', fhirVersion: '3.0.2' })),
    );
    await expect(core.dispatch('settings.checkEhr', { baseUrl: `${stu3}/fhir` })).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/needs FHIR R4/),
    });

    await expect(core.dispatch('settings.checkEhr', { baseUrl: 'file:///etc/passwd' })).rejects.toMatchObject({ code: 'bad_request' });
  });
});
