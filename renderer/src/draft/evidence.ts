import type { Draft, DraftSentence, TranscriptSegment } from '../../../app/api/schemas.ts';

/** The core serves at most 10 minutes of audio per clip (visit.audioClip). */
export const MAX_CLIP_SECONDS = 600;

/** The transcript turns a sentence cites, in transcript order (unknown ids are ignored). */
export function evidenceSegments(segments: readonly TranscriptSegment[], ids: ReadonlySet<string>): TranscriptSegment[] {
  return segments.filter((s) => ids.has(s.id));
}

/** The stretch of audio that covers a sentence's evidence (first start to last end, capped at 10 minutes). */
export function evidenceSpan(turns: readonly TranscriptSegment[]): { start: number; end: number } | null {
  if (turns.length === 0) return null;
  const start = Math.min(...turns.map((t) => t.start));
  const end = Math.max(...turns.map((t) => t.end));
  return { start, end: Math.min(Math.max(end, start + 0.2), start + MAX_CLIP_SECONDS) };
}

/** The drafted sentence whose evidence is exactly these ids (the one the clinician selected), with its section. */
export function sentenceWithEvidence(draft: Draft, ids: ReadonlySet<string>): { sectionTitle: string; sentence: DraftSentence } | null {
  if (ids.size === 0) return null;
  for (const section of draft.sections) {
    if (section.edited) continue;
    for (const sentence of section.sentences) {
      if (sentence.evidence.length === ids.size && sentence.evidence.every((id) => ids.has(id))) return { sectionTitle: section.title, sentence };
    }
  }
  return null;
}

export function clockTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
