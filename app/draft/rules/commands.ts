import { capitalize, terminate } from '../text.ts';
import type { DrugLexicon } from './medication.ts';
import { withoutRestated } from './readable.ts';

/**
 * Voice-assistant commands said during the visit ("hey dragon, order a refill of fosamax 1 tab per week",
 * "hey scribe, order a hemoglobin a1c", "hey dragon, show me the x-rays", "hey dragon, finalize the note").
 * They are instructions to the software, never note text: orders become plan/orders items, a display command ("show
 * me the x-rays") is recorded as what was reviewed (decision 0237), everything else (finalize, dictation of the
 * patient's name) is left out.
 */

/** A wake phrase opening a sentence ("hey dragon", "ok scribe", "dragon,"). */
export const WAKE_PHRASE = /^(?:(?:and|so|okay|ok|um|uh)[,\s]+)*(?:hey|ok|okay|hi)?[,\s]*(?:dragon|scribe|dax)\b[,.?!:\s]*/i;

/** The sentence is (or starts with) a voice-assistant command. */
export function isCommand(sentence: string): boolean {
  return WAKE_PHRASE.test(sentence.trim()) || /\b(?:hey|ok|okay)[,\s]+(?:dragon|scribe|dax)\b/i.test(sentence);
}

/** The sentence is only the wake phrase (the command itself follows in the next sentence: "hey dragon? order ..."). */
export function isBareWakePhrase(sentence: string): boolean {
  const m = WAKE_PHRASE.exec(sentence.trim());
  return m !== null && sentence.trim().slice(m[0].length).trim() === '';
}

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december';
const LEAD_IN = String.raw`(?:(?:all right|alright|okay|ok|uh|um|so|and|now|next|in (?:the )?(?:assessment|plan|results?|exam\w*|history)(?: and plan)?)[,.:\s]+)*`;
/** Who the dictation is about, as said to the scribe: "next patient is christine hernandez", "dictating on donald clark". */
const PATIENT_HEADER = new RegExp(
  String.raw`^${LEAD_IN}(?:next (?:patient )?is|dictating on|today i(?:'m| am) seeing|patient\s*[,:])\s+(?:mr\.?\s+|mrs\.?\s+|ms\.?\s+)?[a-z'-]+\s+[a-z'-]+\s*[,.]?\s*$`,
  'i',
);
/** A date of birth read out: "date of birth is january 13th, 1982", "date of birth, 03/04/1937", "dob 1/12/71". */
const DATE_OF_BIRTH = new RegExp(
  String.raw`\b(?:date of birth|dob)\b[\s,:]*(?:is\s*)?(?:\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}|(?:${MONTHS})\b)`,
  'i',
);
/** A template chosen for the scribe: "please use my general exam template"; "the only change to make is the breast exam". */
const TEMPLATE_CHOICE = /\b(?:use|using)\s+(?:my|the)\s+(?:[a-z-]+\s+){0,4}template\b|^(?:the\s+)?only changes?\s+to make\b/i;
/** Directions to the scribe about the note itself: "please add the following pathology to results", "can you please include the surgical list", "in assessment, please summarize the patient's history briefly". */
const NOTE_DIRECTION = new RegExp(
  String.raw`^${LEAD_IN}(?:(?:can|could|would) you\s+)?please\s+(?:add|include|insert|summarize|pull in|copy|list)\b.*\b(?:template|results?|list|note|assessment|plan|section|history|etiologies|diagnos[ie]s|findings|following)\b`,
  'i',
);

/**
 * The clinician speaking to the scribe or the dictation software rather than about the patient: the patient's name
 * and date of birth read out as a header, the template to use, where to put what ("please add the following
 * pathology to results"). Never note text: the chart holds who the patient is; the content that follows a
 * direction is kept as it is said.
 */
export function isScribeDirection(sentence: string): boolean {
  const s = sentence.trim();
  return PATIENT_HEADER.test(s) || DATE_OF_BIRTH.test(s) || TEMPLATE_CHOICE.test(s) || NOTE_DIRECTION.test(s);
}

const SPOKEN_SIG: Array<[RegExp, string]> = [
  [/\btabs?\b/gi, 'tablet'],
  [/\bcaps?\b/gi, 'capsule'],
  [/\bmilligrams?\b/gi, 'mg'],
  [/\bmicrograms?\b/gi, 'mcg'],
  [/\b(?:per|a|each|every) week\b/gi, 'weekly'],
  [/\b(?:per|a|each|every) day\b|\bonce a day\b|\bonce daily\b/gi, 'daily'],
  [/\btwice a day\b/gi, 'twice daily'],
  [/\bthree times a day\b/gi, 'three times daily'],
  [/\bat bedtime\b/gi, 'at bedtime'],
  [/\b(\d+) refills?\b/gi, '$1 refills'],
  [/\bwith (\d+ refills)\b/gi, '$1'],
];
const TESTS =
  /\b(a1c|hemoglobin|panel|cbc|cmp|bmp|metabolic|lipid|x-?rays?|mri|ct|cat scan|ultrasound|echo\w*|ekg|ecg|urinalysis|culture|titer|blot|pcr|biopsy|labs?|blood work|test|scan|study|screen\w*|mammogram|colonoscopy|referral|consult\w*|therapy|physical therapy|injection|vaccine|shot|splint|brace|boot|cast|sling|crutches)\b/i;

/**
 * The order a command places, as a plan item ("order a refill of fosamax 1 tab per week, 11 refills" ->
 * "Refill Fosamax 1 tablet weekly, 11 refills."), or null for commands that are not orders or that name no
 * drug, test or procedure ("order the medications and procedures discussed").
 */
export function commandOrder(sentence: string, lexicon: DrugLexicon): string | null {
  const rest = sentence
    .trim()
    .replace(WAKE_PHRASE, '')
    .replace(/^(?:um|uh|go ahead and|please|can you|could you)[,\s]+/gi, '')
    .replace(/[.?!]+$/, '')
    .trim();
  const m = /^(?:order|prescribe|send|refill|schedule|place an? order for|put in an? order for|put in)\s+(.+)$/i.exec(rest);
  if (!m || !m[1]) return null;
  let object = m[1]
    .replace(/,\s*/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
  const drugs = lexicon.find(object);
  const isRefill = /^refill\b/i.test(rest) || /^(?:an?\s+)?refills?\s+(?:of|for|on)\s+\S/i.test(object);
  if (drugs.length === 0 && !TESTS.test(object) && !isRefill) return null;
  if (/\b(?:discussed|we talked about|mentioned)\b/i.test(object) && drugs.length === 0) return null;
  let verb = isRefill ? 'Refill' : 'Order';
  const refill = /^(?:an?\s+)?refills?\s+(?:of|for|on)\s+(.+)$/i.exec(object);
  if (refill && refill[1]) {
    verb = 'Refill';
    object = refill[1];
  }
  object = object.replace(/^(?:an?|the|some)\s+/i, '');
  for (const [re, rep] of SPOKEN_SIG) object = object.replace(re, rep);
  // Drug names capitalised as a prescription writes them ("Fosamax", "Lisinopril" stays lower-case mid-line).
  for (const d of lexicon.find(object))
    if (d.index === 0 || verb === 'Refill')
      object = object.slice(0, d.index) + capitalize(object.slice(d.index, d.end)) + object.slice(d.end);
  if (verb === 'Refill') object = capitalize(object);
  object = object.replace(/\b(\d+ refills)\b/i, ', $1').replace(/\s+,/g, ',');
  return capitalize(terminate(`${verb} ${object}`));
}

/** What a display command shows that a note states as reviewed: a study, a result, the vital signs. */
const REVIEWABLE = new RegExp(
  String.raw`${TESTS.source}|\b(?:vital signs|vitals|blood pressures?|readings|glucose|sugars?|pfts|pulmonary function tests?|results?)\b`,
  'i',
);

/**
 * What a display command shows, as the review it records (decision 0237): "hey dragon, show me the echocardiogram" ->
 * "echocardiogram", "show me the lumbar spine x-ray" -> "lumbar spine x-ray"; null for commands that show nothing a
 * note names ("show me the note", "finalize the note").
 */
export function commandReview(sentence: string): string | null {
  const rest = sentence
    .trim()
    .replace(WAKE_PHRASE, '')
    .replace(/^(?:um|uh|please|can you|could you)[,\s]+/gi, '')
    .replace(/[.?!]+$/, '')
    .trim();
  const m = /^(?:show me|pull up|bring up|open|display)\s+(?:the\s+|his\s+|her\s+|their\s+|my\s+)?(.{2,60})$/i.exec(rest);
  if (!m || !m[1] || !REVIEWABLE.test(m[1]) || /\b(?:note|template|chart|schedule)\b/i.test(m[1])) return null;
  return m[1].replace(/,\s*/g, ' ').trim().toLowerCase();
}

/** The studies and results the clinician had shown, as one sentence ("Reviewed: vital signs, echocardiogram and lipid panel."). */
export function reviewedSentence(items: string[]): string | null {
  const kept = withoutRestated(items.map((text) => ({ text }))).map((i) => i.text);
  if (kept.length === 0) return null;
  const list = kept.length > 1 ? `${kept.slice(0, -1).join(', ')} and ${kept.at(-1)}` : kept[0]!;
  return `Reviewed: ${list}.`;
}
