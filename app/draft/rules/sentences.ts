import type { DraftSentence } from '../../contract/index.ts';
import { capitalize, wordTokens } from '../text.ts';
import type { Utterance } from '../utterances.ts';
import { answerPolarity, pertinentFinding, questionTopic, statedNegative } from './negation.ts';
import { cleanSpoken, otherToNoteStyle, patientToThirdPerson, unlabelledToNoteStyle, type PatientReference } from './note-style.ts';
import { namedTerms, salvageFacts, type TermFinder } from './salvage.ts';
import { clinicianVoice, findingVoice, planVoice, reportedFragment, written } from './voice.ts';

/**
 * The note sentences one utterance yields, in clinical voice, each citing the turns it came from. Questions without a
 * yes/no answer, greetings and small talk, and sentences that still read as speech after rewriting yield nothing.
 */

const CHATTER =
  /^(i am dr|i'm dr|i am doctor|i'm doctor|my name is|nice to meet|how are you|nice to (meet|see) you|thank you|thanks|good morning|good afternoon|good evening|hi|hello|hey|bye|goodbye|have a (good|great|nice)|take care|you too|see you|sounds good|that sounds|that's great|that's good|i'm good|i'm fine|i'm doing (okay|ok|well|good|fine)|doing (well|good|okay)|of course|no problem|you're welcome|my pleasure|excuse me|sorry|oh my|wow|yeah|yes|okay|ok|alright|all right|sure|mm-hmm|uh-huh)\b[\s,.!]*$|^(i am dr|i'm dr|my name is|nice to meet|thank you|thanks|good morning|good afternoon|hello|hi there|bye|goodbye|have a (good|great|nice)|take care)\b/i;

/** A problem lead at the start of a plan sentence ("for your diabetes, i'm going to ...") and the sentence after it. */
const LEAD_THEN =
  /^(?:so,? |and,? |now,? |okay,? |alright,? |next,? |then,? |lastly,? |finally,? |also,? |first,? |secondly,? |second,? |thirdly,? )*(?:for|regarding|in terms of|as far as|as for|with regards? to|moving on to|from an?|from the|in regards? to)\s+(?:(?:his|her|their|your|the)\s+)?(?:(?:first|second|third|fourth|fifth|next|last|final|other)\s+)?(?:problem|issue|concern)?,?\s*(?:of\s+|is\s+)?(?:(?:his|her|their|your|the)\s+)?[a-z][a-z0-9' -]{2,50}?(?:\s+(?:standpoint|wise|perspective|is concerned|goes))?(?:[,:]\s+|\s+(?=(?:i|we|i'm|we're|i'll|we'll|i'd|we'd|let's|let us)\s))(.{8,})$/i;

/** The sentence without its problem lead ("for your diabetes, increase metformin" -> "increase metformin"). */
export function withoutProblemLead(sentence: string): string {
  const m = LEAD_THEN.exec(cleanSpoken(sentence));
  return m && m[1] ? m[1] : sentence;
}

const RUN_ON_CLAUSE =
  /\s+(?=(?:and|but|so|because|okay|alright|now|which|i|we|you|i'm|we're|you're|i've|you've|we've|she|he|your|the good news|there is|there's|it's)\s)/i;

/** Clauses a spoken sentence is made of when it joins a finding and its consequence (", so we'll ..."). */
export function spokenClauses(sentence: string): string[] {
  // Recognizer output without punctuation: a long run-on is cut where a new clause starts.
  const runOn = sentence.split(/\s+/).length >= 20 && (sentence.match(/[,;]/g) ?? []).length <= 1;
  const parts = sentence
    .split(
      runOn
        ? RUN_ON_CLAUSE
        : /,\s*(?:so|and so|which means|but|and then|and)\s+(?=\w)|\s+(?:and|so)\s+(?=(?:i|we|i'm|we're|i'll|we'll|i'd|we'd|let's)\s)|;\s*/i,
    )
    .map((p) => p.trim())
    .filter(Boolean);
  const out: string[] = [];
  // A piece too short to stand alone joins the next one ("you" + "have a fever"), the last one joins the one before.
  let carry = '';
  for (const p of parts) {
    const piece = carry ? `${carry} ${p}` : p;
    if (piece.split(/\s+/).length < 4) {
      carry = piece;
      continue;
    }
    carry = '';
    out.push(piece);
  }
  if (carry) {
    if (out.length > 0) out[out.length - 1] = `${out[out.length - 1]}${runOn ? ' ' : ', '}${carry}`;
    else out.push(carry);
  }
  return out;
}

/** The clinician's sentence is a plan item (it turns into one: "i'm going to order ..."). */
export function isPlanStatement(u: Utterance, who: PatientReference): boolean {
  return u.speaker === 'clinician' && !u.isQuestion && planVoice(cleanSpoken(withoutProblemLead(u.text)), who) !== null;
}

export function noteSentences(u: Utterance, who: PatientReference, terms?: TermFinder): DraftSentence[] {
  const out: DraftSentence[] = [];
  const push = (text: string | null, evidence: string[]): void => {
    const w = text ? written(text) : null;
    if (w) out.push({ text: w, evidence });
  };
  const cleaned = cleanSpoken(u.text);
  if (u.speaker !== 'clinician') {
    const polarity = answerPolarity(u.text);
    if (polarity && (u.isAnswerToQuestion || /\?\s*$/.test(u.previous)) && u.previousSegmentId) {
      const f = pertinentFinding(u.previous, u.text, who);
      if (f) push(f.text, [u.previousSegmentId, u.segmentId]);
      const rest = cleaned.replace(/^(no|nope|nah|yes|yeah|yep|yup|not really|correct)\b[,.]?\s*/i, '');
      if (wordTokens(rest).length >= 5 && u.speaker === 'patient' && !f?.text.startsWith('Regarding '))
        push(patientToThirdPerson(rest, who), [u.segmentId]);
      return out;
    }
  }
  if (u.isQuestion || !cleaned || CHATTER.test(cleaned) || wordTokens(cleaned).length < 3) return out;
  for (const clause of spokenClauses(u.text)) {
    if (CHATTER.test(cleanSpoken(clause))) continue;
    const before = out.length;
    sayClause(clause);
    // Facts the rewrite lost (the clause could not be written whole) are kept as short statements of its own words.
    if (!terms || u.speaker === 'other') continue;
    const kept = namedTerms(
      out
        .slice(before)
        .map((s) => s.text)
        .join(' '),
      terms,
    );
    const lost = new Set([...namedTerms(clause, terms)].filter((t) => !kept.has(t)));
    if (lost.size > 0) for (const fact of salvageFacts(clause, terms, lost, u.speaker === 'patient')) push(fact, [u.segmentId]);
  }
  return out;

  function sayClause(clause: string): void {
    if (u.speaker === 'patient') {
      const neg = statedNegative(clause, who);
      const topic = /\?\s*$/.test(u.previous) && u.previousSegmentId ? questionTopic(u.previous) : null;
      if (!neg && topic && !new RegExp(`\\b${topic.replace(/[^a-z0-9 ]/gi, '')}\\b`, 'i').test(clause)) {
        push(`${capitalize(topic)}: ${patientToThirdPerson(findingVoice(cleanSpoken(clause), who, false), who)}`, [
          u.previousSegmentId!,
          u.segmentId,
        ]);
        return;
      }
      const said = neg ?? written(patientToThirdPerson(findingVoice(cleanSpoken(clause), who, false), who));
      push(said ? reportedFragment(said, who) : null, [u.segmentId]);
    } else if (u.speaker === 'clinician') {
      push(clinicianVoice(cleanSpoken(withoutProblemLead(clause)), who), [u.segmentId]);
    } else if (u.speaker === 'other') {
      push(otherToNoteStyle(clause), [u.segmentId]);
    } else {
      // Unknown speaker: a plan statement is the clinician's; anything else is kept only if it names no person.
      const plan = planVoice(cleanSpoken(withoutProblemLead(clause)), who);
      push(plan ?? unlabelledToNoteStyle(findingVoice(cleanSpoken(clause), who)), [u.segmentId]);
    }
  }
}
