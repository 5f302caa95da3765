import { numbersIn, withRestatedTens } from '../text.ts';

/**
 * Medication mentions with dose and frequency:
 *   "i'm going to increase your lisinopril to 40 mg daily" -> { drug: lisinopril, dose: 40 mg, frequency: daily }
 * Drug names come from a lexicon (RxNorm ingredients and brands, ICD-10-CM drug table substances) that the
 * trainer writes to models/drafter/drug-names.txt; see DrugLexicon.
 */

export interface MedicationMention {
  drug: string;
  dose?: string;
  frequency?: string;
}

/** Word-bounded lookup of drug names (one to three words), longest match first. */
export class DrugLexicon {
  private readonly names: Set<string>;
  readonly size: number;
  constructor(names: Iterable<string>) {
    this.names = new Set();
    for (const n of names) {
      const k = n.trim().toLowerCase();
      if (k) this.names.add(k);
    }
    this.size = this.names.size;
  }

  has(name: string): boolean {
    return this.names.has(name.toLowerCase());
  }

  /** Drug names in a text, in order of appearance, as written in the lexicon. */
  find(text: string): Array<{ name: string; index: number; end: number }> {
    const out: Array<{ name: string; index: number; end: number }> = [];
    const tokens = [...text.toLowerCase().matchAll(/[a-z0-9][a-z0-9-]*/g)];
    for (let i = 0; i < tokens.length; i++) {
      for (let len = 3; len >= 1; len--) {
        if (i + len > tokens.length) continue;
        const name = tokens
          .slice(i, i + len)
          .map((t) => t[0])
          .join(' ');
        if (this.names.has(name)) {
          const last = tokens[i + len - 1]!;
          out.push({ name, index: tokens[i]!.index ?? 0, end: (last.index ?? 0) + last[0].length });
          i += len - 1;
          break;
        }
      }
    }
    return out;
  }
}

const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|twenty-five|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|a half|half)\b[\s-]*)+)`;
const UNIT = String.raw`(?:mg|milligrams?|mcg|micrograms?|g|grams?|ml|milliliters?|units?|iu|meq|%|percent|puffs?|tablets?|pills?|capsules?|drops?|sprays?)`;
const DOSE = new RegExp(String.raw`\b(${NUM})\s*(${UNIT})\b`, 'i');
const FREQUENCY =
  /\b((?:once|twice|three times|four times) daily|once (?:a|per) (?:day|week|month)|twice (?:a|per) (?:day|week)|(?:one|two|three|four|1|2|3|4) times? (?:a|per) (?:day|week)|every (?:\w+ )?(?:hours?|days?|weeks?|months?|morning|night|evening)|(?:daily|nightly|weekly|monthly)|a day|at (?:bedtime|night)|in the (?:morning|evening)|before (?:bed|meals)|with meals|as needed|prn|b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?i\.?d\.?|q\.?d\.?)\b/i;

/** Medication mentions of a sentence: each drug with the dose and frequency stated after it (same clause). */
export function medicationsIn(sentence: string, lexicon: DrugLexicon): MedicationMention[] {
  const hits = lexicon.find(sentence);
  const out: MedicationMention[] = [];
  for (let k = 0; k < hits.length; k++) {
    const hit = hits[k]!;
    const until = hits[k + 1]?.index ?? sentence.length;
    const window = withRestatedTens(sentence.slice(hit.end, Math.min(until, hit.end + 80)));
    const mention: MedicationMention = { drug: hit.name };
    const dose = DOSE.exec(window);
    if (dose && numbersIn(dose[1]!).length > 0) mention.dose = `${numbersIn(dose[1]!)[0]} ${normaliseUnit(dose[2]!)}`;
    const freq = FREQUENCY.exec(window);
    if (freq) mention.frequency = freq[1]!.toLowerCase();
    out.push(mention);
  }
  return out;
}

function normaliseUnit(u: string): string {
  const l = u.toLowerCase();
  if (/^milligram/.test(l)) return 'mg';
  if (/^microgram/.test(l)) return 'mcg';
  if (/^gram/.test(l)) return 'g';
  if (/^milliliter/.test(l)) return 'ml';
  if (l === 'percent') return '%';
  return l;
}

/** Doses (number + unit) a text states, canonical "40 mg". */
export function dosesIn(text: string): string[] {
  const out: string[] = [];
  const re = new RegExp(DOSE.source, 'gi');
  for (const m of withRestatedTens(text).matchAll(re)) {
    const n = numbersIn(m[1]!);
    if (n.length > 0) out.push(`${n[0]} ${normaliseUnit(m[2]!)}`);
  }
  return out;
}
