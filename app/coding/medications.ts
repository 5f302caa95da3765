import { assertionOf, sentencesOf } from './context.ts';
import type { Mention } from './diagnoses.ts';
import type { ClinicalDrug, DrugName, Terminology } from './terminology.ts';

export interface MedicationCandidate {
  /** RXCUI of the clinical drug (SCD) when strength and form are known, else of the ingredient; null when the data has none. */
  rxcui: string | null;
  display: string;
  ingredient: string;
  ingredientRxcui: string | null;
  brand?: string;
  strength?: string;
  form?: string;
  confidence: number;
  why: string;
  mention: Mention;
}

const UNIT: Record<string, string> = {
  mg: 'MG',
  mcg: 'MCG',
  µg: 'MCG',
  ug: 'MCG',
  g: 'GM',
  gm: 'GM',
  gram: 'GM',
  grams: 'GM',
  milligram: 'MG',
  milligrams: 'MG',
  ml: 'ML',
  unit: 'UNT',
  units: 'UNT',
  iu: 'UNT',
  meq: 'MEQ',
  '%': '%',
};
const FORMS: Array<[RegExp, string]> = [
  [/\b(?:tab|tabs|tablet|tablets|pill|pills)\b/i, 'Oral Tablet'],
  [/\b(?:cap|caps|capsule|capsules)\b/i, 'Oral Capsule'],
  [/\b(?:inhaler|puffs?|inhalation)\b/i, 'Inhal'],
  [/\b(?:injection|injections|shot|subcutaneous|intramuscular|iv)\b/i, 'Inject'],
  [/\b(?:cream)\b/i, 'Topical Cream'],
  [/\b(?:ointment)\b/i, 'Ointment'],
  [/\b(?:patch|patches)\b/i, 'Transdermal'],
  [/\b(?:nasal spray)\b/i, 'Nasal Spray'],
  [/\b(?:eye drops|ophthalmic)\b/i, 'Ophthalmic'],
  [/\b(?:liquid|syrup|solution|suspension)\b/i, 'Oral S'],
];
/** Words around a substance name that make it a measurement (a lab value), not a medicine taken. */
const LAB_BEFORE = /\b(?:blood|fasting|serum|plasma|random|capillary|finger[- ]?stick|urine|home)\s+$/i;
const LAB_AFTER = /^\s+(?:levels?|readings?|values?|was|were|is|are|of|runs?|running|checks?|numbers?|log)\b/i;
const ALLERGY = /\b(?:allerg(?:y|ic|ies)|intoleran(?:t|ce)|reaction to|anaphylaxis)\b/i;
const WORD = /[A-Za-z][A-Za-z0-9-]*/g;

function pickName(names: DrugName[]): DrugName | undefined {
  const order = ['IN', 'PIN', 'MIN', 'BN'];
  return [...names].sort((a, b) => order.indexOf(a.tty) - order.indexOf(b.tty))[0];
}

function pickClinicalDrug(
  drugs: ClinicalDrug[],
  strength: string | undefined,
  form: string | undefined,
  release = false,
): ClinicalDrug | undefined {
  if (!strength) return undefined;
  const [value, unit] = strength.split(' ');
  const re = new RegExp(`(?:^|\\s)${value!.replace('.', '\\.')} ${unit}(?:\\s|$)`);
  const scds = drugs.filter((d) => d.tty === 'SCD' && re.test(d.name) && !/\//.test(d.name) && !/^\d/.test(d.name));
  const wanted = form ? scds.filter((d) => d.name.includes(form)) : scds;
  const pool = wanted.length ? wanted : scds;
  // Immediate-release oral tablet, then capsule, unless the note says extended/delayed release.
  const modified = (name: string) =>
    /Extended Release|\b\d+ HR\b|Modified|Chewable|Disintegrating|Effervescent/.test(name) ? 2 : /Delayed Release/.test(name) ? 1 : 0;
  const formRank = (name: string) => (/ Oral Tablet$/.test(name) ? 0 : / Oral Capsule$/.test(name) ? 1 : 2);
  const wantsModified = release;
  return [...pool].sort(
    (a, b) =>
      (wantsModified ? modified(b.name) - modified(a.name) : modified(a.name) - modified(b.name)) ||
      formRank(a.name) - formRank(b.name) ||
      a.name.length - b.name.length,
  )[0];
}

/** Medications in the source text, normalised to RxNorm (ingredient + strength + form). */
export function findMedications(term: Terminology, source: Omit<Mention, 'sentence' | 'start' | 'end'>): MedicationCandidate[] {
  const out: MedicationCandidate[] = [];
  const text = source.text;
  for (const sentence of sentencesOf(text)) {
    const words = [...sentence.text.matchAll(WORD)].map((m) => ({
      w: m[0].toLowerCase(),
      start: sentence.start + (m.index ?? 0),
      end: sentence.start + (m.index ?? 0) + m[0].length,
    }));
    for (let i = 0; i < words.length; i++) {
      if (!term.drugFirstWords.has(words[i]!.w)) continue;
      let found: { name: DrugName; end: number; next: number } | undefined;
      for (let n = Math.min(4, words.length - i); n >= 1 && !found; n--) {
        const phrase = words
          .slice(i, i + n)
          .map((x) => x.w)
          .join(' ');
        const name = pickName(term.drugsNamed(phrase));
        if (name) found = { name, end: words[i + n - 1]!.end, next: i + n };
      }
      if (!found) continue;
      const start = words[i]!.start;
      const after = text.slice(found.end, Math.min(sentence.end, found.end + 60));
      const said = after.match(/^[^.;\d]{0,25}?(\d+(?:\.\d+)?)\s*(mg|mcg|µg|ug|gm|g|grams?|milligrams?|ml|units?|iu|meq|%)(?![a-z])/i);
      // The dose is another medicine's when one is named before it ("Vitamin b12, ferrous sulfate 25 mg").
      const between = said
        ? [
            ...said[0]
              .replace(/\d[\s\S]*$/, '')
              .toLowerCase()
              .matchAll(/[a-z][a-z-]*/g),
          ].map((m) => m[0])
        : [];
      const dose = between.some(
        (w, k) => term.drugFirstWords.has(w) && [1, 2, 3].some((n) => term.drugsNamed(between.slice(k, k + n).join(' ')).length > 0),
      )
        ? null
        : said;
      // A lab value, not a medicine: "blood glucose 180 mg/dL", "glucose level", "fasting glucose was 130".
      if (dose && /^\s*\/\s*(?:dl|l|deciliter|liter)\b/i.test(after.slice((dose.index ?? 0) + dose[0].length))) {
        i = found.next - 1;
        continue;
      }
      if (
        LAB_BEFORE.test(text.slice(Math.max(sentence.start, start - 20), start)) ||
        LAB_AFTER.test(text.slice(found.end, Math.min(sentence.end, found.end + 20)))
      ) {
        i = found.next - 1;
        continue;
      }
      const single = !found.name.norm.includes(' ');
      // A one-word name that is also an everyday or diagnostic word ("today", "iron") needs a dose to count.
      if (single && !dose && (term.termsFor(found.name.norm).length > 0 || found.name.norm.length < 5)) {
        i = found.next - 1;
        continue;
      }
      // A brand name counts with its own dose or written as a name ("Dragon" the dictation software is not a drug). The
      // capital that opens a sentence (or a label's text) shows no name, and a dose said after another word is not the brand's: "Perform a
      // vaginal exam." and "Perform lortab 5 mg." (drafted orders) are no menthol. A medication list ("Current
      // medications: Singulair, ...") names medicines by construction.
      if (found.name.tty === 'BN') {
        const before = text.slice(sentence.start, start);
        const opens = /^[\s\-•*]*$/.test(before) || (/^[^.]*:\s*$/.test(before) && !/\bmedications?\s*:\s*$/i.test(before));
        const ownDose = dose !== null && /^[\s,]*$/.test(dose[0].replace(/\d[\s\S]*$/, ''));
        const named = /^[A-Z]/.test(text.slice(start, found.end)) && !opens;
        if (!(opens ? ownDose : dose || named)) {
          i = found.next - 1;
          continue;
        }
      }
      const assertion = assertionOf(text, sentence, start, found.end);
      if (assertion === 'negated' || assertion === 'family' || ALLERGY.test(text.slice(sentence.start, start))) {
        i = found.next - 1;
        continue;
      }
      const strength = dose ? `${dose[1]} ${UNIT[dose[2]!.toLowerCase()] ?? dose[2]!.toUpperCase()}` : undefined;
      const formWords = after.slice(0, 40);
      const form = FORMS.find(([re]) => re.test(formWords))?.[1];
      const isBrand = found.name.tty === 'BN';
      const ingredient = isBrand ? found.name.ingredients.replace(/\|/g, ' / ') : found.name.name;
      const ingredientName = pickName(term.drugsNamed(ingredient.toLowerCase()).filter((d) => d.tty !== 'BN'));
      const release = /\b(?:er|xr|xl|sr|cr|dr|ec|extended[- ]release|delayed[- ]release|long[- ]acting)\b/i.test(
        text.slice(found.end, Math.min(sentence.end, found.end + 40)),
      );
      const scd = pickClinicalDrug(term.clinicalDrugs(found.name.ingredients), strength, form, release);
      const rxcui = scd?.rxcui ?? (isBrand ? (ingredientName?.rxcui ?? null) : found.name.rxcui);
      const end = dose ? found.end + (dose.index ?? 0) + dose[0].length : found.end;
      out.push({
        rxcui,
        display: scd?.name ?? [ingredient, strength].filter(Boolean).join(' '),
        ingredient,
        ingredientRxcui: ingredientName?.rxcui ?? (isBrand ? null : found.name.rxcui),
        ...(isBrand ? { brand: found.name.name } : {}),
        ...(strength ? { strength } : {}),
        ...(scd ? { form: scd.name.replace(/^.*\d (?:MG|MCG|GM|ML|UNT|MEQ|%)(?:\/\w+)? /, '') } : form ? { form } : {}),
        confidence:
          Math.min(0.99, ((scd ? 0.95 : strength ? 0.8 : 0.7) * source.weight) / Math.max(source.weight, 0.85)) * (rxcui ? 1 : 0.85),
        why: `${isBrand ? `brand ${found.name.name} (${ingredient})` : `ingredient ${found.name.name}`}${scd ? `; clinical drug ${scd.name}` : ''}${rxcui ? '' : `; ${found.name.source}: no RXCUI in the installed RxNorm extract`}`,
        mention: { ...source, sentence, start, end },
      });
      i = found.next - 1;
    }
  }
  return out;
}
