import type { ChartCitation, Draft, DraftSection, DraftSentence, TranscriptSegment } from '../../../app/contract/index.ts';

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

/**
 * The drafted sentences whose evidence is exactly these ids and these chart facts (the selection), with their
 * sections. Sentences of one turn share its id, so several can match; sections a person edited are skipped.
 */
export function sentencesWithEvidence(
  draft: Draft,
  ids: ReadonlySet<string>,
  chart: readonly ChartCitation[] = [],
): Array<{ sectionTitle: string; sentence: DraftSentence }> {
  const out: Array<{ sectionTitle: string; sentence: DraftSentence }> = [];
  if (ids.size === 0 && chart.length === 0) return out;
  const sources = chart.map((c) => c.source).join('\n');
  for (const section of draft.sections) {
    if (section.edited) continue;
    for (const sentence of section.sentences) {
      const sameChart = (sentence.chart ?? []).map((c) => c.source).join('\n') === sources;
      if (sameChart && sentence.evidence.length === ids.size && sentence.evidence.every((id) => ids.has(id)))
        out.push({ sectionTitle: section.title, sentence });
    }
  }
  return out;
}

export function clockTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The drafted sentence under the cursor (each sentence found where it sits in the section's text), if any. */
export function sentenceUnder(section: DraftSection, offset: number): DraftSentence | null {
  let from = 0;
  for (const sentence of section.sentences) {
    const at = section.text.indexOf(sentence.text, from);
    if (at < 0) continue;
    const end = at + sentence.text.length;
    if (offset >= at && offset <= end) return sentence;
    from = end;
  }
  return null;
}

/** The transcript turns the sentence under the cursor cites. */
export function sentenceAt(section: DraftSection, offset: number): string[] {
  return sentenceUnder(section, offset)?.evidence ?? [];
}

/**
 * The chart facts a sentence cites, one line per chart resource, in words (decision 0204): "Patient, born
 * 1967-03-02, sex female, named Maria Lopez", "Problem list: Essential hypertension".
 */
export function chartFactLines(chart: readonly ChartCitation[]): string[] {
  const byResource = new Map<string, string[]>();
  for (const c of chart) {
    const [resource = '', element = ''] = c.source.split('#');
    const type = resource.split('/')[0] ?? '';
    const fact =
      type === 'Patient'
        ? element === 'birthDate'
          ? `born ${c.value}`
          : element === 'gender'
            ? `sex ${c.value}`
            : element === 'name'
              ? `named ${c.value}`
              : `${element} ${c.value}`
        : c.value;
    byResource.set(resource, [...(byResource.get(resource) ?? []), fact]);
  }
  return [...byResource].map(([resource, facts]) => {
    const type = resource.split('/')[0] ?? '';
    if (type === 'Patient') return `Patient, ${facts.join(', ')}`;
    if (type === 'Condition') return `Problem list: ${facts.join(', ')}`;
    return `${type}: ${facts.join(', ')}`;
  });
}
