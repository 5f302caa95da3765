import { Transcript, type Speaker, type TranscriptSegment } from '../contract/index.ts';
import { ScribeError } from '../contract/index.ts';
import { sanitizeText } from './text.ts';

/**
 * Reads a transcript from any of the text forms a clinic has at hand:
 * - ACI-Bench lines: `[doctor] ...` / `[patient] ...`
 * - labelled lines: `Doctor: ...` / `Patient: ...` (also Dr., Clinician, Provider, Nurse, Guest_family, ...)
 * - the JSON from `scribe transcribe --json` (a Transcript, or an object with a `transcript` field)
 * Lines without a speaker label continue the previous turn (or form an unlabelled turn).
 */
export function parseTranscriptText(raw: string): Transcript {
  const text = raw.replace(/^\ufeff/, '');
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (err) {
      throw new ScribeError('bad_request', `transcript JSON does not parse: ${(err as Error).message}`);
    }
    const candidate = json && typeof json === 'object' && 'transcript' in json ? (json as { transcript: unknown }).transcript : json;
    const parsed = Transcript.safeParse(candidate);
    if (!parsed.success) {
      throw new ScribeError(
        'bad_request',
        `transcript JSON is not a Transcript: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim(),
      );
    }
    return parsed.data;
  }
  const segments: TranscriptSegment[] = [];
  let current: { speaker: Speaker | undefined; text: string } | null = null;
  const flush = (): void => {
    if (current && sanitizeText(current.text)) {
      const i = segments.length;
      segments.push({
        id: `s${i + 1}`,
        start: i,
        end: i + 1,
        text: sanitizeText(current.text),
        ...(current.speaker ? { speaker: current.speaker } : {}),
      });
    }
    current = null;
  };
  for (const line of text.split(/\r?\n|\r/)) {
    if (!line.trim()) continue;
    const label = speakerLabel(line);
    if (label) {
      flush();
      current = { speaker: label.speaker, text: label.rest };
    } else if (current) {
      current.text += ` ${line}`;
    } else {
      current = { speaker: undefined, text: line };
    }
  }
  flush();
  return { engine: 'text', segments };
}

const BRACKET = /^\s*\[([A-Za-z_ ]{1,20})\]\s*(.*)$/;
const COLON = /^\s*([A-Za-z_. ]{1,20}?)\s*:\s*(.*)$/;

function speakerLabel(line: string): { speaker: Speaker | undefined; rest: string } | null {
  const m = BRACKET.exec(line) ?? COLON.exec(line);
  if (!m) return null;
  const speaker = speakerFromLabel(m[1]!);
  if (speaker === null) return null;
  return { speaker, rest: m[2] ?? '' };
}

function speakerFromLabel(label: string): Speaker | undefined | null {
  const l = label.trim().toLowerCase().replace(/[._]/g, ' ').trim();
  if (/^(doctor|dr|clinician|provider|physician|np|pa|nurse practitioner|md|do)$/.test(l)) return 'clinician';
  if (/^(patient|pt|client)$/.test(l)) return 'patient';
  if (/^patient guest$/.test(l)) return 'other';
  if (
    /^(guest family|family|guest|mother|father|parent|spouse|wife|husband|son|daughter|caregiver|nurse|interpreter|other|guest clinician|speaker)( \d+)?$/.test(
      l,
    )
  )
    return 'other';
  if (/^(unknown|unlabelled|unlabeled|spk \d+|speaker \d+)$/.test(l)) return undefined;
  return null;
}
