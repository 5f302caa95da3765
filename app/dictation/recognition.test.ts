import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DictationApplied, User, Visit } from '../contract/index.ts';
import { createStreamingTranscriber } from '../transcribe/index.ts';
import { createDictationService } from './service.ts';

// Dictation through the real recognizer (pocketsphinx, the Silero VAD) on flite speech: each pause closes
// an utterance, commands act, and the section ends up with exactly the dictated sentences.

const dir = mkdtempSync(path.join(os.tmpdir(), 'scribe-dictation-asr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function speech(utterances: string[]): Int16Array {
  const parts: string[] = [];
  utterances.forEach((text, i) => {
    const raw = path.join(dir, `u${i}.raw.wav`);
    const part = path.join(dir, `u${i}.wav`);
    execFileSync('flite', ['-voice', 'rms', '-t', text, '-o', raw]);
    execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', part, 'pad', i === 0 ? '0.5' : '0', '1.2']);
    parts.push(part);
  });
  const all = path.join(dir, 'all.wav');
  execFileSync('sox', [...parts, all]);
  const wav = readFileSync(all);
  const data = wav.subarray(wav.indexOf(Buffer.from('data')) + 8);
  return Int16Array.from({ length: data.length >> 1 }, (_, i) => data.readInt16LE(i * 2));
}

const clinician: User = { id: 'dr-lee', name: 'Dr Lee', role: 'clinician' };
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
    version: 1,
    sections: [
      { id: 'assessment', title: 'Assessment', text: 'Hypertension.', sentences: [], edited: false },
      { id: 'plan', title: 'Plan', text: '', sentences: [], edited: false },
    ],
  },
};

async function dictate(spoken: string[]) {
  const pcm = speech(spoken);
  const applied: DictationApplied[] = [];
  const records = new Map<string, unknown>();
  const dictation = createDictationService({
    transcriber: {
      start: (o) =>
        createStreamingTranscriber({ engine: 'sphinx', vocabulary: o.vocabulary, onPartial: o.onPartial, onSegment: o.onSegment }),
    },
    notes: { get: async () => structuredClone(visit) },
    storage: {
      visit: () => ({
        readJson: async <T>(k: string) => (records.get(k) as T) ?? null,
        writeJson: async (k: string, v: unknown) => void records.set(k, v),
      }),
    },
    emit: (event, payload) => event === 'dictation.applied' && applied.push(payload as DictationApplied),
    mayEdit: async () => undefined, // no scribe queue in this test: nobody else holds the note
  });
  const state = await dictation.start(clinician, { visitId: 'v1', cursor: { sectionId: 'plan', offset: 0 } });
  for (let at = 0, seq = 0; at < pcm.length; at += 1600, seq++) {
    const chunk = pcm.subarray(at, at + 1600);
    dictation.appendAudio(
      clinician,
      state.dictationId,
      seq,
      Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64'),
    );
  }
  const done = await dictation.stop(clinician, state.dictationId);
  const text = (id: string) => done.sections.find((s) => s.id === id)!.text;
  return { applied, text, dictatedText: () => dictation.dictatedText('v1') };
}

describe('dictation with pocketsphinx', () => {
  it('dictates two sentences with "period" and "new paragraph" into Plan, then "scratch that"', async () => {
    const spoken = [
      'start aspirin daily',
      'period',
      'new paragraph',
      'follow up in two weeks',
      'period',
      'check blood pressure',
      'scratch that',
    ];
    const { applied, text, dictatedText } = await dictate(spoken);
    expect(applied.map((e) => e.utterance.text)).toEqual(spoken);
    expect(applied.map((e) => e.effect.kind)).toEqual([
      'inserted',
      'punctuated',
      'punctuated',
      'inserted',
      'punctuated',
      'inserted',
      'scratched',
    ]);
    expect(text('plan')).toBe('Start aspirin daily.\n\nFollow up in two weeks.');
    expect(text('assessment')).toBe('Hypertension.');
    expect(await dictatedText()).toBe('Start aspirin daily.\nFollow up in two weeks.');
  }, 120_000);

  it('moves between sections by voice and stops on "stop dictating"', async () => {
    const spoken = [
      'go to assessment',
      'the patient is doing well',
      'period',
      'go to plan',
      'follow up in two weeks',
      'stop dictating',
      'start aspirin daily',
    ];
    const { applied, text } = await dictate(spoken);
    expect(applied.slice(0, 6).map((e) => e.effect.kind)).toEqual(['moved', 'inserted', 'punctuated', 'moved', 'inserted', 'stopped']);
    expect(text('assessment')).toBe('Hypertension. The patient is doing well.');
    expect(text('plan')).toBe('Follow up in two weeks');
  }, 120_000);
});
