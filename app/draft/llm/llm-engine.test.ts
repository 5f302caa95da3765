import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Draft, type DraftSection } from '../../contract/index.ts';
import { createDrafter, listTemplates, parseTranscriptText } from '../index.ts';
import { LocalModel } from './local.ts';
import { SHORT_TEMPLATE, writeShortTemplate } from '../../../testing/llm/short-template.ts';
import { writeTinyModel } from '../../../testing/llm/tiny-model.ts';

// One CPU thread: on a shared, loaded machine llama.cpp's thread barriers make more threads far slower.
const RUN = { threads: 1, cpuOnly: true, contextSize: 4096 };

const VISIT = parseTranscriptText(
  [
    '[doctor] what brings you in today ?',
    '[patient] i have had a headache on the left side for 3 days .',
    '[doctor] are you taking anything for it ?',
    '[patient] ibuprofen 400 mg twice a day .',
    '[doctor] let us get a ct of the head and follow up in 2 weeks .',
  ].join('\n'),
);

let dir = '';
let modelPath = '';
let model: LocalModel;
let templatesDir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scribe-llm-'));
  modelPath = join(dir, 'tiny.gguf');
  writeTinyModel(modelPath, { seed: 1, name: 'scribe-tiny-test' });
  model = new LocalModel({ modelPath, ...RUN });
  templatesDir = writeShortTemplate(join(dir, 'templates'));
});

afterAll(async () => {
  await model.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('llm engine on a generated GGUF model (node-llama-cpp, CPU)', () => {
  it('drafts every template section under the grammar, streams each section as it finishes, names the model', async () => {
    const template = listTemplates({ templatesDir }).templates.find((t) => t.name === SHORT_TEMPLATE)!;
    const drafter = createDrafter({ engine: 'llm', templatesDir, generator: model, timeoutMs: 120_000 });
    const streamed: DraftSection[] = [];
    let stats: { tokens: number; seconds: number } | null = null;
    const draft = Draft.parse(
      await drafter.draft({
        transcript: VISIT,
        template: SHORT_TEMPLATE,
        context: { problems: ['Migraine'], medications: ['Sumatriptan 50 mg'] },
        onSection: (s) => streamed.push(s),
        onGeneration: (s) => (stats = s),
      }),
    );
    expect(draft.fallback).toBeUndefined();
    expect(draft.engine).toBe('llm');
    expect(draft.engineVersion).toBe('node-llama-cpp-3.21.1');
    expect(draft.model).toEqual({ name: 'scribe-tiny-test', sha256: createHash('sha256').update(readFileSync(modelPath)).digest('hex') });
    expect(draft.sections.map((s) => s.id)).toEqual(template.sections.map((s) => s.id));
    // Streaming: each section reached the editor, in order, before the draft was complete.
    expect(streamed.map((s) => s.id)).toEqual(template.sections.map((s) => s.id));
    expect(stats!.tokens).toBeGreaterThan(10);
    // Every kept sentence cites real turns; anything it states beyond them is flagged, never silently passed.
    const ids = new Set(VISIT.segments.map((s) => s.id));
    let sentences = 0;
    for (const section of draft.sections) {
      for (const s of section.sentences) {
        sentences++;
        expect(s.evidence.length).toBeGreaterThan(0);
        for (const id of s.evidence) expect(ids.has(id)).toBe(true);
        const cited = s.evidence.map((id) => VISIT.segments.find((x) => x.id === id)!.text).join(' ');
        for (const n of s.text.match(/\d+/g) ?? [])
          if (!cited.includes(n)) expect(s.flags?.some((f) => f.kind === 'number' && f.value === n)).toBe(true);
      }
    }
    expect(sentences).toBeGreaterThan(0);
  });

  it('is cancellable: an aborted generation gives the built-in draft with the reason in words', async () => {
    const drafter = createDrafter({ engine: 'llm', templatesDir, generator: model });
    const controller = new AbortController();
    const pending = drafter.draft({
      template: SHORT_TEMPLATE,
      transcript: VISIT,
      signal: controller.signal,
      onSection: () => controller.abort(),
    });
    setTimeout(() => controller.abort(), 2000);
    const draft = await pending;
    expect(draft.engine).toBe('builtin');
    expect(draft.fallback).toMatch(
      /Drafting by the local language model was stopped; nothing it had written was kept. This is the built-in draft/,
    );
    // The worker is still usable afterwards.
    expect((await model.identity()).name).toBe('scribe-tiny-test');
  });

  it('falls back to the built-in draft on a timeout, naming it', async () => {
    const drafter = createDrafter({ engine: 'llm', templatesDir, generator: model, timeoutMs: 1 });
    const draft = await drafter.draft({ template: SHORT_TEMPLATE, transcript: VISIT });
    expect(draft.engine).toBe('builtin');
    expect(draft.fallback).toMatch(/did not finish within 0 s/);
    expect(draft.sections.length).toBeGreaterThan(0);
  });

  it('falls back when the model file is missing or is not a model', async () => {
    const missing = await createDrafter({ engine: 'llm', templatesDir, llm: { modelPath: join(dir, 'nope.gguf'), ...RUN } }).draft({
      template: SHORT_TEMPLATE,
      transcript: VISIT,
    });
    expect(missing.engine).toBe('builtin');
    expect(missing.fallback).toContain(`the model file ${join(dir, 'nope.gguf')} is not on this workstation`);
    const junk = join(dir, 'junk.gguf');
    (await import('node:fs')).writeFileSync(junk, 'not a gguf file at all');
    const broken = new LocalModel({ modelPath: junk, ...RUN });
    try {
      const draft = await createDrafter({ engine: 'llm', templatesDir, generator: broken }).draft({
        template: SHORT_TEMPLATE,
        transcript: VISIT,
      });
      expect(draft.engine).toBe('builtin');
      expect(draft.fallback).toMatch(/the model file could not be loaded/);
    } finally {
      await broken.close();
    }
  });
});
