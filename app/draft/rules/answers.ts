import { cleanSpoken, clinicianToNoteStyle, type PatientReference } from './note-style.ts';
import { answerPolarity } from './negation.ts';
import { readsAsSpeech, written } from './voice.ts';

/**
 * A "yes" to a question that states a fact about the patient confirms that fact (decision 0197): the question,
 * turned into a statement, is what the note says.
 *
 *   "and you are still on your metformin?" "yes."              -> "She is still on her metformin."
 *   "is your skin pretty sensitive?" "yes."                      -> "Her skin is pretty sensitive."
 *   "have you been taking all of your meds for your heart failure?" "i have." -> "She has been taking all of her meds ..."
 *   "it looks like you've had intentional weight loss?" "yes"   -> "She has had intentional weight loss."
 *
 * Only the question's own words are written; a "yes" to alternatives ("your hip, or your leg?"), to a question about
 * "any" finding (the pertinent-positive rule writes those) or qualified ("yes, but ...") confirms nothing.
 */

/** Leads that only frame the question ("and", "it looks like", "i know that"). */
const FRAME =
  /^(?:(?:and|so|okay|ok|now|then|um|uh|alright|but|also|just)[,\s]+)*(?:(?:it|that)\s+(?:looks|sounds|seems)\s+like(?:\s+that)?\s+|(?:i|we)\s+(?:see|have|know|understand|heard|read)\s+(?:here\s+)?(?:that\s+)?)?/i;

/** Verbs after "are you" that state what the patient does or is on ("are you still taking ...", "are you on ..."). */
const DOING =
  /^(?:(?:still|currently|also|now)\s+)?(?:on|taking|using|following|watching|avoiding|checking|monitoring|exercising|walking|working|sleeping|eating|drinking|smoking|wearing|seeing|able to|living)\b/i;

/** Tails that point back at the conversation, not at the fact ("that i prescribed", "like we talked about", "for that"). */
const CONVERSATION_TAIL =
  /\s*,?\s*(?:(?:that|which|like|as)\s+(?:i|we)\s+.*|(?:like|as)\s+(?:we|i)\s+(?:talked|discussed|said|mentioned).*|for (?:that|it|this)|since then|in (?:your|the) past|at all|or not|right|correct|then)\s*$/i;

/** The question as the statement a "yes" confirms, still in the second person ("are you on x" -> "you are on x"), or null. */
export function statementAsked(question: string): string | null {
  let q = cleanSpoken(question)
    .replace(/[?.!,\s]+$/, '')
    .replace(FRAME, '')
    .trim();
  for (let i = 0; i < 2; i++) q = q.replace(CONVERSATION_TAIL, '').trim();
  // A list ("you exercise, go to the store, that type of thing?") or alternatives: a "yes" does not say which.
  if (!q || /,|\b(?:or|any|anything|what|how|when|where|why|which|who|type of thing|things like that|stuff like that)\b/i.test(q))
    return null;
  // "you had a history of atopic eczema?" "yes": the history is still the patient's.
  q = q.replace(/^you had (?=(?:a )?(?:(?:past|previous|prior) )?(?:(?:medical|surgical) )?history of\b)/i, 'you have ');
  let m: RegExpExecArray | null;
  let statement: string | null = null;
  if ((m = /^are you\s+(.+)$/i.exec(q)) && DOING.test(m[1]!)) statement = `you are ${m[1]}`;
  else if ((m = /^do you\s+((?:(?:still|currently|also|usually)\s+)?(?:take|use|see|wear|live|work|exercise|smoke|drink)\b.+)$/i.exec(q)))
    statement = `you ${m[1]}`;
  else if ((m = /^have you been\s+(\w+ing\b.+)$/i.exec(q))) statement = `you have been ${m[1]}`;
  else if ((m = /^(is|are)\s+(your\s+(?:(?:right|left|lower|upper|blood)\s+)?\w+)\s+(.+)$/i.exec(q)))
    statement = `${m[2]} ${m[1]!.toLowerCase()} ${m[3]}`;
  else if (/^(?:you're|you are|you've|you have|you had|you take|you use|you still|your \w+ (?:is|are|has))\b/i.test(q)) statement = q;
  if (!statement) return null;
  // "you're okay?", "you are ready?": a predicate of one chatty word confirms nothing clinical.
  const predicate = statement.replace(/^(?:you|your \S+(?: \S+)?)\s*(?:'re|'ve|are|have|is|has)?\s*/i, '');
  if (predicate.split(/\s+/).length < 2 && /^(?:okay|ok|good|fine|ready|sure|here|there|alright|comfortable|done)$/i.test(predicate))
    return null;
  return statement;
}

const QUALIFIED = /\b(?:but|except|only|though|although|however|not really|sometimes|occasionally|kind of|sort of|i think|maybe)\b/i;

/** The fact a plain "yes" confirms, in note style, or null when the pair confirms nothing that can be written. */
export function confirmedStatement(question: string, answer: string, who: PatientReference): string | null {
  if (answerPolarity(answer) !== 'reports' || QUALIFIED.test(answer)) return null;
  const statement = statementAsked(question);
  if (!statement) return null;
  const note = written(clinicianToNoteStyle(statement, who));
  if (!note || readsAsSpeech(note) || note.split(/\s+/).length < 3) return null;
  return note;
}
