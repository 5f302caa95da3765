import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, DocumentReference, Provenance, Resource } from '@medplum/fhirtypes';
import { createEhrClient, type EhrClient } from './ehr-client.ts';
import { createOutbox, type Outbox, type OutboxUpdate } from './outbox.ts';
import { createFileOutboxStore } from './outbox-store.ts';
import { startSandbox, type Sandbox } from './sandbox/server.ts';
import { defaultWriteContext, DIAGNOSIS_IDENTIFIER_SYSTEM, NOTE_IDENTIFIER_SYSTEM } from './signed-note.ts';
import { demoSignedNote } from '../../testing/fhir/demo-note.ts';
import { startFaultProxy, type FaultProxy } from '../../testing/fhir/fault-proxy.ts';
import { checkUsCore } from '../../testing/fhir/us-core.ts';
import { writePlanFromCapabilities, WRITE_MODES, type WritePlan } from './write-plan.ts';

// Every write plan end to end against the real engine playing that EHR: the plan is read from the
// sandbox's CapabilityStatement, everything posted is checked against US Core 6.1.0, and the fault tests
// (EHR down, 500, hang, answer lost after commit, crash between send and answer) never duplicate.

const here = path.dirname(fileURLToPath(import.meta.url));
const fast = { firstMs: 50, factor: 2, maxMs: 200 };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'scribe-write-modes-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every resource in what the outbox sent (transaction entries one by one), urn:uuid references made literal. */
function postedResources(proxy: FaultProxy): Resource[] {
  const out: Resource[] = [];
  for (const { method, body } of proxy.seen) {
    if ((method !== 'POST' && method !== 'PUT') || !body) continue;
    const parsed = JSON.parse(body) as Resource;
    if (parsed.resourceType === 'Bundle') {
      const entries = (parsed as Bundle).entry ?? [];
      const literal = new Map(entries.map((e) => [e.fullUrl!, `${e.resource!.resourceType}/${e.fullUrl!.slice(9)}`]));
      for (const e of entries) {
        out.push(
          JSON.parse(JSON.stringify(e.resource), (k, v: unknown) =>
            k === 'reference' && typeof v === 'string' && literal.has(v) ? literal.get(v) : v,
          ) as Resource,
        );
      }
    } else out.push(parsed);
  }
  return out;
}

describe.each(WRITE_MODES)('write mode %s', (mode) => {
  let sandbox: Sandbox;
  let proxy: FaultProxy;
  let direct: EhrClient;
  let plan: WritePlan;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: true, writeMode: mode });
    proxy = await startFaultProxy(sandbox.baseUrl);
    direct = createEhrClient({ baseUrl: sandbox.baseUrl });
    plan = writePlanFromCapabilities(await direct.capabilities());
  });
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
    proxy.mode = 'pass';
    proxy.only = null;
  });
  afterAll(async () => {
    await proxy?.close();
    await sandbox?.close();
  });

  function outboxFor(name: string, baseUrl = proxy.baseUrl, onUpdate?: (u: OutboxUpdate) => void, backoff = fast): Outbox {
    const outbox = createOutbox({
      store: createFileOutboxStore(path.join(dir, mode, name)),
      ehr: createEhrClient({ baseUrl, timeoutMs: 1000 }),
      writeContext: () => defaultWriteContext({ plan }),
      backoff,
      ...(onUpdate ? { onUpdate } : {}),
    });
    cleanups.push(() => outbox.close());
    return outbox;
  }

  const stored = (noteId: string) =>
    direct.search<DocumentReference>('DocumentReference', { identifier: `${NOTE_IDENTIFIER_SYSTEM}|${noteId}` });
  async function expectExactlyOnce(noteId: string): Promise<void> {
    const docs = await stored(noteId);
    expect(docs).toHaveLength(1);
    const conditions = await direct.search('Condition', { identifier: `${DIAGNOSIS_IDENTIFIER_SYSTEM}|${noteId}:E11.9` });
    const provenances = await direct.search('Provenance', { target: `DocumentReference/${docs[0]!.id}` });
    expect(conditions).toHaveLength(plan.creates.condition ? 1 : 0);
    expect(provenances).toHaveLength(plan.creates.provenance ? 1 : 0);
  }

  it('is the plan the sandbox declares', () => {
    expect(plan.mode).toBe(mode);
    expect(plan.notSent.length > 0).toBe(mode !== 'full');
  });

  it('posts the note, and everything posted conforms to US Core 6.1.0 (profiles, bindings, reference targets)', async () => {
    proxy.seen.length = 0;
    const outbox = outboxFor('conformance');
    await outbox.start();
    // Sentences that took facts from the chart (decision 0204): the Provenance names those chart resources as sources.
    const chartSources = ['Condition/maria-gonzalez-problem-2', 'Patient/maria-gonzalez'];
    await outbox.enqueue(demoSignedNote(`note-${mode}-uscore`, { chartSources }));
    const settled = await outbox.whenSettled(`note-${mode}-uscore`);
    expect(settled).toMatchObject({ status: 'posted', mode });
    const posted = postedResources(proxy);
    const types = posted.map((r) => r.resourceType).sort();
    expect(types).toEqual(
      {
        full: ['Condition', 'Device', 'DocumentReference', 'Provenance'],
        direct: ['Condition', 'Device', 'DocumentReference', 'Provenance'],
        minimal: ['DocumentReference'],
      }[mode],
    );
    const postedById = new Map(posted.map((r) => [`${r.resourceType}/${(r as { id?: string }).id ?? ''}`, r]));
    const resolve = async (reference: string): Promise<Resource | null> => {
      const [type, id] = reference.split('/') as [Resource['resourceType'], string];
      if (postedById.has(reference)) return postedById.get(reference)!;
      return direct.read(type, id).catch(() => null);
    };
    for (const resource of posted) {
      const result = await checkUsCore(resource, resolve);
      expect(result.problems, `${resource.resourceType} against ${result.profile}`).toEqual([]);
    }
    const [doc] = await stored(`note-${mode}-uscore`);
    expect(doc!.meta?.security).toEqual([expect.objectContaining({ code: 'AIAST' })]);
    expect(doc!.content).toHaveLength(mode === 'full' ? 2 : 1);
    const text = Buffer.from(doc!.content.find((c) => c.attachment.contentType === 'text/plain')!.attachment.data!, 'base64').toString(
      'utf8',
    );
    if (mode === 'minimal') expect(text).toMatch(/Diagnoses \(ICD-10-CM\):\nE11\.9 Type 2 diabetes/);
    else expect(text).not.toContain('Diagnoses (ICD-10-CM)');
    expect(doc!.custodian?.reference).toBe('Organization/riverside-family-medicine');
    const provenance = posted.find((r) => r.resourceType === 'Provenance') as Provenance | undefined;
    if (mode !== 'minimal')
      expect(provenance?.entity?.map((e) => [e.role, e.what.reference])).toEqual(chartSources.map((r) => ['source', r]));
    await expectExactlyOnce(`note-${mode}-uscore`);
  });

  for (const fault of ['error-500', 'hang'] as const) {
    it(`${fault}: the note waits, then reaches the EHR exactly once`, async () => {
      const noteId = `note-${mode}-${fault}`;
      const updates: OutboxUpdate[] = [];
      proxy.mode = fault;
      const outbox = outboxFor(fault, proxy.baseUrl, (u) => updates.push(u));
      await outbox.start();
      await outbox.enqueue(demoSignedNote(noteId));
      await waitFor(() => updates.some((u) => u.status === 'queued' && !!u.error));
      expect(updates.find((u) => u.error)!.error).toMatch(/will be sent automatically/);
      proxy.mode = 'pass';
      const settled = await outbox.whenSettled(noteId);
      expect(settled.status).toBe('posted');
      await expectExactlyOnce(noteId);
    });
  }

  it('answer lost after commit: the EHR stored the note, the app never heard; no second copy', async () => {
    const noteId = `note-${mode}-lost-answer`;
    proxy.seen.length = 0;
    proxy.mode = 'swallow-response';
    proxy.only = (r) => r.method === 'POST';
    const outbox = outboxFor('lost-answer');
    await outbox.start();
    const swallowed = proxy.nextSwallowed();
    await outbox.enqueue(demoSignedNote(noteId));
    await swallowed;
    proxy.mode = 'pass';
    proxy.only = null;
    expect((await outbox.whenSettled(noteId)).status).toBe('posted');
    await expectExactlyOnce(noteId);
    const notePosts = proxy.seen.filter((r) => r.method === 'POST' && r.body.includes(noteId) && r.body.includes('"DocumentReference"'));
    // Without conditional create the search after the lost answer finds the note: it is never POSTed again.
    if (mode !== 'full') expect(notePosts).toHaveLength(1);
  });

  it('EHR down during Sign, back later on the same address: delivered exactly once', async () => {
    const other = await startSandbox({ seed: true, writeMode: mode });
    const port = Number(new URL(other.origin).port);
    await other.close();
    const updates: OutboxUpdate[] = [];
    const outbox = outboxFor('down', other.baseUrl, (u) => updates.push(u), { firstMs: 60_000, factor: 2, maxMs: 60_000 });
    await outbox.start();
    await outbox.enqueue(demoSignedNote(`note-${mode}-down`));
    await waitFor(() => updates.some((u) => u.status === 'queued' && !!u.error));
    expect(updates.find((u) => u.error)!.error).toMatch(/cannot be reached/);
    const back = await startSandbox({ seed: true, port, writeMode: mode });
    cleanups.push(() => back.close());
    outbox.resume();
    expect((await outbox.whenSettled(`note-${mode}-down`)).status).toBe('posted');
    expect(
      await createEhrClient({ baseUrl: back.baseUrl }).search('DocumentReference', {
        identifier: `${NOTE_IDENTIFIER_SYSTEM}|note-${mode}-down`,
      }),
    ).toHaveLength(1);
  });

  it('crash between send and answer: the restarted outbox finds the note and sends nothing twice', async () => {
    const store = path.join(dir, mode, 'crash');
    const notePath = path.join(dir, `${mode}-crash-note.json`);
    const noteId = `note-${mode}-crash`;
    await writeFile(notePath, JSON.stringify(demoSignedNote(noteId)));
    const run = (args: string[]) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(here, '..', '..', 'testing', 'fhir', 'outbox-process.ts'),
          '--store',
          store,
          '--base',
          proxy.baseUrl,
          ...args,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const updates: OutboxUpdate[] = [];
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try {
          updates.push(JSON.parse(line) as OutboxUpdate);
        } catch {
          // not a status line
        }
      });
      return { child, updates, exited: new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))) };
    };
    proxy.mode = 'swallow-response';
    proxy.only = (r) => r.method === 'POST' && /DocumentReference|\/R4\/?$/.test(r.path.split('?')[0]!);
    const swallowed = proxy.nextSwallowed();
    const first = run(['--enqueue', notePath]);
    await swallowed;
    expect((JSON.parse(await readFile(path.join(store, `${noteId}.json`), 'utf8')) as OutboxUpdate).status).toBe('sending');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await stored(noteId)).toHaveLength(1);
    proxy.mode = 'pass';
    proxy.only = null;
    const second = run([]);
    expect(await second.exited).toBe(0);
    expect(second.updates.at(-1)).toMatchObject({ noteId, status: 'posted', attempts: 2 });
    await expectExactlyOnce(noteId);
  });

  it('amends: the new note replaces the posted one, which becomes superseded; a note changed in the EHR meanwhile is not amended', async () => {
    const outbox = outboxFor('amend');
    await outbox.start();
    await outbox.enqueue(demoSignedNote(`note-${mode}-amend`));
    const original = await outbox.whenSettled(`note-${mode}-amend`);
    await outbox.amend(`note-${mode}-amend`, demoSignedNote(`note-${mode}-amend-1`, { text: 'Addendum: A1c 6.8 %.' }));
    const amended = await outbox.whenSettled(`note-${mode}-amend-1`);
    expect(amended.status).toBe('posted');
    expect((await direct.read<DocumentReference>('DocumentReference', original.serverId!)).status).toBe('superseded');
    expect((await direct.read<DocumentReference>('DocumentReference', amended.serverId!)).relatesTo).toEqual([
      { code: 'replaces', target: { reference: `DocumentReference/${original.serverId}` } },
    ]);

    const doc = await direct.read<DocumentReference>('DocumentReference', amended.serverId!);
    await direct.update({ ...doc, description: 'Edited in the EHR' }, { ifMatchVersion: doc.meta!.versionId });
    await outbox.amend(`note-${mode}-amend-1`, demoSignedNote(`note-${mode}-amend-2`));
    const refused = await outbox.whenSettled(`note-${mode}-amend-2`);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/changed in the EHR after Scribe posted it \(412/);
    expect(await stored(`note-${mode}-amend-2`)).toHaveLength(0);
    expect((await direct.read<DocumentReference>('DocumentReference', amended.serverId!)).status).toBe('current');
  });

  if (mode !== 'full') {
    it('refuses what a server without transactions refuses: bundles, If-None-Exist, two content entries, authenticator', async () => {
      const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${sandbox.baseUrl}/${url}`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/fhir+json', ...headers },
        });
      const doc = {
        resourceType: 'DocumentReference',
        status: 'current',
        subject: { reference: 'Patient/maria-gonzalez' },
        content: [{ attachment: { contentType: 'text/plain', data: 'aGk=' } }],
      };
      const bundle = await post('', { resourceType: 'Bundle', type: 'transaction', entry: [] });
      expect(bundle.status).toBe(405);
      expect(JSON.stringify(await bundle.json())).toMatch(/does not accept transactions/);
      expect((await post('DocumentReference', doc, { 'if-none-exist': 'identifier=x|y' })).status).toBe(400);
      expect((await post('DocumentReference', { ...doc, content: [...doc.content, ...doc.content] })).status).toBe(422);
      expect((await post('DocumentReference', { ...doc, authenticator: { reference: 'Practitioner/dana-reyes' } })).status).toBe(422);
      expect((await post('DocumentReference', doc)).status).toBe(201);
      if (mode === 'minimal')
        expect((await post('Condition', { resourceType: 'Condition', subject: { reference: 'Patient/maria-gonzalez' } })).status).toBe(405);
    });
  }
});
