import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScribeError } from '../contract/index.ts';
import type { DictationApplied, TranscriptSegment, User, Visit } from '../contract/index.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { openVault, type Vault } from '../vault/index.ts';
import { createDictationService, type DictationTranscriber } from './service.ts';

const clinician: User = { id: 'dr-lee', name: 'Dr Lee', role: 'clinician' };
const other: User = { id: 'dr-x', name: 'Dr X', role: 'clinician' };

/**
 * The transcriber port, scripted: each pushed chunk whose first sample is k (k > 0) ends utterance k of
 * the script, delivered asynchronously as the real recognizer does after its VAD closes a phrase;
 * finish() flushes the utterance still open.
 */
function scriptedTranscriber(script: string[]): DictationTranscriber & { vocabulary: string[][]; closed: number } {
  const vocabulary: string[][] = [];
  const counts = { closed: 0 };
  return {
    vocabulary,
    get closed() {
      return counts.closed;
    },
    start(opts) {
      vocabulary.push(opts.vocabulary);
      let t = 0;
      let pending: string | null = null;
      const emit = (text: string) => {
        const seg: TranscriptSegment = { id: `s${t}`, start: t, end: t + 1, text };
        t += 1;
        opts.onSegment(seg);
      };
      return {
        push(pcm) {
          const k = pcm[0]!;
          if (k > 0 && script[k - 1] !== undefined) {
            opts.onPartial(script[k - 1]!.split(' ')[0]!);
            pending = script[k - 1]!;
            queueMicrotask(() => {
              if (pending) emit(pending);
              pending = null;
            });
          }
        },
        async finish() {
          if (pending) emit(pending);
          pending = null;
          return { engine: 'scripted', segments: [] };
        },
        pause() {},
        resume() {},
        close() {
          counts.closed++;
        },
      };
    },
  };
}

function chunk(k: number): string {
  const pcm = Buffer.alloc(3200);
  pcm.writeInt16LE(k, 0);
  return pcm.toString('base64');
}

const visit: Visit = {
  id: 'v1',
  consent: 'agreed',
  clinicianId: clinician.id,
  encounterId: 'e1',
  patientId: 'p1',
  patientName: 'A B',
  visitType: 'Follow-up',
  status: 'draft',
  startedAt: '2026-11-25T09:00:00Z',
  audioSeconds: 1,
  transcript: null,
  post: null,
  draft: {
    template: 'soap',
    engine: 'builtin',
    engineVersion: '1',
    generatedAt: '2026-11-25T09:06:00Z',
    version: 3,
    sections: [
      { id: 'assessment', title: 'Assessment', text: 'Hypertension.', sentences: [], edited: false },
      { id: 'plan', title: 'Plan', text: '', sentences: [], edited: false },
    ],
  },
};

let dir: string;
let vault: Vault;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'scribe-dictation-'));
  vault = await openVault({ dir, secrets: createMemorySecretStore() });
});
afterEach(async () => {
  await vault.close();
  await rm(dir, { recursive: true, force: true });
});

function service(script: string[]) {
  const events: { event: string; payload: unknown }[] = [];
  const transcriber = scriptedTranscriber(script);
  const svc = createDictationService({
    transcriber,
    notes: {
      get: async (id) => {
        if (id !== 'v1') throw new ScribeError('not_found', 'no');
        return structuredClone(visit);
      },
    },
    storage: { visit: (id) => vault.visit(id) },
    vocabulary: async () => ['lisinopril'],
    emit: (event, payload) => events.push({ event, payload }),
    mayEdit: async () => undefined, // no scribe queue here (the lock case has its own test below)
  });
  return { svc, events, transcriber };
}

describe('dictation service', () => {
  it('streams audio through the transcriber and applies final utterances as events, storing every one', async () => {
    const script = ['continue lisinopril', 'period', 'new paragraph', 'recheck in two weeks', 'period', 'add diet advice', 'scratch that'];
    const { svc, events, transcriber } = service(script);
    const state = await svc.start(clinician, { visitId: 'v1', cursor: { sectionId: 'plan', offset: 0 } });
    expect(transcriber.vocabulary[0]).toEqual(
      expect.arrayContaining(['lisinopril', 'scratch', 'paragraph', 'period', 'plan', 'assessment']),
    );
    for (let k = 1; k <= script.length; k++) {
      svc.appendAudio(clinician, state.dictationId, k - 1, chunk(k));
      await new Promise((r) => setTimeout(r, 0));
    }
    const applied = events.filter((e) => e.event === 'dictation.applied').map((e) => e.payload as DictationApplied);
    expect(applied).toHaveLength(script.length);
    expect(applied.at(-1)!.text).toBe('Continue lisinopril.\n\nRecheck in two weeks.');
    expect(applied.at(-1)!.effect).toMatchObject({ kind: 'scratched' });
    expect(events.some((e) => e.event === 'dictation.partial')).toBe(true);

    const done = await svc.stop(clinician, state.dictationId);
    expect(done.stopped).toBe(true);
    expect(done.sections.find((s) => s.id === 'plan')!.text).toBe('Continue lisinopril.\n\nRecheck in two weeks.');
    // Stored in the vault: what was said, and the dictated words for draft-retention figures.
    expect(await svc.dictatedText('v1')).toBe('Continue lisinopril.\nRecheck in two weeks.');
    const ids = await vault.visit('v1').readJson<string[]>('dictation.index.json');
    const record = await vault.visit('v1').readJson<{ utterances: { text: string }[] }>(`dictation.${ids![0]}.json`);
    expect(record!.utterances.map((u) => u.text)).toEqual(script);
  });

  it("starts from the editor's unsaved text and follows typing between utterances", async () => {
    const script = ['first', 'second'];
    const { svc } = service(script);
    const state = await svc.start(clinician, {
      visitId: 'v1',
      cursor: { sectionId: 'plan', offset: 5 },
      sections: [{ id: 'plan', text: 'Typed' }],
    });
    svc.appendAudio(clinician, state.dictationId, 0, chunk(1));
    await new Promise((r) => setTimeout(r, 0));
    const typed = svc.edit(clinician, state.dictationId, { sectionId: 'plan', text: 'Typed first. More typing', offset: 24 });
    expect(typed.cursor.offset).toBe(24);
    svc.appendAudio(clinician, state.dictationId, 1, chunk(2));
    const done = await svc.stop(clinician, state.dictationId); // flushes the pending utterance
    expect(done.sections.find((s) => s.id === 'plan')!.text).toBe('Typed first. More typing second');
  });

  it('the last utterance still lands when stop comes right after the audio', async () => {
    const { svc } = service(['stable']);
    const state = await svc.start(clinician, { visitId: 'v1', cursor: { sectionId: 'assessment', offset: 13 } });
    svc.appendAudio(clinician, state.dictationId, 0, chunk(1));
    const done = await svc.stop(clinician, state.dictationId);
    expect(done.sections.find((s) => s.id === 'assessment')!.text).toBe('Hypertension. Stable');
  });

  it('refuses to start while someone else may not be overwritten (the edit lock)', async () => {
    const svc = createDictationService({
      transcriber: scriptedTranscriber([]),
      notes: { get: async () => structuredClone(visit) },
      storage: { visit: (id) => vault.visit(id) },
      emit: () => undefined,
      mayEdit: async () => {
        throw new ScribeError('conflict', 'Sam Ortiz (scribe) has been editing since 10:02');
      },
    });
    await expect(svc.start(clinician, { visitId: 'v1', cursor: { sectionId: 'plan', offset: 0 } })).rejects.toThrow(/Sam Ortiz/);
    await expect(svc.prepare(clinician, 'v1')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses other clinicians, unknown sections, gaps in audio and odd PCM', async () => {
    const { svc } = service(['x']);
    await expect(svc.start(other, { visitId: 'v1', cursor: { sectionId: 'plan', offset: 0 } })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(svc.start(clinician, { visitId: 'v1', cursor: { sectionId: 'nope', offset: 0 } })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(svc.start(clinician, { visitId: 'v9', cursor: { sectionId: 'plan', offset: 0 } })).rejects.toMatchObject({
      code: 'not_found',
    });
    const state = await svc.start(clinician, { visitId: 'v1', cursor: { sectionId: 'plan', offset: 0 } });
    expect(() => svc.appendAudio(other, state.dictationId, 0, chunk(0))).toThrow(/another person/);
    expect(() => svc.appendAudio(clinician, state.dictationId, 2, chunk(0))).toThrow(/before chunk 0/);
    expect(() => svc.appendAudio(clinician, state.dictationId, 0, Buffer.alloc(3).toString('base64'))).toThrow(/odd byte/);
    expect(svc.appendAudio(clinician, state.dictationId, 0, chunk(0)).audioSeconds).toBeCloseTo(0.1);
    expect(svc.appendAudio(clinician, state.dictationId, 0, chunk(0)).audioSeconds).toBeCloseTo(0.1); // retried chunk
    await svc.stop(clinician, state.dictationId);
    expect(() => svc.appendAudio(clinician, state.dictationId, 1, chunk(0))).toThrow(/No dictation/);
  });

  it('prepares a warm recognizer that the next dictation takes over', async () => {
    const { svc, transcriber, events } = service(['stable']);
    expect(await svc.prepare(clinician, 'v1')).toEqual({ ready: true });
    expect(await svc.prepare(clinician, 'v1')).toEqual({ ready: true }); // still the same one
    expect(transcriber.vocabulary).toHaveLength(1);
    await expect(svc.prepare(other, 'v1')).rejects.toMatchObject({ code: 'forbidden' });
    const state = await svc.start(clinician, { visitId: 'v1', cursor: { sectionId: 'plan', offset: 0 } });
    expect(transcriber.vocabulary).toHaveLength(1); // no second engine started
    svc.appendAudio(clinician, state.dictationId, 0, chunk(1));
    const done = await svc.stop(clinician, state.dictationId);
    expect(done.sections.find((s) => s.id === 'plan')!.text).toBe('Stable');
    expect(events.filter((e) => e.event === 'dictation.applied')).toHaveLength(1);
    await svc.prepare(clinician, 'v1');
    await svc.close();
    expect(transcriber.closed).toBe(2); // the used one at stop, the spare at shutdown
  });

  it('a recognizer that never hands over the last words is given up at the deadline, in words, keeping what was typed', async () => {
    const events: DictationApplied[] = [];
    const late: ((segment: TranscriptSegment) => void)[] = [];
    let closed = 0;
    const svc = createDictationService({
      transcriber: {
        start(opts) {
          late.push(opts.onSegment);
          return {
            push() {
              opts.onSegment({ id: 's0', start: 0, end: 1, text: 'stable' });
            },
            finish: () => new Promise(() => undefined), // hangs, like a wedged recognizer
            pause() {},
            resume() {},
            close() {
              closed++;
            },
          };
        },
      },
      notes: { get: async () => structuredClone(visit) },
      storage: { visit: (id) => vault.visit(id) },
      emit: (event, payload) => event === 'dictation.applied' && events.push(payload as DictationApplied),
      mayEdit: async () => undefined,
      deadlines: { stopMs: 50, stopPerAudioSecondMs: 0 },
    });
    const state = await svc.start(clinician, { visitId: 'v1', cursor: { sectionId: 'plan', offset: 0 } });
    svc.appendAudio(clinician, state.dictationId, 0, chunk(1));
    const done = await svc.stop(clinician, state.dictationId);
    expect(done.stopped).toBe(true);
    expect(done.notice).toMatch(/Recognizing the last words did not finish within 1 s, so they were not typed/);
    expect(done.sections.find((s) => s.id === 'plan')!.text).toBe('Stable');
    expect(closed).toBe(1);
    // Words the recognizer hands over after it was given up are not typed into the note.
    late[0]!({ id: 's1', start: 1, end: 2, text: 'increase the dose' });
    expect(events).toHaveLength(1);
    const ids = await vault.visit('v1').readJson<string[]>('dictation.index.json');
    const record = await vault.visit('v1').readJson<{ stoppedAt?: string; notices?: string[] }>(`dictation.${ids![0]}.json`);
    expect(record!.stoppedAt).toBeDefined();
    expect(record!.notices![0]).toMatch(/did not finish/);
  });

  it('a chart read that hangs does not hold dictation: it listens without the chart and says so', async () => {
    const transcriber = scriptedTranscriber(['stable']);
    const svc = createDictationService({
      transcriber,
      notes: { get: async () => structuredClone(visit) },
      storage: { visit: (id) => vault.visit(id) },
      emit: () => undefined,
      mayEdit: async () => undefined,
      vocabulary: () => new Promise(() => undefined),
      drugWords: () => new Promise(() => undefined),
      deadlines: { chartMs: 50 },
    });
    const state = await svc.start(clinician, { visitId: 'v1', cursor: { sectionId: 'plan', offset: 0 } });
    expect(state.notice).toMatch(/chart could not be read within 1 s, so dictation listens without/);
    expect(transcriber.vocabulary[0]).toEqual(expect.arrayContaining(['scratch', 'plan']));
    expect(transcriber.vocabulary[0]).not.toContain('lisinopril');
    svc.appendAudio(clinician, state.dictationId, 0, chunk(1));
    const done = await svc.stop(clinician, state.dictationId);
    expect(done.sections.find((s) => s.id === 'plan')!.text).toBe('Stable');
  });
});
