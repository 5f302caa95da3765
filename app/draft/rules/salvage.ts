import { capitalize, terminate } from '../text.ts';

/**
 * Fact salvage: when a spoken clause cannot be rewritten as a whole, the clinical facts inside it are kept as short
 * note-style statements made only of its own words: "okay so you know looking at your head and your neck i do n't
 * appreciate any like adenopathy no thyromegaly no no carotid bruit" -> "No thyromegaly." "No carotid bruit."
 *
 * Conservative by construction: a piece is cut only between words (nothing is added), it must name a clinical term
 * the clause's rewrite lost, and it is left out when the clause asks, hedges, talks about someone else (family,
 * another clinic) or negates something before it that the piece does not carry itself ("i don't see any x" never
 * yields "X.").
 */

/** Words that end a piece: people in the conversation, fillers, and clause joints. */
const BREAK = new Set([
  'i',
  'me',
  'my',
  'mine',
  'myself',
  'we',
  'us',
  'our',
  'ours',
  'you',
  'your',
  'yours',
  'yourself',
  "i'm",
  "i've",
  "i'll",
  "i'd",
  "you're",
  "you've",
  "you'll",
  "we're",
  "we've",
  "we'll",
  "let's",
  'um',
  'uh',
  'umm',
  'uhm',
  'okay',
  'ok',
  'alright',
  'like',
  'so',
  'well',
  'yeah',
  'yes',
  'just',
  'know',
  'mean',
  'gonna',
  'gon',
  'na',
  'wanna',
  'hmm',
  'mm',
  'hey',
  'dragon',
  'and',
  'but',
  'because',
  'cause',
  'however',
  'which',
  'that',
  'then',
  'now',
  'also',
  'as',
  'since',
  'though',
  'although',
  'while',
  'where',
  'when',
  'what',
  'who',
  "that's",
  "it's",
  "there's",
  'exam',
  'examination',
  'let',
  'seem',
  'still',
  'terms',
  'problem',
  'issue',
  'first',
  'second',
  'third',
  'next',
  'last',
  'kind',
  'sort',
  'pretty',
  'really',
  'actually',
  'basically',
  'probably',
  'definitely',
  'certainly',
  'say',
  'said',
  'think',
  'see',
  'hear',
  'appreciate',
  'recognize',
  'notice',
  'feel',
  'looks',
  'look',
  'looking',
  'seems',
  'sounds',
]);

/** Words a piece neither starts nor ends with. */
const EDGE =
  /^(?:the|a|an|of|to|in|on|at|with|for|from|by|is|are|was|were|be|been|it|its|it's|this|these|those|there|there's|do|does|did|n't|not|have|has|had|some|very|little|bit|or|nor|any|his|her|their|he|she|they|them|him|was|get|got|go|going|take|taking|here|too|good|fine|over|about|up|out|only|even|more|much|other|all)$/;

/** Clauses whose facts are not the patient's present findings: questions, conditions, hedges, others' histories, advice. */
const NOT_A_FACT =
  /\?|\b(?:if|whether|any other|might|may|could|would|should|possible|possibly|concern|concerned|worried|rule out|make sure|call|contact|let me know|how|why|do you|did you|have you|are you|does it|is it|family|father|mother|dad|mom|brother|sister|son|daughter|wife|husband|grandmother|grandfather|aunt|uncle|cousin|before|used to|in the past|last time|never|want|wants|need|needs|going to|gon na|will|try|trying|dragon|scribe|show me|sorry|standpoint|tell me|talk|talked|happy|glad|hope|hopefully|can|consider)\b/i;

/** Exam dictation and results: the clauses salvage reads ("on your lung exam ...", "i do hear a murmur", "your x-ray shows ..."). */
const FINDING_CUE =
  /\b(?:exam|examination|appreciate|hear|heard|see|feel|notice|recognize|palpate|palpation|auscultation|x-rays?|xray|ct|mri|ultrasound|echo|echocardiogram|ekg|labs?|results?|shows?|showed|revealed|reveals|demonstrates?|present|enlarged|clear|tender|tenderness|swollen|swelling|edema|murmur|pulses?|rate and rhythm|positive|negative|normal|abnormal|elevated|stable|mild|moderate|severe|bilateral(?:ly)?|fracture|consistent with|diagnosed|evidence of|intact|range of motion|reflexes|sensation)\b/i;

/** What a patient's own salvaged phrase must be about: a symptom. */
const SYMPTOM_CUE =
  /\b(?:pain|painful|ache|aching|achy|hurts?|sore|swollen|swelling|numb|numbness|tingling|cough|fever|chills|nausea|vomiting|dizz\w*|breath|tired|fatigue|rash|bleeding|cramps?|stiff\w*|weak\w*|itch\w*|burning|pressure|headaches?|discomfort)\b/;

const NEGATION = /\b(?:no|not|n't|never|without|den(?:y|ies|ied)|negative|nothing)\b/i;

/** Findings an exam or a history names that the terminology lists only inside longer terms. */
const FINDINGS = new Set([
  'edema',
  'murmur',
  'murmurs',
  'tenderness',
  'crackles',
  'wheezing',
  'wheezes',
  'rales',
  'rhonchi',
  'swelling',
  'erythema',
  'bruising',
  'effusion',
  'pulses',
  'pulse',
  'gallop',
  'rub',
  'distention',
  'distension',
  'clubbing',
  'cyanosis',
  'numbness',
  'tingling',
  'weakness',
  'stiffness',
  'fluctuance',
  'warmth',
  'drainage',
  'laceration',
  'abrasion',
  'deformity',
  'crepitus',
  'effusion',
]);

export type TermFinder = (text: string) => string[];

/**
 * Short statements kept from a spoken clause for the clinical terms in `wanted` (terms the clause names that its
 * rewrite lost). Each statement is a run of the clause's own words with no person, filler or joint inside it.
 */
export function salvageFacts(clause: string, terms: TermFinder, wanted?: Set<string>, byPatient = false): string[] {
  const text = clause
    .toLowerCase()
    .replace(/\s+n't\b/g, " n't")
    .replace(/[^a-z0-9'./% -]+/g, ' , ');
  if (NOT_A_FACT.test(text) || (!FINDING_CUE.test(text) && !byPatient)) return [];
  const words = text.split(/\s+/).filter(Boolean);
  const runs: Array<{ words: string[]; start: number }> = [];
  let run: string[] = [];
  let start = 0;
  const close = (): void => {
    if (run.length) runs.push({ words: run, start });
    run = [];
  };
  words.forEach((w, i) => {
    const bare = w.replace(/^[.,]+|[.,]+$/g, '');
    if (w === ',' || !bare || BREAK.has(bare)) {
      close();
      return;
    }
    // A new negated finding starts its own piece ("... no thyromegaly no carotid bruit").
    if (bare === 'no' && run.length > 0 && run[run.length - 1] !== 'no') close();
    if (run.length === 0) start = i;
    if (bare !== run[run.length - 1]) run.push(bare);
  });
  close();
  const out: string[] = [];
  for (const r of runs) {
    let ws = r.words;
    const negated = ws[0] === 'no';
    const lead = r.words.slice(0, r.words.length);
    if (negated) ws = ws.slice(1);
    while (ws.length && EDGE.test(ws[0]!)) ws = ws.slice(1);
    while (ws.length && (EDGE.test(ws[ws.length - 1]!) || ws[ws.length - 1] === 'no')) ws = ws.slice(0, -1);
    if (ws.length < (negated ? 1 : 3) || ws.length > 10) continue;
    // A piece that starts with a verb is a rewrite's job (plans, reports), not a finding's.
    if (
      !negated &&
      /(?:ing|ed)$|^(?:order|repeat|start|stop|continue|increase|decrease|check|get|give|send|refer|schedule|see|keep|put)$/.test(ws[0]!)
    )
      continue;
    if (ws.some((w) => NEGATION.test(w))) continue;
    // Negated earlier in the clause and the piece does not carry the negation itself: its polarity is unknown.
    const trimmed = lead.slice(0, lead.indexOf(ws[0]!));
    if (!negated && NEGATION.test([...words.slice(0, r.start), ...trimmed].join(' '))) continue;
    const piece = ws.join(' ');
    const named = [...terms(piece), ...ws.filter((w) => FINDINGS.has(w))];
    if (named.length === 0 || (wanted && !named.some((t) => wanted.has(t)))) continue;
    // Only the term itself ("Knee pain.") names a topic, not a fact: a finding says something about it.
    const rest = ws.filter((w) => !named.some((t) => t.split(' ').includes(w)));
    if (!negated && rest.length === 0) continue;
    if (byPatient && !SYMPTOM_CUE.test(piece)) continue;
    // A phrase said twice over ("knee right knee") is a false start, not a finding.
    if (new Set(ws).size < ws.length) continue;
    out.push(capitalize(terminate(negated ? `no ${piece}` : piece)));
  }
  return out;
}

/** Clinical terms of a text by the same finder plus the exam findings above. */
export function namedTerms(text: string, terms: TermFinder): Set<string> {
  const words = text.toLowerCase().split(/[^a-z]+/);
  return new Set([...terms(text), ...words.filter((w) => FINDINGS.has(w))]);
}
