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
  /\b(?:increas\w*|decreas\w*|reduc\w*|start\w*|stop\w*|switch\w*|chang\w*|prescrib\w*|refill\w*|discontinu\w*|add\w*|going to|gonna|will|want (?:you )?to|would like|let's|order\w*|try\w*|put (?:you|him|her) on|give (?:you|him|her))\b/i;
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

/**
 * The opening sentence of the history: "The patient is a 62-year-old male who presents for annual exam." from the
 * age said in the visit, the sex said with it (else the pronouns the clinician uses, else the chart), and the reason
 * for the visit. Null when the visit states neither age nor reason.
 */
export function historyOpening(
  utterances: Utterance[],
  who: PatientReference,
  reason: { text: string; evidence: string[] } | null,
  chartSex?: 'female' | 'male',
): { text: string; evidence: string[] } | null {
  let age: { years: string; sex?: string; segmentId: string } | null = null;
  for (const u of utterances) {
    if (u.speaker === 'patient' || u.speaker === 'other') continue;
    const m = AGE.exec(cleanSpoken(u.text));
    if (m && m[1]) {
      const years = numbersIn(m[1])[0] ?? '';
      age = { years, segmentId: u.segmentId, ...(m[2] ? { sex: /^(female|woman|lady|girl)$/i.test(m[2]) ? 'female' : 'male' } : {}) };
      break;
    }
  }
  const sex = age?.sex ?? (who.subject === 'she' ? 'female' : who.subject === 'he' ? 'male' : chartSex);
  const why = reason ? reason.text.replace(/[.]$/, '') : '';
  const presents = why ? ` who presents for ${/^[A-Z]{2,}/.test(why) ? why : why.charAt(0).toLowerCase() + why.slice(1)}` : '';
  if (age && /^\d+$/.test(age.years)) {
    const text = `The patient is a ${age.years}-year-old${sex ? ` ${sex}` : ''}${presents}.`;
    return { text, evidence: [age.segmentId, ...(reason?.evidence ?? [])] };
  }
  if (!reason) return null;
  const lead = sex === 'female' ? 'The patient is a female' : sex === 'male' ? 'The patient is a male' : 'The patient';
  return {
    text: lead === 'The patient' ? `The patient presents for ${why.charAt(0).toLowerCase()}${why.slice(1)}.` : `${lead}${presents}.`,
    evidence: reason.evidence,
  };
}
