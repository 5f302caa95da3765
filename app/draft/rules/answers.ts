import { capitalize, terminate } from '../text.ts';
import { cleanSpoken, clinicianToNoteStyle, type PatientReference } from './note-style.ts';
import { answerPolarity, questionFinding } from './negation.ts';
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
  /^(?:(?:and|so|okay|ok|now|then|um|uh|alright|but|also|just)[,\s]+)*(?:(?:how|what) about,?\s+)?(?:(?:it|that)\s+(?:looks|sounds|seems)\s+like(?:\s+that)?\s+|(?:i|we)\s+(?:see|have|know|understand|heard|read)\s+(?:here\s+)?(?:that\s+)?)?/i;

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
  // "have you ever been a smoker?" "yeah, i still smoke ..." -> "She has been a smoker."
  else if ((m = HAVE_YOU_EVER.exec(q))) statement = `you have ${m[1]}`;
  else if ((m = /^(is|are)\s+(your\s+(?:(?:right|left|lower|upper|blood)\s+)?\w+)\s+(.+)$/i.exec(q)))
    statement = `${m[2]} ${m[1]!.toLowerCase()} ${m[3]}`;
  else if (
    /^(?:you're|you are|you've|you have|you had|you still|you also|you (?:take|use|suffer|get|see|smoke|drink|exercise|live|work)|your \w+ (?:is|are|has))\b/i.test(
      q,
    )
  )
    statement = q;
  if (!statement) return null;
  // "you're okay?", "you are ready?": a predicate of one chatty word confirms nothing clinical.
  const predicate = statement.replace(/^(?:you|your \S+(?: \S+)?)\s*(?:'re|'ve|are|have|is|has)?\s*/i, '');
  if (predicate.split(/\s+/).length < 2 && /^(?:okay|ok|good|fine|ready|sure|here|there|alright|comfortable|done)$/i.test(predicate))
    return null;
  return statement;
}

/** "have you ever had a colonoscopy", "have you ever been a smoker": what a yes or a no says the patient has done. */
const HAVE_YOU_EVER = /^have you ever\s+((?:had|been|tried|used|taken|smoked|seen)\s+\S.*)$/i;

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

/** A plain "no" ("no.", "nope, not at all", "no, nothing like that"): nothing after it that qualifies or affirms. */
const PLAIN_NO =
  /^(?:no|nope|nah|not really|not at all)(?:[,.!\s]+(?:no|not at all|nothing like that|none|not that i(?:'ve| have)? noticed|it is not|it's not|i'm not|i am not|i don't|i do not|it doesn't|they don't))*[,.!\s]*$/i;

/**
 * A plain "no" to a question that states something about the patient denies it, with the question's own verb
 * (decision 0197): "do your stools look dark or tarry or black?" "no." -> "Her stools do not look dark or tarry or
 * black."; "is moving your shoulder uncomfortable at all?" "no." -> "Moving his shoulder is not uncomfortable.";
 * "are you still taking the ibuprofen?" "no." -> "He is no longer taking the ibuprofen." Questions about "any" finding
 * are the pertinent-negative rule's; a "no" to two different questions joined by "or" says nothing certain.
 */
export function deniedStatement(question: string, answer: string, who: PatientReference): string | null {
  if (!PLAIN_NO.test(cleanSpoken(answer).replace(/^(?:um|uh)[,\s]+/i, '')) && !PLAIN_NO.test(answer.trim())) return null;
  let q = cleanSpoken(question)
    .replace(/[?.!,\s]+$/, '')
    .replace(FRAME, '')
    .trim();
  for (let i = 0; i < 3; i++)
    q = q
      .replace(CONVERSATION_TAIL, '')
      .replace(/,?\s*(?:or\s+)?(?:anything|something)(?:\s+like that|\s+else)?$/i, '')
      .trim();
  if (
    !q ||
    /\b(?:any|anything|what|how|when|where|why|which|who|not|never)\b|\bor\s+(?:is|are|was|were|do|does|did|have|has|can)\b|,/i.test(q)
  )
    return null;
  let m: RegExpExecArray | null;
  let statement: string | null = null;
  if ((m = /^(is|are|was|were)\s+(your\s+(?:(?:right|left|lower|upper|blood)\s+)?\w+|\w+ing\s+your\s+\w+)\s+(.+)$/i.exec(q)))
    statement = `${m[2]} ${m[1]!.toLowerCase()} not ${m[3]}`;
  else if ((m = /^(do|does|did)\s+(your\s+(?:(?:right|left|lower|upper)\s+)?\w+)\s+(\w+\s+.+)$/i.exec(q)))
    statement = `${m[2]} ${m[1]!.toLowerCase()} not ${m[3]}`;
  else if ((m = /^are you\s+(still\s+)?((?:taking|on|using)\s+.+)$/i.exec(q))) statement = `you are ${m[1] ? 'no longer' : 'not'} ${m[2]}`;
  else if ((m = /^do you\s+(still\s+)?((?:take|use)\s+.+)$/i.exec(q))) statement = m[1] ? `you no longer ${m[2]}` : `you do not ${m[2]}`;
  // "and have you ever had a colonoscopy?" "no." -> "He has never had a colonoscopy."
  else if ((m = HAVE_YOU_EVER.exec(q))) statement = `you have never ${m[1]}`;
  if (!statement) return null;
  const note = written(clinicianToNoteStyle(statement, who));
  if (!note || readsAsSpeech(note) || note.split(/\s+/).length < 4) return null;
  return note;
}

const lead = (who: PatientReference): string => (who.subject === 'the patient' ? 'The patient' : capitalize(who.subject));

/** Words no finding in a short list has: people, verbs, questions ("i think", "it gets", "what"). */
const NOT_A_FINDING =
  /\b(?:i|i'm|i've|me|my|we|you|your|he|she|it|it's|they|that|this|there|is|are|was|were|be|been|has|have|had|do|does|did|get|gets|got|feel|feels|think|know|what|how|when|where|why|like|just|really|anything|something|nothing|else|stuff|things?|maybe|probably|possibly|perhaps|sure)\b/i;

/** The findings of a short spoken list ("a fever or any kind of rash" -> fever, rash), or null when it is more than a list. */
function findingList(list: string): string[] | null {
  const parts = list
    .replace(/[.!?]+$/, '')
    .split(/,\s*(?:or\s+|and\s+)?|\s+(?:or|and|nor)\s+/i)
    .map((p) =>
      p
        .trim()
        .replace(/^(?:any\s+(?:kind|type|sort)s?\s+of|any|a|an|some|no)\s+/i, '')
        .trim(),
    )
    .filter(Boolean);
  if (parts.length === 0 || parts.length > 5 || parts.some((p) => p.split(/\s+/).length > 3 || NOT_A_FINDING.test(p))) return null;
  return parts;
}

const joined = (parts: string[]): string =>
  parts.length <= 2 ? parts.join(' or ') : `${parts.slice(0, -1).join(', ')}, or ${parts[parts.length - 1]}`;

/** "i can't recall a fever or any kind of rash", "i don't think i've had like any tingling": the patient remembers none of them. */
const RECALLS_NONE =
  /^(?:(?:no|nope|and|but|um|uh)[,\s]+)*(?:i\s+)?(?:can't|cannot|can not|don't|do not)\s+(?:recall|remember|think (?:i've|i have) (?:ever\s+)?had)\s+(?:ever\s+)?(?:having\s+(?:had\s+)?)?(?:like\s+)?(.+?)(?:,?\s+or\s+(?:anything|something)(?:\s+like that|\s+else)?)?$/i;

/** A patient's "i can't recall a fever or any kind of rash" as "He denies fever or rash.", or null. */
export function recalledNone(clause: string, who: PatientReference): string | null {
  const m = RECALLS_NONE.exec(cleanSpoken(clause));
  const parts = m && m[1] ? findingList(m[1]) : null;
  return parts ? terminate(`${lead(who)} denies ${joined(parts).replace(/\bmy\b/gi, who.possessive)}`) : null;
}

/**
 * "no no numbness or tingling" to a question about numbness: the findings the answer's own "no" names beyond what was
 * asked ("He denies tingling."), or null. `asked` is the denial already written for the question.
 */
export function alsoDenied(answer: string, asked: string, who: PatientReference): string | null {
  const m = /^(?:(?:no|nope|nah)[,.]?\s+)+(?:i have (?:no|not had any)\s+)?(.+)$/i.exec(cleanSpoken(answer).replace(/^no\s+(?=no\b)/i, ''));
  if (!m || !m[1] || !/^no\b/i.test(cleanSpoken(answer))) return null;
  const parts = findingList(m[1].replace(/^no\s+/i, ''));
  const more = (parts ?? []).filter((p) => !asked.toLowerCase().includes(p.toLowerCase()));
  if (!parts || more.length === 0 || more.length === parts.length) return null;
  return terminate(`${lead(who)} denies ${joined(more)}`);
}

const SEVERITY = /^(?:slight|slightly|mild|mildly|minor|some|occasional|intermittent|constant|severe|sharp|dull|little)\b/i;

/** The answer names one of the findings the question asks about, whole ("shortness of breath", not "the knee" of "knee pain"). */
function namesAsked(answer: string, question: string): boolean {
  const asked = questionFinding(question);
  if (!asked) return false;
  const said = ` ${answer.toLowerCase()} `;
  return asked
    .toLowerCase()
    .split(/,\s*|\s+(?:or|and)\s+/)
    .map((p) => p.replace(/^(?:any|other|some)\s+/, '').trim())
    .some((p) => p.length >= 4 && said.includes(` ${p.replace(/s$/, '')}`));
}

/**
 * A short answer that is only a finding ("slight cramps", "a bit of joint pain") to a question about findings, as
 * "He reports slight cramps.", or null. It must name a clinical term and hold no verb, person or negation.
 */
export function answeredFinding(answer: string, who: PatientReference, terms: (text: string) => string[], asked?: string): string | null {
  const a = cleanSpoken(answer)
    .replace(/^(?:yes|yeah|yep|yup|some|a little|a bit)\b[,.]?\s*/i, '')
    .replace(/[.!]+$/, '')
    .trim();
  const words = a.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 5 || terms(a).length === 0) return null;
  if (NOT_A_FINDING.test(a) || /\b(?:no|not|never|none|n't)\b/i.test(a) || /[,;]/.test(a)) return null;
  // A finding the question asked about ("shortness of breath" to "chest pain, shortness of breath, or belly pain?"), or
  // one the answer qualifies as a symptom ("slight cramps"); not a body part named in passing ("the middle finger").
  if (asked !== undefined && !SEVERITY.test(a) && !namesAsked(a, asked)) return null;
  return terminate(`${lead(who)} reports ${a.charAt(0).toLowerCase()}${a.slice(1)}`);
}

/** "i was adopted so i really have no idea" to a question about the family: what the family had is not known. */
export function familyHistoryUnknown(question: string, answer: string, who: PatientReference): string | null {
  if (!/\bfamily\b/i.test(question) || !/^(?:(?:well|um|uh|so)[,\s]+)*i\s+(?:was|am|'m)\s+adopted\b/i.test(cleanSpoken(answer)))
    return null;
  return `No known family history; ${who.subject === 'the patient' ? 'the patient' : who.subject} was adopted.`;
}

/** "i feel nauseated but i'm not vomiting": one finding had, one not. */
const ONE_BUT_NOT =
  /^(?:(?:well|um|uh|so)[,\s]+)*i\s+(?:feel|am|'m|have been|'ve been|get|have)\s+(?:a little\s+|a bit\s+|some\s+)?([a-z]+),?\s+but\s+i\s*(?:'m|am)\s+not\s+([a-z]+)$/i;

/** The question's word for a finding the answer names in another form ("nauseated" -> "nausea"), or null. */
function askedWord(question: string, said: string): string | null {
  const stem = said.toLowerCase().slice(0, 5);
  if (stem.length < 5) return null;
  return (
    question
      .toLowerCase()
      .split(/[^a-z]+/)
      .find((w) => w.startsWith(stem)) ?? null
  );
}

/**
 * "do you have any nausea vomiting any fever chills" "i feel nauseated but i'm not vomiting" -> "He reports nausea
 * without vomiting.", in the question's words; null unless both findings the answer names were asked.
 */
export function reportedWithout(question: string, answer: string, who: PatientReference): string | null {
  const m = ONE_BUT_NOT.exec(cleanSpoken(answer).replace(/[.!]+$/, ''));
  if (!m || !m[1] || !m[2]) return null;
  const had = askedWord(question, m[1]);
  const not = askedWord(question, m[2]);
  if (!had || !not || had === not) return null;
  return terminate(`${lead(who)} reports ${had} without ${not}`);
}
