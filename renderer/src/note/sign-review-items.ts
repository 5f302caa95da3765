import type { CodingDecision, CodingHint, Draft } from '../../../app/contract/index.ts';

/** The chart as `visit.chart` returns it. */
export interface ChartLists {
  problems: Array<{ code?: string; display: string }>;
  medications: Array<{ rxcui?: string; display: string }>;
}

export interface SignReviewItems {
  /** Sections still exactly as the AI drafted them (never edited by a person). */
  unedited: Array<{ sectionId: string; title: string }>;
  /** Coding hints nobody accepted, rejected or replaced. */
  undecided: CodingHint[];
  /** Sentences a check flagged (evidence guard and any later check): listed until their section is edited. */
  flagged: Array<{ sectionId: string; title: string; text: string; reasons: string[] }>;
  /** Medicines the note names that differ from the chart's medication list. */
  medicines: Array<{ name: string; words: string }>;
  /** Sections over the length limit (not saved). */
  overLimit: string[];
}

/** The ingredient a medication line names: "Lisinopril 10 MG Oral Tablet" → "lisinopril". */
export function ingredientOf(display: string): string {
  return display
    .toLowerCase()
    .split(/\s+(?=\d)|\s*\[|\s*\(|,/)[0]!
    .trim();
}

/** "lisinopril 20 MG Oral Tablet" → "20 mg" (null without a strength). */
function strengthOf(display: string): string | null {
  const m = /(\d+(?:\.\d+)?)\s*(mg|mcg|g|ml|unt|units?|%)/i.exec(display);
  return m ? `${m[1]} ${m[2]!.toLowerCase()}` : null;
}

function chartHas(chart: ChartLists, ingredient: string): string | null {
  for (const m of chart.medications) {
    const ing = ingredientOf(m.display);
    if (ing === ingredient || ing.includes(ingredient) || ingredient.includes(ing)) return m.display;
  }
  return null;
}

/** Medicines named in the note (RxNorm hints found in the draft) that are not on the chart, or at another strength. */
export function medicineDifferences(hints: CodingHint[], chart: ChartLists): SignReviewItems['medicines'] {
  const out = new Map<string, string>();
  for (const h of hints) {
    if (h.system !== 'rxnorm' || h.evidence.source !== 'draft') continue;
    const name = (h.ingredient ?? ingredientOf(h.display)).toLowerCase();
    if (!name || out.has(name)) continue;
    const onChart = chartHas(chart, name);
    if (!onChart) {
      out.set(name, `${name} is in the note but not on the chart's medication list.`);
      continue;
    }
    const noted = strengthOf(h.strength ?? h.display);
    const charted = strengthOf(onChart);
    if (noted && charted && noted !== charted) out.set(name, `${name}: the note says ${noted}, the chart lists ${onChart}.`);
  }
  return [...out].map(([name, words]) => ({ name, words }));
}

/** Everything the clinician should see before signing. */
export function signReviewItems(args: {
  draft: Draft;
  hints: CodingHint[];
  decisions: CodingDecision[];
  chart: ChartLists | null;
  overLimit?: string[];
}): SignReviewItems {
  const { draft, hints, decisions, chart } = args;
  const decided = new Set(decisions.map((d) => d.hintId));
  const aiSections = draft.sections.filter((s) => !s.edited && s.sentences.length > 0 && s.text.trim());
  return {
    unedited: aiSections.map((s) => ({ sectionId: s.id, title: s.title })),
    undecided: hints.filter((h) => !decided.has(h.id)),
    flagged: aiSections.flatMap((s) =>
      s.sentences
        .filter((x) => (x.flags?.length ?? 0) > 0 && x.decision !== 'kept')
        .map((x) => ({
          sectionId: s.id,
          title: s.title,
          text: x.text,
          reasons: (x.flags ?? []).map((f) => `not in the turns it cites: ${f.kind} “${f.value}”`),
        })),
    ),
    medicines: chart ? medicineDifferences(hints, chart) : [],
    overLimit: args.overLimit ?? [],
  };
}

/**
 * Wrong patient: the note names medicines and problems, the chart lists some, and not one of them matches.
 * (A hypertension/diabetes visit recorded under a patient on levothyroxine and sertraline.)
 */
export function wrongPatientWarning(hints: CodingHint[], chart: ChartLists | null): string | null {
  if (!chart || (chart.medications.length === 0 && chart.problems.length === 0)) return null;
  const meds = [...new Set(hints.filter((h) => h.system === 'rxnorm').map((h) => (h.ingredient ?? ingredientOf(h.display)).toLowerCase()))];
  const dx = hints.filter((h) => h.system === 'icd10cm' && h.code);
  if (meds.length + dx.length < 2) return null;
  const medMatch = meds.some((m) => chartHas(chart, m));
  const chartCodes = chart.problems.map((p) => (p.code ?? '').toUpperCase()).filter(Boolean);
  const chartWords = new Set(chart.problems.flatMap((p) => significantWords(p.display)));
  const dxMatch = dx.some((h) => {
    const code = h.code!.toUpperCase();
    if (chartCodes.some((c) => c.slice(0, 3) === code.slice(0, 3))) return true;
    return significantWords(h.display).some((w) => chartWords.has(w));
  });
  if (medMatch || dxMatch) return null;
  const named = [...meds, ...dx.map((h) => h.display)].slice(0, 4).join(', ');
  const charted = [...chart.medications.map((m) => m.display), ...chart.problems.map((p) => p.display)].slice(0, 4).join(', ');
  return `Check the patient: this note mentions ${named}, but the chart lists ${charted}. None of them match — is this the right patient?`;
}

const GENERIC_WORDS = new Set([
  'essential',
  'primary',
  'unspecified',
  'without',
  'with',
  'complications',
  'disorder',
  'disease',
  'other',
  'chronic',
  'acute',
  'type',
  'mellitus',
  'history',
  'finding',
  'situation',
  'due',
  'the',
  'and',
  'of',
]);

function significantWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 3 && !GENERIC_WORDS.has(w));
}
