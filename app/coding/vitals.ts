import { sentencesOf } from './context.ts';
import type { Mention } from './diagnoses.ts';
import type { Terminology } from './terminology.ts';

export interface VitalCandidate {
  loinc: string;
  display: string;
  value: number;
  /** UCUM unit. */
  unit: string;
  confidence: number;
  why: string;
  mention: Mention;
}

const NUM = '(\\d{1,3}(?:\\.\\d{1,2})?)';
const GAP = '[^.;\\d]{0,30}?';

interface VitalPattern {
  re: RegExp;
  emit: (m: RegExpMatchArray) => Array<{ loinc: string; value: number; unit: string }>;
}

const PATTERNS: VitalPattern[] = [
  {
    re: new RegExp(`\\b(?:blood pressure|bp)\\b${GAP}(\\d{2,3})\\s*(?:/|over)\\s*(\\d{2,3})`, 'gi'),
    emit: (m) => [
      { loinc: '8480-6', value: Number(m[1]), unit: 'mm[Hg]' },
      { loinc: '8462-4', value: Number(m[2]), unit: 'mm[Hg]' },
    ],
  },
  {
    re: new RegExp(`\\b(?:heart rate|pulse(?! ox)|hr)\\b${GAP}(\\d{2,3})(?!\\s*%)`, 'gi'),
    emit: (m) => [{ loinc: '8867-4', value: Number(m[1]), unit: '/min' }],
  },
  {
    re: new RegExp(`\\b(?:respiratory rate|respirations|resp(?:iratory)? rate|rr)\\b${GAP}(\\d{1,2})\\b`, 'gi'),
    emit: (m) => [{ loinc: '9279-1', value: Number(m[1]), unit: '/min' }],
  },
  {
    re: new RegExp(`\\b(?:temperature|temp)\\b${GAP}${NUM}\\s*(?:°|degrees?)?\\s*(f|c|fahrenheit|celsius)?\\b`, 'gi'),
    emit: (m) => {
      const v = Number(m[1]);
      const celsius = m[2] ? /^c/i.test(m[2]) : v < 50;
      return v >= 30 && v <= 110 ? [{ loinc: '8310-5', value: v, unit: celsius ? 'Cel' : '[degF]' }] : [];
    },
  },
  {
    re: new RegExp(
      `\\b(?:oxygen saturation|o2 sat(?:uration)?s?|spo2|sp02|pulse ox(?:imetry)?|sat(?:uration)?s?|satting)\\b${GAP}(\\d{2,3})\\s*(?:%|percent)`,
      'gi',
    ),
    emit: (m) => (Number(m[1]) <= 100 ? [{ loinc: '59408-5', value: Number(m[1]), unit: '%' }] : []),
  },
  {
    re: new RegExp(`\\b(?:weight|weighs|wt)\\b${GAP}${NUM}\\s*(lbs?|pounds?|kg|kilograms?)\\b`, 'gi'),
    emit: (m) => [{ loinc: '29463-7', value: Number(m[1]), unit: /^k/i.test(m[2]!) ? 'kg' : '[lb_av]' }],
  },
  {
    re: new RegExp(`\\b(?:height|ht|tall)\\b${GAP}${NUM}\\s*(cm|centimeters?|in|inches|m)\\b`, 'gi'),
    emit: (m) => [{ loinc: '8302-2', value: Number(m[1]), unit: /^c/i.test(m[2]!) ? 'cm' : /^m$/i.test(m[2]!) ? 'm' : '[in_i]' }],
  },
  {
    re: /\b(?:height|ht)\b[^.;\d]{0,20}?(\d)\s*(?:'|feet|foot|ft)\s*(\d{1,2})?\s*(?:"|inches|in)?/gi,
    emit: (m) => [{ loinc: '8302-2', value: Number(m[1]) * 12 + Number(m[2] ?? 0), unit: '[in_i]' }],
  },
  {
    re: new RegExp(`\\b(?:bmi|body mass index)\\b${GAP}${NUM}`, 'gi'),
    emit: (m) => (Number(m[1]) >= 10 && Number(m[1]) <= 90 ? [{ loinc: '39156-5', value: Number(m[1]), unit: 'kg/m2' }] : []),
  },
];

const HOME_READING =
  /\b(?:at home|home (?:blood pressure|bp|readings?|log|monitor|cuff|glucose)|(?:his|her|their|my) (?:log|cuff|monitor)|home[- ]measured)\b/i;

/** Vital signs with values in the source text, as LOINC codes with UCUM units. */
export function findVitals(term: Terminology, source: Omit<Mention, 'sentence' | 'start' | 'end'>): VitalCandidate[] {
  const displays = new Map(term.loincCodes.map((l) => [l.code, l.display]));
  const out: VitalCandidate[] = [];
  const text = source.text;
  for (const sentence of sentencesOf(text)) {
    // Readings the patient took at home (a log, a home cuff) are not the office's vital signs.
    if (HOME_READING.test(sentence.text)) continue;
    for (const p of PATTERNS) {
      for (const m of sentence.text.matchAll(p.re)) {
        const start = sentence.start + (m.index ?? 0);
        const end = start + m[0].length;
        for (const v of p.emit(m)) {
          if (!Number.isFinite(v.value)) continue;
          out.push({
            loinc: v.loinc,
            display: displays.get(v.loinc) ?? v.loinc,
            value: v.value,
            unit: v.unit,
            confidence: 0.9 * (source.weight >= 0.85 ? 1 : 0.9),
            why: `measurement "${m[0].replace(/\s+/g, ' ').trim()}"`,
            mention: { ...source, sentence, start, end },
          });
        }
      }
    }
  }
  return out;
}
