import { numbersIn } from '../text.ts';

/** Vital signs read from spoken text, with the units a note writes. */
export interface VitalSign {
  name: 'Blood pressure' | 'Heart rate' | 'Respiratory rate' | 'Temperature' | 'Oxygen saturation' | 'Weight' | 'Height' | 'BMI';
  value: string;
  unit: string;
}

const N = String.raw`(\d+(?:\.\d+)?|(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|and)\b[\s-]*)+)`;
const LINK = String.raw`(?:\s+(?:is|was|of|at|are|were|today's|today|it's|it is|looks|looked|came back|reading|measured|of about|about|around|like|now|was about|has been|:))*\s*`;

const PATTERNS: Array<{ name: VitalSign['name']; re: RegExp; unit: (v: number) => string }> = [
  { name: 'Blood pressure', re: new RegExp(String.raw`\b(?:blood pressure|bp)${LINK}${N}\s*(?:over|/)\s*${N}`, 'i'), unit: () => 'mmHg' },
  { name: 'Heart rate', re: new RegExp(String.raw`\b(?:heart rate|pulse(?: rate)?|hr)${LINK}${N}`, 'i'), unit: () => 'bpm' },
  {
    name: 'Respiratory rate',
    re: new RegExp(String.raw`\b(?:respiratory rate|respirations|resp rate|rr)${LINK}${N}`, 'i'),
    unit: () => 'breaths/min',
  },
  { name: 'Temperature', re: new RegExp(String.raw`\b(?:temperature|temp)${LINK}${N}`, 'i'), unit: (v) => (v > 50 ? '°F' : '°C') },
  {
    name: 'Oxygen saturation',
    re: new RegExp(
      String.raw`\b(?:oxygen saturation|o2 sat(?:uration)?|pulse ox(?:imetry)?|sats?|saturation|spo2|oxygen level|oxygen)${LINK}${N}\s*(?:%|percent)?`,
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
    const v = numberOf(m[1] ?? '') ?? spokenPair(m[1] ?? '');
    if (!v) continue;
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
