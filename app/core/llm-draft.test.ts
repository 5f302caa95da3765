import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DraftSection, EventName, Visit } from '../contract/index.ts';
import { createDrafter, LocalModel, parseTranscriptText } from '../draft/index.ts';
import { startChatServer, type ChatServer } from '../../testing/llm/chat-server.ts';
import { SHORT_TEMPLATE, writeShortTemplate } from '../../testing/llm/short-template.ts';
import { writeTinyModel } from '../../testing/llm/tiny-model.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { openVault } from '../vault/index.ts';
import { createCore, type Core } from './index.ts';

// The real core with a language-model engine: the drafting setting picks the practice server, a flagged
// sentence blocks Sign until the clinician decides, and the posted Device/Provenance name the model.

const VISIT_ID = 'v-llm-core-1';
const STREAMED_ID = 'v-llm-core-2';
const TRANSCRIPT = parseTranscriptText(
  [
    '[doctor] what brings you in today ?',
    '[patient] i have had a headache on the left side for 3 days .',
    '[doctor] are you taking anything for it ?',
    '[patient] ibuprofen 400 mg twice a day .',
    '[doctor] let us get a ct of the head and follow up in 2 weeks .',
  ].join('\n'),
);

let core: Core;
let dataDir: string;
let model: LocalModel;
let chat: ChatServer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'scribe-core-llm-'));
  const modelPath = path.join(dataDir, 'tiny.gguf');
  writeTinyModel(modelPath, { seed: 1, writesNumbers: true });
  model = new LocalModel({ modelPath, threads: 1, cpuOnly: true, contextSize: 4096 });
  chat = await startChatServer(model);
  const templatesDir = writeShortTemplate(path.join(dataDir, 'templates'));
  const secrets = createMemorySecretStore();
  const vault = await openVault({ dir: path.join(dataDir, 'vault'), secrets });
  const now = new Date().toISOString();
  const draft = await createDrafter({ engine: 'builtin', templatesDir }).draft({ transcript: TRANSCRIPT, template: SHORT_TEMPLATE });
  for (const id of [VISIT_ID, STREAMED_ID])
    await vault.visit(id).writeJson('visit.json', {
      id,
      consent: 'agreed',
      clinicianId: 'dana-reyes',
      encounterId: 'enc-today-1',
      patientId: 'maria-gonzalez',
      patientName: 'Maria Gonzalez',
      visitType: 'Follow-up',
      status: 'draft',
      startedAt: now,
      stoppedAt: now,
      audioSeconds: 5,
      transcript: TRANSCRIPT,
      draft,
      post: null,
    });
  await vault.close();
  await writeFile(
    path.join(dataDir, 'workstation-settings.json'),
    JSON.stringify({
      recognition: { engine: 'sphinx', model: null },
      ehr: { mode: 'sandbox', baseUrl: null, clientId: null },
      drafting: { engine: 'server', model: null, server: { baseUrl: chat.url, model: 'tiny-served' } },
    }),
  );
  core = await createCore({ dataDir, secrets });
});

afterAll(async () => {
  await core?.close();
  await chat?.close();
  await model?.close();
  await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

const call = <T>(name: string, input: unknown) => core.dispatch(name, input) as Promise<T>;

async function until(ok: (v: Visit) => boolean): Promise<Visit> {
  for (let i = 0; i < 300; i++) {
    const v = await call<Visit>('visit.get', { visitId: VISIT_ID });
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the visit never reached the expected state');
}

describe('a visit drafted by a language model', () => {
  it('flags a drug the visit never mentioned, blocks Sign until the clinician decides, and names the model in the EHR', async () => {
    chat.behaviour = {
      kind: 'content',
      content: JSON.stringify({
        hpi: [
          { text: 'Left-sided headache for 3 days.', turns: [2] },
          { text: 'Nausea since last week.', turns: [99] },
        ],
        assessment_plan: [
          { text: 'Start lisinopril 20 mg daily.', turns: [5] },
          { text: 'CT of the head; follow up in 2 weeks.', turns: [5] },
        ],
      }),
    };
    const visit = await call<Visit>('draft.regenerate', { visitId: VISIT_ID, template: SHORT_TEMPLATE });
    const draft = visit.draft!;
    expect(draft.engine).toBe('server');
    expect(draft.model?.name).toBe('tiny-served');
    expect(draft.sections.find((s) => s.id === 'hpi')!.sentences.map((s) => s.text)).toEqual(['Left-sided headache for 3 days.']);
    const plan = draft.sections.find((s) => s.id === 'assessment_plan')!;
    expect(plan.sentences[0]!.flags).toEqual(expect.arrayContaining([{ kind: 'drug', value: 'lisinopril' }]));
    expect(plan.sentences[1]!.flags).toBeUndefined();

    await expect(call('visit.sign', { visitId: VISIT_ID })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/keep or remove each one before signing/),
    });
    const kept = await call<Visit['draft']>('draft.reviewSentence', {
      visitId: VISIT_ID,
      sectionId: 'assessment_plan',
      sentence: 0,
      decision: 'remove',
      baseVersion: draft.version,
    });
    expect(kept!.sections.find((s) => s.id === 'assessment_plan')!.text).toBe('CT of the head; follow up in 2 weeks.');

    await call('visit.sign', { visitId: VISIT_ID });
    const posted = await until((v) => v.post?.status === 'posted');
    const res = await fetch(`${core.fhirBaseUrl}/Provenance?target=DocumentReference/${posted.post!.serverId}`);
    const bundle = (await res.json()) as {
      entry?: Array<{ resource: { agent: Array<{ who: { reference?: string; display?: string } }> } }>;
    };
    const assembler = bundle.entry![0]!.resource.agent.find((a) => a.who.display?.startsWith('Scribe drafter'))!;
    expect(assembler.who.display).toBe(
      'Scribe drafter server openai-compatible-1 (tiny-served served by 127.0.0.1:' + new URL(chat.url).port + ')',
    );
    const device = (await (await fetch(`${core.fhirBaseUrl}/${assembler.who.reference}`)).json()) as {
      version: Array<{ type: { text: string }; value: string }>;
    };
    expect(device.version).toEqual(expect.arrayContaining([{ type: { text: 'model' }, value: expect.stringContaining('tiny-served') }]));
    expect((await core.forTests.audit.verify()).ok).toBe(true);
  });

  it('streams each finished section to the clinician before the draft is saved; a stopped draft keeps none of it', async () => {
    const streamed: DraftSection[] = [];
    const updates: Visit[] = [];
    let heard: (() => void) | null = null;
    const off = core.subscribe((event: EventName, payload: unknown) => {
      if (event === 'draft.section') {
        streamed.push((payload as { section: DraftSection }).section);
        heard?.();
      }
      if (event === 'visit.updated') updates.push(payload as Visit);
    });
    const nextSection = (count: number) =>
      new Promise<void>((resolve) => {
        heard = () => streamed.length >= count && resolve();
        heard();
      });
    try {
      const before = (await call<Visit>('visit.get', { visitId: STREAMED_ID })).draft!;
      chat.behaviour = { kind: 'model', stepped: true };
      const redraft = call<Visit>('draft.regenerate', { visitId: STREAMED_ID, template: SHORT_TEMPLATE });
      await chat.holding();
      await nextSection(1);
      // The first section is in the window while the model still holds the second; nothing is saved yet.
      expect(streamed.map((s) => s.id)).toEqual(['hpi']);
      expect(streamed[0]!.sentences[0]!.flags?.[0]?.kind).toBe('number');
      expect((await call<Visit>('visit.get', { visitId: STREAMED_ID })).draft!.version).toBe(before.version);
      expect(updates.filter((v) => v.id === STREAMED_ID && v.draft?.version !== before.version)).toEqual([]);
      chat.release();
      const done = (await redraft).draft!;
      expect(streamed.map((s) => s.id)).toEqual(['hpi', 'assessment_plan']);
      expect(done.engine).toBe('server');
      expect(done.sections.map((s) => s.text)).toEqual(streamed.map((s) => s.text));

      // Stopped mid-draft: the built-in draft is saved, saying so; the streamed section is not in it.
      streamed.length = 0;
      const stopped = call<Visit>('draft.regenerate', { visitId: STREAMED_ID, template: SHORT_TEMPLATE });
      await chat.holding();
      await nextSection(1);
      await expect(call('draft.stop', { visitId: STREAMED_ID })).resolves.toEqual({ stopped: true });
      const fallback = (await stopped).draft!;
      expect(fallback.engine).toBe('builtin');
      expect(fallback.fallback).toMatch(/was stopped; nothing it had written was kept/);
      expect(fallback.sections.map((s) => s.text).join('\n')).not.toContain(streamed[0]!.text);
      // Nothing in progress: nothing to stop.
      await expect(call('draft.stop', { visitId: STREAMED_ID })).resolves.toEqual({ stopped: false });
    } finally {
      off();
      chat.behaviour = { kind: 'model' };
    }
  });
});
