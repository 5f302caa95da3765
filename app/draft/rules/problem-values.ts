import { numbersIn } from '../text.ts';
import { cleanSpoken } from './note-style.ts';
import { vitalSignsIn } from './vitals.ts';

/**
 * The value that shows how a problem is doing, as the clinician read it out in the visit: "your hemoglobin a1c here is
 * 8.2" -> diabetes (A1c 8.2%); "blood pressure today is 150 over 90" -> hypertension (BP 150/90 mmHg). A status is
 * given only from a goal the clinician stated for that value in the same turn ("i'd like to see that below 7"):
 * above it is "not at goal", at or under it "at goal". No goal is ever assumed.
 */
export interface ProblemValue {
  /** Which problems it belongs to (matched against the diagnosis name). */
  problem: RegExp;
  /** As the note writes it: "A1c 8.2%". */
  text: string;
  /** "not at goal" / "at goal" when the clinician stated a goal for it, else absent. */
  status?: 'not at goal' | 'at goal';
  /** Index of the utterance it was said in, and its segment. */
  at: number;
  segmentId: string;
}

interface Lab {
  problem: RegExp;
  label: string;
  unit: string;
  name: RegExp;
  min: number;
  max: number;
}

const LABS: Lab[] = [
  { problem: /diabetes/i, label: 'A1c', unit: '%', name: /\b(?:hemoglobin a1c|hgb a1c|hba1c|a1c)(?:'s)?\b/i, min: 4, max: 16 },
  { problem: /hyperlipidemia|cholesterol/i, label: 'LDL', unit: ' mg/dL', name: /\bldl\b/i, min: 20, max: 400 },
  { problem: /hypothyroidism|hyperthyroidism|thyroid/i, label: 'TSH', unit: ' mIU/L', name: /\btsh\b/i, min: 0.01, max: 100 },
];

/** Words between a lab's name and its value: "a1c here is is 8", "ldl of 166", "a1c has been a little high at 8". */
const LINK = String.raw`(?:\s*,?\s*(?:is|was|were|are|of|at|here|today|now|came back|has been|had been|level|levels|result|value|about|around|like|only|still|a little|bit|little|slightly|high|higher|elevated|up|down|normal|low|running|looks|looked|quite|well|good|pretty|it's|it is|:))*\s*,?\s+`;
const WORD = String.raw`(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|and|point)`;
const NUMBER = String.raw`(\d+(?:\.\d+)?|${WORD}(?:[ -]${WORD})*)(?!\s*(?:months?|weeks?|days?|years?|times|point)\b)`;

const NUMBER_END = new RegExp(String.raw`(?:\d|\b${WORD})\s*[.]?\s*$`, 'i');
const TRAILING_NUMBER = new RegExp(String.raw`(?:\d+|\b${WORD})(?:[\s-]+(?:\d+|${WORD}))*\s*[.]?\s*$`, 'i');
const NUMBER_START = new RegExp(String.raw`^\s*(?:\d|${WORD}\b)`, 'i');

/** A value said as digits ("8.2") or words ("eight point two"). */
function valueOf(said: string): number | null {
  if (/^\d/.test(said)) return Number(said);
  const [whole, fraction, more] = said.replace(/\band$/, '').split(/\s*\bpoint\b\s*/);
  const w = numbersIn(whole ?? '');
  if (w.length !== 1 || more !== undefined) return null;
  if (fraction === undefined) return Number(w[0]);
  const f = numbersIn(fraction);
  if (f.length !== 1 || !/^\d$/.test(f[0]!)) return null;
  return Number(`${w[0]}.${f[0]}`);
}

/** A goal the clinician states in the same turn: "i'd like to see that a little bit lower around 7", "goal is less than 100". */
const GOAL =
  /\b(?:goal|target)(?: is| would be| of)?\s+(?:to be\s+)?(?:less than|under|below|at or below)?\s*(\d+(?:\.\d+)?)|\b(?:like to see (?:that|it|this|your \w+)|want (?:that|it|this) to be|should be)\s+(?:a little bit\s+|a bit\s+)?(?:lower|less|under|below)(?: than)?\s*(?:around\s+|about\s+)?(\d+(?:\.\d+)?)/i;

/** The lab values of one clinician sentence. */
export function labValuesIn(sentence: string, restOfTurn = ''): Array<Omit<ProblemValue, 'at' | 'segmentId'>> {
  const s = cleanSpoken(sentence).toLowerCase();
  // Readings the patient took at home, and values from before, are not this visit's value.
  const earlier = /\b(?:at home|home readings?|last time|before|used to|ago|previously|in the past)\b/;
  const out: Array<Omit<ProblemValue, 'at' | 'segmentId'>> = [];
  for (const lab of LABS) {
    const m = new RegExp(lab.name.source + LINK + NUMBER, 'i').exec(s);
    if (!m || !m[1] || earlier.test(s.slice(0, m.index + m[0].length))) continue;
    const v = valueOf(m[1]);
    if (v === null || v < lab.min || v > lab.max) continue;
    const goal = GOAL.exec(`${s.slice(m.index + m[0].length)} ${cleanSpoken(restOfTurn)}`);
    const limit = goal ? Number(goal[1] ?? goal[2]) : null;
    const status = limit !== null && limit >= lab.min && limit <= lab.max ? (v > limit ? 'not at goal' : 'at goal') : undefined;
    out.push({ problem: lab.problem, text: `${lab.label} ${v}${lab.unit}`, ...(status ? { status } : {}) });
  }
  // "your blood pressure's a little elevated today, 156 over 90": the words between name and value are the lab's.
  const said = s
    .replace(/\bblood pressure's\b/g, 'blood pressure is')
    .replace(new RegExp(String.raw`\bblood pressure${LINK}`, 'g'), 'blood pressure ');
  const bp = earlier.test(s) ? undefined : vitalSignsIn(said).find((x) => x.name === 'Blood pressure');
  if (bp) out.push({ problem: /hypertension/i, text: `BP ${bp.value} mmHg` });
  return out;
}

/** Every lab value and blood pressure the clinician reads out, in visit order. */
export function problemValues(utterances: Array<{ text: string; segmentId: string }>, byClinician: (i: number) => boolean): ProblemValue[] {
  const out: ProblemValue[] = [];
  utterances.forEach((u, i) => {
    if (!byClinician(i)) return;
    // "a1c was a little bit higher at seven . three": a decimal said as two sentences is no value (what the sentence
    // says before it still is: "... one twenty eight over seventy two your temperature is ninety eight . seven").
    const next = utterances[i + 1];
    const split = next?.segmentId === u.segmentId && NUMBER_END.test(u.text) && NUMBER_START.test(next.text);
    const text = split ? u.text.replace(TRAILING_NUMBER, '') : u.text;
    const rest = utterances
      .slice(i + 1, i + 4)
      .filter((x) => x.segmentId === u.segmentId)
      .map((x) => x.text)
      .join(' ');
    for (const v of labValuesIn(text, rest)) out.push({ ...v, at: i, segmentId: u.segmentId });
  });
  return out;
}
