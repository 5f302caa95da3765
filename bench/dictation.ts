/**
 * npm run bench:dictation — latency of dictation: from the end of a spoken phrase to its final text
 * applied to the note (the core's `dictation.applied` event, which the editor shows on arrival).
 *
 * A scripted session (flite's 'rms' voice: phrases and spoken commands with natural pauses) is streamed in
 * real time, 100 ms chunks as the Dictate control sends them, through the same transcriber port and
 * DictationService the app uses (engine `sphinx` by default; `--engine sherpa` when its models exist).
 * For each applied utterance: latency = time the event fired − wall time at which the audio at the end of
 * that phrase's speech was pushed. Prints per-utterance rows, then median and p95.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DictationApplied, User, Visit } from '../app/contract/index.ts';
import { createDictationService } from '../app/dictation/index.ts';
import { createStreamingTranscriber } from '../app/transcribe/index.ts';
import { interpretUtterance } from '../app/dictation/commands.ts';

const args = process.argv.slice(2);
const engine = (args[args.indexOf('--engine') + 1] === 'sherpa' ? 'sherpa' : 'sphinx') as 'sphinx' | 'sherpa';
const rounds = Number(args.includes('--rounds') ? args[args.indexOf('--rounds') + 1] : 2);
/** --cold: no dictation.prepare, so the first phrase also waits for the engine to load. */
const warm = !args.includes('--cold');

const SCRIPT = [
  'the patient is doing well',
  'period',
  'start aspirin daily',
  'period',
  'new paragraph',
  'follow up in two weeks',
  'period',
  'check blood pressure',
  'scratch that',
  'return in one month',
  'period',
  'new line',
  'continue the current plan',
  'period',
  'stop dictating',
];
const RATE = 16000;
const GAP_S = 1.2;
const LEAD_S = 0.8;
const CHUNK = 1600; // 100 ms

function pcmOf(file: string): Int16Array {
  const wav = readFileSync(file);
  const at = wav.indexOf(Buffer.from('data')) + 8;
  const bytes = wav.subarray(at);
  const out = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

/** The session audio and where each phrase's speech ends (seconds). */
function scriptedAudio(dir: string): { pcm: Int16Array; phrases: { text: string; start: number; end: number }[] } {
  const pieces: Int16Array[] = [new Int16Array(Math.round(LEAD_S * RATE))];
  const phrases: { text: string; start: number; end: number }[] = [];
  let at = LEAD_S;
  SCRIPT.forEach((text, i) => {
    const raw = path.join(dir, `p${i}.raw.wav`);
    const wav = path.join(dir, `p${i}.wav`);
    execFileSync('flite', ['-voice', 'rms', '-t', text, '-o', raw]);
    // Trim flite's own leading/trailing silence so "end of speech" is the last voiced sample.
    execFileSync('sox', [
      raw,
      '-r',
      String(RATE),
      '-c',
      '1',
      '-b',
      '16',
      wav,
      'silence',
      '1',
      '0.01',
      '0.1%',
      'reverse',
      'silence',
      '1',
      '0.01',
      '0.1%',
      'reverse',
    ]);
    const speech = pcmOf(wav);
    phrases.push({ text, start: at, end: at + speech.length / RATE });
    pieces.push(speech, new Int16Array(Math.round(GAP_S * RATE)));
    at += speech.length / RATE + GAP_S;
  });
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const pcm = new Int16Array(total);
  let o = 0;
  for (const p of pieces) {
    pcm.set(p, o);
    o += p.length;
  }
  return { pcm, phrases };
}

const clinician: User = { id: 'bench-clinician', name: 'Bench', role: 'clinician' };
const visit: Visit = {
  id: 'bench-visit',
  consent: 'agreed',
  clinicianId: clinician.id,
  encounterId: 'e',
  patientId: 'p',
  patientName: 'Bench Patient',
  visitType: 'Follow-up',
  status: 'draft',
  startedAt: new Date().toISOString(),
  audioSeconds: 0,
  transcript: null,
  post: null,
  draft: {
    template: 'soap',
    engine: 'builtin',
    engineVersion: '1',
    generatedAt: new Date().toISOString(),
    version: 1,
    sections: [
      { id: 'assessment', title: 'Assessment', text: '', sentences: [], edited: false },
      { id: 'plan', title: 'Plan', text: '', sentences: [], edited: false },
    ],
  },
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i]!;
}

/** Spoken commands of the script, each judged once: recognised as that command, or not (missed or typed as text). */
interface CommandTally {
  said: number;
  wrong: number;
  misses: string[];
}

async function runRound(
  pcm: Int16Array,
  phrases: { text: string; start: number; end: number }[],
): Promise<{ latencies: number[]; rows: string[]; text: string; commands: CommandTally }> {
  const records = new Map<string, unknown>();
  const applied: DictationApplied[] = [];
  const dictation = createDictationService({
    transcriber: {
      start: (o) => createStreamingTranscriber({ engine, vocabulary: o.vocabulary, onPartial: o.onPartial, onSegment: o.onSegment }),
    },
    notes: { get: async () => structuredClone(visit) },
    storage: {
      visit: () => ({
        readJson: async <T>(k: string) => (records.get(k) as T) ?? null,
        writeJson: async (k: string, v: unknown) => void records.set(k, v),
      }),
    },
    vocabulary: async () => ['aspirin'],
    mayEdit: async () => undefined, // the bench dictates alone: nobody else holds the note
    emit: (event, payload) => {
      if (event === 'dictation.applied') applied.push(payload as DictationApplied);
    },
  });
  if (warm) {
    // As in the app: the editor prepares the recognizer when the note opens, a moment before Dictate is pressed.
    await dictation.prepare(clinician, visit.id);
    await new Promise((r) => setTimeout(r, 3000));
  }
  const state = await dictation.start(clinician, { visitId: visit.id, cursor: { sectionId: 'plan', offset: 0 } });
  const pushedAt: number[] = []; // wall ms at which sample index (chunk end) was pushed
  const t0 = performance.now();
  let seq = 0;
  for (let at = 0; at < pcm.length; at += CHUNK) {
    const due = t0 + (at / RATE) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const chunk = pcm.subarray(at, Math.min(pcm.length, at + CHUNK));
    dictation.appendAudio(
      clinician,
      state.dictationId,
      seq++,
      Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64'),
    );
    pushedAt.push(Date.now());
  }
  await new Promise((r) => setTimeout(r, 1500));
  const final = await dictation.stop(clinician, state.dictationId);

  const latencies: number[] = [];
  const rows: string[] = [];
  const judged = new Map<number, boolean>();
  for (const e of applied) {
    // The scripted phrase this utterance belongs to: the one its audio overlaps most.
    const seg = e.utterance;
    let best: { text: string; start: number; end: number } | undefined;
    let overlap = 0;
    for (const p of phrases) {
      const o = Math.min(p.end, seg.end) - Math.max(p.start, seg.start);
      if (o > overlap) {
        overlap = o;
        best = p;
      }
    }
    if (!best) continue;
    const expected = interpretUtterance(best.text);
    if (expected.kind === 'command') {
      const heard = interpretUtterance(e.utterance.text);
      const right = heard.kind === 'command' && JSON.stringify(heard.command) === JSON.stringify(expected.command);
      const index = phrases.indexOf(best);
      judged.set(index, (judged.get(index) ?? false) || right);
    }
    const chunkIndex = Math.min(pushedAt.length - 1, Math.ceil((best.end * RATE) / CHUNK) - 1);
    const latency = (e.appliedAt - pushedAt[chunkIndex]!) / 1000;
    latencies.push(latency);
    rows.push(
      `${latency.toFixed(3).padStart(7)} s  ${JSON.stringify(best.text).padEnd(30)} heard ${JSON.stringify(seg.text)} → ${e.effect.kind}`,
    );
  }
  const commands: CommandTally = { said: 0, wrong: 0, misses: [] };
  phrases.forEach((p, i) => {
    if (interpretUtterance(p.text).kind !== 'command') return;
    commands.said++;
    if (!judged.get(i)) {
      commands.wrong++;
      commands.misses.push(p.text);
    }
  });
  return { latencies, rows, text: final.sections.find((s) => s.id === 'plan')!.text, commands };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scribe-bench-dictation-'));
  try {
    const { pcm, phrases } = scriptedAudio(dir);
    console.log(
      `bench:dictation — engine ${engine} (${warm ? 'recognizer prepared when the note opens' : 'cold start'}), ${SCRIPT.length} phrases (${(pcm.length / RATE).toFixed(1)} s of audio), ${rounds} round(s), streamed in real time in 100 ms chunks`,
    );
    const all: number[] = [];
    const tally: CommandTally = { said: 0, wrong: 0, misses: [] };
    for (let r = 0; r < rounds; r++) {
      const { latencies, rows, text, commands } = await runRound(pcm, phrases);
      tally.said += commands.said;
      tally.wrong += commands.wrong;
      tally.misses.push(...commands.misses);
      console.log(`\nround ${r + 1}: ${latencies.length}/${SCRIPT.length} phrases applied`);
      for (const row of rows) console.log(`  ${row}`);
      console.log(`  Plan now reads: ${JSON.stringify(text)}`);
      all.push(...latencies);
    }
    const sorted = [...all].sort((a, b) => a - b);
    console.log(`\nend of phrase → final text applied (${sorted.length} utterances):`);
    console.log(
      `  median ${percentile(sorted, 0.5).toFixed(3)} s   p95 ${percentile(sorted, 0.95).toFixed(3)} s   min ${sorted[0]?.toFixed(3)} s   max ${sorted.at(-1)?.toFixed(3)} s`,
    );
    console.log(`  target: median < 1 s with sphinx → ${percentile(sorted, 0.5) < 1 ? 'MET' : 'NOT MET'}`);
    const rate = tally.said ? tally.wrong / tally.said : 0;
    console.log(
      `\ncommand error rate: ${tally.wrong}/${tally.said} spoken commands not recognised as that command = ${(rate * 100).toFixed(1)} %${tally.misses.length ? ` (missed: ${tally.misses.map((m) => JSON.stringify(m)).join(', ')})` : ''}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
