/**
 * Sentences, clauses and the assertion of a mention: is the condition present, or negated ("denies
 * chest pain"), hypothetical/uncertain ("rule out", "possible"), historical and resolved, or about a
 * family member ("mother had diabetes")? Only present conditions are coded (ICD-10-CM outpatient
 * guidelines IV.H: uncertain diagnoses are not coded). NegEx-style triggers with clause scope.
 */

export interface Span {
  text: string;
  start: number;
  end: number;
}

export type Assertion = 'present' | 'negated' | 'hypothetical' | 'historical' | 'family';

/** Sentences of `text` with offsets; a line break also ends a sentence (headings, bullets). */
export function sentencesOf(text: string): Span[] {
  const out: Span[] = [];
  let from = 0;
  const push = (a: number, b: number) => {
    const raw = text.slice(a, b);
    const lead = raw.length - raw.trimStart().length;
    const t = raw.trim();
    if (t) out.push({ text: t, start: a + lead, end: a + lead + t.length });
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      push(from, i);
      from = i + 1;
    } else if (
      (ch === '.' || ch === '!' || ch === '?') &&
      (i + 1 >= text.length || /\s/.test(text[i + 1]!)) &&
      !/^\s*\d{1,2}$/.test(text.slice(from, i))
    ) {
      push(from, i + 1);
      from = i + 1;
    }
  }
  push(from, text.length);
  return out;
}

const TERMINATORS = /\b(?:but|however|although|though|except|aside from|apart from|which|who|whereas|yet)\b|[;:]|\s-\s/gi;

/** Clauses of a sentence (offsets relative to the same text the sentence came from). */
export function clausesOf(sentence: Span): Span[] {
  const out: Span[] = [];
  let last = 0;
  const push = (a: number, b: number) => {
    const raw = sentence.text.slice(a, b);
    const lead = raw.length - raw.trimStart().length;
    const t = raw.trim();
    if (t) out.push({ text: t, start: sentence.start + a + lead, end: sentence.start + a + lead + t.length });
  };
  for (const m of sentence.text.matchAll(TERMINATORS)) {
    push(last, m.index ?? 0);
    last = (m.index ?? 0) + m[0].length;
  }
  push(last, sentence.text.length);
  return out;
}

const NEGATION_BEFORE =
  /\b(?:no|not|denie[sd]|deny|denying|without|negative for|free of|absence of|absent|never had|no history of|no evidence of|no signs? of|no symptoms of|not have|doesn't have|does not have|did not have|didn't have|haven't had|hasn't had|has not had|ruled out|rules out|resolved|free from|nor)\b/i;
const NEGATION_AFTER =
  /\b(?:ruled out|was ruled out|is ruled out|has been ruled out|unlikely|negative|not present|absent|denied|has resolved|resolved|went away|gone)\b/i;
const HYPOTHETICAL_BEFORE =
  /\b(?:rule out|r\/o|to rule out|possible|possibly|probable|probably|suspect(?:ed)?|suspicion (?:for|of)|questionable|question of|concern(?:ed)? (?:for|about)|worried about|evaluate for|evaluation for|assess(?:ing)? for|screen(?:ing)? for|risk (?:of|for)|at risk|may have|might have|could have|could be|may be|might be|if (?:she|he|you|they|the patient)|in case of|differential|versus|vs\.?|prevent(?:ion of)?|prophylaxis|watch for|signs of|return (?:if|for)|should (?:she|he|you|they|the patient)|presumed|cannot exclude|can't rule out|likely)\b/i;
const HYPOTHETICAL_AFTER =
  /\b(?:is suspected|suspected|is possible|possible|vs\.?|versus|cannot be excluded|to be ruled out|not excluded)\b/i;
const FAMILY =
  /\b(?:mother|mom|father|dad|sister|brother|siblings?|aunt|uncle|grand(?:mother|father|parents?|ma|pa)|cousin|parents?|son|daughter|children|family history|family hx|fhx|fh|runs in (?:the|her|his|my) family|maternal|paternal|niece|nephew)\b/i;
const HISTORICAL =
  /\b(?:history of .{0,60}\b(?:resolved|cured|treated|removed|repaired|in the past)|resolved|used to have|had .{0,40} as a (?:child|kid|teenager)|years ago|in the past|previous(?:ly)?|prior|remote history|childhood|s\/p|status post|no longer|past (?:medical )?history of|history of|hx of)\b/i;
const SENTENCE_HYPOTHETICAL =
  /\b(?:risks?|complications?|side effects?|adverse effects?|possible (?:etiologies|causes|diagnoses)|differential(?: diagnos[ie]s)?|etiologies (?:include|of)|causes (?:include|of)|to (?:prevent|rule out|screen for|evaluate for|assess for|determine (?:if|whether))|be aware of|monitor (?:for|him for|her for)|look out for|watch (?:for|out for)|warning signs)\b/i;
const HISTORICAL_AFTER =
  /^\W*(?:which |that )?(?:has |had |was )?(?:resolved|cured|treated and resolved|in the past|as a (?:child|kid|teenager|baby)|in (?:childhood|high school|college)|(?:\w+ )?years ago|when (?:she|he|i|they) (?:was|were) (?:young|a child|little))/i;
/** Chronic conditions stay codeable even when written as "history of" (HTN, diabetes, ...). */
const CHRONIC_ALLOWED_WITH_HISTORY =
  /\b(?:hypertension|htn|diabetes|dm|t2dm|copd|asthma|heart failure|chf|ckd|chronic|hyperlipidemia|hypothyroidism|atrial fibrillation|afib|depression|anxiety)\b/i;

/**
 * How a mention at [start, end) (offsets in `source`) is asserted, judged within its clause (and, for
 * family history, its sentence).
 */
export function assertionOf(source: string, sentence: Span, start: number, end: number): Assertion {
  const clause = clausesOf(sentence).find((c) => c.start <= start && end <= c.end) ?? sentence;
  const before = source.slice(clause.start, start);
  // Words after the mention count up to the next comma ("knee pain, possible MCL strain": the pain is present).
  const after = source.slice(end, clause.end).split(',')[0]!;
  const mention = source.slice(start, end);
  // Family: a relative named before the mention in the clause, or "in her mother" right after it.
  if (
    FAMILY.test(before) ||
    /^\W*(?:in|of) (?:his|her|their|my|the patient's) (?:mother|father|sister|brother|mom|dad|parents?|grand\w+|aunt|uncle)/i.test(after)
  ) {
    if (!/\b(?:patient|she|he) (?:has|have)\b/i.test(before.slice(-30))) return 'family';
  }
  if (/^(?:family history|fhx|fh)\b/i.test(sentence.text.trim())) return 'family';
  const near = before.split(/\s+/).slice(-8).join(' ');
  // Risks explained, differentials listed, things to prevent or watch for: not diagnoses of this visit.
  if (SENTENCE_HYPOTHETICAL.test(source.slice(sentence.start, start))) return 'hypothetical';
  if (HYPOTHETICAL_BEFORE.test(near) || HYPOTHETICAL_AFTER.test(after.split(/\s+/).slice(0, 5).join(' '))) return 'hypothetical';
  if (NEGATION_BEFORE.test(near) || NEGATION_AFTER.test(after.split(/\s+/).slice(0, 5).join(' '))) {
    // "no longer" is historical, "not controlled" is still present.
    if (!/\bnot (?:well |adequately |optimally )?(?:controlled|improved|improving|better)\b/i.test(`${near} ${after}`)) return 'negated';
  }
  if (HISTORICAL.test(near) || HISTORICAL_AFTER.test(after)) {
    if (!CHRONIC_ALLOWED_WITH_HISTORY.test(mention) || /\b(?:resolved|cured|no longer)\b/i.test(`${near} ${after}`)) return 'historical';
  }
  return 'present';
}
