import { readFile } from 'node:fs/promises';
import { Draft, Transcript, Visit, type CodingHint } from '../../contract/index.ts';
import { suggestCodes, type SuggestInput } from '../../coding/index.ts';
import { parseCommandArgs, usageError } from '../args.ts';

export const summary = 'Suggest ICD-10-CM, RxNorm and LOINC codes for a note or transcript, with evidence';

const HELP = `Usage: scribe code FILE [--json] [--top N]
  FILE is a note (plain text; headings such as "ASSESSMENT AND PLAN" are recognized), a transcript
  (lines "[doctor] ..." / "Doctor: ...", or Transcript JSON), a Draft JSON or a Visit JSON.
  Prints the ranked hints: system, code, display, confidence, evidence offsets and the evidence words.
  --top N   at most N hints per system (default 15)
  --json    the hints as JSON (CodingHint[])
Needs the terminology pack: scribe assets install terminology [--from DIR]`;

const TURN = /^\s*(?:\[(doctor|patient|clinician|nurse|[a-z_ ]+)\]|(doctor|patient|clinician|nurse|guest_family|guest_clinician)\s*:)\s*/i;

/** What FILE holds, as the suggester's input. */
export function readCodingInput(content: string): SuggestInput {
  const trimmed = content.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (e) {
      throw new Error(`FILE looks like JSON but does not parse: ${(e as Error).message}`);
    }
    const visit = Visit.safeParse(json);
    if (visit.success) return { draft: visit.data.draft, transcript: visit.data.transcript };
    const draft = Draft.safeParse(json);
    if (draft.success) return { draft: draft.data };
    const transcript = Transcript.safeParse(json);
    if (transcript.success) return { transcript: transcript.data };
    throw new Error('FILE is JSON but neither a Visit, a Draft nor a Transcript.');
  }
  const lines = content.split(/\r?\n/).filter((l) => l.trim());
  const turns = lines.filter((l) => TURN.test(l));
  if (lines.length && turns.length / lines.length > 0.6) {
    return {
      transcript: {
        engine: 'file',
        segments: turns.map((l, i) => {
          const m = TURN.exec(l)!;
          const who = (m[1] ?? m[2] ?? '').toLowerCase();
          const speaker = who === 'doctor' || who === 'clinician' ? 'clinician' : who === 'patient' ? 'patient' : 'other';
          return { id: `t${i + 1}`, start: i, end: i + 1, text: l.slice(m[0].length), speaker } as const;
        }),
      },
    };
  }
  return { text: content };
}

function evidenceWords(input: SuggestInput, h: CodingHint): string {
  const e = h.evidence;
  let source = '';
  if (e.source === 'text') source = input.text ?? '';
  else if (e.source === 'draft') source = input.draft?.sections.find((s) => s.id === e.sectionId)?.text ?? '';
  else source = input.transcript?.segments.find((s) => s.id === e.segmentIds?.[0])?.text ?? '';
  return source.slice(e.start, e.end).replace(/\s+/g, ' ');
}

export default async function run(argv: string[]): Promise<number> {
  const spec = {
    command: 'code',
    usage: HELP,
    argv,
    options: { json: { type: 'boolean' }, top: { type: 'string' } },
    positionals: { name: 'FILE', min: 1, max: 1 },
  } as const;
  const args = parseCommandArgs(spec);
  if (typeof args === 'number') return args;
  const { values, positionals } = args;
  const top = values.top === undefined ? 15 : Number(values.top);
  if (!Number.isInteger(top) || top < 1 || top > 100) {
    return usageError(spec, '--top must be a whole number from 1 to 100.');
  }
  let content: string;
  try {
    content = await readFile(positionals[0]!, 'utf8');
  } catch (e) {
    console.error(`scribe code: cannot read ${positionals[0]}: ${(e as Error).message}`);
    return 1;
  }
  const input = readCodingInput(content);
  const hints = suggestCodes(input, { top });
  if (values.json) {
    console.log(JSON.stringify(hints, null, 2));
    return 0;
  }
  if (!hints.length) {
    console.log('No codes suggested.');
    return 0;
  }
  const names = { icd10cm: 'ICD-10-CM', rxnorm: 'RxNorm', loinc: 'LOINC' } as const;
  for (const system of ['icd10cm', 'rxnorm', 'loinc'] as const) {
    const list = hints.filter((h) => h.system === system);
    if (!list.length) continue;
    console.log(`${names[system]}`);
    for (const h of list) {
      const code = h.code ?? '(no RXCUI)';
      const flags = system === 'icd10cm' ? (h.billable ? '' : ' [not billable: choose a more specific code]') : '';
      const value = system === 'loinc' ? ` = ${h.value} ${h.unit}` : '';
      const where = `${h.evidence.source}${h.evidence.sectionId ? `:${h.evidence.sectionId}` : ''}${h.evidence.segmentIds?.length ? `:${h.evidence.segmentIds.join(',')}` : ''} @${h.evidence.start}-${h.evidence.end}`;
      console.log(`  ${code.padEnd(10)} ${h.confidence.toFixed(2)}  ${h.display}${value}${flags}`);
      console.log(
        `             "${evidenceWords(input, h)}" (${where}); ${h.why}${h.parent ? `; parent ${h.parent.code} ${h.parent.display}` : ''}`,
      );
    }
  }
  return 0;
}
