import type { DraftSentence } from '../../contract/index.ts';
import { capitalize, terminate } from '../text.ts';
import type { DrugLexicon } from './medication.ts';
import { isRealQuestion, isUnpunctuatedQuestion } from '../utterances.ts';
import { cleanSpoken } from './note-style.ts';
import type { ProblemValue } from './problem-values.ts';

/**
 * Problem-oriented assessment and plan: each problem the visit discusses is named as a diagnosis, followed by its
 * own plan items: "Hypertension. Increase lisinopril to 20 mg once a day. Repeat basic metabolic panel in 3 months."
 * Problems come from how the clinician introduces them ("for your diabetes, ...", "you have a sprain", "your blood
 * pressure is still high") or from the chart's problem list when the visit names them; plan items join the problem
 * they name, else the problem under discussion when they were said.
 */

/** Lay names clinicians use for a problem, and the diagnosis a note writes for them. */
const LAY_DIAGNOSES: Array<[RegExp, string]> = [
  [/^(?:high )?blood pressures?$/i, 'hypertension'],
  [/^(?:high )?cholesterol$/i, 'hyperlipidemia'],
  [/^(?:blood )?sugars?$|^sugar diabetes$/i, 'diabetes'],
  [/^acid reflux$|^heartburn$/i, 'gastroesophageal reflux'],
  [/^(?:low )?thyroid$/i, 'hypothyroidism'],
  [/^mood$/i, 'depression'],
];

/** The last word of a diagnosis names a condition (or the phrase is a non-drug term of the terminology). */
const DX_HEAD =
  /(?:chf|cad|ckd|bph|dvt|uti|afib|itis|osis|iasis|emia|algia|pathy|oma|ectomy|plasty|ism|isms|disease|disorder|syndrome|failure|infection|injury|injuries|sprain|strain|fracture|pain|tear|stones?|diabetes|mellitus|hypertension|depression|anxiety|asthma|copd|reflux|gerd|obesity|insomnia|migraines?|headaches?|cough|rash|ulcers?|nodules?|mass|lesions?|cancer|tumou?r|hernia|apnea|fibrillation|murmur|arrhythmia|anemia|hyperlipidemia|cholesterol|gout|lupus|eczema|psoriasis|acne|pneumonia|allerg(?:y|ies)|concussion|dislocation|contusion|laceration|bite|burn|stenosis|effusion|edema|bleeding|hematuria|dysuria|dyspnea|fatigue|dizziness|vertigo|palpitations|constipation|diarrhea|nausea|vomiting|swelling|numbness|weakness|seizures?|neuropathy|sciatica|radiculopathy|spasms?|exam|examination|physical|check-?up|wellness visit|annual visit|lobectomy|surgery|transplant|deficiency|hypothyroidism|hyperthyroidism|overweight|wound|cellulitis|abscess|cyst|polyps?|kidney disease|sinusitis|bronchitis|ptsd|adhd|bipolar|schizophrenia|dementia|osteoporosis|osteopenia|arthritis|tendonitis|tendinitis|bursitis|pregnancy|infertility|menopause|incontinence|retention|hyperplasia|enlargement|glaucoma|cataracts?|shingles|flu|influenza|covid|strep|mono|lyme disease)$/i;

const NOT_A_PROBLEM =
  /^(?:problem|issue|concern|thing|part|plan|question|visit|medications?|meds|medicine|labs?|results?|exam findings|symptoms?|history|side|point|time|regard|case|note|list|standpoint|perspective)$/i;

/** Phrases about a problem that are no diagnosis ("the rest of your exam", "the best treatment for this sprain"). */
const NOT_A_DIAGNOSIS =
  /^(?:pain|swelling|surgery|procedure)$|^had\s|^(?:lots?|bit|little bit|couple|kind|sort|type|some kind) of\b|^(?:trace|one plus|two plus|three plus|\d\+)\s|\b(?:rest of|treatment|screen|screening|prognosis|diagnosis|work-?up|results?|findings?|report|states|shows|showed|says|revealed)\b/i;
/** A body site, as said after a condition ("in your right knee"). */
const SITED =
  /^(.+?)\s+(?:in|of|on)\s+(?:(?:the|your|his|her|their|my)\s+)?((?:left|right|bilateral|both)\s+)?((?:(?:index|middle|ring|little|big|great|lower|upper)\s+)?(?:knee|knees|ankle|ankles|foot|feet|hand|hands|wrist|wrists|finger|fingers|thumb|toe|toes|shoulder|shoulders|elbow|elbows|hip|hips|back|neck|leg|legs|arm|arms|spine|chest|abdomen|head|eye|eyes|ear|ears|heel|calf|thigh|forearm|jaw|scalp|face|lung|lungs|kidney|kidneys|breast|breasts))$/i;
/** An examination that is a kind of visit. */
const VISIT_KIND = /\b(?:annual|yearly|routine|wellness|well|pre-?op|preoperative|pre-operative|sports|school|employment|dot|camp)\b/i;

/** A spoken problem phrase as a diagnosis name ("her blood pressure" -> "hypertension"), or null when it is no diagnosis. */
export function diagnosisName(phrase: string, drugs: DrugLexicon, terms: DrugLexicon): string | null {
  // The side opens the name ("right ankle sprain"); cleanSpoken would read a leading "right" as a filler.
  const side = /^\s*(right|left)\s+(?=\w)/i.exec(phrase)?.[1];
  let p = cleanSpoken(side ? phrase.replace(/^\s*\w+\s+/, '') : phrase)
    .toLowerCase()
    .replace(/[.,;:!?]+$/, '')
    .trim();
  // "do you have any pain" asks; "you have no fever" denies: neither names a problem.
  if (/^(?:any|no|none)\b/.test(p)) return null;
  for (let i = 0; i < 3; i++) {
    p = p
      .replace(/^(?:his|her|their|your|my|the|a|an|this|that|these|those|some|of|is|and|for|with|from|uh|um)\s+/i, '')
      .replace(
        /^(?:(?:first|second|third|fourth|fifth|next|last|final|other|main|primary|new|ongoing|chronic)\s+)?(?:problem|issue|concern|complaint|diagnosis)\s*(?:of|is|,)?\s*/i,
        '',
      );
  }
  p = p
    .replace(/\s+(?:standpoint|wise|perspective|side of things|issue|problem)$/i, '')
    .replace(/^(?:(?:an?|some|this|that|the)\s+)?(?:(?:little|newfound|new-found|new|newly diagnosed|more|worsening)\s+)?/i, '')
    .replace(/^(?:(?:a|any|some)\s+)?(?:(?:past\s+)?medical\s+)?history\s+of\s+/i, '')
    .trim();
  // "pain in your right knee", "tenosynovitis of his right index finger": the site said after the condition.
  const sited = SITED.exec(p);
  if (sited && DX_HEAD.test(sited[1]!.split(/\s+/).pop()!)) {
    const [, condition, side = '', site] = sited;
    const head = diagnosisName(condition!, drugs, terms);
    if (!head) return null;
    return /^(?:pain|swelling|sprain|strain)$/.test(head) ? `${side}${site} ${head}` : `${head} of ${side}${site}`;
  }
  p = p.replace(/\b(?:rather|very|quite|pretty|fairly|really)\s+/g, '');
  if (side && !/^(?:right|left)\b/.test(p)) p = `${side.toLowerCase()} ${p}`;
  if (!p || p.split(/\s+/).length > 5 || NOT_A_PROBLEM.test(p) || NOT_A_DIAGNOSIS.test(p)) return null;
  // An examination is the visit's problem only as a kind of visit ("annual exam", "pre-op examination"); "physical
  // exam", "lung exam" and "the rest of your physical exam" are findings being read out.
  if (/\b(?:exam|examination|physical)$/.test(p) && !VISIT_KIND.test(p)) return null;
  for (const [re, name] of LAY_DIAGNOSES) if (re.test(p)) return name;
  if (drugs.find(p).length > 0) return null;
  const last = p.split(/\s+/).pop()!;
  if (DX_HEAD.test(last)) return p;
  const term = terms.find(p);
  if (term.length === 1 && term[0]!.index === 0 && term[0]!.end === p.length && p.length >= 6 && DX_HEAD.test(term[0]!.name)) return p;
  return null;
}

/**
 * Where a spoken problem phrase ends: punctuation, or a word that starts another clause ("... knee pain i want to ...",
 * "... a right ankle sprain or i'm sorry ..."). Words inside a name ("of", "in": "tenosynovitis of the right index
 * finger") do not end it; the longest leading part of the phrase that is a diagnosis is the name (problemPhraseName).
 */
const END = String.raw`(?:[,.;:?!]|\s+(?:and|or|so|but|which|that|because|since|given|based|when|if|where|who|i|i'm|we|we're|you|you're|it|it's|he|she|they|have|has|had|is|was|are|were|will|would|can|could|should|may|might|do|does|did|looks|seems|sounds|appears|um|uh|okay|as well|also|too|usually|typically|especially|basically|actually|my (?:concern|impression|assessment|diagnosis))\b|$)`;
const PHRASE = String.raw`([a-z][a-z0-9' -]{2,80}?)`;

/** The clinician states a diagnosis ("my diagnosis here would be lateral epicondylitis", "i suspect this is a flare of x"). */
const DIAGNOSIS_STATED = new RegExp(
  [
    String.raw`\b(?:(?:my|the|your|our)\s+)?(?:diagnosis|impression|assessment)(?:\s+(?:here|today|of (?:you|her|him)))?\s+(?:would be|will be|is|was)\s+(?:that\s+)?(?:(?:you|she|he)(?:\s+(?:have|has|have had|has had|have got)|'ve(?:\s+had|\s+got)?|'s(?:\s+had|\s+got)?)\s+)?(?:(?:likely|probably|beginning to have|going to be)\s+)?(?:an?\s+|some\s+)?${PHRASE}${END}`,
    String.raw`\bi\s+(?:think|believe|suspect|feel)\s+(?:that\s+)?(?:this is|it is|it's|you have|you've got|you do have|she has|he has|she does have|he does have)\s+(?:likely\s+|probably\s+)?(?:an?\s+|some\s+)?${PHRASE}${END}`,
    // "a condition we call hypersensitivity pneumonitis", "newly diagnosed melanoma", "pathology came back as melanoma",
    // "your symptoms are consistent with a right ankle sprain"
    String.raw`\b(?:consistent with|diagnosis (?:is|of)|diagnosed (?:you |her |him )?with|(?:a condition|something)\s+(?:we call|called|known as)|newly diagnosed(?: with)?|(?:pathology|biopsy) (?:came back|showed|revealed)(?: as)?)\s+(?:an?\s+)?${PHRASE}${END}`,
  ].join('|'),
  'i',
);

const LEADS: RegExp[] = [
  new RegExp(
    String.raw`^(?:so,? |and,? |now,? |okay,? |alright,? |next,? |then,? |lastly,? |finally,? |also,? |first,? |secondly,? |second,? |thirdly,? )*(?:for|regarding|in terms of|as far as|as for|with regards? to|moving on to|going on to|let's talk about|let us talk about|talking about|from an?|from the|on the|in regards? to|about)\s+(?:(?:his|her|their|your|the|this)\s+)?(?:(?:first|second|third|fourth|fifth|next|last|final|other|primary|main)\s+)?(?:problem|issue|concern)?,?\s*(?:of\s+|is\s+)?(?:(?:his|her|their|your|the)\s+)?${PHRASE}(?:\s+(?:standpoint|wise|perspective|goes|is concerned))?${END}`,
    'i',
  ),
  new RegExp(
    String.raw`\b(?:you|she|he)\s+(?:have|has|have got|'ve got|do have|does have|likely have|probably have|most likely have)\s+(?:an?\s+|some\s+)?${PHRASE}${END}`,
    'i',
  ),
  new RegExp(
    String.raw`\b(?:what (?:that|this) means for|(?:talk|talking|talked) (?:about|through)|impression is|suffering from|dealing with|secondary to|due to|(?:here|seen|referred|presents?|presenting)(?: today)? for(?: (?:a |an )?(?:follow-?up|evaluation|consult(?:ation)?) of)?)\s+(?:an?\s+|your\s+|his\s+|her\s+)?${PHRASE}${END}`,
    'i',
  ),
  /^(?:so,? |and,? |now,? |okay,? )*(?:your|his|her|the)\s+([a-z][a-z -]{2,30}?)\s+(?:is|are|has been|have been|seems|looks|appears|was|is still|remains)\b/i,
  DIAGNOSIS_STATED,
];

const NAME_FOLLOWS = /^(?:of|in|on|at|from|since|that|more|right|now|today|this|here|currently|again|lately|recently)$/i;

/** The longest leading part of a spoken problem phrase that is a diagnosis ("right ankle sprain of your lateral ligament complex" -> "right ankle sprain"). */
function problemPhraseName(phrase: string, drugs: DrugLexicon, terms: DrugLexicon): string | null {
  const words = phrase.trim().split(/\s+/);
  for (let k = Math.min(words.length, 12); k >= 1; k--) {
    // A shorter name stands only before a word that can follow a name ("sprain of your lateral ligament", "pain in the
    // knee"); "some pain to palpation", "pain with flexion" are examination findings.
    if (k < words.length && !NAME_FOLLOWS.test(words[k]!)) continue;
    const name = diagnosisName(words.slice(0, k).join(' '), drugs, terms);
    if (name) return name;
  }
  return null;
}

/** A diagnosis the clinician states outright (it is written in the assessment even when no plan item follows it). */
export function statedDiagnosis(sentence: string, drugs: DrugLexicon, terms: DrugLexicon): string | null {
  const m = DIAGNOSIS_STATED.exec(cleanSpoken(sentence).replace(/\bi'm\b/gi, 'i am'));
  const phrase = m?.slice(1).find((g) => g !== undefined);
  return phrase ? problemPhraseName(phrase, drugs, terms) : null;
}

const STATUS =
  /\b(?:is|are|'s|has been|have been|seems|seem|looks|look|appears|appear|remains|remain|is still|are still)\s+(?:to be\s+)?(?:very\s+|pretty\s+|really\s+|fairly\s+|relatively\s+)?(well[- ]controlled|under (?:good )?control|(?:not )?(?:well[- ])?controlled|uncontrolled|stable|improving|improved|better|worse|worsening|at goal|not at goal|resolved|resolving)\b/i;

/** How a clinician says a problem is doing ("your depression's stable" -> "stable"), or null. */
export function problemStatus(sentence: string, name: string): string | null {
  const s = cleanSpoken(sentence);
  const m = STATUS.exec(s);
  if (!m || !m[1] || /\b(?:not sure|if|whether|hope|want|make sure|goal is)\b/i.test(s.slice(0, m.index))) return null;
  // The status must be said of the problem: its words come shortly before the verb.
  const before = s.slice(Math.max(0, m.index - 40), m.index);
  if (!problemPattern(name).test(before)) return null;
  const status = m[1].toLowerCase().replace(/-/g, ' ');
  // "i don't believe it's well controlled": a denied status is the opposite one when the words have one, else none.
  if (/\b(?:not|never)\b|n't\b|n ?'t\b/i.test(s.slice(Math.max(0, m.index - 30), m.index))) {
    return /^(?:well controlled|controlled|at goal)$/.test(status) ? `not ${status}` : null;
  }
  return status;
}

/** The sentence around a position is a question (it ends with "?" or opens as one). */
function asked(text: string, at: number): boolean {
  const start = Math.max(text.lastIndexOf('. ', at), text.lastIndexOf('? ', at), text.lastIndexOf('! ', at)) + 1;
  const end = text.slice(at).search(/[.?!](?:\s|$)/);
  const sentence = text.slice(start, end < 0 ? undefined : at + end + 1).trim();
  return isRealQuestion(sentence) || isUnpunctuatedQuestion(sentence.replace(/[.!]\s*$/, ''));
}

/** The problems a clinician sentence introduces or names, as diagnosis names (first first). */
export function problemsNamed(sentence: string, drugs: DrugLexicon, terms: DrugLexicon): string[] {
  const s = cleanSpoken(sentence)
    .replace(/\bi'm\b/gi, 'i am')
    .replace(/\byou've\b/gi, "you've");
  const out: string[] = [];
  for (const re of LEADS) {
    const m = re.exec(s);
    // "did you have radiation after the lumpectomy?", "do you have pain every time you swallow": asked, not named.
    if (m && re === LEADS[1] && asked(s, m.index)) continue;
    const phrase = m?.slice(1).find((g) => g !== undefined);
    if (!phrase || !m) continue;
    // "if you do have an infection of some kind": a condition, not a problem the visit names.
    if (/\b(?:if|whether|unless|in case)\s+$/i.test(s.slice(Math.max(0, m.index - 12), m.index))) continue;
    // "your blood pressure today is 138/86" reads a value out; only the whole phrase before the verb names a problem there.
    const name = re === LEADS[3] ? diagnosisName(phrase, drugs, terms) : problemPhraseName(phrase, drugs, terms);
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

export interface PlanEntry extends DraftSentence {
  /** Index of the utterance it came from (transcript order). */
  at: number;
  /** The words said (for matching the entry to a problem). */
  said: string;
}

export interface ProblemMention {
  name: string;
  /** The clinician stated it as the diagnosis (written even with no plan item). */
  stated?: boolean;
  /** How the problem is doing, as said ("stable", "well controlled"). */
  status?: string;
  at: number;
  segmentId: string;
}

/** The text names the problem (its words, or the usual words for it: "blood pressure" for hypertension). */
export function mentionsProblem(name: string, text: string): boolean {
  return problemPattern(name).test(text);
}

/** A chart problem as a diagnosis a note can write without stating what the visit did not ("Type 2 diabetes mellitus without complications" -> "diabetes mellitus"). */
export function chartProblemName(display: string): string {
  return display
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\btype\s*\d+\b|\d+/gi, ' ')
    .replace(/\b(?:without complications?|unspecified|not elsewhere classified|nos)\b/gi, ' ')
    .replace(/[,;]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A note sentence that is a plan item (an order, a medicine change, advice, follow-up). */
export function isPlanItem(text: string): boolean {
  return ACTION.test(text);
}

/** Word stems of a diagnosis name that show a sentence is about it ("hypertension" also matches "blood pressure"). */
function problemPattern(name: string): RegExp {
  const words = name
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 3 && !/^(chronic|acute|left|right|bilateral|with|without|type)$/.test(w));
  const extra = /hypertension/.test(name)
    ? ['blood pressure']
    : /diabetes/.test(name)
      ? ['sugar', 'a1c', 'metformin', 'insulin', 'glucose']
      : /hyperlipidemia/.test(name)
        ? ['cholesterol', 'lipid', 'statin']
        : /depression/.test(name)
          ? ['mood', 'antidepressant']
          : [];
  const alts = [...words.map((w) => w.replace(/[^a-z0-9-]/g, '')), ...extra].filter(Boolean);
  return new RegExp(`\\b(?:${alts.join('|') || '(?!)'})`, 'i');
}

/**
 * Groups plan entries under the problems they belong to. Returns the assessment-and-plan sentences: one per
 * problem ("Diagnosis. Item. Item.", citing every turn it draws on), then the items that belong to no problem.
 */
export function problemOrientedPlan(
  entries: PlanEntry[],
  mentions: ProblemMention[],
  values: ProblemValue[] = [],
): Array<DraftSentence & { problem?: string }> {
  const problems: Array<{
    name: string;
    first: number;
    evidence: string[];
    items: PlanEntry[];
    pattern: RegExp;
    stated: boolean;
    status?: { text: string; segmentId: string; at: number };
  }> = [];
  for (const m of [...mentions].sort((a, b) => a.at - b.at)) {
    const had = problems.find((p) => p.name === m.name || p.pattern.test(m.name) || problemPattern(m.name).test(p.name));
    const status = m.status ? { text: m.status, segmentId: m.segmentId, at: m.at } : undefined;
    if (had) {
      // The diagnosis the clinician states names the problem better than the words it was first raised with ("kidney
      // stones" ... "consistent with acute nephrolithiasis"; "pituitary lesion" ... "pituitary adenoma").
      if (m.stated && m.name !== had.name && (!had.stated || VAGUE_HEAD.test(had.name))) {
        had.name = m.name;
        had.pattern = new RegExp(`${had.pattern.source}|${problemPattern(m.name).source}`, 'i');
      }
      had.stated ||= m.stated === true;
      if (status && !had.status) had.status = status;
      continue;
    }
    problems.push({
      name: m.name,
      first: m.at,
      evidence: [m.segmentId],
      items: [],
      pattern: problemPattern(m.name),
      stated: m.stated === true,
      ...(status ? { status } : {}),
    });
  }
  const general: PlanEntry[] = [];
  for (const e of [...entries].sort((a, b) => a.at - b.at)) {
    // "His diabetes." only restates the problem it heads.
    if (/^(?:his|her|their|the|your)\s+[a-z -]+\.$/i.test(e.text) && e.text.split(/\s+/).length <= 4 && !STATUS.test(e.text)) continue;
    const named = problems.filter((p) => p.pattern.test(e.said));
    let target = named.length === 1 ? named[0] : undefined;
    if (named.length > 1) {
      // A turn that names several problems ("for your second problem of your coronary artery disease i want to order an
      // echocardiogram to follow up on that heart murmur"): the item belongs to the problem the turn introduces, else to
      // the one the item itself names.
      const introduced = named.filter((p) => mentions.some((m) => m.at === e.at && (m.name === p.name || p.pattern.test(m.name))));
      const own = named.filter((p) => p.pattern.test(e.text));
      target = introduced.length === 1 ? introduced[0] : own.length === 1 ? own[0] : undefined;
    }
    if (!target && named.length === 0) {
      // The problem under discussion: the last one introduced at or before this sentence (within 12 sentences).
      const before = problems.filter((p) =>
        mentions.some((m) => (m.name === p.name || p.pattern.test(m.name)) && m.at <= e.at && e.at - m.at <= 12),
      );
      target = before.sort((a, b) => lastMention(b, mentions, e.at) - lastMention(a, mentions, e.at))[0];
    }
    const list = target ? target.items : general;
    if (!list.some((x) => sameItem(x.text, e.text))) list.push(e);
  }
  // A visit about one problem: the whole plan is that problem's, including what was said before it was named.
  const only = problems.length === 1 ? problems[0]! : undefined;
  if (only && general.length > 0) {
    for (const e of general.splice(0)) if (!only.items.some((x) => sameItem(x.text, e.text))) only.items.push(e);
    only.items.sort((a, b) => a.at - b.at);
  }
  const out: Array<DraftSentence & { problem?: string }> = [];
  for (const p of problems) {
    // The value that shows how the problem is doing (the first the clinician read out), and the status it gives
    // against a goal the clinician stated when they said no status in words.
    const value = values.find((v) => v.problem.test(p.name));
    const status = p.status ?? (value?.status ? { text: value.status, segmentId: value.segmentId, at: value.at } : undefined);
    if (p.items.length === 0 && !p.stated && !status && !value) continue;
    // A problem's line stays readable: at most MAX_ITEMS items, the plan actions (orders, medicine changes, advice) first.
    const items =
      p.items.length <= MAX_ITEMS
        ? p.items
        : [...p.items]
            .sort((a, b) => Number(!ACTION.test(a.text)) - Number(!ACTION.test(b.text)) || a.at - b.at)
            .slice(0, MAX_ITEMS)
            .sort((a, b) => a.at - b.at);
    const heading = writtenProblem(`${status ? `${p.name}, ${status.text}` : p.name}${value ? ` (${value.text})` : ''}`);
    const text = [heading, ...items.map((i) => i.text)].join(' ');
    // Evidence in transcript order (the mention that names the problem may come after an item that names it too).
    const cited = [
      { at: p.first, ids: p.evidence },
      ...(status ? [{ at: status.at, ids: [status.segmentId] }] : []),
      ...(value ? [{ at: value.at, ids: [value.segmentId] }] : []),
      ...items.map((i) => ({ at: i.at, ids: i.evidence })),
    ].sort((a, b) => a.at - b.at);
    out.push({ text, evidence: [...new Set(cited.flatMap((c) => c.ids))], problem: p.name });
    // What the line has no room for follows it, each item on its own: nothing the clinician said is lost to the cap.
    for (const i of p.items) if (!items.includes(i)) out.push({ text: i.text, evidence: i.evidence });
  }
  for (const g of general) out.push({ text: g.text, evidence: g.evidence });
  return out;
}

const MAX_ITEMS = 12;
/** Diagnoses written as capital abbreviations ("Copd." -> "COPD."). */
const ABBREVIATION = /\b(?:chf|cad|ckd|bph|dvt|uti|copd|gerd|hiv|adhd|ptsd|mcl|acl)\b/gi;

/** Diagnosis abbreviations in capitals ("chf" -> "CHF"). */
export function abbreviationsInCapitals(text: string): string {
  return text.replace(ABBREVIATION, (w) => w.toUpperCase());
}

/** A problem as the note writes it on a line of its own ("copd" -> "COPD."). */
export function writtenProblem(name: string): string {
  return abbreviationsInCapitals(terminate(capitalize(name)));
}
/** A problem name that says where, not what ("pituitary lesion", "knee pain"). */
const VAGUE_HEAD = /\b(?:lesions?|mass|nodules?|pain|swelling|symptoms?|injury)$/i;
const ACTION =
  /^(?:Order|Start|Restart|Increase|Decrease|Reduce|Stop|Discontinue|Hold|Continue|Refill|Prescribe|Refer|Schedule|Repeat|Follow up|Advised to|Place|Dispense|Check|Recheck)\b/;

/** Two plan items say the same (an order spoken and then dictated to the assistant): one's words contain the other's. */
function sameItem(a: string, b: string): boolean {
  const words = (t: string): Set<string> =>
    new Set(
      t
        .toLowerCase()
        .replace(/[^a-z0-9 ]+/g, ' ')
        .split(/\s+/)
        .filter((w) => w.length > 2 && !/^(the|and|another|order|repeat|for|with)$/.test(w)),
    );
  const x = words(a);
  const y = words(b);
  if (x.size === 0 || y.size === 0) return false;
  const [small, big] = x.size <= y.size ? [x, y] : [y, x];
  return [...small].every((w) => big.has(w));
}

function lastMention(p: { name: string; pattern: RegExp }, mentions: ProblemMention[], at: number): number {
  return Math.max(-1, ...mentions.filter((m) => (m.name === p.name || p.pattern.test(m.name)) && m.at <= at).map((m) => m.at));
}
