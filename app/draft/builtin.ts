import type { Draft, DraftSection, DraftSentence, Transcript } from '../contract/index.ts';
import { sentenceDefects, segmentTexts } from './evidence-guard.ts';
import { SECTION_CLASSES, utteranceFeatures, type SectionClass } from './features.ts';
import { DrugLexicon, medicationsIn, type MedicationMention } from './rules/medication.ts';
import { pertinentFinding, answerPolarity, questionTopic, statedNegative } from './rules/negation.ts';
import { cleanSpoken, clinicianToNoteStyle, inferPatientReference, otherToNoteStyle, patientToThirdPerson, unlabelledToNoteStyle, NEUTRAL_PATIENT, type PatientReference } from './rules/note-style.ts';
import { formatVitalSign, vitalSignsIn } from './rules/vitals.ts';
import { bodySystemOf, withClinicalTerms } from './rules/clinical-language.ts';
import type { SectionModel } from './section-model.ts';
import type { ContentKind, DraftTemplate } from './templates.ts';
import { capitalize, terminate, wordTokens } from './text.ts';
import { utterancesOf, type Utterance } from './utterances.ts';

/**
 * The builtin drafter: classify each utterance into a note section with the trained model, rewrite the
 * kept ones in note style with the rules, cite their segments, drop anything the evidence guard rejects,
 * and lay the result out with the chosen template.
 */

export interface BuiltinSettings {
  /** Minimum class probability for an utterance to enter the note, per class. */
  thresholds: Record<Exclude<SectionClass, 'none'>, number>;
  /** Most patient-instruction items. */
  maxInstructions: number;
  /** Share of the conversation's words the note may use (ACI-Bench notes are about a third as long). */
  budgetShare: number;
  /** Word budget of short visits. */
  minWords: number;
  /** Salience added to sentences that state a medication with dose or frequency. */
  medicationBonus: number;
  /** Salience added per specific clinical term a sentence names (up to three). */
  termBonus: number;
  /** Salience added to a yes/no answer to a question naming a clinical term (a pertinent negative/positive). */
  pertinentBonus: number;
}

export const DEFAULT_SETTINGS: BuiltinSettings = {
  thresholds: { hpi: 0.3, ros: 0.3, exam: 0.3, results: 0.3, plan: 0.3 },
  maxInstructions: 8,
  budgetShare: 0.38,
  minWords: 60,
  medicationBonus: 0.15,
  termBonus: 0.15,
  pertinentBonus: 0.1,
};

export interface DraftContext {
  problems?: string[];
  medications?: string[];
}

type Content = Record<ContentKind, DraftSentence[]>;

const CHATTER = /^(i am dr|i'm dr|i am doctor|i'm doctor|my name is|nice to meet|how are you|nice to (meet|see) you|thank you|thanks|good morning|good afternoon|hi|hello|bye|goodbye|have a (good|great|nice)|take care|you too|see you|sounds good|that sounds|that's great|that's good|i'm good|i'm fine|i'm doing (okay|ok|well|good|fine)|doing (well|good|okay))\b/i;
const DICTATION_CUE = /\b(hey dragon|dax|dragon|show me|finalize the note|end of (the )?note|next patient)\b/i;
const HISTORY_CUE = /\b(history of|past medical|surger(y|ies)|operation|smok(e|es|ed|ing)|cigarettes?|alcohol|drinks?|drinking|allerg(y|ies|ic)|family history|mother|father|sister|brother|married|lives (with|alone)|works? (as|at)|retired|medications? (list|include)|currently tak(e|es|ing))\b/i;
const INSTRUCTION_CUE = /\b(take|taking|start|continue|stop|increase|decrease|schedule|follow up|follow-up|come back|call|return|avoid|keep|use|apply|ice|rest|elevate|drink|order|refer|referral|see (a|the|you)|check|monitor|make an appointment|pick up|send|prescri(be|ption)|physical therapy|exercise|diet|walk)\b/i;
const PLAN_SPEECH: Array<[RegExp, string]> = [
  [/\b(i am|i'm|we are|we're) going to\b/gi, 'we will'],
  [/\b(i want|i'd like|i would like|we want|we'd like|we would like) (you )?to\b/gi, 'please'],
  [/\b(i think|i feel like|i believe) (that )?/gi, ''],
];

export interface BuiltinParts {
  model: SectionModel;
  lexicon: DrugLexicon;
  /** Specific clinical terms (conditions, findings, drugs): sentences naming them are more salient. */
  clinicalTerms: DrugLexicon;
  settings?: BuiltinSettings;
}

export interface ComposeInput {
  transcript: Transcript;
  template: DraftTemplate;
  context?: DraftContext;
  keep?: Draft;
  generatedAt: string;
  engineVersion: string;
}

export class BuiltinDrafter {
  private readonly settings: BuiltinSettings;
  constructor(private readonly parts: BuiltinParts) {
    this.settings = parts.settings ?? DEFAULT_SETTINGS;
  }

  /** Content of each kind, each sentence with its evidence, already filtered by the evidence guard. */
  async content(transcript: Transcript, context: DraftContext = {}): Promise<Content> {
    const content: Content = { chief_complaint: [], hpi: [], history: [], ros: [], vitals: [], exam: [], results: [], assessment_plan: [], instructions: [] };
    const utterances = utterancesOf(transcript);
    if (utterances.length === 0) return content;
    const who = patientReference(utterances);
    const probabilities = await this.parts.model.classify(utterances.map((u) => utteranceFeatures(u)));
    const segments = segmentTexts(transcript);
    const sides = sideMentions(utterances.map((u) => u.text).join('\n'));
    // The chart's medications and problems make sentences that name them more salient; they are never written
    // into the note unless said in the visit (every sentence still comes from the transcript).
    const chart = new DrugLexicon([...(context.medications ?? []), ...(context.problems ?? [])].map(chartName).filter((n) => n.length >= 3));
    const seen = new Set<string>();
    const add = (kind: ContentKind, text: string, evidence: string[]): void => {
      const t = text.trim();
      if (wordTokens(t).length < 2) return;
      const key = `${kind}|${t.toLowerCase()}`;
      if (seen.has(key)) return;
      const sentence = { text: t, evidence: [...new Set(evidence)] };
      if (sentenceDefects(sentence, segments, this.parts.lexicon).length > 0) return;
      if (contradictsSides(t, sides)) return;
      seen.add(key);
      content[kind].push(sentence);
    };

    for (const cc of chiefComplaintCandidates(utterances)) {
      add('chief_complaint', cc.text, cc.evidence);
      if (content.chief_complaint.length > 0) break;
    }

    const medications = medicationsDiscussed(utterances, this.parts.lexicon);
    if (medications) add('history', medications.text, medications.evidence);

    const vitalsSeen = new Set<string>();
    for (const u of utterances) {
      for (const v of vitalSignsIn(u.text)) {
        if (vitalsSeen.has(v.name)) continue;
        vitalsSeen.add(v.name);
        add('vitals', terminate(formatVitalSign(v)), [u.segmentId]);
      }
    }

    // Salience: the probability that a sentence belongs in the note at all; its section is the likeliest other
    // class. The most salient sentences are kept until the note reaches its word budget (a share of the
    // conversation's words), then written in transcript order.
    const candidates: Array<{ i: number; u: Utterance; cls: Exclude<SectionClass, 'none'>; salience: number; sentences: DraftSentence[] }> = [];
    const sectionProbabilities = smoothSections(probabilities.map((p, i) => withSectionCues(p, utterances[i]!)));
    for (let i = 0; i < utterances.length; i++) {
      // Long visits: let other work (IPC, recording of the next visit) run between slices of sentences.
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const u = utterances[i]!;
      const p = probabilities[i]!;
      const cls = contentClass(sectionProbabilities[i]!);
      const hasMedication = medicationsIn(u.text, this.parts.lexicon).some((m) => m.dose || m.frequency);
      const said = u.isQuestion ? '' : `${u.text} ${answerPolarity(u.text) ? u.previous : ''}`;
      const terms = new Set([...this.parts.clinicalTerms.find(said), ...chart.find(said)].map((t) => t.name)).size;
      // A yes/no answer to a symptom question becomes a short pertinent positive or negative: dense, so favoured.
      const pertinent = !u.isQuestion && answerPolarity(u.text) !== null && u.isAnswerToQuestion && terms > 0;
      const salience = 1 - p[0]! + (hasMedication ? this.settings.medicationBonus : 0) + Math.min(3, terms) * this.settings.termBonus + (pertinent ? this.settings.pertinentBonus : 0);
      if (salience < this.settings.thresholds[cls]) continue;
      if (DICTATION_CUE.test(u.text) && wordTokens(u.text).length < 12) continue;
      const sentences = noteSentences(u, who);
      if (sentences.length > 0) candidates.push({ i, u, cls, salience, sentences });
    }
    const totalWords = utterances.reduce((sum, u) => sum + wordTokens(u.text).length, 0);
    const budget = Math.max(this.settings.minWords, Math.round(totalWords * this.settings.budgetShare));
    const chosen = new Set<number>();
    let words = 0;
    for (const c of [...candidates].sort((a, b) => b.salience - a.salience || a.i - b.i)) {
      if (words >= budget) break;
      chosen.add(c.i);
      words += c.sentences.reduce((sum, s) => sum + wordTokens(s.text).length, 0);
    }
    for (const c of candidates) {
      if (!chosen.has(c.i)) continue;
      const kind = kindFor(c.cls, c.u);
      // A sentence that only reads out vital signs is already in the vitals list.
      if (vitalSignsIn(c.u.text).length > 0 && wordTokens(c.u.text).length < 16) continue;
      for (const s of c.sentences) {
        // Pertinent positives/negatives (from a question and its answer) are history or review of systems.
        const k = s.evidence.length > 1 && / (denies|reports) /.test(s.text) && kind !== 'history' ? 'ros' : kind;
        add(k, styleFor(k, s.text, c.u), s.evidence);
      }
      if (c.cls === 'plan' && c.u.speaker !== 'patient' && !c.u.isQuestion && INSTRUCTION_CUE.test(c.u.text)) {
        const item = instructionText(c.u.text);
        if (item && content.instructions.length < this.settings.maxInstructions) add('instructions', item, [c.u.segmentId]);
      }
    }
    return content;
  }

  async compose(input: ComposeInput): Promise<Draft> {
    const content = await this.content(input.transcript, input.context);
    const kept = new Map((input.keep?.sections ?? []).filter((s) => s.edited).map((s) => [s.id, s]));
    const sections: DraftSection[] = [];
    for (const spec of input.template.sections) {
      const k = kept.get(spec.id);
      if (k) {
        sections.push({ ...k, title: k.title || spec.title });
        kept.delete(spec.id);
        continue;
      }
      const sentences = spec.fill.flatMap((kind) => content[kind]);
      sections.push({ id: spec.id, title: spec.title, text: sectionText(sentences, spec.style), sentences, edited: false });
    }
    // Edited sections the new template has no place for are kept at the end: an edit is never lost.
    for (const k of kept.values()) sections.push(k);
    return {
      template: input.template.name,
      engine: 'builtin',
      engineVersion: input.engineVersion,
      generatedAt: input.generatedAt,
      version: (input.keep?.version ?? 0) + 1,
      sections,
    };
  }
}

/**
 * One line listing the medications the visit discussed, each with the fullest dose and frequency said for it:
 * "Medications discussed: Lasix 80 mg once a day, lisinopril 20 mg a day." (cites every segment it draws on).
 */
export function medicationsDiscussed(utterances: Utterance[], lexicon: DrugLexicon): { text: string; evidence: string[] } | null {
  const best = new Map<string, { mention: MedicationMention; segmentId: string; score: number }>();
  for (const u of utterances) {
    for (const m of medicationsIn(u.text, lexicon)) {
      // A drug counts as discussed with a dose or frequency, or when someone takes, starts or stops it.
      const taking = new RegExp(`\\b(?:take|takes|taking|took|on|prescrib\\w*|start\\w*|using|used|tried|refill\\w*|continue\\w*|stop\\w*|increase\\w*|decrease\\w*)\\b(?:\\s+\\S+){0,4}\\s+${m.drug.replace(/[^a-z0-9 ]/g, '')}\\b`, 'i');
      if (!m.dose && !m.frequency && !taking.test(u.text)) continue;
      const score = (m.dose ? 2 : 0) + (m.frequency ? 1 : 0);
      const had = best.get(m.drug);
      if (!had || score > had.score) best.set(m.drug, { mention: m, segmentId: u.segmentId, score });
    }
  }
  if (best.size === 0) return null;
  const items = [...best.values()].map(({ mention: m }) => [capitalize(m.drug), m.dose, m.frequency].filter(Boolean).join(' '));
  return { text: terminate(`Medications discussed: ${items.join(', ')}`), evidence: [...best.values()].map((b) => b.segmentId) };
}

/** "Lisinopril 20 MG Oral Tablet" -> "lisinopril"; "Essential hypertension (disorder)" -> "essential hypertension". */
export function chartName(entry: string): string {
  return entry.toLowerCase().replace(/\([^)]*\)/g, ' ').split(/\d/)[0]!.replace(/[^a-z -]+/g, ' ').replace(/\s+/g, ' ').trim().split(' ').slice(0, 3).join(' ');
}

const SIDED_PART = /\b(left|right)(?:[- ]sided)?\s+(?:[a-z]+\s+)?(knee|shoulder|elbow|wrist|hand|foot|ankle|hip|leg|arm|eye|ear|side|breast|finger|thumb|toe|lung|kidney|flank|heel|calf|thigh|forearm)s?\b/gi;

/** How often the visit names each side of each body part ("left knee" 5, "right knee" 1). */
export function sideMentions(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(SIDED_PART)) {
    const key = `${m[1]!.toLowerCase()} ${m[2]!.toLowerCase()}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * A sentence naming one side of a body part the rest of the visit names mostly on the other side ("it's not the
 * right knee, it's the left knee") is left out: a wrong side is worse than a missing sentence.
 */
export function contradictsSides(sentence: string, counts: ReadonlyMap<string, number>): boolean {
  for (const m of sentence.matchAll(SIDED_PART)) {
    const side = m[1]!.toLowerCase();
    const part = m[2]!.toLowerCase();
    const other = side === 'left' ? 'right' : 'left';
    if ((counts.get(`${other} ${part}`) ?? 0) > (counts.get(`${side} ${part}`) ?? 0)) return true;
  }
  return false;
}

export function sectionText(sentences: DraftSentence[], style: 'prose' | 'list'): string {
  if (style === 'list') return sentences.map((s) => `- ${s.text}`).join('\n');
  return sentences.map((s) => s.text).join(' ');
}

const NEIGHBOUR_WEIGHTS = [1, 0.7, 0.5, 0.35, 0.25];

/** Clinical cue phrases: a rule prior added to the model's section probabilities for clinician sentences. */
const SECTION_CUES: Array<[Exclude<SectionClass, 'none'>, RegExp]> = [
  ['plan', /\b(prescrib\w*|going to (?:order|start|increase|decrease|refer|send|schedule|put|give|continue|stop|have)|will (?:order|start|increase|decrease|refer|send|schedule|continue|stop|follow)|want (?:you|him|her) to|refer(?:ral)?|follow[- ]up|come back|return (?:to|in)|recommend\w*|my (?:assessment|plan|impression)|diagnosis)\b/i],
  ['exam', /\b(on (?:physical )?exam(?:ination)?|physical exam\w*|on (?:my )?exam|i (?:do )?(?:hear|appreciate|feel|see|note)|lungs? (?:are|is|sound)|heart (?:is|sounds)|range of motion|tender(?:ness)? to palpation|no (?:edema|murmurs?|tenderness|swelling)|palpat\w*|auscultation)\b/i],
  ['results', /\b(x-?rays?|mri|ct scan|cat scan|ultrasound|echocardiogram|ekg|ecg|labs?|lab work|blood work|blood test|results?|a1c|hemoglobin|cholesterol|lipid panel|urinalysis|biopsy|imaging|showed|revealed|came back)\b/i],
];
const CUE_PRIOR = 0.25;
const YIELD_EVERY = 250;

/**
 * A visit moves through its sections (history, examination, results, plan), so a sentence's section is read
 * together with its neighbours': each content-class probability is averaged over a window of sentences,
 * weighted by how much each neighbour is itself note content.
 */
export function smoothSections(probabilities: Float32Array[]): Float32Array[] {
  // Short visits have no long sections to read from: the window grows with the visit, up to 4 sentences.
  const reach = Math.min(NEIGHBOUR_WEIGHTS.length - 1, Math.floor(probabilities.length / 15));
  return probabilities.map((_, i) => {
    const out = new Float32Array(probabilities[i]!.length);
    for (let d = -reach; d <= reach; d++) {
      const q = probabilities[i + d];
      if (!q) continue;
      const w = NEIGHBOUR_WEIGHTS[Math.abs(d)]! * (d === 0 ? 1 : 1 - q[0]!);
      for (let c = 1; c < q.length; c++) out[c] = out[c]! + w * q[c]!;
    }
    return out;
  });
}

function withSectionCues(p: Float32Array, u: Utterance): Float32Array {
  if (u.speaker === 'patient') return p;
  const out = Float32Array.from(p);
  for (const [cls, re] of SECTION_CUES) if (re.test(u.text)) out[SECTION_CLASSES.indexOf(cls)] = out[SECTION_CLASSES.indexOf(cls)]! + CUE_PRIOR;
  return out;
}

/** The likeliest section other than 'none' (SECTION_CLASSES[0]). */
function contentClass(p: Float32Array): Exclude<SectionClass, 'none'> {
  let best = 1;
  for (let c = 2; c < p.length; c++) if (p[c]! > p[best]!) best = c;
  return (SECTION_CLASSES[best] ?? 'hpi') as Exclude<SectionClass, 'none'>;
}

function kindFor(cls: Exclude<SectionClass, 'none'>, u: Utterance): ContentKind {
  if (cls === 'plan') return 'assessment_plan';
  if (cls === 'hpi') return HISTORY_CUE.test(u.text) || HISTORY_CUE.test(u.previous) ? 'history' : 'hpi';
  return cls;
}

function patientReference(utterances: Utterance[]): PatientReference {
  const clinician = utterances.filter((u) => u.speaker === 'clinician').map((u) => u.text).join(' ');
  if (clinician) return inferPatientReference(clinician);
  return NEUTRAL_PATIENT;
}

const PROBLEM_LEAD = /^(?:so,? |and,? |now,? |okay,? )?(?:for|regarding|in terms of|as far as|as for|with regards? to|moving on to|from an?|from the) (?:his|her|their|your|the)? ?(?:(?:first|second|third|fourth|next|last|final|other) )?(?:problem|issue|concern)?,? ?(?:of |is )?(?:his|her|their|your|the)? ?([a-z][a-z0-9' -]{2,50}?)(?: standpoint| wise| perspective)?[,.:] +(.+)$/i;

/** "For her first problem her congestive heart failure, we will ..." -> "Congestive heart failure: we will ..." */
export function planItem(text: string): string {
  const m = PROBLEM_LEAD.exec(text);
  if (!m || !m[1] || !m[2] || m[1].split(' ').length > 6) return text;
  return `${capitalize(m[1].trim())}: ${capitalize(m[2].trim())}`;
}

/** Review-of-systems and examination items are labelled with their body system; lay words get their clinical term. */
function styleFor(kind: ContentKind, text: string, u: Utterance): string {
  if (kind === 'assessment_plan') return planItem(text);
  const translated = u.speaker === 'clinician' ? text : withClinicalTerms(text);
  if (kind !== 'ros' && kind !== 'exam') return translated;
  const system = bodySystemOf(translated);
  return system ? `${system}: ${translated}` : translated;
}

/** The note sentences an utterance yields (none for questions that got no yes/no answer, chatter, fragments). */
export function noteSentences(u: Utterance, who: PatientReference): DraftSentence[] {
  const cleaned = cleanSpoken(u.text);
  if (!cleaned || CHATTER.test(cleaned)) {
    // A bare "no"/"yes" still answers the question before it.
  }
  const out: DraftSentence[] = [];
  if (u.speaker === 'patient' || u.speaker === 'other' || u.speaker === undefined) {
    const polarity = answerPolarity(u.text);
    if (polarity && /\?\s*$/.test(u.previous) && u.previousSegmentId) {
      const f = pertinentFinding(u.previous, u.text, who);
      if (f) out.push({ text: f.text, evidence: [u.previousSegmentId, u.segmentId] });
      const rest = cleaned.replace(/^(no|nope|nah|yes|yeah|yep|yup|not really|correct)\b[,.]?\s*/i, '');
      if (wordTokens(rest).length >= 5 && u.speaker === 'patient' && !f?.text.startsWith('Regarding ')) out.push({ text: patientToThirdPerson(rest, who), evidence: [u.segmentId] });
      return out;
    }
  }
  if (u.isQuestion || !cleaned || CHATTER.test(cleaned) || wordTokens(cleaned).length < 3) return out;
  if (u.speaker === 'patient') {
    const neg = statedNegative(u.text, who);
    const topic = /\?\s*$/.test(u.previous) && u.previousSegmentId ? questionTopic(u.previous) : null;
    if (!neg && topic && !new RegExp(`\\b${topic.replace(/[^a-z0-9 ]/gi, '')}\\b`, 'i').test(u.text)) {
      out.push({ text: `${capitalize(topic)}: ${patientToThirdPerson(u.text, who)}`, evidence: [u.previousSegmentId!, u.segmentId] });
      return out;
    }
    out.push({ text: neg ?? patientToThirdPerson(u.text, who), evidence: [u.segmentId] });
  } else if (u.speaker === 'clinician') {
    out.push({ text: clinicianToNoteStyle(u.text, who), evidence: [u.segmentId] });
  } else {
    out.push({ text: u.speaker === 'other' ? otherToNoteStyle(u.text) : unlabelledToNoteStyle(u.text), evidence: [u.segmentId] });
  }
  return out;
}

/** Plain-language instruction for the after-visit summary, addressed to the patient. */
export function instructionText(text: string): string {
  // Orders dictated to the record ("hey dragon, order a lipid panel") and talk about the patient in the third
  // person are for the chart, not for the patient.
  if (/^(?:hey,? )?(?:dragon|dax)\b|^order\b/i.test(cleanSpoken(text)) || !/\b(you|your|we|we'll|let's|please)\b/i.test(text)) return '';
  let s = cleanSpoken(text);
  for (const [re, rep] of PLAN_SPEECH) s = s.replace(re, rep);
  s = s
    .replace(/\bI-?please\b/gi, 'please')
    .replace(/\bwe can prescribe you\b/gi, 'we are prescribing')
    .replace(/\bi'm\b/gi, 'I am')
    .replace(/\bi\b/g, 'I')
    .replace(/\s{2,}/g, ' ')
    .trim();
  if (wordTokens(s).length < 3) return '';
  return capitalize(terminate(s.replace(/,\s*(?:okay|ok|right|alright|all right)\s*[.?!]?$/i, '')));
}

const CC_LEAD = /\b(?:here|in|coming in|come in|came in|presents?|presenting|seen|seeing you|referred|being seen|consultation|evaluation)(?:\s+(?!for\b|with\b)[a-z.']+){0,5}?\s+(?:for|with|because of)\s+(?:an? |the |some |her |his |your |my |this |that |evaluation of )*(.+)$/i;
const CC_CUT = /[,;]| and (?:i|we|you|she|he)\b| so\b| but\b| because\b| today\b| can you\b| tell me\b| what\b| how\b| is that\b| that (?:you|she|he|i)\b| which\b| who\b| since\b| okay\b/i;
const OPENER = /\b(?:what (?:brings|brought) you in|what(?:'s| is| has) (?:been )?going on|how can i help|what can i do for you|what seems to be the (?:problem|trouble)|tell me what brings you)\b/i;
const COMPLAINT = /\b((?:(?:left|right|lower|upper|chronic|sharp|dull|severe|worsening|new|long-standing)[- ])*(?:[a-z]+ ){0,2}?(?:pain|aches?|injury|bite|rash|cough|swelling|lesion|ulcer|fevers?|headaches?|anemia|stones?|infection|fracture|sprain|numbness|bleeding|lump|wound|burn|problems?|sore throat|shortness of breath|dizziness))\b/i;
const NOT_COMPLAINT_START = /^(?:the|a|an|this|that|my|your|his|her|some|any|of|in|on|no|any|and|so|but|have|had|been|having)\s+/i;

function complaintPhrase(text: string): string | null {
  const m = COMPLAINT.exec(cleanSpoken(text));
  if (!m || !m[1]) return null;
  let phrase = m[1];
  for (let i = 0; i < 3; i++) phrase = phrase.replace(NOT_COMPLAINT_START, '');
  return wordTokens(phrase).length >= 1 && !/^(any|no|the)$/i.test(phrase) ? phrase : null;
}

function ccSentence(phrase: string): string {
  return capitalize(terminate(phrase.replace(/\b(your|my|her|his)\b\s*/gi, '').replace(/\s{2,}/g, ' ').trim()));
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
      if (words.length >= 1 && words.length <= 8 && !/\b(you|i|we|me|this|that|it|us|a|the)$/i.test(phrase)) out.push({ text: ccSentence(phrase), evidence: [u.segmentId] });
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
