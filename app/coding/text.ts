/**
 * Word handling shared by the index compiler and the suggesters, so that a phrase in a note and a term
 * in the ICD-10-CM index reduce to the same key: lowercase stems without filler words, as a sorted bag.
 */

export interface Token {
  /** Normalised stem used for matching. */
  stem: string;
  /** The word as written. */
  raw: string;
  start: number;
  end: number;
}

/** Words that carry no diagnostic meaning in a term ("Heart failure, unspecified" = "heart failure"). */
export const FILLER = new Set([
  'a',
  'an',
  'the',
  'of',
  'and',
  'or',
  'in',
  'on',
  'to',
  'for',
  'by',
  'with',
  'due',
  'as',
  'at',
  'is',
  'are',
  'was',
  'be',
  'been',
  'has',
  'have',
  'had',
  'his',
  'her',
  'their',
  'its',
  'this',
  'that',
  'from',
  'into',
  'also',
  'which',
  'nos',
  'nec',
  'unspecified',
  'mellitus',
  'primary',
  'type',
  'so',
  'called',
  'i',
  'my',
  'he',
  'she',
  'it',
  'patient',
  'noted',
  'current',
  'currently',
  'diagnosis',
  'likely',
  'may',
  'plus',
  'minus',
]);

/**
 * Words that qualify a condition without changing its code in most cases; a phrase is tried with and
 * without them ("stable hypertension" = hypertension).
 */
export const QUALIFIERS = new Set([
  'acute',
  'chronic',
  'mild',
  'moderate',
  'severe',
  'stable',
  'controlled',
  'uncontrolled',
  'well',
  'poorly',
  'worsening',
  'worsen',
  'improving',
  'improved',
  'new',
  'known',
  'persistent',
  'recurrent',
  'intermittent',
  'ongoing',
  'suboptimally',
  'suboptimal',
  'significant',
  'longstanding',
  'long',
  'standing',
  'mildly',
  'moderately',
  'severely',
  'symptomatic',
  'episodic',
  'bilateral',
  'right',
  'left',
  'status',
  'follow',
  'up',
  'followup',
  'visit',
  'exacerbation',
  'flare',
  'management',
  'onset',
  'early',
  'late',
  'advanced',
  'elevated',
  'increased',
  'decreased',
  'history',
]);

/** Word forms that mean the same for coding. */
const LEMMA: Record<string, string> = {
  diabetic: 'diabetes',
  asthmatic: 'asthma',
  anemic: 'anemia',
  anaemia: 'anemia',
  anaemic: 'anemia',
  obese: 'obesity',
  arthritic: 'arthritis',
  hypertensive: 'hypertension',
  ii: '2',
  iii: '3',
  iv: '4',
  tumour: 'tumor',
  oesophageal: 'esophageal',
  oesophagitis: 'esophagitis',
  haemorrhage: 'hemorrhage',
  paediatric: 'pediatric',
  fibrillating: 'fibrillation',
  fractured: 'fracture',
  sprained: 'sprain',
  strained: 'strain',
  infected: 'infection',
  inflamed: 'inflammation',
  pains: 'pain',
  aches: 'ache',
  hurts: 'pain',
  hurting: 'pain',
  tendonitis: 'tendinitis',
  dislocated: 'dislocation',
  migraines: 'migraine',
  headaches: 'headache',
  lesions: 'lesion',
  torn: 'tear',
  renal: 'kidney',
  hepatic: 'liver',
  cardiac: 'heart',
  lower: 'low',
  painful: 'pain',
  ureteral: 'ureter',
  ureteric: 'ureter',
  tics: 'tic',
  pulmonary: 'pulmonary',
  depressive: 'depression',
  anxious: 'anxiety',
  hypothyroid: 'hypothyroidism',
  hyperthyroid: 'hyperthyroidism',
  osteoarthritic: 'osteoarthritis',
  gastroesophageal: 'gastro esophageal',
};

/** Abbreviations and lay words clinicians and patients use, expanded before matching and searching. */
export const ABBREVIATIONS: Record<string, string> = {
  htn: 'hypertension',
  hbp: 'hypertension',
  t2dm: 'type 2 diabetes',
  t2d: 'type 2 diabetes',
  dm2: 'type 2 diabetes',
  niddm: 'type 2 diabetes',
  t1dm: 'type 1 diabetes',
  t1d: 'type 1 diabetes',
  dm1: 'type 1 diabetes',
  iddm: 'type 1 diabetes',
  dm: 'diabetes',
  chf: 'congestive heart failure',
  hf: 'heart failure',
  hfref: 'heart failure reduced ejection fraction',
  hfpef: 'heart failure preserved ejection fraction',
  copd: 'chronic obstructive pulmonary disease',
  gerd: 'gastro esophageal reflux disease',
  gord: 'gastro esophageal reflux disease',
  afib: 'atrial fibrillation',
  af: 'atrial fibrillation',
  cad: 'coronary artery disease',
  ckd: 'chronic kidney disease',
  aki: 'acute kidney failure',
  uti: 'urinary tract infection',
  uri: 'upper respiratory infection',
  osa: 'obstructive sleep apnea',
  bph: 'benign prostatic hyperplasia',
  mi: 'myocardial infarction',
  hld: 'hyperlipidemia',
  dvt: 'deep vein thrombosis',
  oa: 'osteoarthritis',
  ra: 'rheumatoid arthritis',
  ibs: 'irritable bowel syndrome',
  tia: 'transient ischemic attack',
  cva: 'stroke',
  pna: 'pneumonia',
  lbp: 'low back pain',
  mdd: 'major depressive disorder',
  gad: 'generalized anxiety disorder',
  ptsd: 'post traumatic stress disorder',
  adhd: 'attention deficit hyperactivity disorder',
  pvd: 'peripheral vascular disease',
  pad: 'peripheral arterial disease',
  hypothyroid: 'hypothyroidism',
  hyperlipidaemia: 'hyperlipidemia',
  ocd: 'obsessive compulsive disorder',
  ed: 'erectile dysfunction',
  ugib: 'upper gastrointestinal bleeding',
  sob: 'shortness of breath',
  ams: 'altered mental status',
  mcl: 'medial collateral ligament',
  acl: 'anterior cruciate ligament',
  pcl: 'posterior cruciate ligament',
  lcl: 'lateral collateral ligament',
  ntg: 'nitroglycerin',
  hctz: 'hydrochlorothiazide',
  asa: 'aspirin',
  apap: 'acetaminophen',
  mvi: 'multivitamin',
};

/** Lay phrases → clinical words (applied to normalised text, longest first). */
export const LAY_PHRASES: Array<[string, string]> = [
  ['high blood pressure', 'hypertension'],
  ['elevated blood pressure', 'elevated blood pressure'],
  ['high cholesterol', 'hypercholesterolemia'],
  ['high blood sugar', 'hyperglycemia'],
  ['low blood sugar', 'hypoglycemia'],
  ['heart attack', 'myocardial infarction'],
  ['acid reflux', 'gastro esophageal reflux disease'],
  ['kidney stone', 'calculus kidney'],
  ['kidney stones', 'calculus kidney'],
  ['sugar diabetes', 'diabetes'],
  ['a fib', 'atrial fibrillation'],
  ['underactive thyroid', 'hypothyroidism'],
  ['overactive thyroid', 'hyperthyroidism'],
  ['sleep apnea', 'sleep apnea'],
  ['pink eye', 'conjunctivitis'],
  ['strep throat', 'streptococcal pharyngitis'],
  ['stomach flu', 'gastroenteritis'],
  ['mini stroke', 'transient ischemic attack'],
  ['lumbar strain', 'low back strain'],
  ['lumbosacral strain', 'low back strain'],
];

function stemWord(w: string): string {
  let s = w
    .toLowerCase()
    .replace(/['’]s$/, '')
    .replace(/['’]/g, '');
  const lemma = LEMMA[s];
  if (lemma !== undefined) s = lemma;
  if (s.length > 4 && s.endsWith('ies')) s = `${s.slice(0, -3)}y`;
  else if (s.length > 3 && s.endsWith('s') && !/(ss|us|is|ys|as)$/.test(s)) s = s.slice(0, -1);
  return s;
}

/** Stems of a word, possibly several when a lemma expands ("gastroesophageal" → gastro esophageal). */
export function stems(word: string): string[] {
  const s = stemWord(word);
  return s.includes(' ') ? s.split(' ') : [s];
}

const WORD = /[A-Za-z0-9]+(?:['’][A-Za-z]+)?/g;

/** Words of `text` with their offsets; filler words dropped; abbreviations expanded in place. */
export function tokenize(text: string, keepFiller = false): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const raw = m[0];
    const start = m.index ?? 0;
    const lower = raw.toLowerCase();
    const expansion = ABBREVIATIONS[lower];
    const words = expansion && !(raw.length <= 3 && raw === raw.toLowerCase() && AMBIGUOUS_LOWER.has(lower)) ? expansion.split(' ') : [raw];
    for (const w of words) {
      for (const stem of stems(w)) {
        if (!keepFiller && FILLER.has(stem)) continue;
        out.push({ stem, raw, start, end: start + raw.length });
      }
    }
  }
  return out;
}

/** Short abbreviations that are also everyday words in lowercase: expanded only when written in capitals. */
const AMBIGUOUS_LOWER = new Set(['af', 'ed', 'pad', 'ra', 'oa', 'mi', 'dm', 'hf', 'asa', 'gad', 'ams', 'sob']);

/** Lowercase words with lay phrases rewritten: the form searched for and keyed. */
export function normalisePhrase(text: string): string {
  let s = ` ${text
    .toLowerCase()
    .replace(/[^a-z0-9']+/g, ' ')
    .trim()} `;
  for (const [lay, clinical] of LAY_PHRASES) s = s.split(` ${lay} `).join(` ${clinical} `);
  return s.trim();
}

/** The sorted, de-duplicated stems of a phrase: the lookup key of the term table. */
export function bagOf(stemsList: string[]): string {
  return [...new Set(stemsList)].sort().join(' ');
}
