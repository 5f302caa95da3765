import { numbersIn } from '../text.ts';

/** Vital signs read from spoken text, with the units a note writes. */
export interface VitalSign {
  name: 'Blood pressure' | 'Heart rate' | 'Respiratory rate' | 'Temperature' | 'Oxygen saturation' | 'Weight' | 'Height' | 'BMI';
  value: string;
  unit: string;
}

const N = String.raw`(\d+(?:\.\d+)?|(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|and)\b[\s-]*)+)`;
const LINK = String.raw`(?:\s+(?:is|was|of|at|are|were|today's|today|it's|it is|looks|looked|came back|reading|measured|of about|about|around|like|now|was about|has been|:))*\s*`;

/**
 * A few words said between the vital sign and a reading whose form says what it is ("your blood pressure looks pretty
 * good today at one twenty eight over seventy two", "your oxygen saturation looks pretty good at ninety six percent"),
 * never a home reading ("at home", "your cuff", "usually") nor another number.
 */
const gap = (words: number): string =>
  String.raw`(?:'s)?(?:,?\s+(?!(?:over|home|cuff|usually|normally|sometimes|when|if|last|before|goal|target|under|below|above|less|more|than)\b)[a-z']+){0,${words}}?[\s,:]+`;
const GAP = gap(10);
const DIGIT = String.raw`(zero|one|two|three|four|five|six|seven|eight|nine|\d)`;

const PATTERNS: Array<{ name: VitalSign['name']; re: RegExp; unit: (v: number) => string }> = [
  {
    name: 'Blood pressure',
    re: new RegExp(String.raw`\b(?:blood pressure|bp)${gap(12)}${N}\s*(?:over|/)\s*${N}`, 'i'),
    unit: () => 'mmHg',
  },
  {
    name: 'Heart rate',
    re: new RegExp(String.raw`\b(?:heart rate|pulse(?: rate)?|hr)(?:${LINK}${N}|${GAP}${N}\s*(?:beats|bpm)|${gap(5)}(?:at|of) ${N})`, 'i'),
    unit: () => 'bpm',
  },
  {
    name: 'Respiratory rate',
    re: new RegExp(String.raw`\b(?:respiratory rate|respirations|resp rate|rr)${LINK}${N}`, 'i'),
    unit: () => 'breaths/min',
  },
  {
    name: 'Temperature',
    re: new RegExp(String.raw`\b(?:temperature|temp)${GAP}${N}(?:\s*point\s*${DIGIT}\b)?`, 'i'),
    unit: (v) => (v > 50 ? '°F' : '°C'),
  },
  {
    name: 'Oxygen saturation',
    re: new RegExp(
      String.raw`\b(?:oxygen saturation|o2 sat(?:uration)?|pulse ox(?:imetry)?|sats?|saturation|spo2|oxygen level|oxygen|satting)(?:${LINK}${N}\s*(?:%|percent)?|${GAP}((?:a )?${N})\s*(?:%|percent))`,
      'i',
    ),
    unit: () => '%',
  },
  {
    name: 'Weight',
    re: new RegExp(String.raw`\b(?:weight|weigh|weighs|weighing)${LINK}${N}\s*(pounds|lbs?|kilograms|kilos|kg)`, 'i'),
    unit: () => '',
  },
  { name: 'BMI', re: new RegExp(String.raw`\b(?:bmi|body mass index)${LINK}${N}`, 'i'), unit: () => 'kg/m2' },
];

function numberOf(text: string): string | null {
  const n = numbersIn(text);
  return n.length === 1 ? n[0]! : null;
}

/**
 * A body temperature said with its decimal, which ACI-Bench writes as a sentence end ("your temperature is ninety eight
 * . two your pulse ..."): read as "ninety eight point two". Applied to a whole turn (sentences are split before it).
 */
const SPOKEN_TEMPERATURE =
  /\b(ninety[\s-](?:three|four|five|six|seven|eight|nine)|(?:one |a )?hundred(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?) ?\. (zero|one|two|three|four|five|six|seven|eight|nine)\b(?! (?:weeks?|days?|months?|years?|times?|hours?|minutes?|percent)\b)/gi;

/** Every vital sign a whole turn states, its sentences read together so a temperature's spoken decimal stays whole. */
export function vitalSignsInTurn(turn: string): VitalSign[] {
  return vitalSignsIn(turn.replace(SPOKEN_TEMPERATURE, '$1 point $2'));
}

/** Every vital sign a sentence states ("blood pressure is one twenty over eighty" -> 120/80 mmHg). */
export function vitalSignsIn(sentence: string): VitalSign[] {
  const out: VitalSign[] = [];
  for (const p of PATTERNS) {
    const m = p.re.exec(sentence);
    if (!m) continue;
    if (p.name === 'Blood pressure') {
      const sys = numberOf(m[1] ?? '') ?? spokenPair(m[1] ?? '');
      const dia = numberOf(m[2] ?? '');
      if (sys && dia && Number(sys) >= 50 && Number(sys) <= 300 && Number(dia) >= 20 && Number(dia) <= 200)
        out.push({ name: p.name, value: `${sys}/${dia}`, unit: 'mmHg' });
      continue;
    }
    const said = (m[1] ?? m[2] ?? m[3] ?? '').replace(/^a hundred\b/i, 'one hundred');
    const whole = numberOf(said) ?? spokenPair(said);
    if (!whole) continue;
    // A temperature's decimal ("ninety eight point two").
    const decimal = p.name === 'Temperature' && m[2] ? numberOf(m[2]) : null;
    const v = decimal !== null && Number(decimal) < 10 && !whole.includes('.') ? `${whole}.${decimal}` : whole;
    const num = Number(v);
    if (p.name === 'Weight') {
      const u = (m[2] ?? '').toLowerCase();
      out.push({ name: p.name, value: v, unit: /^k/.test(u) ? 'kg' : 'lb' });
      continue;
    }
    if (p.name === 'Heart rate' && (num < 20 || num > 250)) continue;
    if (p.name === 'Respiratory rate' && (num < 4 || num > 80)) continue;
    if (p.name === 'Temperature' && !((num >= 34 && num <= 43) || (num >= 93 && num <= 109))) continue;
    if (p.name === 'Oxygen saturation' && (num < 50 || num > 100)) continue;
    out.push({ name: p.name, value: v, unit: p.unit(num) });
  }
  return out;
}

/** "one twenty" is how 120 is said: read two spoken groups as hundreds + rest when the plain reading fails. */
function spokenPair(text: string): string | null {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 2) return null;
  const head = numbersIn(parts[0]!);
  const tail = numbersIn(parts.slice(1).join(' '));
  if (head.length === 1 && tail.length === 1 && Number(head[0]) < 10 && Number(tail[0]) < 100 && Number(tail[0]) >= 10) {
    return String(Number(head[0]) * 100 + Number(tail[0]));
  }
  return null;
}

export function formatVitalSign(v: VitalSign): string {
  return `${v.name} ${v.value}${v.unit === '%' ? '%' : v.unit ? ` ${v.unit}` : ''}`;
}
