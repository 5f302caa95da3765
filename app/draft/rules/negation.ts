import { cleanSpoken, patientToThirdPerson, type PatientReference } from './note-style.ts';
import { capitalize, terminate } from '../text.ts';

/**
 * Pertinent negatives and positives from a question and its answer:
 *   [doctor] any fever or chills ?  [patient] no .         -> "She denies fever or chills."
 *   [doctor] have you had any nausea ? [patient] yeah , a little -> "She reports nausea."
 * and from statements: "i don't have any shortness of breath" -> "She denies shortness of breath."
 */

export type Polarity = 'denies' | 'reports';

const NEGATIVE_ANSWER =
  /^(no|nope|nah|not really|not at all|none|never|negative|nothing|not that i(?:'ve| have)? (?:noticed|know)|i don'?t(?: think so)?|i haven'?t|i have not|i do not|denies)\b/i;
const POSITIVE_ANSWER =
  /^(yes|yeah|yep|yup|uh-huh|mm-hmm|i do|i have|i did|a little|a bit|sometimes|occasionally|correct|definitely|absolutely)\b/i;

/** "no", "nope, not that i've noticed" -> denies; "yeah" -> reports; anything else -> null. */
export function answerPolarity(answer: string): Polarity | null {
  const a = answer
    .trim()
    .toLowerCase()
    .replace(/^(um+|uh+|oh|well|so)[ ,.]+/g, '')
    // "i'm trying to think no i don't think so no": thinking aloud before the answer.
    .replace(/^(?:i'm trying to think|let me think)[ ,.]+(?=no\b|yes\b)/, '');
  if (NEGATIVE_ANSWER.test(a)) return 'denies';
  if (POSITIVE_ANSWER.test(a)) return 'reports';
  return null;
}

const QUESTION_LEADS: RegExp[] = [
  /\b(?:any (?:kind|type|sort) of|any|anything like|any other)\s+(.+)$/i,
  /\b(?:do|did) you (?:ever |still |currently |also )?(?:have|get|feel|notice|experience|see|take|drink|smoke|use|vape|chew)\s+(?:any\s+)?(.+)$/i,
  /\bhave you (?:had|noticed|experienced|felt|seen|been having|been experiencing|had any|been feeling|taken|tried|been taking)\s+(?:any\s+)?(.+)$/i,
  /\bare you (?:still |currently |also )?(?:having|experiencing|feeling|getting|noticing|taking|on)\s+(?:any\s+)?(.+)$/i,
  /^(?:and\s+|so\s+)?no\s+(?!(?:the|that|this|it|i|we|you|more|doing|one|problem|problems|issues?|questions?)\b)(?:previous\s+|prior\s+|other\s+)?(.+)$/i,
  /\b(?:you (?:had|have)|you've had|you have had) (?:a\s+)?((?:past |previous )?(?:medical |surgical )?history of .+)$/i,
  /\bis there (?:any\s+)?(.+)$/i,
  /\bwere there (?:any\s+)?(.+)$/i,
  // "i mean, like muscle aches?", "what about bruising?": one finding named on its own.
  /^(?:(?:and|so|or)\s+)?(?:like|how about|what about)\s+(?:any\s+)?(?!(?:the|this|that|these|those|your|my|his|her|a|an|down|up|over|under|right|left|when|if|in|on|at|with|like|really|so|very|just|\d+)\b)(?!(?:severe|mild|bad|worse|better|sharp|dull|constant|tender|sore|okay|fine|good|work|exercise|diet|sleep|school|family|home|stress|job)\s*$)((?:[a-z-]+\s?){1,4})$/i,
];

/** "while you go", "when you're walking", "since you've been home": a time clause whose subject is the patient. */
const WHILE_YOU =
  /\b(when|while|after|since)\s+you(?:'re|'ve| are| have)?\s+(?!(?:were|was|are|is|am|have|has|had|do|does|did|can|could|would|will|should|may|might|must|know|think|said|say|told)\b)([a-z]+)\b/i;

/** A verb as its -ing form ("go" -> "going", "lie" -> "lying", "sit" -> "sitting", "been" -> "being"). */
function gerund(verb: string): string {
  const v = verb.toLowerCase();
  if (v.endsWith('ing')) return v;
  if (v === 'been') return 'being';
  if (v.endsWith('ie')) return `${v.slice(0, -2)}ying`;
  if (/[^aeiou]e$/.test(v) && v !== 'be') return `${v.slice(0, -1)}ing`;
  if (/^[^aeiou]*[aeiou][bdgmnpt]$/.test(v)) return `${v}${v.slice(-1)}ing`;
  return `${v}ing`;
}

const WH_BEFORE = /\b(?:what|how(?: long| much| many| often)?|when|where|why|which|who)\s+$/i;

const TRAILERS =
  /\s*(?:,?\s*(?:or )?(?:anything|something) (?:like that|else)|at all|whatsoever|lately|recently|that you(?:'ve| have)? noticed|with (?:it|that|this)|since then|these days|right now|today|or not|as well|too)\s*$/i;

/** The finding a yes/no question asks about ("any fever or chills ?" -> "fever or chills"), or null. */
export function questionFinding(question: string): string | null {
  let q = cleanSpoken(question)
    .replace(/[?.!-]+\s*$/, '')
    // A false start the word after completes ("any numb numbness or tingling").
    .replace(/\b([a-z]{3,})\s+(?=\1[a-z]+\b)/gi, '')
    // "any other symptoms how about like fever or chills": the list after "how about" is what is asked.
    .replace(/\b(?:any|other)(?:\s+other)?\s+symptoms?\s+(?:how about|like|such as)\s+(?:like\s+)?/i, 'any ')
    .trim();
  // "... or anything like that?" asks nothing more: it is not the finding.
  for (let i = 0; i < 2; i++) q = q.replace(TRAILERS, '').trim();
  if (!q) return null;
  for (const re of QUESTION_LEADS) {
    const m = re.exec(q);
    // "what have you taken for the pain", "how long have you had it": a wh-question asks no yes or no.
    if (m && WH_BEFORE.test(q.slice(0, m.index))) continue;
    if (m && m[1]) {
      // "any trauma did you hit your arm or elbow": an unpunctuated turn's next question is not part of the finding.
      let f = m[1].replace(/\s+(?:did|do|have|are|were|is) (?:you|there)\b.*$/i, '').trim();
      for (let i = 0; i < 3; i++) f = f.replace(TRAILERS, '').trim();
      f = f
        .replace(
          /^(?:(?:any|some|other)\s+)?(?:other\s+)?(?:symptoms?(?:\s+like)?|(?:problems?|issues?|trouble) with(?!\s+your\b))[,\s]+/i,
          '',
        )
        .replace(/\s+in your past$/i, '')
        .replace(/\bwhen you urinate\b/i, 'with urination')
        // "any problems laying flat while you go to bed": the patient's own doing, said without "you" ("while going to bed").
        .replace(WHILE_YOU, (_m, when: string, verb: string) => `${when} ${gerund(verb)}`)
        // "have you done any or had any injuries ...": a false start before "or" is not part of the finding.
        .replace(/^(?:or|and)\s+(?:had|have)\s+(?:any\s+)?/i, '')
        .replace(/^(any|some)\s+/i, '')
        .replace(/,\s*any\s+/gi, ', ')
        .replace(/[,;\s]+$/, '')
        // "any trauma to the foot or anything": the joint before a dropped trailer goes with it.
        .replace(/\s+(?:or|and)$/i, '');
      const words = f.split(/\s+/).filter(Boolean);
      if (words.length === 0 || words.length > 14) return null;
      // "are you taking them at home": a pronoun names no finding.
      if (/^(?:them|it|those|these)\b/i.test(f)) return null;
      if (
        /^(questions?|concerns?|problems?|issues?|of that|of those|of these|of this|that|this|it|those|these|them|one|idea|plans?|way|chance|time|other questions?)$/i.test(
          f,
        )
      )
        return null;
      if (
        /\b(you|your|we|i)\b/i.test(f) &&
        !/\b(your (?:(?:right|left|lower|upper)\s+)?(?:legs?|arms?|feet|foot|toes?|fingers?|shoulders?|hips?|ankles?|wrists?|elbows?|neck|mouth|nose|face|chest|stomach|belly|back|head|urine|stools?|bowels?|bladder|eyes?|ears?|joints?|knees?|hands?|skin|throat|neck|vision|weight|appetite|sleep))\b/i.test(
          f,
        )
      )
        return null;
      return f;
    }
  }
  // A bare list of symptoms asked as a question: "nausea or vomiting, diarrhea?"
  const words = q.split(/\s+/);
  if (
    words.length <= 8 &&
    !/\b(you|your|i|we|he|she|it|that|this|what|how|when|where|why|who|which|is|are|was|were|do|does|did|can|could|would|will|should|have|has|had|okay|right|so|and then)\b/i.test(
      q,
    ) &&
    /\b(or|and|,)\b|,/.test(q)
  ) {
    return q.replace(/^(and|or|so|also)\s+/i, '');
  }
  return null;
}

/** A question that asks nothing of its own, only widens the one before ("anything like that?", "or anything else?"). */
const WIDENING_ONLY = /^(?:(?:and|or|so|um|uh)\s+)*(?:(?:anything|something|nothing|any) (?:like that|else)|or anything|anything|at all)$/i;

/** A question a yes or no cannot answer ("what happened there?", "how long has it been?"). */
const WH_QUESTION = /^(?:(?:and|so|okay|um|uh|now)[,\s]+)*(?:what|how|when|where|why|which|who|tell me)\b/i;

/**
 * The question a yes/no answer answers, from the questions the turn before ends with: the last one, unless it only
 * widens the one before ("and any weight loss? anything like that?" "no." answers "any weight loss?") or asks what a
 * yes or no cannot answer ("... a colectomy? what happened there?").
 */
export function answeredQuestion(questions: string[]): string | undefined {
  for (let i = questions.length - 1; i >= 0; i--) {
    const q = cleanSpoken(questions[i]!)
      .replace(/[?.!,]+\s*$/, '')
      .trim();
    // "... a colectomy? what happened there?" "yes, ...": a yes or no cannot answer a wh-question, so it answers the one before.
    if (!WIDENING_ONLY.test(q) && !(i > 0 && WH_QUESTION.test(q))) return questions[i];
  }
  return questions.at(-1);
}

/** A short symptom asked on its own in a list of questions ("weight gain?", "shortness of breath?"). */
const BARE_FINDING = /^(?:(?:and|or|also|any)\s+)?([a-z][a-z -]{2,40})$/i;
const NOT_BARE =
  /\b(?:you|your|i|we|he|she|it|that|this|what|how|when|where|why|who|which|is|are|was|were|do|does|did|can|could|would|will|should|have|has|had|okay|right|so|else|like|there|things?|stuff|questions?|problems?|issues?|symptoms?|other)\b/i;

const GENERIC_FINDING =
  /^(?:(?:other|recent|new|any|some)\s+)?(?:symptoms?|questions?|concerns?|problems?|issues?|anything|something|things?|that|this|else|recent|other|better|worse|same|okay|ok|fine|good|well)$/i;
const VERB_IN_FINDING =
  /^(?:use|uses)\b|\b(?:have|has|does|do|did|doing|it|feel|feels|seem|seems|bother|bothers|is|are|was|were|take|takes)\b/i;

/** A part that names nothing ("or any on anything"): what a question trails off with. */
const NOT_A_FINDING = /\b(?:anything|something)\b/i;

/** The findings a question's list names ("fever, or chills" -> fever, chills), without asides ("or does it feel tender"). */
function findingParts(f: string): string[] {
  if (/^(?:(?:other|any|more)\s+)?(?:questions?|concerns?)\b|^more\b/i.test(f)) return [];
  return f
    .split(/,\s*|\s+or\s+/)
    .map((part) =>
      part
        .replace(/^(?:or|and|any|recent|other)\s+/i, '')
        .replace(/^(?:have|had)\s+(?=\w)/i, '')
        .trim(),
    )
    .filter((p) => p && !GENERIC_FINDING.test(p) && !VERB_IN_FINDING.test(p) && !NOT_A_FINDING.test(p));
}

/**
 * A denial of every finding a run of questions asks about ("any fatigue? weight gain? anything like that?" "no.")
 * -> "She denies fatigue or weight gain.", or null when fewer than two findings are asked or the answer qualifies.
 */
export function deniedFindings(questions: string[], answer: string, who: PatientReference): string | null {
  if (answerPolarity(answer) !== 'denies' || QUALIFIED.test(answer) || AFFIRMED.test(answer.replace(/^\W*\w+\W*/, ''))) return null;
  const findings: string[] = [];
  for (const q of questions) {
    const bare = BARE_FINDING.exec(
      cleanSpoken(q)
        .replace(/[?.!]+\s*$/, '')
        .trim(),
    );
    const f = questionFinding(q) ?? (bare && bare[1] && !NOT_BARE.test(bare[1]) ? bare[1].trim() : null);
    for (const p of f ? findingParts(f) : []) if (!findings.includes(p.toLowerCase())) findings.push(p.toLowerCase());
  }
  if (questions.length < 2 || findings.length < 2) return null;
  const list = findings.length === 2 ? findings.join(' or ') : `${findings.slice(0, -1).join(', ')}, or ${findings[findings.length - 1]}`;
  const lead = who.subject === 'the patient' ? 'The patient' : capitalize(who.subject);
  return terminate(`${lead} denies ${list.replace(/\byour\b/gi, who.possessive)}`);
}

const REST_DENIED =
  /\b(?:everything else|other than that|otherwise|nothing else|the rest)\b[^.]*\b(?:okay|ok|fine|good|normal|none|nothing|no)\b|\bbut (?:nothing|none) (?:else|of the others?|out of the ordinary)\b|\bbut everything else\b/i;

/**
 * The findings asked that an answer naming one of them denies the rest of ("any nasal congestion, sore throat,
 * cough?" "i've had a little nasal congestion ... but everything else has been okay" -> "He denies sore throat or
 * cough."), or null when the answer does not deny the rest in words.
 */
export function restDenied(questions: string[], answer: string, who: PatientReference): string | null {
  if (!REST_DENIED.test(answer)) return null;
  const said = answer.toLowerCase();
  const findings: string[] = [];
  let named = 0;
  for (const q of questions) {
    const f = questionFinding(q);
    for (const p of f ? findingParts(f) : []) {
      const words = p
        .toLowerCase()
        .split(/\s+/)
        .filter((w) => w.length > 3);
      // A finding the answer names is what it reports, not what it denies.
      if (words.some((w) => said.includes(w.replace(/s$/, '')))) {
        named++;
        continue;
      }
      if (!findings.includes(p.toLowerCase())) findings.push(p.toLowerCase());
    }
  }
  // The same sentence must name what it reports: else "the rest" is not known ("my knees hurt ... but nothing out of
  // the ordinary" answers "joint pain or muscle aches?" in other words).
  if (findings.length === 0 || named === 0) return null;
  const list =
    findings.length === 1
      ? findings[0]!
      : findings.length === 2
        ? findings.join(' or ')
        : `${findings.slice(0, -1).join(', ')}, or ${findings[findings.length - 1]}`;
  const lead = who.subject === 'the patient' ? 'The patient' : capitalize(who.subject);
  return terminate(`${lead} denies ${list.replace(/\byour\b/gi, who.possessive)}`);
}

const FAMILY_QUESTION =
  /\b(?:family history of|(?:anyone|anybody|someone|somebody) in (?:your|the) family (?:with|who (?:has|had|have)|(?:that (?:you know )?)?(?:ever )?(?:have|has|had))|in (?:your|the) family (?:with|who (?:has|had)))\s+(?:any\s+)?(?:(?:type|kind)s? of\s+)?(.+)$/i;

/** A relative named in an answer about the family ("my father had them"). */
const RELATIVE = /\b(?:my|his|her)\s+(father|mother|dad|mom|brother|sister|grandfather|grandmother|aunt|uncle|son|daughter|cousin)s?\b/g;

/** What a question asks the family had ("any family history of any gynecological cancers?"), or null. */
function familyFinding(question: string): string[] | null {
  const m = FAMILY_QUESTION.exec(
    cleanSpoken(question)
      .replace(/[?.!]+\s*$/, '')
      .trim(),
  );
  if (!m || !m[1]) return null;
  let f = m[1].trim();
  for (let i = 0; i < 3; i++) f = f.replace(TRAILERS, '').trim();
  const parts = findingParts(f.replace(/\b(?:any|those|these)\s+(?:(?:type|kind)s?\s+of\s+)?/gi, ''));
  if (
    parts.length === 0 ||
    parts.length > 5 ||
    parts.some((p) => /\b(?:you|your|i|we|that|those|this)\b/i.test(p) || p.split(/\s+/).length > 4)
  )
    return null;
  return parts;
}

/** A note sentence for a question/answer pair, or null when the pair states no finding. */
export function pertinentFinding(question: string, answer: string, who: PatientReference): { polarity: Polarity; text: string } | null {
  const polarity = answerPolarity(answer);
  if (!polarity) return null;
  const family = familyFinding(question);
  // "anybody in the family with kidney failure, dialysis or transplant?" "no." is the family history, not the patient's.
  if (family && !QUALIFIED.test(answer)) {
    if (polarity === 'denies')
      return {
        polarity,
        text: terminate(`No family history of ${family.join(family.length > 2 ? ', ' : ' or ').replace(/, (?=[^,]+$)/, ', or ')}`),
      };
    // A "yes" to one condition is that condition, with the relative the answer names ("yes my father had them"); to a
    // list it does not say which.
    const relatives = [
      ...new Set([...answer.toLowerCase().matchAll(RELATIVE)].map((m) => m[1]!.replace(/^dad$/, 'father').replace(/^mom$/, 'mother'))),
    ];
    const relative = relatives.length === 1 ? ` (${relatives[0]})` : '';
    return family.length === 1 ? { polarity, text: terminate(`Family history of ${family[0]}${relative}`) } : null;
  }
  const asked = questionFinding(question);
  if (!asked) return null;
  const parts = findingParts(asked);
  if (parts.length === 0) return null;
  // A list keeps its own words ("nausea or vomiting, diarrhea"); asides in it are left out.
  const finding = parts.length === asked.split(/,\s*|\s+or\s+/).length ? asked : parts.join(', ');
  const f = finding.replace(/\byour\b/gi, who.possessive).replace(/\byou\b/gi, who.object);
  const lead = who.subject === 'the patient' ? 'The patient' : capitalize(who.subject);
  // "no chest pain, but some shortness of breath" does not deny everything asked: a qualified answer to a
  // question about several findings is written as answered, never as a blanket denial or report.
  if (QUALIFIED.test(answer) || (polarity === 'denies' && /,| or | and /.test(f) && AFFIRMED.test(answer))) {
    const said = patientToThirdPerson(answer, who).replace(/[.]$/, '');
    return { polarity, text: terminate(`Regarding ${f}: ${said.charAt(0).toLowerCase()}${said.slice(1)}`) };
  }
  // "yes" to "any weight gain or swelling in your legs?" does not say which: only a denial covers a list.
  if (polarity === 'reports' && (parts.length > 1 || UNPUNCTUATED_LIST.test(f))) return null;
  const verb = polarity === 'denies' ? 'denies' : 'reports';
  return { polarity, text: terminate(`${lead} ${verb} ${f}`) };
}

/** Three or more words with no word joining them ("swelling stiffness tenderness"): a list said without commas. */
const UNPUNCTUATED_LIST = /^(?!.*\b(?:of|in|on|with|when|at|to|the|my|his|her|their|your|a|an|after|from|for|and)\b)\S+(?:\s+\S+){2,}$/i;
const QUALIFIED = /\b(but|except|only|just|though|although|however|other than|besides)\b/i;
/** Words that affirm something inside a negative answer ("no, i do get some wheezing"). */
const AFFIRMED = /\b(?:some|a little|a bit|sometimes|occasionally|i do(?! not| n'?t)|i have(?! not| n'?t)|i get|i've had|yes)\b/i;

const STATED_NEGATIVE =
  /\b(?:i|i've|i have|i'm|i am)\s+(?:not|never|don't|do not|haven't|have not)\s+(?:had|have|having|noticed|been having|experienced|felt)\s+(?:any\s+)?([a-z][a-z ,'-]{2,60}?)(?:[.,!?]|$| since| lately| recently| at all| or anything)/i;

/** A denial stated by the patient ("i haven't had any fevers") as a note sentence, or null. */
export function statedNegative(sentence: string, who: PatientReference): string | null {
  const m = STATED_NEGATIVE.exec(cleanSpoken(sentence));
  if (!m || !m[1]) return null;
  // "i don't have any pain but my knee is swollen" says more than a denial: left to be written as said.
  if (QUALIFIED.test(sentence)) return null;
  const finding = m[1]
    .split(/\b(?:i|i'm|i've|it|it's)\b/i)[0]!
    .trim()
    .replace(/\bmy\b/gi, who.possessive);
  if (!finding) return null;
  if (/^(been|a|the|to|that|it|really|sure|seen|noticed|any)$/i.test(finding) || finding.split(' ').length > 8) return null;
  const lead = who.subject === 'the patient' ? 'The patient' : capitalize(who.subject);
  return terminate(`${lead} denies ${finding}`);
}

const TOPIC_LEADS =
  /\b(?:how about|what about|how is|how's|how are|how has|how have|tell me about|and)\s+(?:your|the|his|her)\s+([a-z][a-z0-9 -]{2,40}?)(?:\s+(?:been|doing|going|lately|now|these days|today))*\s*\??$/i;

/** The topic of an open question ("how about your diet?" -> "diet"), or null. */
export function questionTopic(question: string): string | null {
  const m = TOPIC_LEADS.exec(cleanSpoken(question).replace(/[?.!]+\s*$/, '?'));
  if (!m || !m[1]) return null;
  const topic = m[1].trim();
  if (topic.split(/\s+/).length > 4 || /^(day|week|weekend|family|kids|work|job|trip|vacation|summer|holidays?)$/i.test(topic)) return null;
  return topic;
}
