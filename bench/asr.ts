// npm run bench:asr — a synthesised 15-minute two-voice visit (ACI-Bench `valid` dialogues spoken by two
// flite voices, pauses between turns), streamed through each installed engine: real-time factor, Stop →
// final transcript latency, peak memory (VmHWM of this process, which hosts the recognition worker) and WER.
//   --minutes N   length of the visit (default 15)
//   --live        push audio in 100 ms chunks at real-time pace (slow: the visit's own length)
//   --long [H]    instead: H hours (default 3) of mostly-silent audio with a sentence every 30 s, printing
//                 memory as it streams (flat-memory check)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { compose, fixtureDir, speakFlite, type FixtureDir, type FliteVoice } from '../testing/transcribe/speech-fixtures.ts';
import { createStreamingTranscriber, installedEngines, wordErrors, type EngineName } from '../app/transcribe/index.ts';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '15' }, live: { type: 'boolean', default: false }, long: { type: 'string' } },
  allowPositionals: true,
});
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env['SCRIBE_SHARED_DIR'] ?? path.resolve(repoRoot, '..', 'shared');

function peakRssMb(): number {
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
  return kb / 1024;
}
function rssMb(): number {
  return process.memoryUsage().rss / 1e6;
}

/** ACI-Bench turns, cleaned for speech: tokenised contractions rejoined, stage directions dropped. */
function visitTurns(): Array<{ speaker: 'doctor' | 'patient'; text: string }> {
  const rows: Array<Record<string, string>> = parse(readFileSync(path.join(shared, 'data', 'aci-bench', 'valid.csv'), 'utf8'), {
    bom: true,
    columns: true,
  });
  const turns: Array<{ speaker: 'doctor' | 'patient'; text: string }> = [];
  for (const r of rows) {
    for (const line of r['dialogue']!.split('\n')) {
      const m = /^\[(doctor|patient)\]\s*(.+)$/.exec(line.trim());
      if (!m) continue;
      const text = m[2]!
        .replace(/\s+(n't|'s|'re|'ll|'ve|'m|'d)\b/g, '$1')
        .replace(/\s+([,.?!])/g, '$1')
        .trim();
      if (/[a-z]/i.test(text)) turns.push({ speaker: m[1] as 'doctor' | 'patient', text });
    }
  }
  return turns;
}

async function synthesiseVisit(fx: FixtureDir, minutes: number): Promise<{ pcm: Int16Array; script: string; turns: number }> {
  const voices: Record<'doctor' | 'patient', FliteVoice> = { doctor: 'rms', patient: 'awb' };
  const parts: Array<{ pcm: Int16Array; text: string }> = [];
  const pauses = [0.9, 1.3, 1.1, 1.6];
  let seconds = 0;
  for (const turn of visitTurns()) {
    if (seconds >= minutes * 60) break;
    const pcm = await speakFlite(fx, turn.text, voices[turn.speaker]);
    parts.push({ pcm, text: turn.text });
    seconds += pcm.length / 16000 + pauses[parts.length % pauses.length]!;
  }
  // Stop is pressed 0.2 s after the last word: the last segment is still open and must be finalised by finish().
  const visit = compose(parts, pauses, 1, 0.2);
  return { pcm: visit.pcm, script: parts.map((p) => p.text).join(' '), turns: parts.length };
}

async function benchEngine(engine: EngineName, pcm: Int16Array, script: string, live: boolean): Promise<void> {
  let segments = 0;
  let partials = 0;
  const t = createStreamingTranscriber({ engine, onSegment: () => segments++, onPartial: () => partials++ });
  const chunk = 1600; // 100 ms, as the renderer's AudioWorklet delivers
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0, n = 0; i < pcm.length; i += chunk, n++) {
    t.push(pcm.subarray(i, i + chunk));
    if (live) {
      const due = t0 + ((i + chunk) / 16000) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    } else if (n % 100 === 99) await t.drain(); // keep ~10 s queued, like a live recording would
  }
  await t.drain();
  const processed = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const transcript = await t.finish();
  const tFinal = performance.now();
  const audioSeconds = pcm.length / 16000;
  const errors = wordErrors(script, transcript.segments.map((s) => s.text).join(' '));
  const rtf = live ? NaN : (processed - t0) / 1000 / audioSeconds;
  console.log(`\n[${engine}] ${transcript.model ?? ''}`);
  console.log(`  audio                ${(audioSeconds / 60).toFixed(1)} min, ${segments} segments, ${partials} partial updates`);
  if (!live)
    console.log(
      `  real-time factor     ${rtf.toFixed(3)} wall-clock  (target < 0.5 on 2 cores; the wall clock includes other load on this machine)`,
    );
  console.log(
    `  CPU time / audio     ${((cpu.user + cpu.system) / 1e6 / audioSeconds).toFixed(3)}  (all threads of the recognition process; < 1 means one core keeps up)`,
  );
  console.log(`  Stop → final         ${((tFinal - processed) / 1000).toFixed(2)} s  (target < 2 s)`);
  console.log(`  peak memory (VmHWM)  ${peakRssMb().toFixed(0)} MB  (target < 600 MB)`);
  console.log(
    `  WER vs script        ${(errors.wer * 100).toFixed(1)}%  (${errors.reference} words: S${errors.substitutions} D${errors.deletions} I${errors.insertions})`,
  );
}

async function benchLong(hours: number): Promise<void> {
  const fx = await fixtureDir();
  try {
    const sentence = await speakFlite(fx, 'Please take one tablet twice a day with food and call us if the cough gets worse.', 'rms');
    const block = compose([{ text: '', pcm: sentence }], 0, 0, 30 - sentence.length / 16000); // 30 s blocks
    const blocks = Math.round((hours * 3600) / 30);
    const t = createStreamingTranscriber({});
    let segments = 0;
    const t0 = performance.now();
    console.log(`streaming ${hours} h (${blocks} blocks of 30 s, one sentence each) through sphinx…`);
    const timeline: Array<[number, number]> = [];
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < block.pcm.length; i += 16000) t.push(block.pcm.subarray(i, i + 16000));
      await t.drain();
      if ((b + 1) % 60 === 0) {
        const minutes = ((b + 1) * 30) / 60;
        timeline.push([minutes, rssMb()]);
        console.log(
          `  ${String(minutes).padStart(4)} min of audio  rss ${rssMb().toFixed(0)} MB  (${((performance.now() - t0) / 1000).toFixed(0)} s elapsed)`,
        );
      }
    }
    const transcript = await t.finish();
    segments = transcript.segments.length;
    const after30 = timeline.find(([m]) => m >= 30)?.[1] ?? timeline[0]?.[1] ?? rssMb();
    const last = timeline[timeline.length - 1]?.[1] ?? rssMb();
    console.log(
      `segments ${segments} (expected ${blocks}); rss at 30 min ${after30.toFixed(0)} MB, at end ${last.toFixed(0)} MB, growth ${(last - after30).toFixed(0)} MB; peak ${peakRssMb().toFixed(0)} MB; wall ${((performance.now() - t0) / 1000).toFixed(0)} s (RTF ${((performance.now() - t0) / 1000 / (hours * 3600)).toFixed(3)})`,
    );
  } finally {
    await fx.remove();
  }
}

if (values.long !== undefined) {
  await benchLong(Number(values.long || 3));
} else {
  const fx = await fixtureDir();
  try {
    const minutes = Number(values.minutes);
    const tSynth = performance.now();
    const visit = await synthesiseVisit(fx, minutes);
    console.log(
      `synthesised a ${(visit.pcm.length / 16000 / 60).toFixed(1)}-minute visit: ${visit.turns} turns from ACI-Bench valid, flite voices rms (doctor) and awb (patient), in ${((performance.now() - tSynth) / 1000).toFixed(0)} s`,
    );
    const engines = installedEngines();
    console.log(`installed engines: ${engines.join(', ') || '(none)'}; ${(await import('node:os')).availableParallelism()} cores`);
    for (const engine of engines) await benchEngine(engine, visit.pcm, visit.script, values.live);
  } finally {
    await fx.remove();
  }
}
