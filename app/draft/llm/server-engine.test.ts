import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Draft, type DraftSection } from '../../contract/index.ts';
import { createDrafter, listTemplates, parseTranscriptText, type ServerModelOptions } from '../index.ts';
import { LocalModel } from './local.ts';
import { startChatServer, type ChatServer } from '../../../testing/llm/chat-server.ts';
import { SHORT_TEMPLATE, writeShortTemplate } from '../../../testing/llm/short-template.ts';
import { writeTinyModel } from '../../../testing/llm/tiny-model.ts';

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
let model: LocalModel;
let server: ChatServer;
let templatesDir = '';
const template = () => listTemplates({ templatesDir }).templates.find((t) => t.name === SHORT_TEMPLATE)!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scribe-server-'));
  const modelPath = join(dir, 'tiny.gguf');
  writeTinyModel(modelPath, { seed: 1 });
  model = new LocalModel({ modelPath, threads: 1, cpuOnly: true, contextSize: 4096 });
  server = await startChatServer(model);
  templatesDir = writeShortTemplate(join(dir, 'templates'));
});
afterAll(async () => {
  await server.close();
  await model.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.behaviour = { kind: 'model' };
  server.requests.length = 0;
});

function drafter(extra: Partial<ServerModelOptions> = {}, timeoutMs = 120_000) {
  return createDrafter({ engine: 'server', templatesDir, server: { baseUrl: server.url, model: 'tiny-served', ...extra }, timeoutMs });
}

function answer(sections: Record<string, Array<{ text: string; turns: number[] }>>): string {
  return JSON.stringify(Object.fromEntries(template().sections.map((s) => [s.id, sections[s.id] ?? []])));
}

describe('server engine against an OpenAI-compatible server running the tiny model', () => {
  it('streams: structured output under the schema, sections as they finish, the served model named', async () => {
    const streamed: DraftSection[] = [];
    const draft = Draft.parse(await drafter().draft({ template: SHORT_TEMPLATE, transcript: VISIT, onSection: (s) => streamed.push(s) }));
    expect(draft.fallback).toBeUndefined();
    expect(draft.engine).toBe('server');
    expect(draft.model?.name).toBe('tiny-served');
    expect(streamed.map((s) => s.id)).toEqual(template().sections.map((s) => s.id));
    const request = server.requests[0]!;
    expect(request['stream']).toBe(true);
    expect((request['response_format'] as { type: string }).type).toBe('json_schema');
    const ids = new Set(VISIT.segments.map((s) => s.id));
    for (const s of draft.sections.flatMap((x) => x.sentences)) for (const id of s.evidence) expect(ids.has(id)).toBe(true);
  });

  it('works without streaming', async () => {
    const draft = await drafter({ stream: false }).draft({ template: SHORT_TEMPLATE, transcript: VISIT });
    expect(draft.fallback).toBeUndefined();
    expect(draft.engine).toBe('server');
    expect(server.requests[0]!['stream']).toBe(false);
  });

  it('falls back to validated plain JSON when the server has no json_schema output', async () => {
    server.behaviour = { kind: 'no-structured-output' };
    const draft = await drafter().draft({ template: SHORT_TEMPLATE, transcript: VISIT });
    expect(draft.fallback).toBeUndefined();
    expect(draft.engine).toBe('server');
    expect(server.requests.map((r) => Boolean(r['response_format']))).toEqual([true, false]);
    expect(JSON.stringify(server.requests[1]!['messages'])).toContain('follows this JSON schema');
  });

  it('drops a sentence citing turns that do not exist', async () => {
    server.behaviour = {
      kind: 'content',
      content: answer({
        hpi: [
          { text: 'Headache for 3 days.', turns: [99] },
          { text: 'Left-sided headache for 3 days.', turns: [2] },
        ],
      }),
    };
    const draft = await drafter().draft({ template: SHORT_TEMPLATE, transcript: VISIT });
    const hpi = draft.sections.find((s) => s.id === 'hpi')!;
    expect(hpi.sentences.map((s) => s.text)).toEqual(['Left-sided headache for 3 days.']);
    expect(hpi.sentences[0]!.flags).toBeUndefined();
  });

  it('flags a drug and a dose the visit never mentioned', async () => {
    server.behaviour = { kind: 'content', content: answer({ assessment_plan: [{ text: 'Start lisinopril 20 mg daily.', turns: [5] }] }) };
    const draft = await drafter().draft({ template: SHORT_TEMPLATE, transcript: VISIT });
    const plan = draft.sections.find((s) => s.id === 'assessment_plan')!;
    expect(plan.sentences).toHaveLength(1);
    expect(plan.sentences[0]!.flags).toEqual(
      expect.arrayContaining([
        { kind: 'drug', value: 'lisinopril' },
        { kind: 'number', value: '20' },
      ]),
    );
  });

  it('server down, 500, malformed JSON, a hang past the timeout: the built-in draft with the reason', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const down = await createDrafter({ engine: 'server', templatesDir, server: { baseUrl: `http://127.0.0.1:${port}`, model: 'x' } }).draft(
      { template: SHORT_TEMPLATE, transcript: VISIT },
    );
    expect(down.engine).toBe('builtin');
    expect(down.fallback).toMatch(
      /practice language-model server could not draft this note \(the practice server at http:\/\/127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\)\)/,
    );

    server.behaviour = { kind: 'status', status: 500 };
    expect((await drafter().draft({ template: SHORT_TEMPLATE, transcript: VISIT })).fallback).toMatch(
      /answered 500 Internal Server Error: .*model crashed/,
    );

    server.behaviour = { kind: 'content', content: 'Sure! Here is the note: {"hpi": [ {"text": "Head' };
    expect((await drafter().draft({ template: SHORT_TEMPLATE, transcript: VISIT })).fallback).toMatch(/not valid JSON/);

    server.behaviour = { kind: 'hang' };
    const hung = await drafter({}, 1000).draft({ template: SHORT_TEMPLATE, transcript: VISIT });
    expect(hung.engine).toBe('builtin');
    expect(hung.fallback).toMatch(/did not finish within 1 s/);
  });

  it('refuses plain http to another machine unless IT allowed it', async () => {
    const refused = await createDrafter({ engine: 'server', templatesDir, server: { baseUrl: 'http://10.1.2.3:8000', model: 'x' } }).draft({
      template: SHORT_TEMPLATE,
      transcript: VISIT,
    });
    expect(refused.fallback).toMatch(/only go to a practice server over https/);
    const allowedButDown = await createDrafter({
      engine: 'server',
      templatesDir,
      server: { baseUrl: 'http://10.255.255.1:9', model: 'x', allowedPlainHosts: ['10.255.255.1'] },
      timeoutMs: 1000,
    }).draft({ template: SHORT_TEMPLATE, transcript: VISIT });
    expect(allowedButDown.fallback).not.toMatch(/https/);
  });
});
