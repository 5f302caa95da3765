import type { Speaker, Transcript } from '../contract/index.ts';
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
  /** The questions the previous turn ends with, in order ("chest pain? shortness of breath?"): what a "no" answers. */
  previousQuestions?: string[];
  /** The previous turn (another speaker's) ended with a question. */
  isAnswerToQuestion: boolean;
  /** A later sentence of its turn (the answer to a question is the turn's first sentence). */
  laterInTurn?: boolean;
  /** The sentences of its turn before it (later sentences only). */
  turnBefore?: string;
}

/** Longest sentence kept (characters): longer runs are cut into pieces so no rule works on megabytes. */
const MAX_SENTENCE = 600;

export function utterancesOf(transcript: Transcript): Utterance[] {
  const out: Utterance[] = [];
  const segments = transcript.segments;
  const n = segments.length;
  let previousSegmentId: string | undefined;
  let lastOfTurn = '';
  let questionsOfTurn: string[] = [];
  for (let t = 0; t < n; t++) {
    const seg = segments[t]!;
    const clean = tidySpacing(sanitizeText(seg.text));
    if (!clean) continue;
    const pieces: string[] = [];
    for (const s of splitSentences(clean)) {
      for (const part of splitRunOn(s)) {
        for (let i = 0; i < part.length; i += MAX_SENTENCE) pieces.push(part.slice(i, i + MAX_SENTENCE));
      }
    }
    const prevForThisTurn = lastOfTurn;
    const prevIdForThisTurn = previousSegmentId;
    const prevQuestions = questionsOfTurn;
    for (const [k, text] of pieces.entries()) {
      out.push({
        ...(k > 0 ? { laterInTurn: true, turnBefore: pieces.slice(0, k).join(' ') } : {}),
        segmentId: seg.id,
        turn: t,
        speaker: seg.speaker,
        text,
        position: n <= 1 ? 0 : t / (n - 1),
        previous: prevForThisTurn,
        previousSegmentId: prevIdForThisTurn,
        previousQuestions: prevQuestions,
        isQuestion: isRealQuestion(text) || isUnpunctuatedQuestion(text),
        isAnswerToQuestion:
          prevForThisTurn !== '' &&
          (isRealQuestion(prevForThisTurn) || asksUnpunctuated(prevForThisTurn) || prevQuestions.length > 0) &&
          (seg.speaker === undefined || segments[t - 1]?.speaker !== seg.speaker),
      });
    }
    lastOfTurn = pieces[pieces.length - 1] ?? '';
    questionsOfTurn = [];
    for (let k = pieces.length - 1; k >= 0 && (isRealQuestion(pieces[k]!) || asksUnpunctuated(pieces[k]!)); k--)
      questionsOfTurn.unshift(pieces[k]!);
    // A run-on turn that ends by asking ("... with the left foot have you experienced any numbness or tingling"): the
    // question is its last clause.
    // A short one asks after a lead-in ("okay and then have you experienced any numbness or tingling").
    const tail = questionsOfTurn.length === 0 ? (trailingQuestion(lastOfTurn) ?? askedAfterLeadIn(lastOfTurn)) : null;
    if (tail) questionsOfTurn = [tail];
    previousSegmentId = seg.id;
  }
  return out;
}

/**
 * A run longer than MAX_SENTENCE is cut every MAX_SENTENCE characters, often inside a word ("... are all negative
 * bilatera" + "lly neurologically ..."), which left halves of words in the note. The drafter takes each cut back to the
 * space before the word it fell in: the word's start moves to the next piece of the same turn. The pieces the section
 * model is trained on are not changed (training-data.ts uses utterancesOf as it is, so the committed model stays
 * reproducible); only what is rewritten into the note is.
 */
export function withCutsAtWords(utterances: Utterance[]): Utterance[] {
  const out = utterances.map((u) => ({ ...u }));
  for (let k = 0; k + 1 < out.length; k++) {
    const a = out[k]!;
    const b = out[k + 1]!;
    if (a.segmentId !== b.segmentId || a.text.length !== MAX_SENTENCE) continue;
    // Back to where a clause starts in the last words ("... for the chemo to go directly" + "into their peritoneum" becomes
    // "... and this is done by" + "inserting ... into their peritoneum"), else to the space before the word cut.
    const tail = a.text.slice(-CUT_BACK);
    const clause = [...tail.matchAll(CLAUSE_START)].at(-1);
    const space = clause?.index !== undefined ? a.text.length - tail.length + clause.index : a.text.lastIndexOf(' ');
    if (space <= 0) continue;
    const glue = /\w$/.test(a.text) && /^\w/.test(b.text) ? '' : ' ';
    b.text = `${a.text.slice(space + 1)}${glue}${b.text}`.trim();
    a.text = a.text.slice(0, space).trim();
  }
  return out;
}

/** How far back (characters) a cut at MAX_SENTENCE may move to reach the start of a clause. */
const CUT_BACK = 160;
const CLAUSE_START = /\s(?=(?:so|but|because|okay|alright|now|then|i|we|i'm|we're|i'll|we'll|let's)\s)/gi;

/** Turns that address the other person ("you", "your"): the clinician's way of speaking in a visit. */
const ADDRESSES = /\b(?:you|your|you're|you've|yourself)\b/i;

/**
 * The clinician and patient labels of a visit whose recognizer or transcriber put each person's turns under the
 * other's name (the "patient" asks the questions and says "you"; the "clinician" answers in the first person) are
 * swapped back; any other visit is returned as it is. Both signs must agree and each person must have spoken often,
 * so a visit where the clinician only dictates or the patient asks a few questions of their own keeps its labels.
 */
export function withRolesSettled(utterances: Utterance[]): Utterance[] {
  const said = (speaker: Speaker) => {
    const turns = utterances.filter((u) => u.speaker === speaker);
    return {
      n: turns.length,
      asks: turns.filter((u) => u.isQuestion).length,
      addresses: turns.length ? turns.filter((u) => ADDRESSES.test(u.text)).length / turns.length : 0,
    };
  };
  const clinician = said('clinician');
  const patient = said('patient');
  const swapped =
    clinician.n >= MIN_TURNS &&
    patient.n >= MIN_TURNS &&
    patient.asks > clinician.asks &&
    patient.addresses - clinician.addresses >= SWAPPED_MARGIN;
  if (!swapped) return utterances;
  const other = (s: Speaker | undefined): Speaker | undefined => (s === 'clinician' ? 'patient' : s === 'patient' ? 'clinician' : s);
  return utterances.map((u) => ({ ...u, speaker: other(u.speaker) }));
}

const MIN_TURNS = 8;
/** How much more often the "patient" says "you" than the "clinician" in a swapped visit (ACI-Bench train/valid: 0.26-0.69 when swapped, below 0 otherwise). */
const SWAPPED_MARGIN = 0.2;

/** "i'm going to repeat the a1c in six months, okay?" states a plan: a tag question is not a question. */
export const TAG_QUESTION =
  /[,\s]+(okay|ok|right|alright|all right|yeah|correct|sound good|does that sound good|does that sound okay|does that make sense|is that okay|is that ok|how does that sound|you know|fair)\s*\?\s*$/i;

export function isRealQuestion(text: string): boolean {
  if (!/\?\s*$/.test(text)) return false;
  if (TAG_QUESTION.test(text) && text.replace(TAG_QUESTION, '').trim().split(/\s+/).length >= 4) return false;
  return true;
}

const RUN_ON_WORDS = 40;
const DISCOURSE_BREAK = /\s+(?=(?:okay|ok|alright|all right|so|now|and then|um so|and so)\s)/gi;

/**
 * Recognizers without punctuation produce turns of 100+ words in one "sentence". Such run-ons are cut at
 * discourse markers ("okay", "alright", "so", "now") into pieces of at least 8 words, so each can be
 * classified and cited on its own.
 */
export function splitRunOn(sentence: string): string[] {
  const words = sentence.split(/\s+/);
  if (words.length <= RUN_ON_WORDS) return [sentence];
  const parts = sentence.split(DISCOURSE_BREAK);
  const out: string[] = [];
  let current = '';
  for (const p of parts) {
    current = current ? `${current} ${p}` : p;
    if (current.split(/\s+/).length >= 8) {
      out.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) {
    if (out.length > 0 && current.split(/\s+/).length < 8) out[out.length - 1] = `${out[out.length - 1]} ${current.trim()}`;
    else out.push(current.trim());
  }
  return out;
}

const TRAILING_QUESTION = /\b(?:have you|do you|did you|are you|were you|is there|are there|any)\b/gi;

/** The question a long unpunctuated turn ends with, from its last question lead, or null. */
export function trailingQuestion(text: string): string | null {
  if (/[.!?]\s*$/.test(text) || text.split(/\s+/).length <= 20) return null;
  // The earliest lead of the last 16 words ("have you experienced anything like numbness ... or any strange sensation").
  for (const lead of text.matchAll(TRAILING_QUESTION)) {
    const tail = text.slice(lead.index);
    const words = tail.split(/\s+/).length;
    if (words >= 2 && words <= 16) return tail;
  }
  return null;
}

/** Words a question may follow in an unpunctuated turn ("okay and then", "now tell me", "got it sorry and"), never a verb ("i don't see any"). */
const BEFORE_QUESTION =
  /(?:^|\b(?:okay|ok|alright|right|so|and|then|now|me|sorry|um|uh|well|also|or|but|yeah|great|good|perfect|gotcha|symptoms))\s+$/i;
/** Words after which "have you" / "do you" does not open a question ("how long have you had it", "what do you take"). */
const NOT_BEFORE_INVERTED =
  /\b(?:how(?: long| much| many| often)?|what|when|where|why|which|who|whether|if|that|because|as|than|know|think|wonder)\s+$/i;
/** Only a question about a finding: what a "no" or "yes" to it says is a pertinent negative or positive. */
const SYMPTOM_QUESTION =
  /^(?:any|have you (?:ever )?(?:had|noticed|experienced|felt|been having)|(?:do|did) you (?:ever )?(?:have|get|feel|hear|notice)|are you (?:having|experiencing|getting|noticing)|is there|are there)\b/i;
const QUESTION_LEAD = /\b(?:have you|do you|did you|are you|were you|is there|are there|any)\b/gi;

/**
 * The question a short unpunctuated turn asks after a lead-in that is not itself a question ("okay now tell me have you
 * noticed any other symptoms how about like fever or chills"), or null. A lead after a verb ("i don't see any swelling")
 * is a statement.
 */
function askedAfterLeadIn(text: string): string | null {
  if (/[.!?]\s*$/.test(text) || text.split(/\s+/).length > 20 || asksUnpunctuated(text)) return null;
  for (const lead of text.matchAll(QUESTION_LEAD)) {
    const before = text.slice(0, lead.index);
    // "and so with your shoulder have you experienced any numbness": a subject and verb turned round ask after any
    // topic; "any" asks only after a lead-in word or "let's talk about some other symptoms".
    const inverted = !/^any$/i.test(lead[0]) && !NOT_BEFORE_INVERTED.test(before);
    if (!inverted && !BEFORE_QUESTION.test(before)) continue;
    const tail = text.slice(lead.index);
    const words = tail.split(/\s+/).length;
    if (words >= 2 && words <= 16 && SYMPTOM_QUESTION.test(tail)) return tail;
  }
  return null;
}

const QUESTION_OPENER =
  '(?:any|do you|did you|have you|are you|were you|is it|is there|are there|does it|can you|could you|how|what|when|where|why|which|who)\\b';
const QUESTION_START = new RegExp(`^(?:(?:okay|ok|alright|all right|so|and|um|uh)[,\\s]+)*${QUESTION_OPENER}`, 'i');

/** A short turn with no punctuation at all that opens like a question ("okay any numbness any tingling"). */
export function isUnpunctuatedQuestion(text: string): boolean {
  return !/[.!?]\s*$/.test(text) && text.split(/\s+/).length <= 20 && QUESTION_START.test(text);
}

/**
 * The same question after more lead-in words ("okay alright and then are you a smoker", "sure any problems sleeping",
 * "now are you watching your blood sugars"): what the answer after it answers (decision 0210). Not `isQuestion`: the
 * section model's training labels take questions as that (retraining it is not part of this change).
 */
const ASKED_AFTER_WORDS = new RegExp(
  `^(?:(?:okay|ok|alright|all right|so|and|then|now|um|uh|sure|yeah|well|also|great|good|perfect|gotcha|right|tell me)[,\\s]+)*${QUESTION_OPENER}`,
  'i',
);

function asksUnpunctuated(text: string): boolean {
  return isUnpunctuatedQuestion(text) || (!/[.!?]\s*$/.test(text) && text.split(/\s+/).length <= 20 && ASKED_AFTER_WORDS.test(text));
}

/** Where the patient's answer starts inside a clinician's unpunctuated turn: a first-person statement, or a bare yes/no. */
const GLUED_ANSWER =
  /\s(?=(?:(?:yes|yeah|no|nope)\s+)?(?:i\s+(?:feel|felt|had|have (?:had|been|taken|tried|noticed)|(?:do n't|don't) (?:think (?:so|there|it|i)|have|get|feel|take)|did n't|didn't|have n't|haven't|take|took|get)\b|i've\s+(?:had|been|taken|tried|noticed)\b|i'm\s+(?:not|having|feeling|still)\b|my\s+(?:father|mother|dad|mom|brother|sister|grandfather|grandmother|aunt|uncle)\b))|\s(?=(?:yes|yeah|nope)\s*$)/i;
/** Words a question does not end with: what follows them continues the clinician's sentence ("as excited as i am"). */
const NOT_ASKED_END = /\b(?:as|that|than|what|and|but|so|because|if|when|where|which|know|you|sorry|to|the|a|of)\s*$/i;
/** Where the clinician speaks again after a glued answer: a discourse word or the next question. */
const CLINICIAN_AGAIN = /\s(?=(?:okay|ok|alright|all right|(?:and\s+)?(?:have|do|did|are|were|is)\s+(?:you|there|anyone|anybody))\b)/i;
const GLUED_QUESTION = /\b(?:have you|do you|did you|are you|were you|is there|are there|any|anyone|anybody|what have you|what did you)\b/i;

/**
 * A clinician's turn that holds the patient's answers, the two voices joined by the recognizer or transcriber ("okay and
 * do you have any nausea vomiting any fever chills i feel nauseated but i'm not vomiting okay is anyone in your family had
 * kidney stones yes my father had them"): each question and its answer become utterances of their own, the answer the
 * patient's, so the answer is written with what was asked. Only unpunctuated clinician speech is read this way, and an
 * answer that says "you" is the clinician still talking ("i don't remember ever sending you"), so it is left as it was.
 * Applied after `utterancesOf`, like `withRolesSettled`: the section model's training reads `utterancesOf` alone.
 */
export function withAnswersApart(utterances: Utterance[]): Utterance[] {
  const out: Utterance[] = [];
  for (const u of utterances) {
    if (u.speaker !== 'clinician' || /[.?!,;]/.test(u.text)) {
      out.push(u);
      continue;
    }
    const pieces: Array<{ text: string; answer: boolean }> = [];
    let rest = u.text;
    for (;;) {
      const a = GLUED_ANSWER.exec(rest);
      if (!a) break;
      const question = rest.slice(0, a.index).trim();
      const after = rest.slice(a.index).trim();
      const next = CLINICIAN_AGAIN.exec(after);
      const answer = (next ? after.slice(0, next.index) : after).trim();
      // The words before the answer must end by asking ("... do you have any nausea vomiting"), within a few words.
      const lastAsk = [...question.matchAll(new RegExp(GLUED_QUESTION.source, 'gi'))].pop();
      const asked = lastAsk ? question.slice(lastAsk.index) : '';
      if (
        !lastAsk ||
        asked.split(/\s+/).length > 14 ||
        NOT_ASKED_END.test(question) ||
        /\b(?:you|your|you're|you've)\b/i.test(answer.replace(/\byou know\b/gi, ''))
      )
        break;
      pieces.push({ text: question, answer: false }, { text: answer, answer: true });
      rest = next ? after.slice(next.index).trim() : '';
      if (!rest) break;
    }
    if (pieces.length === 0) {
      out.push(u);
      continue;
    }
    if (rest) pieces.push({ text: rest, answer: false });
    let previous = u.previous;
    let previousSegmentId = u.previousSegmentId;
    let questions = u.previousQuestions ?? [];
    for (const [k, p] of pieces.entries()) {
      const asked = !p.answer && k + 1 < pieces.length && pieces[k + 1]!.answer;
      out.push({
        ...u,
        text: p.text,
        ...(p.answer ? { speaker: 'patient' as const } : {}),
        ...(k > 0 && !p.answer ? { laterInTurn: true } : {}),
        ...(p.answer ? { laterInTurn: undefined } : {}),
        previous,
        previousSegmentId,
        previousQuestions: questions,
        isQuestion: asked || (!p.answer && u.isQuestion),
        isAnswerToQuestion: p.answer,
      });
      previous = p.text;
      previousSegmentId = u.segmentId;
      questions = asked ? [p.text] : [];
    }
  }
  return out;
}
