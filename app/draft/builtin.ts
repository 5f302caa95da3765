import type { ChartCitation, Draft, DraftSection, DraftSentence, Transcript } from '../contract/index.ts';
import { confidentTexts, sentenceDefects, segmentTexts } from './evidence-guard.ts';
import { utteranceFeatures, type SectionClass } from './features.ts';
import { namesHistoryWord } from './rules/clinical-language.ts';
import { commandOrder, commandReview, isBareWakePhrase, isCommand, isScribeDirection, reviewedSentence } from './rules/commands.ts';
import {
  chartName,
  chiefComplaintCandidates,
  currentMedications,
  historyOpening,
  onsetOf,
  readsAsReason,
  sameProblem,
  type ChartFacts,
} from './rules/history.ts';
import { DrugLexicon, medicationsIn } from './rules/medication.ts';
import { answerPolarity } from './rules/negation.ts';
import { patientInstructions, visitAdvice } from './rules/instructions.ts';
import { inferPatientReference, NEUTRAL_PATIENT, neutralPossessive, type PatientReference } from './rules/note-style.ts';
import {
  chartProblemName,
  isPlanItem,
  mentionsProblem,
  problemOrientedPlan,
  problemStatus,
  statedDiagnosis,
  problemsNamed,
  type PlanEntry,
  type ProblemMention,
  writtenProblem,
} from './rules/plan.ts';
import { Heard } from './rules/heard.ts';
import { problemValues } from './rules/problem-values.ts';
import { withoutNamesSpokenTo } from './rules/names.ts';
import { needsReferent, withoutRestated } from './rules/readable.ts';
import { contentClass, kindFor, sectionText, smoothSections, styledParts, styleFor, withSectionCues } from './rules/sections.ts';
import { isPlanStatement, knownBeforeAsking, noteSentences, saidByClinician } from './rules/sentences.ts';
import { contradictsSides, sideMentions } from './rules/sides.ts';
import { formatVitalSign, vitalSignsIn, vitalSignsInTurn } from './rules/vitals.ts';
import type { SectionModel } from './section-model.ts';
import type { ContentKind, DraftTemplate } from './templates.ts';
import { splitSentences, terminate, wordTokens } from './text.ts';
import { utterancesOf, withAnswersApart, withCutsAtWords, withRolesSettled, type Utterance } from './utterances.ts';

export { chartName, chiefComplaint } from './rules/history.ts';
export { contradictsSides, sideMentions } from './rules/sides.ts';

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
  /** Salience added to a clinician's sentence that states a plan item ("i'm going to order ..."); default 0.1. */
  planBonus?: number;
}

export const DEFAULT_SETTINGS: BuiltinSettings = {
  thresholds: { hpi: 0.3, ros: 0.3, exam: 0.3, results: 0.3, plan: 0.3 },
  maxInstructions: 8,
  budgetShare: 0.38,
  minWords: 60,
  medicationBonus: 0.15,
  termBonus: 0.15,
  pertinentBonus: 0.1,
  planBonus: 0.1,
};

export interface DraftContext {
  problems?: string[];
  medications?: string[];
  /** The patient's sex on the chart, used for pronouns when the conversation does not settle them. */
  sex?: 'female' | 'male';
  /** The patient as the chart has them: the history opening states what the visit does not, cited to the chart (decision 0204). */
  patient?: { reference: string; name?: string; birthDate?: string; gender?: string };
  /** The visit day (YYYY-MM-DD): an age from the chart's birth date is the age on that day. */
  visitDate?: string;
  /** The chart's problems with the resource each came from ("Condition/abc"), for citing a problem named from the chart. */
  conditions?: Array<{ reference: string; display: string }>;
}

type Content = Record<ContentKind, DraftSentence[]>;

const YIELD_EVERY = 250;

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

interface Candidate {
  i: number;
  u: Utterance;
  cls: Exclude<SectionClass, 'none'>;
  salience: number;
  sentences: DraftSentence[];
  plan: boolean;
}

const ADDRESSED =
  /^(?![A-Za-z]+ly,|(?:Also|Now|Today|Yesterday|Otherwise|However|Again|Overall|Since|Then|Yes|No|So|Well|Okay|Still|Thus)\b)[A-Z][a-z]+, /;

export class BuiltinDrafter {
  private readonly settings: BuiltinSettings;
  constructor(private readonly parts: BuiltinParts) {
    this.settings = parts.settings ?? DEFAULT_SETTINGS;
  }

  /** Content of each kind, each sentence with its evidence, already filtered by the evidence guard. */
  async content(transcript: Transcript, context: DraftContext = {}): Promise<Content> {
    const content: Content = {
      chief_complaint: [],
      hpi: [],
      history: [],
      ros: [],
      vitals: [],
      exam: [],
      results: [],
      assessment_plan: [],
      instructions: [],
    };
    const utterances = withoutNamesSpokenTo(withCutsAtWords(withAnswersApart(withRolesSettled(utterancesOf(transcript)))));
    if (utterances.length === 0) return content;
    const { lexicon, clinicalTerms } = this.parts;
    const who = patientReference(utterances, context.sex);
    const probabilities = await this.parts.model.classify(utterances.map((u) => utteranceFeatures(u)));
    const segments = segmentTexts(transcript);
    const confident = confidentTexts(transcript);
    const sides = sideMentions(utterances.map((u) => u.text).join('\n'));
    // The chart's medications and problems make sentences that name them more salient; a chart problem is named in
    // the plan only when the visit names it, and nothing else from the chart is written into the note.
    const chart = new DrugLexicon(
      [...(context.medications ?? []), ...(context.problems ?? [])].map(chartName).filter((n) => n.length >= 3),
    );
    const termsOf = (text: string): string[] => clinicalTerms.find(text).map((t) => t.name);
    // A history sentence says something clinical: a term, a chart problem or medicine, a drug, a number or
    // duration. Small talk rewritten into the third person ("It has been a while.") is left in the transcript.
    const clinicalContent = (text: string): boolean =>
      !ADDRESSED.test(text) &&
      (termsOf(text).length > 0 ||
        chart.find(text).length > 0 ||
        medicationsIn(text, lexicon).length > 0 ||
        /\d/.test(text) ||
        /\([a-z ]+\)/.test(text) || // a lay word with its clinical term beside it
        namesHistoryWord(text));
    // From speech recognition: a sentence states only what the recognizer was sure it heard (decision 0200).
    const heard = new Heard(transcript, lexicon);
    const asHeard = (sentence: DraftSentence): DraftSentence[] =>
      heard.empty
        ? [sentence]
        : heard
            .checkParts(sentence.text, sentence.evidence, termsOf)
            .map((text) => (text === sentence.text ? sentence : { ...sentence, text }));
    const seen = new Set<string>();
    const accept = (sentence: DraftSentence): boolean =>
      sentenceDefects(sentence, segments, lexicon, confident).length === 0 && !contradictsSides(sentence.text, sides);
    const add = (kind: ContentKind, text: string, evidence: string[], chartFacts: ChartCitation[] = [], minWords = 2): boolean => {
      const said = kind !== 'instructions' && who.subject === 'the patient' ? neutralPossessive(text.trim()) : text.trim();
      const t = heard.empty ? said : heard.check(said, evidence, termsOf);
      if (t === null || wordTokens(t).length < minWords || examinedOnly(t)) return false;
      const key = `${kind}|${t.toLowerCase()}`;
      if (seen.has(key)) return false;
      const sentence: DraftSentence = { text: t, evidence: [...new Set(evidence)], ...(chartFacts.length ? { chart: chartFacts } : {}) };
      if (!accept(sentence)) return false;
      seen.add(key);
      content[kind].push(sentence);
      return true;
    };

    let reason: { text: string; evidence: string[] } | null = null;
    for (const cc of chiefComplaintCandidates(utterances)) {
      if (add('chief_complaint', cc.text, cc.evidence)) {
        reason = cc;
        break;
      }
    }
    const medications = currentMedications(utterances, lexicon);
    if (medications) add('history', medications.text, medications.evidence);

    // Vital signs are read from whole turns: a temperature's spoken decimal ("ninety eight . two") is written by the
    // transcript as a sentence end.
    const vitalsSeen = new Set<string>();
    const turns: Array<{ segmentId: string; text: string }> = [];
    for (const u of utterances) {
      const last = turns[turns.length - 1];
      if (last && last.segmentId === u.segmentId) last.text += ` ${u.text}`;
      else turns.push({ segmentId: u.segmentId, text: u.text });
    }
    // A reading taken at this visit ("your vital signs ...", "today", "in the office") comes before one the visit only
    // recalls ("your blood pressure was high, it was two hundred over ninety").
    const current = (t: { text: string }): boolean => CURRENT_READING.test(t.text);
    // This visit's blood pressure, for the hypertension line of the assessment.
    let pressureToday: { value: string; segmentId: string } | undefined;
    for (const turn of [...turns.filter(current), ...turns.filter((t) => !current(t))]) {
      for (const v of vitalSignsInTurn(turn.text)) {
        if (vitalsSeen.has(v.name)) continue;
        vitalsSeen.add(v.name);
        if (v.name === 'Blood pressure' && current(turn)) pressureToday = { value: v.value, segmentId: turn.segmentId };
        add('vitals', terminate(formatVitalSign(v)), [turn.segmentId]);
      }
    }

    // Voice-assistant commands and directions to the scribe are never note text; the orders among them are plan items.
    const planEntries: PlanEntry[] = [];
    const commands = new Set<number>();
    const reviewed: Array<{ item: string; segmentId: string }> = [];
    for (let i = 0; i < utterances.length; i++) {
      const u = utterances[i]!;
      const afterWake = i > 0 && utterances[i - 1]!.segmentId === u.segmentId && isBareWakePhrase(utterances[i - 1]!.text);
      if (byClinician(u) && isScribeDirection(u.text)) {
        commands.add(i);
        continue;
      }
      if (!isCommand(u.text) && !afterWake) continue;
      commands.add(i);
      const order = commandOrder(afterWake ? `hey dragon, ${u.text}` : u.text, lexicon);
      for (const sure of order ? asHeard({ text: order, evidence: [u.segmentId] }) : [])
        planEntries.push({ text: sure.text, evidence: [u.segmentId], at: i, said: u.text });
      // "hey dragon, show me the echocardiogram": the clinician reviewed it with the patient (decision 0237).
      const review = order ? null : commandReview(afterWake ? `hey dragon, ${u.text}` : u.text);
      if (review && byClinician(u)) reviewed.push({ item: review, segmentId: u.segmentId });
    }
    const reviewedText = reviewedSentence(reviewed.map((r) => r.item));
    if (reviewedText)
      add(
        'results',
        reviewedText,
        reviewed.map((r) => r.segmentId),
      );

    // A sentence of a longer turn that only reads out vital signs already listed is not said twice.
    const listedVitals = (text: string): boolean => {
      const vitals = vitalSignsIn(text);
      return vitals.length > 0 && vitals.every((v) => vitalsSeen.has(v.name)) && saysOnlyVitals(text);
    };

    // Salience: the probability that a sentence belongs in the note at all; its section is the likeliest other
    // class. The most salient sentences are kept until the note reaches its word budget (a share of the
    // conversation's words), then written in transcript order.
    const candidates: Candidate[] = [];
    const sectionProbabilities = smoothSections(probabilities.map((p, i) => withSectionCues(p, utterances[i]!)));
    for (let i = 0; i < utterances.length; i++) {
      // Long visits: let other work (IPC, recording of the next visit) run between slices of sentences.
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (commands.has(i)) continue;
      const u = utterances[i]!;
      const p = probabilities[i]!;
      const plan = isPlanStatement(u, who);
      const cls = plan ? 'plan' : contentClass(sectionProbabilities[i]!);
      const hasMedication = medicationsIn(u.text, lexicon).some((m) => m.dose || m.frequency);
      // A question says nothing of the patient, except what the clinician states they know before asking it.
      const said = u.isQuestion ? knownBeforeAsking(u.text).join(' ') : `${u.text} ${answerPolarity(u.text) ? u.previous : ''}`;
      const terms = new Set([...clinicalTerms.find(said), ...chart.find(said)].map((t) => t.name)).size;
      // A yes/no answer to a symptom question becomes a short pertinent positive or negative: dense, so favoured.
      const pertinent = !u.isQuestion && answerPolarity(u.text) !== null && u.isAnswerToQuestion && terms > 0;
      const salience =
        1 -
        p[0]! +
        (hasMedication ? this.settings.medicationBonus : 0) +
        Math.min(3, terms) * this.settings.termBonus +
        (pertinent ? this.settings.pertinentBonus : 0) +
        (plan ? (this.settings.planBonus ?? 0.1) : 0);
      // A sentence that only reads out vital signs is already in the vitals list: it takes none of the word budget.
      if (vitalSignsIn(u.text).length > 0 && wordTokens(u.text).length < 16) continue;
      if (salience < this.settings.thresholds[cls]) continue;
      const sentences = noteSentences(u, who, termsOf)
        .flatMap(asHeard)
        .filter((s) => accept(s) && (cls !== 'hpi' || plan || clinicalContent(s.text)) && !listedVitals(s.text));
      if (sentences.length > 0) candidates.push({ i, u, cls, salience, sentences, plan });
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
    // Past the budget, a short order or pertinent finding that names a clinical term nothing chosen names still gets in,
    // and so does a short history sentence naming a drug or a term of more than one word nothing chosen names (up to a
    // tenth of the budget in all): the budget is for talk, not for the facts a clinician would list (decision 0213).
    const chosenTerms = new Set(candidates.filter((c) => chosen.has(c.i)).flatMap((c) => c.sentences.flatMap((s) => termsOf(s.text))));
    let extra = 0;
    for (const c of [...candidates].sort((a, b) => b.salience - a.salience || a.i - b.i)) {
      if (chosen.has(c.i)) continue;
      const n = c.sentences.reduce((sum, s) => sum + wordTokens(s.text).length, 0);
      if (extra + n > budget * EXTRA_SHARE) continue;
      if (c.sentences.some((s) => wordTokens(s.text).length > 20)) continue;
      const fresh = c.sentences.flatMap((s) => termsOf(s.text)).filter((t) => !chosenTerms.has(t));
      const listed = c.sentences.every((s) => LISTED_FACT.test(s.text) || (byClinician(c.u) && ORDER.test(s.text)));
      // Otherwise a drug or a term of more than one word ("insulin pump"): the term list also holds everyday words.
      const specific = fresh.some((t) => /\s/.test(t) || lexicon.find(t).length > 0);
      if (fresh.length === 0 || !(listed || (specific && c.cls !== 'plan'))) continue;
      chosen.add(c.i);
      extra += n;
      for (const t of fresh) chosenTerms.add(t);
    }
    for (const c of candidates) {
      if (!chosen.has(c.i)) continue;
      const kind = kindFor(c.cls, c.u);
      for (const s of c.sentences) {
        // Recognizer output is often one unpunctuated turn with no speaker: what it says of the history is history even
        // when the turn as a whole was placed in the plan.
        if (
          kind === 'assessment_plan' &&
          c.u.speaker === undefined &&
          RUN_ON.test(c.u.text) &&
          !isPlanItem(s.text) &&
          HISTORY_STATEMENT.test(s.text)
        ) {
          add('hpi', styleFor('hpi', s.text, c.u), s.evidence);
          continue;
        }
        // A plan item said inside a longer turn (recognizer output often is one run-on turn) is a plan item wherever
        // the turn as a whole was placed.
        if (kind === 'assessment_plan' || (byClinician(c.u) && isPlanItem(s.text))) {
          // Each item on its own ("Start lisinopril. Follow up in 2 weeks."), so each gets its own instruction.
          for (const item of splitSentences(s.text)) planEntries.push({ ...s, text: item, at: c.i, said: c.u.text });
          continue;
        }
        // Pertinent positives/negatives (from a question and its answer) are history or review of systems.
        const k = s.evidence.length > 1 && / (denies|reports) /.test(s.text) && kind !== 'history' ? 'ros' : kind;
        if (k === 'hpi' && !clinicalContent(s.text)) continue;
        for (const part of styledParts(k, s.text, c.u)) add(k, part, s.evidence);
      }
    }

    // Problems: as the clinician introduces or names them, and the chart's problems the visit names.
    const mentions: ProblemMention[] = [];
    const chartProblems = (context.problems ?? []).map(chartProblemName).filter((p) => p.length >= 4);
    utterances.forEach((u, i) => {
      if (!byClinician(u) || commands.has(i)) return;
      const stated = statedDiagnosis(u.text, lexicon, clinicalTerms);
      const mention = (name: string): ProblemMention => {
        const status = problemStatus(u.text, name);
        return { name, at: i, segmentId: u.segmentId, ...(name === stated ? { stated: true } : {}), ...(status ? { status } : {}) };
      };
      for (const name of problemsNamed(u.text, lexicon, clinicalTerms)) mentions.push(mention(name));
      for (const name of chartProblems) if (mentionsProblem(name, u.text)) mentions.push(mention(name));
    });
    // As with the vital signs, a blood pressure taken at this visit comes before one the visit only recalls ("i see that
    // your blood pressure was high also it was two hundred over ninety" said before "your blood pressure looks pretty good
    // today"); lab values stay in the order said.
    const said = problemValues(utterances, (i) => byClinician(utterances[i]!) && !commands.has(i));
    const now = (v: { text: string; at: number }): boolean => !v.text.startsWith('BP ') || CURRENT_READING.test(utterances[v.at]!.text);
    // The reading in the vital signs, when taken at this visit, shows how hypertension is doing better than one the
    // visit recalls ("your blood pressure was two hundred over ninety" at the emergency room).
    const measured = pressureToday &&
      !said.some((v) => v.text === `BP ${pressureToday!.value} mmHg`) && {
        problem: /hypertension/i,
        text: `BP ${pressureToday.value} mmHg`,
        at: utterances.findIndex((u) => u.segmentId === pressureToday!.segmentId),
        segmentId: pressureToday.segmentId,
      };
    const values = [...(measured ? [measured] : []), ...said.filter(now), ...said.filter((v) => !now(v))];
    const assessed: string[] = [];
    for (const s of problemOrientedPlan(planEntries, mentions, values)) {
      if (!add('assessment_plan', s.text, s.evidence) || !s.problem || !readsAsReason(s.problem)) continue;
      assessed.push(s.problem);
    }
    // No reason for the visit was said as such: the first problem the assessment names is the one the visit is about,
    // cited to where the clinician named it (the history opening says it only when the visit is no follow-up).
    let assessedReason: { text: string; evidence: string[] } | null = null;
    if (!reason && assessed.length > 0) {
      const first = mentions.filter((m) => m.name === assessed[0]).sort((a, b) => a.at - b.at)[0];
      const text = writtenProblem(assessed[0]!);
      // A diagnosis of one word is a chief complaint ("Asthma.").
      if (first && add('chief_complaint', text, [first.segmentId], [], 1)) assessedReason = { text, evidence: [first.segmentId] };
    }

    // The history opens with who the patient is and why they came: the clinician's own dictated line when there is
    // one ("Brian is a 58-year-old male ... who presents for ..."), else one composed from the facts said.
    const aged = (s: DraftSentence): boolean => /\b\d+[- ]years?[- ]old\b/i.test(s.text);
    const dictated = content.hpi.findIndex(aged);
    const dictatedHistory = content.history.findIndex(aged);
    if (dictated > 0) content.hpi.unshift(...content.hpi.splice(dictated, 1));
    else if (dictated < 0 && dictatedHistory >= 0) content.hpi.unshift(...content.history.splice(dictatedHistory, 1));
    if (dictated < 0 && dictatedHistory < 0) {
      // How long the complaint has lasted joins the opening (and is then not said again).
      const onsetAt = content.hpi.findIndex((s) => onsetOf(s.text, reason?.text ?? '') !== null);
      const onset =
        onsetAt >= 0
          ? { ...onsetOf(content.hpi[onsetAt]!.text, reason?.text ?? '')!, evidence: content.hpi[onsetAt]!.evidence }
          : undefined;
      // A follow-up visit for the assessment's problems: those the clinician names as followed up early in the visit
      // ("we're here to follow up on your diabetes and blood pressure"); a follow-up of something else lists none.
      const early = utterances
        .slice(0, Math.max(12, Math.ceil(utterances.length / 4)))
        .filter((u) => byClinician(u) && FOLLOW_UP.test(u.text));
      const followed = assessed.filter((p) => early.some((u) => mentionsProblem(p, u.text)));
      const followUp =
        followed.length > 0
          ? {
              problems: followed.slice(0, 3),
              evidence: early.filter((u) => followed.some((p) => mentionsProblem(p, u.text))).map((u) => u.segmentId),
            }
          : undefined;
      // What the visit does not say about who the patient is comes from the chart, cited to it (decision 0204); the
      // pronouns the conversation uses say the sex without it.
      const opening = historyOpening(utterances, patientReference(utterances, undefined), reason ?? (followUp ? null : assessedReason), {
        chart: chartFacts(context, mentions, assessed),
        ...(onset ? { onset } : {}),
        ...(followUp ? { followUp } : {}),
      });
      if (opening && add('hpi', opening.text, opening.evidence, opening.chart)) {
        content.hpi.unshift(content.hpi.pop()!);
        if (opening.usedOnset) content.hpi.splice(onsetAt + 1, 1);
      }
    }

    // "It is rare." opening a section has nothing before it to say what "it" is (one naming a clinical term is kept).
    for (const kind of ['hpi', 'history', 'ros', 'exam', 'results'] as const) {
      const first = content[kind][0];
      if (first && needsReferent(first.text) && termsOf(first.text).length === 0) content[kind].shift();
    }

    // Patient instructions: the plan items that ask something of the patient, in plain words addressed to them, and the
    // return precautions the clinician gave.
    const advice = visitAdvice(utterances);
    for (const s of patientInstructions(planEntries, mentions, advice, who, { lexicon, max: this.settings.maxInstructions }))
      add('instructions', s.text, s.evidence);
    // A sentence its section already says, word for word inside a longer one, is said once (decision 0235).
    for (const kind of ['hpi', 'history', 'ros', 'exam', 'results', 'assessment_plan', 'instructions'] as const)
      content[kind] = withoutRestated(content[kind]);
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

/** A label over nothing but the part examined ("Musculoskeletal: the left shoulder exam.") is no finding. */
function examinedOnly(text: string): boolean {
  const m = /^[A-Z][A-Za-z ,'()/-]{1,60}: (.+)$/.exec(text);
  return m !== null && /^(?:the|his|her|their|your) [a-z ]{0,30}\bexam(?:ination)?(?: on the \w+)?\.?$/i.test(m[1]!);
}

const VITAL_WORDS =
  /^(?:\d+|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|point)|the|patient's|her|his|their|your|today|now|is|was|are|were|blood|pressure|bp|heart|rate|pulse|ox|oxygen|saturation|sat|temperature|temp|weight|respirations?|respiratory|over|mmhg|bpm|percent|degrees|of|and|this|morning|looks?|looked|good|great|fine|normal|pretty|at|about|around|like|it|it's|also|still|a|little|bit|which|in|office|clinic|patient|vital|signs)$/;

/** "Her blood pressure today is 140 over 90.": nothing but a reading ("... 98% on room air" says more). */
function saysOnlyVitals(text: string): boolean {
  return wordTokens(text).filter((w) => !VITAL_WORDS.test(w)).length === 0;
}

/** A turn that reads out this visit's vital signs. */
const CURRENT_READING = /\b(?:vitals?|vital signs|today|in the (?:office|clinic)|here|physical exam|exam)\b/i;

/** Share of the word budget that orders and pertinent findings naming a new clinical term may add past it. */
const EXTRA_SHARE = 0.1;
/** An order as the note writes it ("Order an MRI ...", "Check a few labs today."). */
const ORDER =
  /^(?:Order|Start|Restart|Increase|Decrease|Reduce|Stop|Discontinue|Hold|Continue|Refill|Prescribe|Refer|Schedule|Repeat|Check|Recheck)\b/;
/** A pertinent negative or positive, an allergy, or a history fact a question asked for, as the note writes it. */
const LISTED_FACT =
  /^(?:No |(?:The patient|She|He|They) (?:denies|denied|deny|reports|reported|report|is allergic|are allergic)\b|(?:Last [a-z ]+|Onset|Location|Worse with|Better with|Severity rated)\b)/;

/** A turn of 20 words or more without punctuation (as a recognizer without punctuation writes it). */
const RUN_ON = /^(?=(?:\S+\s+){19}\S)[^.,;?!]*$/;
/** A sentence about the patient's history or symptoms ("The patient has had a bad headache for 3 days.", "She has no fever."). */
const HISTORY_STATEMENT =
  /^(?:The patient|She|He|They)\s+(?:has|had|have|reports|denies|complains|describes|notes|is having|has been having)\b|^(?:No|Denies)\s/;

/**
 * The chart's facts for the history opening. A chart problem is history only when the visit addresses it: the
 * clinician names it (the rule that names chart problems in the plan) and the assessment lists it; it is cited to
 * its Condition and to the turns that name it.
 */
const CHART_REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

function chartFacts(context: DraftContext, mentions: ProblemMention[], assessed: string[]): ChartFacts {
  // Only references a citation can carry (a FHIR id: letters, digits, '-', '.', up to 64): anything else is not cited.
  const patient = context.patient && CHART_REFERENCE.test(context.patient.reference) ? context.patient : undefined;
  const gender = patient?.gender === 'female' || patient?.gender === 'male' ? patient.gender : context.sex;
  const history: NonNullable<ChartFacts['history']> = [];
  for (const c of context.conditions ?? []) {
    if (!CHART_REFERENCE.test(c.reference)) continue;
    const name = chartProblemName(c.display);
    if (name.length < 4 || !readsAsReason(name) || history.some((h) => h.name === name)) continue;
    if (!assessed.some((a) => a === name || sameProblem(a, name))) continue;
    const evidence = [...new Set(mentions.filter((m) => m.name === name).map((m) => m.segmentId))];
    if (evidence.length > 0) history.push({ name, source: `${c.reference}#code`, value: c.display, evidence });
  }
  return {
    ...(patient ? { patient: patient.reference } : {}),
    ...(patient?.name ? { name: patient.name } : {}),
    ...(gender ? { sex: gender } : {}),
    ...(patient?.birthDate ? { birthDate: patient.birthDate } : {}),
    ...(context.visitDate ? { asOf: context.visitDate } : {}),
    ...(history.length ? { history } : {}),
  };
}

/** The clinician says the visit follows up on something ("we're here to follow up on your diabetes"). */
const FOLLOW_UP = /\b(?:follow[- ]?up|following up|check (?:in|up) on|see how (?:you're|you are|she's|he's) doing with)\b/i;

/** Said by the clinician (or unlabelled), or clinician's words a patient's turn holds ("your lungs are clear"). */
function byClinician(u: Utterance): boolean {
  return (u.speaker !== 'patient' && u.speaker !== 'other') || (u.speaker === 'patient' && saidByClinician(u.text));
}

function patientReference(utterances: Utterance[], sex: DraftContext['sex']): PatientReference {
  const clinician = utterances
    .filter((u) => u.speaker === 'clinician')
    .map((u) => u.text)
    .join(' ');
  const said = clinician ? inferPatientReference(clinician) : NEUTRAL_PATIENT;
  if (said !== NEUTRAL_PATIENT && said.subject !== 'the patient') return said;
  if (sex === 'female') return { subject: 'she', possessive: 'her', object: 'her' };
  if (sex === 'male') return { subject: 'he', possessive: 'his', object: 'him' };
  return said;
}
