import { capitalize, numbersIn, terminate, tidySpacing, withRestatedTens } from '../text.ts';
import { TAG_QUESTION } from '../utterances.ts';

/** One spoken number as digits ("twenty five" -> "25"), or null when it reads as several numbers. */
function readSpokenNumber(spoken: string): string | null {
  const n = numbersIn(spoken);
  return n.length === 1 ? n[0]! : null;
}

/**
 * Note style: turns spoken sentences into the concise third-person sentences of a clinical note.
 * "i've been having pain in my right knee" -> "She has been having pain in her right knee."
 * Words are never invented: the rules drop fillers, swap pronouns and conjugate the verb after them.
 */

export interface PatientReference {
  /** Subject pronoun used after the first mention ("she", "he" or "the patient"). */
  subject: string;
  /** Possessive ("her", "his", "their"). */
  possessive: string;
  /** Object pronoun ("her", "him", "the patient"). */
  object: string;
}

export const NEUTRAL_PATIENT: PatientReference = { subject: 'the patient', possessive: 'their', object: 'the patient' };

const BODY_PART =
  /\btheir (?=(?:(?:right|left|lower|upper) )?(?:knees?|back|arms?|elbows?|shoulders?|hands?|wrists?|ankles?|foot|feet|legs?|neck|fingers?|hips?|toes?|skin|face|chest|stomach|abdomen|head|eyes?|ears?|lungs?|heart|esophagus|throat|right|left|lower|upper)\b)/gi;

/**
 * With the patient's sex unknown, "their" as a possessive reads badly in a note: "Their knee has been hurting" ->
 * "The patient's knee has been hurting"; "pain on their foot" -> "pain on the foot" (a body part is the patient's).
 */
export function neutralPossessive(text: string): string {
  // "Respiratory: Their lungs are clear" keeps its capital: "Respiratory: The lungs are clear".
  return text.replace(/^Their\b/, "The patient's").replace(BODY_PART, (m) => (m.startsWith('T') ? 'The ' : 'the '));
}

/** Picks she/he from how the clinician refers to the patient (pronouns, Mr./Mrs., "female"/"male"). */
export function inferPatientReference(clinicianText: string): PatientReference {
  const t = ` ${clinicianText.toLowerCase().replace(/[^a-z' ]+/g, ' ')} `;
  const count = (re: RegExp): number => (t.match(re) ?? []).length;
  // "a 58 year old male" in the clinician's dictation settles it; pronouns about the patient count otherwise.
  const female =
    count(/ (she|her|hers|herself|mrs|ms|miss|ma'am|female|woman|lady|girl) /g) + 3 * count(/ year old (female|woman|lady|girl) /g);
  const male = count(/ (he|him|his|himself|mr|sir|male|man|gentleman|boy) /g) + 3 * count(/ year old (male|man|gentleman|boy) /g);
  if (female >= 2 && female > male * 2) return { subject: 'she', possessive: 'her', object: 'her' };
  if (male >= 2 && male > female * 2) return { subject: 'he', possessive: 'his', object: 'him' };
  return NEUTRAL_PATIENT;
}

/** Hedges and conversational padding a note leaves out (never a negation, number or clinical word). */
const HEDGES =
  /\b(a little bit of|a little bit|a bit of|a bit|just|really|actually|basically|pretty much|pretty|definitely|obviously|honestly|literally|certainly|totally|you know what|of course|at this point|go ahead and|i guess|i think that|i think|i feel like|kind of like|sort of like|like,|anyways?|so far so good|kinda|kindas|sorta|you know|(?:what|something|a condition|a thing) (?:that )?(?:we|i|they|doctors) (?:call|refer to as)|what(?:'s| is) called|something called)\b,?\s*/gi;

const NUMBER_WORD = String.raw`(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)\b`;
const SPOKEN_QUANTITY = new RegExp(
  String.raw`\b(${NUMBER_WORD}(?:[\s-]+(?:and[\s-]+)?${NUMBER_WORD})*)(?=[\s-]+(?:mg|milligrams?|mcg|micrograms?|grams?|units?|milliliters?|ml|percent|%|days?|weeks?|months?|years?|hours?|minutes?|times|pounds|lbs|kilograms|miles|puffs?|tablets?|pills?|capsules?|drinks?|cigarettes?|packs?|year-old|out of|over)\b|(?<=\b(?:out of|over)\s+)${NUMBER_WORD}\b)`,
  'gi',
);
const UNIT_WORDS: Array<[RegExp, string]> = [
  [/\b(\d+(?:\.\d+)?)[\s-]*milligrams?\b/gi, '$1 mg'],
  [/\b(\d+(?:\.\d+)?)[\s-]*micrograms?\b/gi, '$1 mcg'],
  [/\b(\d+(?:\.\d+)?)[\s-]*percent\b/gi, '$1%'],
  [/\b(\d+(?:\.\d+)?)[\s-]*milliliters?\b/gi, '$1 ml'],
];

const GRADE_WORDS = ['one', 'two', 'three', 'four', 'five', 'six'];
const MURMUR_GRADE =
  /\b([1-6]|one|two|three|four|five|six)\s+out\s+of\s+(?:six|6)\s*,?\s+(?=(?:[a-z]+\s+){0,2}(?:systolic|diastolic|holosystolic|murmur)\b)/gi;

/** Spoken quantities as digits with note units: "twenty milligrams" -> "20 mg", "ninety eight percent" -> "98%". */
export function writeQuantities(text: string, read: (spoken: string) => string | null): string {
  let s = withRestatedTens(text).replace(SPOKEN_QUANTITY, (m: string) => read(m) ?? m);
  for (const [re, rep] of UNIT_WORDS) s = s.replace(re, rep);
  // A murmur's grade is written as clinicians write it: "3 out of six systolic ejection murmur" -> "3/6 ..." (decision 0236).
  s = s.replace(MURMUR_GRADE, (_m: string, g: string) => `${GRADE_WORDS.indexOf(g.toLowerCase()) + 1 || g}/6 `);
  return s;
}

const RESTARTED_SUBJECT =
  /\b(?:i'm|i am|i'll|i will|we're|we'll|we are|we will|let's|let me(?: get)?)\s+((?:also|just|then)\s+)?(?=(?:i'm|i am|i'll|i will|we're|we'll|we are|we will|let's)\s)/gi;

const TAG_RIGHT =
  /(?<!\b(?:the|to|on|your|his|her|their|my|turn|go|all|that's|that|is|are|exactly|just|yeah|yes|sounds?|seems?|looks?|feels?))\s*,?\s+right\s*([.!]?)\s*$/i;

const FILLERS = [
  /\b(um+|uh+|uh-huh|mm-hmm|mm+|hmm+|er|ah|oh|huh)\b[,.]?\s*/gi,
  /\b(you know|i mean|you see|kind of|sort of|like i said)\b[,]?\s*/gi,
  /^(and|so|but|well|okay|ok|alright|all right|right|yeah|yes|yep|yup|now|then|great|good|perfect|sure|oh|exactly)\b[,.]?\s*/i,
  // "no okay so your abdominal exam ...": an answer word before the discourse word that moves on.
  /^no\b[,.]?\s+(?=(?:okay|ok|alright|all right)\b)/i,
  // "so that said i want you to continue your lisinopril ...": a discourse lead before the order (decision 0245).
  /^(?:that said|having said that|with that said|with that being said)\b[,.]?\s*(?=\S)/i,
];

/** Removes fillers, stutters ("i , i", "the- the") and leading discourse markers. */
export function cleanSpoken(sentence: string): string {
  let s = ` ${tidySpacing(sentence).replace(TAG_QUESTION, '.')} `;
  // "medications 'cause of", "any of 'em", "feelin' great": spoken short forms written out (decision 0233).
  s = s
    .replace(/\s*'cause\b/gi, ' because')
    .replace(/\s*'em\b/gi, ' them')
    .replace(/\s*'til\b/gi, ' until')
    .replace(/\b([a-z]{2,}in)'(?=[\s,.;:!?]|$)/gi, '$1g');
  s = s.replace(/\b(\w+(?:'\w+)?(?:\s+\w+(?:'\w+)?){1,3})(?:,?\s+\1\b)+/gi, '$1');
  s = s.replace(/\b(\w+(?:'\w+)?)(?:[,-]?\s+\1\b)+/gi, '$1');
  s = s.replace(/\b((?:the )?\w+)-\s*\1\b/gi, '$1');
  // "refer you to for physical therapy": a preposition restarted; "to for" is never meant (decision 0244).
  s = s.replace(/\bto\s+(?=for\b)/gi, '');
  // "any like adenopathy", "some like swelling": a filler inside the finding.
  s = s.replace(/\b(any|some|no)\s+like\s+(?=[a-z])/gi, '$1 ');
  // A restarted subject ("i'm also i'm going to get", "we'll let's go ahead and"): the second start is the sentence.
  s = s.replace(RESTARTED_SUBJECT, '$1');
  // "on your heart exam i do you have a regular rate": the finding restarted with the patient as its subject.
  s = s.replace(/\b(?:i|we) do\s+(?=you\s+(?:do\s+)?have\b)/gi, '');
  s = s.replace(/\b\w+-\s+(?=\w)/g, (m) => (/^\w+-\s+$/.test(m) && m.length < 8 ? '' : m));
  s = s
    .replace(/\bwan na\b/gi, 'want to')
    .replace(/\bgon na\b/gi, 'going to')
    .replace(/\bgot ta\b/gi, 'have to')
    .replace(/\b(\w+) n't\b/gi, "$1n't");
  s = s.replace(HEDGES, '');
  // "this is all muscular pain right", "it's about one twenty over seventy right": unpunctuated speech ends a statement
  // with a tag "right" (a side is "on the right", "to the right").
  s = s.replace(TAG_RIGHT, '$1');
  for (let i = 0; i < 3; i++) {
    for (const re of FILLERS) s = s.trim().replace(re, '');
  }
  s = writeQuantities(s, readSpokenNumber);
  // "her blood pressure today's 140 over 90": a recognizer writes "today is" before a reading as "today's".
  s = s.replace(/\b(today|now)'s\s+(?=\d)/gi, '$1 is ');
  s = s
    .replace(/\s*,\s*(,\s*)+/g, ', ')
    .replace(/^[,.\s]+/, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
  return s;
}

const IRREGULAR: Record<string, string> = {
  have: 'has',
  do: 'does',
  go: 'goes',
  am: 'is',
  are: 'is',
  "'m": 'is',
  were: 'was',
  be: 'is',
  try: 'tries',
  cry: 'cries',
  worry: 'worries',
  carry: 'carries',
  fly: 'flies',
  apply: 'applies',
};
const NOT_VERBS = new Set([
  'also',
  'just',
  'really',
  'still',
  'never',
  'always',
  'usually',
  'sometimes',
  'often',
  'only',
  'even',
  'actually',
  'definitely',
  'probably',
  'think',
  'guess',
  'mean',
  'not',
  'already',
  'recently',
  'sure',
  'was',
  'had',
  'did',
  'will',
  'would',
  'could',
  'should',
  'can',
  'might',
  'must',
  'may',
  'shall',
  'the',
  'a',
  'an',
  'to',
  'and',
  'or',
  'but',
  'in',
  'on',
  'at',
  'for',
  'with',
  'about',
  'of',
  'that',
  'this',
  'it',
  'so',
  'very',
  'too',
  'has',
  'is',
  'does',
  'got',
  'went',
  'took',
  'felt',
  'saw',
  'came',
  'started',
  'noticed',
  'tried',
  'used',
  'been',
  'ever',
  'currently',
  'once',
  'twice',
  'my',
  'your',
  'his',
  'her',
  'our',
  'their',
  'its',
  'me',
  'you',
  'him',
  'them',
  'us',
  'i',
  'we',
  'they',
  'she',
  'he',
  'these',
  'those',
  'there',
  'here',
  'like',
  'um',
  'uh',
  'able',
  'okay',
  'ok',
  'fine',
  'good',
  'right',
  'well',
  'all',
  'both',
  'said',
  'got',
  'went',
  'came',
  'made',
  'knew',
  'thought',
  'told',
  'gave',
  'left',
  'kept',
  'ran',
  'fell',
  'broke',
  'slept',
  'ate',
  'drank',
  'began',
  'bought',
  'brought',
  'caught',
  'found',
  'heard',
  'held',
  'lost',
  'met',
  'paid',
  'put',
  'read',
  'sat',
  'sent',
  'spent',
  'stood',
  'understood',
  'woke',
  'wore',
  'wrote',
  'hurt',
  'cut',
  'quit',
  'let',
  'set',
  'hit',
  'shut',
  'no',
  'yes',
  'yeah',
  'cannot',
  'as',
  'because',
  'when',
  'if',
  'then',
  'than',
  'now',
  'kind',
  'sort',
  'usually',
  'gonna',
  'wanna',
  "haven't",
  "hadn't",
  "didn't",
  "wasn't",
  "don't",
  "can't",
  "won't",
  "wouldn't",
  "couldn't",
  "shouldn't",
]);

/** Third-person singular of a present-tense verb (have -> has, take -> takes, try -> tries). */
export function conjugateThird(verb: string): string {
  const v = verb.toLowerCase();
  if (v in IRREGULAR) return IRREGULAR[v]!;
  if (NOT_VERBS.has(v) || v.length < 2 || /(ed|ing|ly)$/.test(v) || /'/.test(v)) return verb;
  if (/(s|sh|ch|x|z|o)$/.test(v)) return `${verb}es`;
  if (/[^aeiou]y$/.test(v)) return `${verb.slice(0, -1)}ies`;
  return `${verb}s`;
}

const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bcan't\b/gi, 'cannot'],
  [/\bwon't\b/gi, 'will not'],
  [/\bdon't\b/gi, 'do not'],
  [/\bdoesn't\b/gi, 'does not'],
  [/\bdidn't\b/gi, 'did not'],
  [/\bisn't\b/gi, 'is not'],
  [/\baren't\b/gi, 'are not'],
  [/\bwasn't\b/gi, 'was not'],
  [/\bweren't\b/gi, 'were not'],
  [/\bhaven't\b/gi, 'have not'],
  [/\bhasn't\b/gi, 'has not'],
  [/\bhadn't\b/gi, 'had not'],
  [/\bwouldn't\b/gi, 'would not'],
  [/\bcouldn't\b/gi, 'could not'],
  [/\bshouldn't\b/gi, 'should not'],
  [/\bit's been\b/gi, 'it has been'],
  [/\bthat's been\b/gi, 'that has been'],
  [/\bit's\b/gi, 'it is'],
  [/\bthat's\b/gi, 'that is'],
  [/\bthere's\b/gi, 'there is'],
  [/\bwhat's\b/gi, 'what is'],
  [/\blet's\b/gi, 'we will'],
  [/\bgonna\b/gi, 'going to'],
  [/\bwanna\b/gi, 'want to'],
  [/\bgotta\b/gi, 'have to'],
  [/\bca n't\b/gi, 'cannot'],
  [/\bwo n't\b/gi, 'will not'],
  [/\b(\w+) n't\b/gi, '$1 not'],
  [/\bwan na\b/gi, 'want to'],
  [/\bgon na\b/gi, 'going to'],
];

function expandContractions(s: string): string {
  let out = s;
  for (const [re, rep] of CONTRACTIONS) out = out.replace(re, rep);
  return out;
}

/** "we" saying what someone will or should do, or naming something: a plan or a clinician's words, not the patient's doing. */
const WE_PLAN =
  /\bwe(?:'re| are|'ll|'d)?\s+(?:(?:just|also|then|probably|definitely)\s+)?(?:going to|gon na|will|would|can|could|should|might|may|must|need to|want to|have to|like to|call|order|recheck|check|prescribe|refer|schedule|recommend|try|see|start)\b/i;

/**
 * Rewrites a patient's first-person sentence in the third person:
 * "i have had this cough for two weeks" -> "She has had this cough for two weeks."
 */
export function patientToThirdPerson(sentence: string, who: PatientReference): string {
  let s = ` ${expandContractions(cleanSpoken(sentence))} `;
  // "we were doing a bunch of yard work", "we ate out a lot": what the patient did with others is written as theirs.
  // "we will order", "we're going to", "we call this" are plans or the clinician's words, left as they were said.
  if (!WE_PLAN.test(s))
    s = s
      .replace(/\bwe(?: are|'re)\b/gi, 'i am')
      .replace(/\bwe were\b/gi, 'i was')
      .replace(/\bwe(?: have|'ve)\b/gi, 'i have')
      .replace(/\bwe\b/gi, 'i')
      .replace(/\bour\b/gi, 'my');
  const subj = who.subject;
  s = s
    .replace(/\bi'm\b/gi, `${subj} is`)
    .replace(/\bi've\b/gi, `${subj} has`)
    .replace(/\bi'd\b/gi, `${subj} would`)
    .replace(/\bi'll\b/gi, `${subj} will`);
  s = s.replace(
    /\bi (do|did|have|had|was|am|will|would|can|could|should) not\b/gi,
    (_m, aux: string) =>
      `${subj} ${aux.toLowerCase() === 'do' ? 'does' : aux.toLowerCase() === 'have' ? 'has' : aux.toLowerCase() === 'am' ? 'is' : aux.toLowerCase()} not`,
  );
  s = s.replace(
    /\bi ((?:(?:also|still|just|really|usually|always|never|sometimes|often|only|even|actually|definitely|probably|normally|generally|typically|mostly|occasionally) )*)(\w+(?:'\w+)?)\b/gi,
    (_m, adverbs: string, verb: string) => `${subj} ${adverbs}${conjugateThird(verb)}`,
  );
  s = s.replace(/\b(?:i)\b/gi, subj);
  s = s.replace(/\bmyself\b/gi, who.subject === 'she' ? 'herself' : who.subject === 'he' ? 'himself' : 'themself');
  s = s
    .replace(/\bmy\b/gi, who.possessive)
    .replace(/\bmine\b/gi, who.possessive === 'their' ? 'theirs' : who.possessive === 'her' ? 'hers' : 'his');
  s = s.replace(/\bme\b/gi, who.object);
  s = s.replace(/\b(she|he|the patient) is is\b/gi, '$1 is');
  return finishSentence(s);
}

/**
 * Rewrites a clinician's sentence for the note: "you" becomes the patient, "i'm going to" stays first person
 * (notes are written by the clinician), and contractions are expanded.
 * "your blood pressure is a little high" -> "Her blood pressure is a little high."
 */
export function clinicianToNoteStyle(sentence: string, who: PatientReference): string {
  let s = ` ${expandContractions(cleanSpoken(sentence))} `;
  const subj = who.subject;
  s = s
    .replace(/\byou're\b/gi, `${subj} is`)
    .replace(/\byou've\b/gi, `${subj} has`)
    .replace(/\byou'd\b/gi, `${subj} would`)
    .replace(/\byou'll\b/gi, `${subj} will`);
  s = s
    .replace(/\bi'm\b/gi, 'I am')
    .replace(/\bi've\b/gi, 'I have')
    .replace(/\bi'd\b/gi, 'I would')
    .replace(/\bi'll\b/gi, 'I will');
  s = s
    .replace(/\bwe're\b/gi, 'we are')
    .replace(/\bwe've\b/gi, 'we have')
    .replace(/\bwe'll\b/gi, 'we will');
  s = s.replace(/\byou (do|have|are|were|was) not\b/gi, (_m, aux: string) => `${subj} ${conjugateThird(aux)} not`);
  s = s.replace(
    /\b(to|for|with|on|at|give|gave|tell|told|see|saw|ask|asked|send|refer|put|get|start|keep|continue|switch|move|bring|take|want|let|help|call|show|examine|examined|check|prescribe|recommend|advise|advised|encourage|encouraged|instruct|instructed|of|about|from|by|bring|bringing|seeing|getting|giving|sending|putting|keeping|starting|placing) you\b/gi,
    (_m, w: string) => `${w} ${who.object}`,
  );
  // "you" before a preposition, conjunction or the end of a clause is the object ("started you on", "see you in").
  s = s.replace(
    /\byou\b(?=\s+(?:on|in|into|to|for|with|at|from|about|off|up|down|back|out|over|and|or|but|if|so|because|as|when|a|an|the|this|that|some|today|now|again|here|there)\b|\s*[,.;!?]|\s*$)/gi,
    who.object,
  );
  s = s.replace(
    /\byou ((?:(?:also|still|just|really|usually|always|never|sometimes|often|only|even|actually|definitely|probably|normally|generally|mostly|occasionally) )*)(\w+(?:'\w+)?)\b/gi,
    (_m, adverbs: string, verb: string) => `${subj} ${adverbs}${conjugateThird(verb)}`,
  );
  s = s.replace(/\byou\b/gi, subj);
  s = s.replace(/\byourself\b/gi, who.subject === 'she' ? 'herself' : who.subject === 'he' ? 'himself' : 'themself');
  s = s
    .replace(/\byour\b/gi, who.possessive)
    .replace(/\byours\b/gi, who.possessive === 'their' ? 'theirs' : who.possessive === 'her' ? 'hers' : 'his');
  s = s.replace(/\bi\b/g, 'I');
  return finishSentence(s);
}

/** A sentence whose speaker is unknown (no diarization): cleaned only, since "I" may be either person. */
export function unlabelledToNoteStyle(sentence: string): string {
  return finishSentence(` ${expandContractions(cleanSpoken(sentence))} `);
}

/**
 * Rewrites a family member's first-person sentence as reported by the family:
 * "i give her that milk" -> "Per family, they give her that milk." (they takes the same verb form as I).
 */
export function otherToNoteStyle(sentence: string): string {
  let s = ` ${expandContractions(cleanSpoken(sentence))} `;
  if (!/\b(i|i'm|i've|i'd|i'll|my|me|myself)\b/i.test(s)) return finishSentence(s);
  s = s
    .replace(/\bi'm\b/gi, 'they are')
    .replace(/\bi've\b/gi, 'they have')
    .replace(/\bi'd\b/gi, 'they would')
    .replace(/\bi'll\b/gi, 'they will');
  s = s
    .replace(/\bi (?:was)\b/gi, 'they were')
    .replace(/\bi am\b/gi, 'they are')
    .replace(/\bi\b/gi, 'they');
  s = s
    .replace(/\bmyself\b/gi, 'themselves')
    .replace(/\bmy\b/gi, 'their')
    .replace(/\bme\b/gi, 'them');
  const done = finishSentence(s);
  return done ? `Per family, ${done.charAt(0).toLowerCase()}${done.slice(1)}` : '';
}

function finishSentence(s: string): string {
  const t = s
    .replace(/\s{2,}/g, ' ')
    .replace(/\s+([,.;:?!%])/g, '$1')
    .trim()
    // Speech cut off mid-word or trailing away ("distention to-", "or...") ends the sentence where it stopped.
    .replace(/(?:\.{2,}|…|-)+\s*$/, '')
    // "... i've ordered pfts today to further...": the purpose was cut off before its verb.
    .replace(/\s+to (?:further|also|then|really|better)\s*$/i, '')
    .replace(/,\s*(?:okay|ok|right|alright|all right)\s*[.!]?$/i, '')
    .replace(/(?:[,\s]+(?:and|or|but|so|to|the|a|of|with|like))+\s*$/i, '')
    .trim();
  if (!t) return '';
  return capitalize(terminate(t)).replace(/\bi\b/g, 'I');
}
