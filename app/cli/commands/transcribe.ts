import { ENGINES, transcribeFile, type EngineName } from '../../transcribe/index.ts';
import { parseCommandArgs } from '../args.ts';

export const summary = 'Transcribe a WAV recording locally (sphinx or sherpa engine): text, or JSON segments';

const HELP = `Usage: scribe transcribe FILE.wav [--engine sphinx|sherpa] [--model NAME] [--vocabulary WORDS] [--json]
  FILE.wav             a WAV recording (PCM or float, any rate >= 8000 Hz, mono or stereo); other formats are
                       refused with "unsupported format" (convert them first, e.g. sox in.mp3 -r 16000 out.wav)
  --engine NAME        sphinx (default; Debian pocketsphinx, no downloads) or sherpa (installed models)
  --model NAME         sherpa model from models/manifest.json (see \`scribe assets list\`)
  --vocabulary WORDS   comma-separated words to favour (the patient's medications and problems)
  --json               print the Transcript as JSON (segments with start/end seconds, text, confidence)
Text output: one line per segment, "[start - end] text" (times in mm:ss.s).`;

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${String(m).padStart(2, '0')}:${s.toFixed(1).padStart(4, '0')}`;
}

export default async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs({
    command: 'transcribe',
    usage: HELP,
    argv,
    options: {
      engine: { type: 'string' },
      model: { type: 'string' },
      vocabulary: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    positionals: { name: 'FILE', min: 1, max: 1 },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const engine = (values.engine ?? 'sphinx') as EngineName;
  if (!ENGINES.includes(engine)) {
    console.error(`scribe transcribe: unknown engine "${values.engine}"; choose one of ${ENGINES.join(', ')}`);
    return 2;
  }
  if (values.model && engine !== 'sherpa') {
    console.error('scribe transcribe: --model chooses a sherpa model; add --engine sherpa (sphinx has one built-in model)');
    return 2;
  }
  const vocabulary = values.vocabulary
    ? values.vocabulary
        .split(',')
        .map((w) => w.trim())
        .filter(Boolean)
    : undefined;
  try {
    const transcript = await transcribeFile(positionals[0]!, {
      engine,
      ...(values.model ? { model: values.model } : {}),
      ...(vocabulary ? { vocabulary } : {}),
    });
    if (values.json) {
      console.log(JSON.stringify(transcript, null, 2));
    } else {
      for (const s of transcript.segments) {
        console.log(`[${clock(s.start)} - ${clock(s.end)}] ${s.speaker ? `${s.speaker}: ` : ''}${s.text}`);
      }
      if (transcript.segments.length === 0) console.error('(no speech recognized)');
    }
    return 0;
  } catch (error) {
    console.error(`scribe transcribe: ${(error as Error).message}`);
    return 1;
  }
}
