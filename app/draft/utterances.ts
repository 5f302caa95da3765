import type { Speaker, Transcript } from '../api/schemas.ts';
import { sanitizeText, splitSentences, tidySpacing } from './text.ts';

/**
 * An utterance is one sentence of one transcript turn: the unit the drafter classifies and cites.
 * Its `segmentId` is the evidence a draft sentence built from it carries.
 */
export interface Utterance {
  segmentId: string;
  /** Index of the turn (segment) in the transcript. */
  turn: number;
  speaker: Speaker | undefined;
  text: string;
  /** 0 at the start of the visit, 1 at the end (by turn order). */
  position: number;
  /** The last sentence of the previous turn (the question an answer answers). */
  previous: string;
  previousSegmentId: string | undefined;
  isQuestion: boolean;
}

/** Longest sentence kept (characters): longer runs are cut into pieces so no rule works on megabytes. */
const MAX_SENTENCE = 600;

export function utterancesOf(transcript: Transcript): Utterance[] {
  const out: Utterance[] = [];
  const segments = transcript.segments;
  const n = segments.length;
  let previousSegmentId: string | undefined;
  let lastOfTurn = '';
  for (let t = 0; t < n; t++) {
    const seg = segments[t]!;
    const clean = tidySpacing(sanitizeText(seg.text));
    if (!clean) continue;
    const pieces: string[] = [];
    for (const s of splitSentences(clean)) {
      for (let i = 0; i < s.length; i += MAX_SENTENCE) pieces.push(s.slice(i, i + MAX_SENTENCE));
    }
    const prevForThisTurn = lastOfTurn;
    const prevIdForThisTurn = previousSegmentId;
    for (const text of pieces) {
      out.push({
        segmentId: seg.id,
        turn: t,
        speaker: seg.speaker,
        text,
        position: n <= 1 ? 0 : t / (n - 1),
        previous: prevForThisTurn,
        previousSegmentId: prevIdForThisTurn,
        isQuestion: isRealQuestion(text),
      });
    }
    lastOfTurn = pieces[pieces.length - 1] ?? '';
    previousSegmentId = seg.id;
  }
  return out;
}

/** "i'm going to repeat the a1c in six months, okay?" states a plan: a tag question is not a question. */
export const TAG_QUESTION = /[,\s]+(okay|ok|right|alright|all right|yeah|correct|sound good|does that sound good|does that sound okay|does that make sense|is that okay|is that ok|how does that sound|you know|fair)\s*\?\s*$/i;

export function isRealQuestion(text: string): boolean {
  if (!/\?\s*$/.test(text)) return false;
  if (TAG_QUESTION.test(text) && text.replace(TAG_QUESTION, '').trim().split(/\s+/).length >= 4) return false;
  return true;
}
