import type { CodingHint, Draft, Transcript } from '../contract/index.ts';
import { findDiagnoses, type DiagnosisCandidate, type Mention } from './diagnoses.ts';
import { findMedications, type MedicationCandidate } from './medications.ts';
import type { Terminology } from './terminology.ts';
import { findVitals, type VitalCandidate } from './vitals.ts';

export interface SuggestInput {
  draft?: Draft | null;
  transcript?: Transcript | null;
  /** A note or any free text (headings such as "ASSESSMENT AND PLAN" are recognized). */
  text?: string;
}

export interface SuggestOptions {
  /** How many hints per system (ICD-10-CM, RxNorm, LOINC); default 15. */
  top?: number;
  /** Include lower-ranked alternatives for the same words (default true). */
  alternates?: boolean;
}

/** Sections whose diagnoses are the visit's assessment (ICD-10-CM comes from these when present). */
const ASSESSMENT = /assess|impression|diagnos|problem|plan|a\/p|\bap\b/i;

type Source = Omit<Mention, 'sentence' | 'start' | 'end'>;

/** Sections of a plain-text note: a heading is a short line in capitals or ending with a colon. */
export function sectionsOfText(text: string): Array<{ id: string; title: string; start: number; text: string }> {
  const lines = [...text.matchAll(/[^\n]*(?:\n|$)/g)].filter((m) => m[0].length);
  const out: Array<{ id: string; title: string; start: number; end: number }> = [];
  let current = { id: 'note', title: '', start: 0, end: 0 };
  for (const m of lines) {
    const line = m[0].trim();
    const at = m.index ?? 0;
    const heading =
      line.length > 0 &&
      line.length <= 60 &&
      ((/^[A-Z][A-Z0-9 &/,()-]+:?$/.test(line) && /[A-Z]{3}/.test(line)) || /^[A-Z][A-Za-z /&]{2,40}:$/.test(line));
    if (heading) {
      current.end = at;
      out.push(current);
      const title = line.replace(/:$/, '');
      current = {
        id:
          title
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-|-$/g, '') || 'section',
        title,
        start: at + m[0].length,
        end: 0,
      };
    }
  }
  current.end = text.length;
  out.push(current);
  return out
    .filter((s) => s.end > s.start && text.slice(s.start, s.end).trim())
    .map((s) => ({ id: s.id, title: s.title, start: s.start, text: text.slice(s.start, s.end) }));
}

function mentionEvidence(m: Mention): CodingHint['evidence'] {
  return {
    source: m.sourceKind,
    ...(m.sectionId ? { sectionId: m.sectionId } : {}),
    sentence: m.sentence.text,
    start: m.start,
    end: m.end,
    ...(m.segmentIds?.length ? { segmentIds: m.segmentIds } : {}),
  };
}

/** Transcript segments a draft sentence cites, for the words at [start, end) of a section. */
function draftSegments(draft: Draft, sectionId: string | undefined, start: number): string[] | undefined {
  const section = draft.sections.find((s) => s.id === sectionId);
  if (!section) return undefined;
  let cursor = 0;
  for (const sentence of section.sentences) {
    const at = section.text.indexOf(sentence.text, cursor);
    if (at < 0) continue;
    if (start >= at && start <= at + sentence.text.length) return sentence.evidence.length ? sentence.evidence : undefined;
    cursor = at + sentence.text.length;
  }
  return undefined;
}

function collectSources(input: SuggestInput): { diagnosis: Source[]; facts: Source[]; transcript: Source[] } {
  const diagnosis: Source[] = [];
  const facts: Source[] = [];
  const transcript: Source[] = [];
  if (input.draft) {
    const sections = input.draft.sections.filter((s) => s.text.trim());
    const assessment = sections.filter((s) => ASSESSMENT.test(s.id) || ASSESSMENT.test(s.title));
    for (const s of sections) {
      const src: Source = { sourceKind: 'draft', sectionId: s.id, text: s.text, weight: 1 };
      facts.push(src);
      if (!assessment.length) diagnosis.push({ ...src, weight: 0.85 });
      else if (assessment.includes(s)) diagnosis.push(src);
    }
  }
  if (input.text) {
    const sections = sectionsOfText(input.text);
    const assessment = sections.filter((s) => ASSESSMENT.test(s.id) || ASSESSMENT.test(s.title));
    if (sections.length === 1 && !sections[0]!.title) {
      const src: Source = { sourceKind: 'text', text: input.text, weight: 1 };
      facts.push(src);
      diagnosis.push(src);
    } else {
      // Offsets stay relative to the whole text: each section is the text with the rest blanked out.
      for (const s of sections) {
        const masked = ' '.repeat(s.start) + s.text;
        const src: Source = { sourceKind: 'text', sectionId: s.id, text: masked, weight: 1 };
        facts.push(src);
        if (!assessment.length) diagnosis.push({ ...src, weight: 0.85 });
        else if (assessment.includes(s)) diagnosis.push(src);
      }
    }
  }
  if (input.transcript) {
    for (const seg of input.transcript.segments) {
      if (!seg.text.trim()) continue;
      transcript.push({ sourceKind: 'transcript', segmentIds: [seg.id], text: seg.text, weight: 0.7 });
    }
  }
  return { diagnosis, facts, transcript };
}

function merge<T extends { confidence: number; mention: Mention }>(items: T[], key: (t: T) => string): T[] {
  const best = new Map<string, T>();
  const segs = new Map<string, Set<string>>();
  for (const item of items) {
    const k = key(item);
    const prev = best.get(k);
    if (!prev || prev.confidence < item.confidence) best.set(k, item);
    const set = segs.get(k) ?? new Set<string>();
    for (const id of item.mention.segmentIds ?? []) set.add(id);
    segs.set(k, set);
  }
  return [...best.entries()].map(([k, item]) => {
    // The evidence offsets belong to the best mention's own segment: it stays first.
    const ids = [...new Set([...(item.mention.segmentIds ?? []), ...(segs.get(k) ?? [])])];
    return ids.length ? { ...item, mention: { ...item.mention, segmentIds: ids } } : item;
  });
}

/** Coding hints for a visit's draft and/or transcript, or a note's text. See docs/decisions/0042. */
export function suggestWith(term: Terminology, input: SuggestInput, options: SuggestOptions = {}): CodingHint[] {
  const top = Math.max(1, Math.min(options.top ?? 15, 100));
  const { diagnosis, facts, transcript } = collectSources(input);
  const hasNote = diagnosis.length > 0;

  // ── ICD-10-CM ──────────────────────────────────────────────────────────────────────────
  let dx: DiagnosisCandidate[] = [];
  for (const src of diagnosis) dx.push(...findDiagnoses(term, src));
  const spoken: DiagnosisCandidate[] = [];
  for (const src of transcript) spoken.push(...findDiagnoses(term, src));
  if (hasNote) {
    // The transcript corroborates what the note says: its turns join the evidence, confidence rises.
    const said = new Map<string, string[]>();
    for (const c of spoken) said.set(c.code, [...(said.get(c.code) ?? []), ...(c.mention.segmentIds ?? [])]);
    dx = dx.map((c) => {
      const ids = said.get(c.code);
      if (!ids) return c;
      return {
        ...c,
        confidence: Math.min(0.99, c.confidence + 0.05),
        mention: { ...c.mention, segmentIds: [...new Set([...(c.mention.segmentIds ?? []), ...ids])] },
      };
    });
  } else dx = spoken;
  if (input.draft) {
    const draft = input.draft;
    dx = dx.map((c) => {
      if (c.mention.sourceKind !== 'draft' || c.mention.segmentIds?.length) return c;
      const ids = draftSegments(draft, c.mention.sectionId, c.mention.start);
      return ids ? { ...c, mention: { ...c.mention, segmentIds: ids } } : c;
    });
  }
  let main = merge(
    dx.filter((c) => !c.alternate),
    (c) => c.code,
  );
  // Symptoms (R00-R99) are usually integral to a diagnosis the note also names: ranked below it.
  if (main.some((c) => !c.code.startsWith('R'))) {
    main = main.map((c) =>
      c.code.startsWith('R')
        ? { ...c, confidence: c.confidence * 0.75, why: `${c.why}; a symptom, often integral to a diagnosis named in the same note` }
        : c,
    );
  }
  const mainCodes = new Set(main.map((c) => c.code));
  // Alternates that are a main hint's own category or subcode add nothing.
  const related = (a: string) => [...mainCodes].some((m) => m.startsWith(a) || a.startsWith(m));
  const alternates =
    options.alternates === false
      ? []
      : merge(
          dx.filter((c) => c.alternate && !related(c.code)),
          (c) => c.code,
        );
  const icd = [...main.sort((a, b) => b.confidence - a.confidence), ...alternates.sort((a, b) => b.confidence - a.confidence)].slice(
    0,
    top,
  );

  // ── RxNorm and LOINC: facts stated in the note, else in the transcript ────────────────
  const factSources = facts.length ? facts : transcript;
  const meds: MedicationCandidate[] = [];
  const vitals: VitalCandidate[] = [];
  for (const src of factSources) {
    meds.push(...findMedications(term, src));
    vitals.push(...findVitals(term, src));
  }
  const withStrength = new Set(meds.filter((m) => m.strength).map((m) => m.ingredient));
  const medHints = merge(
    meds.filter((m) => m.strength || !withStrength.has(m.ingredient)),
    (m) => m.rxcui ?? m.display.toLowerCase(),
  )
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, top);
  const vitalHints = merge(vitals, (v) => `${v.loinc}:${v.value}`).slice(0, top);

  return [
    ...icd.map(
      (c): CodingHint => ({
        id: `icd10cm:${c.code}`,
        system: 'icd10cm',
        code: c.code,
        display: c.display,
        confidence: round(c.confidence),
        why: c.why,
        evidence: mentionEvidence(c.mention),
        billable: c.billable,
        ...(c.parent ? { parent: c.parent } : {}),
      }),
    ),
    ...medHints.map(
      (m): CodingHint => ({
        id: `rxnorm:${m.rxcui ?? m.display.toLowerCase().replace(/\s+/g, '-')}`,
        system: 'rxnorm',
        code: m.rxcui,
        display: m.display,
        confidence: round(m.confidence),
        why: m.why,
        evidence: mentionEvidence(m.mention),
        ingredient: m.ingredient,
        ingredientRxcui: m.ingredientRxcui,
        ...(m.brand ? { brand: m.brand } : {}),
        ...(m.strength ? { strength: m.strength } : {}),
        ...(m.form ? { form: m.form } : {}),
      }),
    ),
    ...vitalHints.map(
      (v): CodingHint => ({
        id: `loinc:${v.loinc}:${v.value}`,
        system: 'loinc',
        code: v.loinc,
        display: v.display,
        confidence: round(v.confidence),
        why: v.why,
        evidence: mentionEvidence(v.mention),
        value: v.value,
        unit: v.unit,
      }),
    ),
  ];
}

function round(x: number): number {
  return Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000;
}
