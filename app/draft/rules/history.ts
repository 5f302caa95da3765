import type { ChartCitation } from '../../contract/index.ts';
import { capitalize, numbersIn, terminate, wordTokens } from '../text.ts';
import type { Utterance } from '../utterances.ts';
import { medicationsIn, type DrugLexicon, type MedicationMention } from './medication.ts';
import { cleanSpoken, type PatientReference } from './note-style.ts';

/**
 * History facts of the visit: the reason for the visit, the opening line of the history of present illness
 * (age, sex, reason), and the medicines the patient takes now.
 */

/** A statement that changes a medicine (it belongs to the plan, not to the current list). */
const CHANGE =
  /\b(?:increas\w*|decreas\w*|reduc\w*|start\w*|stop\w*|switch\w*|chang\w*|prescrib\w*|refill\w*|discontinu\w*|add\w*|going to|gonna|will|want (?:you )?to|would like|let's|order\w*|try\w*|should|(?:you|she|he) (?:needs?|will need) to|recommend\w*|advis\w*|put (?:you|him|her) on|give (?:you|him|her))\b/i;
/** A statement that the patient takes a medicine now. */
const CURRENT =
  /\b(?:take|takes|taking|took|on|using|use|uses|been on|still on|currently|every (?:day|morning|night)|daily|twice a day|once a day|at night|in the morning|continu\w*)\b/i;

/**
 * The medicines the patient takes now, each with the dose and frequency said in the same statement as the drug
 * ("Current medications: Lisinopril 10 mg every day, metformin 500 mg twice a day."). Statements that change a
 * medicine are plan items, not part of this list; a dose said in another sentence is never attached to a drug.
 */
export function currentMedications(utterances: Utterance[], lexicon: DrugLexicon): { text: string; evidence: string[] } | null {
  const best = new Map<string, { mention: MedicationMention; segmentId: string; score: number }>();
  for (const u of utterances) {
    if (u.isQuestion || CHANGE.test(u.text) || !CURRENT.test(u.text)) continue;
    for (const m of medicationsIn(u.text, lexicon)) {
      const score = (m.dose ? 2 : 0) + (m.frequency ? 1 : 0);
      const had = best.get(m.drug);
      if (!had || score > had.score) best.set(m.drug, { mention: m, segmentId: u.segmentId, score });
    }
  }
  if (best.size === 0) return null;
  const items = [...best.values()].map(({ mention: m }) => [m.drug, m.dose, m.frequency].filter(Boolean).join(' '));
  return {
    text: terminate(`Current medications: ${capitalize(items.join(', '))}`),
    evidence: [...new Set([...best.values()].map((b) => b.segmentId))],
  };
}

/** "Lisinopril 20 MG Oral Tablet" -> "lisinopril"; "Essential hypertension (disorder)" -> "essential hypertension". */
export function chartName(entry: string): string {
  return entry
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .split(/\d/)[0]!
    .replace(/[^a-z -]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .split(' ')
    .slice(0, 3)
    .join(' ');
}

const CC_LEAD =
  /\b(?:here|in|coming in|come in|came in|presents?|presenting|seen|seeing you|referred|being seen|consultation|evaluation)(?:\s+(?!for\b|with\b)[a-z.']+){0,5}?\s+(?:for|with|because of)\s+(?:an? |the |some |her |his |your |my |this |that |evaluation of )*(.+)$/i;
const CC_CUT =
  /[,;]| and (?:i|we|you|she|he)\b| so\b| but\b| because\b| today\b| can you\b| tell me\b| what\b| how\b| is that\b| that (?:you|she|he|i)\b| which\b| who\b| since\b| okay\b/i;
const OPENER =
  /\b(?:what (?:brings|brought) you in|what(?:'s| is| has) (?:been )?going on|how can i help|what can i do for you|what seems to be the (?:problem|trouble)|tell me what brings you)\b/i;
const COMPLAINT =
  /\b((?:(?:left|right|lower|upper|chronic|sharp|dull|severe|worsening|new|long-standing)[- ])*(?:[a-z]+ ){0,2}?(?:pain|aches?|injury|bite|rash|cough|swelling|lesion|ulcer|fevers?|headaches?|anemia|stones?|infection|fracture|sprain|numbness|bleeding|lump|wound|burn|problems?|sore throat|shortness of breath|dizziness))\b/i;
const NOT_COMPLAINT_START = /^(?:the|a|an|this|that|my|your|his|her|some|any|of|in|on|no|any|and|so|but|have|had|been|having)\s+/i;

function complaintPhrase(text: string): string | null {
  const m = COMPLAINT.exec(cleanSpoken(text));
  if (!m || !m[1]) return null;
  let phrase = m[1];
  for (let i = 0; i < 3; i++) phrase = phrase.replace(NOT_COMPLAINT_START, '');
  return wordTokens(phrase).length >= 1 && !/^(any|no|the)$/i.test(phrase) ? phrase : null;
}

function ccSentence(phrase: string): string {
  return capitalize(
    terminate(
      phrase
        .replace(/\b(your|my|her|his)\b\s*/gi, '')
        .replace(/\s{2,}/g, ' ')
        .trim(),
    ),
  );
}

/**
 * The reason for the visit, from the first third of the conversation: a clinician stating it ("presents for her
 * annual exam" -> "Annual exam."), else the complaint in the answer to the opening question, else the first
 * complaint the patient names ("aside from this left shoulder pain" -> "Left shoulder pain.").
 */
export function chiefComplaint(utterances: Utterance[]): { text: string; evidence: string[] } | null {
  return chiefComplaintCandidates(utterances)[0] ?? null;
}

/** Every reading of the reason for the visit, best first (the drafter keeps the first its checks accept). */
export function chiefComplaintCandidates(utterances: Utterance[]): Array<{ text: string; evidence: string[] }> {
  const out: Array<{ text: string; evidence: string[] }> = [];
  const limit = Math.max(6, Math.ceil(utterances.length / 3));
  const early = utterances.slice(0, limit);
  for (const u of early) {
    if (u.speaker === 'patient') continue;
    const m = CC_LEAD.exec(cleanSpoken(u.text).replace(/[?.!]+$/, ''));
    if (m && m[1]) {
      const phrase = m[1].split(CC_CUT)[0]!.trim();
      const words = phrase.split(/\s+/).filter(Boolean);
      if (words.length >= 1 && words.length <= 8 && !/\b(you|i|we|me|this|that|it|us|a|the)$/i.test(phrase))
        out.push({ text: ccSentence(phrase), evidence: [u.segmentId] });
    }
  }
  for (let i = 0; i < early.length; i++) {
    const u = early[i]!;
    if (u.speaker === 'patient' || !OPENER.test(u.text)) continue;
    const answer = early.slice(i + 1).find((x) => x.segmentId !== u.segmentId && x.speaker !== 'clinician');
    const phrase = answer ? complaintPhrase(answer.text) : null;
    if (answer && phrase) out.push({ text: ccSentence(phrase), evidence: [answer.segmentId] });
  }
  for (const u of early) {
    if (u.speaker !== 'patient') continue;
    const phrase = complaintPhrase(u.text);
    if (phrase && wordTokens(phrase).length >= 2) out.push({ text: ccSentence(phrase), evidence: [u.segmentId] });
  }
  return out;
}

const AGE =
  /\b(\d{1,3}|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|eighteen|nineteen))[- ]years?[- ]old\b(?:\s+(male|female|man|woman|gentleman|lady|boy|girl))?/i;

/** How long the complaint has lasted, or when it began, as a history sentence says it (it joins the opening). */
export interface OnsetFact {
  /** "about 5 weeks" (a span: "with about 5 weeks of knee pain") or "about a week ago" (a start: "that started ..."). */
  span?: string;
  ago?: string;
  /** The complaint the sentence names ("headache"), when the visit gave no other reason. */
  complaint?: string;
  evidence: string[];
}

const SPAN =
  /^(?:about |around |almost |over |nearly |for |the (?:past|last) )*(?:\d+|a|an|one|a couple(?: of)?|a few|several)(?: and a half)? (?:days?|weeks?|months?|years?)$/i;
const AGO =
  /^(?:about |around |almost |over |nearly )*(?:\d+|a|an|one|a couple(?: of)?|a few|several)(?: and a half)? (?:days?|weeks?|months?|years?) ago$/i;

/**
 * The onset a history sentence states, when the sentence says nothing else: "Onset: About 5 weeks." (span), "It has
 * been going on for about 4 days." (span), "Her headache started about a week ago." (start, when it names the
 * complaint or says "it"). Null for anything else ("Onset: Since labor day." stays as it is).
 */
export function onsetOf(sentence: string, complaint: string): Omit<OnsetFact, 'evidence'> | null {
  const s = sentence.replace(/[.]$/, '').trim();
  const onset = /^Onset: (.+)$/i.exec(s);
  const going = /^(?:it|this|that|the pain|the symptoms?) (?:has|have) been (?:going on|happening|there) for (.+)$/i.exec(s);
  const started = /^(?:it|this|that|(?:his|her|their|the) ([a-z ]+?)) (?:started|began|first started) (.+)$/i.exec(s);
  const said = (onset?.[1] ?? going?.[1] ?? '').replace(/^1 (?=(?:day|week|month|year)s?\b)/, 'a ').trim();
  if (said && SPAN.test(said)) return { span: said.replace(/^for /i, '').toLowerCase() };
  if (said && AGO.test(said)) return { ago: said.toLowerCase() };
  // "Her headache started about a week ago" also says what the complaint is when no reason was found.
  if (started && AGO.test(started[2]!) && started[1] && SYMPTOM.test(started[1]) && !complaint)
    return { ago: started[2]!.toLowerCase(), complaint: started[1].toLowerCase() };
  if (started && AGO.test(started[2]!) && (!started[1] || complaint.toLowerCase().includes(started[1].toLowerCase())))
    return { ago: started[2]!.toLowerCase() };
  return null;
}

/** A reason phrase that reads after "presents for" (a noun phrase, not words cut from a sentence: "feel some pain"). */
const NOT_A_REASON =
  /^(?:feel|feels|felt|feeling|got|get|gets|getting|have|has|had|having|also|now|it|its|it's|start|starts|started|alleviate|onset|lot|a lot|some|been|be|is|was|just|really|kind|sort|still|then|this|that|there|here|to|do|did|does|go|going|noses?)\b/i;
/** A problem name that reads in "follow-up of ..." ("had some anemia" does not). */
export function readsAsReason(name: string): boolean {
  return !NOT_A_REASON.test(name) && wordTokens(name).length <= 4;
}

/** A symptom or injury: "with 3 weeks of left knee pain" reads; "with 3 weeks of annual exam" does not. */
const SYMPTOM =
  /\b(?:pain|aches?|cough|rash|swelling|numbness|tingling|bleeding|headaches?|dizziness|shortness of breath|fevers?|lump|twitch|sore throat|itch\w*|weakness|fatigue)$/i;

/**
 * What the chart says about the patient (decision 0204), for the opening when the visit does not say it. `patient`
 * is the chart's reference ("Patient/123"): without it a fact cannot be cited and only the sex is used (for words
 * the conversation's pronouns already imply).
 */
export interface ChartFacts {
  patient?: string;
  name?: string;
  sex?: 'female' | 'male';
  /** FHIR Patient.birthDate ("1967-03-02"; a year or year-month gives no age). */
  birthDate?: string;
  /** The visit day (YYYY-MM-DD): the age is the age on that day, not on the day the note is drafted. */
  asOf?: string;
  /** Chart problems the visit addresses ("with a history of ..."), each with the turns that name it. */
  history?: Array<{ name: string; source: string; value: string; evidence: string[] }>;
}

/** Age in whole years on `asOf` of someone born on `birthDate` (both YYYY-MM-DD); null for a partial or impossible date. */
export function ageOn(birthDate: string, asOf: string): number | null {
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf);
  if (!b || !d) return null;
  const [by, bm, bd] = [Number(b[1]), Number(b[2]), Number(b[3])];
  const [dy, dm, dd] = [Number(d[1]), Number(d[2]), Number(d[3])];
  if (bm < 1 || bm > 12 || bd < 1 || bd > 31) return null;
  const age = dy - by - (dm < bm || (dm === bm && dd < bd) ? 1 : 0);
  return age >= 0 && age <= 130 ? age : null;
}

/** A chart name the note may write as the patient's: letters, spaces, hyphens, apostrophes, periods; not a placeholder. */
export function usableChartName(name: string | undefined): string | null {
  const n = (name ?? '').trim().replace(/\s+/g, ' ');
  if (!n || n.length > 60 || !/^[\p{L}][\p{L}' .-]*$/u.test(n) || /^(?:unnamed|unknown patient|unknown)$/i.test(n)) return null;
  return n;
}

/** Ages from 2 years: a younger child's age is written in months, which the chart's birth date alone does not settle here. */
const YOUNGEST_CHART_AGE = 2;

/** Two names of one problem: "essential hypertension" and "hypertension" share a word that says what it is. */
export function sameProblem(a: string, b: string): boolean {
  const words = (x: string) =>
    x
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length > 3 && !/^(chronic|acute|essential|primary|with|without|mellitus|disorder)$/.test(w));
  const wa = new Set(words(a));
  return words(b).some((w) => wa.has(w));
}

function listOf(items: string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The opening sentence of the history, composed from the facts the visit gives: "The patient is a 62-year-old male
 * with about 3 weeks of left knee pain." / "The patient is a 54-year-old female who presents for follow-up of
 * hypertension and diabetes." Age when said in the visit, sex said with it (else the pronouns the clinician uses),
 * the reason for the visit, and how long the complaint has lasted when said (that sentence is then not repeated).
 * What the visit does not say comes from the chart when it has it (decision 0204): the age on the visit day from the
 * birth date, the sex, the name ("Maria Lopez is a 58-year-old female ..."), and the chart problems the visit
 * addresses ("with a history of hypertension"); each is cited to the chart. A fact known nowhere is left out; null
 * when neither the visit nor the chart gives an age and the visit gives no reason that reads.
 */
export function historyOpening(
  utterances: Utterance[],
  who: PatientReference,
  reason: { text: string; evidence: string[] } | null,
  more: { chart?: ChartFacts; onset?: OnsetFact; followUp?: { problems: string[]; evidence: string[] } } = {},
): { text: string; evidence: string[]; chart: ChartCitation[]; usedOnset: boolean } | null {
  const chart = more.chart ?? {};
  const cited: ChartCitation[] = [];
  const cite = (element: string, value: string, asOf?: string): void => {
    if (chart.patient) cited.push({ source: `${chart.patient}#${element}`, value, ...(asOf ? { asOf } : {}) });
  };
  let age: { years: string; sex?: string; segmentId?: string } | null = null;
  for (const u of utterances) {
    if (u.speaker === 'patient' || u.speaker === 'other') continue;
    const m = AGE.exec(cleanSpoken(u.text));
    if (m && m[1]) {
      const years = numbersIn(m[1])[0] ?? '';
      age = { years, segmentId: u.segmentId, ...(m[2] ? { sex: /^(female|woman|lady|girl)$/i.test(m[2]) ? 'female' : 'male' } : {}) };
      break;
    }
  }
  if (age && !/^\d+$/.test(age.years)) age = null;
  if (!age && chart.patient && chart.birthDate && chart.asOf) {
    const years = ageOn(chart.birthDate, chart.asOf);
    if (years !== null && years >= YOUNGEST_CHART_AGE) {
      age = { years: String(years) };
      cite('birthDate', chart.birthDate, chart.asOf);
    }
  }
  const saidSex = age?.sex ?? (who.subject === 'she' ? 'female' : who.subject === 'he' ? 'male' : undefined);
  const sex = saidSex ?? chart.sex;
  if (!saidSex && chart.sex) cite('gender', chart.sex);
  let why = reason ? reason.text.replace(/[.]$/, '') : '';
  if (!/^[A-Z]{2,}/.test(why)) why = why.charAt(0).toLowerCase() + why.slice(1);
  if (NOT_A_REASON.test(why)) why = '';
  const { onset } = more;
  if (!why && onset?.complaint) why = onset.complaint;
  const { followUp } = more;
  const evidence = [...(age?.segmentId ? [age.segmentId] : []), ...(why ? (reason?.evidence ?? []) : [])];
  let presents = '';
  let usedOnset = false;
  const followed = new Set<string>();
  if (
    followUp &&
    followUp.problems.length > 0 &&
    (!why || /^(?:(?:a |routine |your )?follow[- ]?ups?|(?:a )?check[- ]?ups?|routine follow[- ]?up of chronic problems)$/i.test(why))
  ) {
    presents = ` who presents for follow-up of ${listOf(followUp.problems)}`;
    evidence.push(...followUp.evidence);
    for (const p of followUp.problems) followed.add(p.toLowerCase());
  } else if (why && onset?.span && SYMPTOM.test(why)) {
    presents = ` with ${onset.span} of ${why}`;
    usedOnset = true;
  } else if (why && onset?.ago && SYMPTOM.test(why)) {
    presents = ` with ${why} that started ${onset.ago}`;
    usedOnset = true;
  } else if (why) presents = ` who presents for ${why}`;
  if (usedOnset && onset) evidence.push(...onset.evidence);
  // A problem named as followed up (or as the reason) is already said; the others the visit addresses are history.
  const history = (chart.patient ? (chart.history ?? []) : [])
    .filter((h) => ![...followed].some((x) => sameProblem(x, h.name)) && !why.toLowerCase().includes(h.name.toLowerCase()))
    .slice(0, 3);
  // A followed-up problem named as the chart names it cites the chart's problem too.
  for (const h of chart.history ?? [])
    if (chart.patient && followed.has(h.name.toLowerCase())) cited.push({ source: h.source, value: h.value });
  if (!age && !presents) return null;
  let past = '';
  if (history.length > 0 && (age || sex)) {
    past = ` with a history of ${listOf(history.map((h) => h.name))}`;
    for (const h of history) {
      cited.push({ source: h.source, value: h.value });
      evidence.push(...h.evidence);
    }
    if (presents.startsWith(' with ')) presents = ` who presents${presents}`;
  }
  const person = age ? `a ${age.years}-year-old${sex ? ` ${sex}` : ''}` : sex ? `a ${sex}` : '';
  const name = chart.patient ? usableChartName(chart.name) : null;
  if (name) cite('name', name);
  const subject = name ?? 'The patient';
  const text = person
    ? `${subject} is ${person}${past}${presents}.`
    : `${subject}${presents.replace(/^ who presents/, ' presents').replace(/^ with/, ' presents with')}.`;
  const chartCited = cited.filter((c, i) => cited.findIndex((x) => x.source === c.source) === i);
  return { text, evidence: [...new Set(evidence)], chart: chartCited, usedOnset };
}
