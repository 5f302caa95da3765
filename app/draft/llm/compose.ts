import type { Draft, DraftSection, DraftSentence, Transcript } from '../../contract/index.ts';
import type { DraftContext } from '../builtin.ts';
import { sectionText } from '../rules/sections.ts';
import { reviewModelSentence, segmentTexts } from '../evidence-guard.ts';
import type { DrugLexicon } from '../rules/medication.ts';
import type { DraftTemplate } from '../templates.ts';
import { GenerationError, type ModelGenerator, type ModelIdentity } from './generator.ts';
import {
  buildPrompt,
  noteSchema,
  parseModelNote,
  SectionStream,
  MAX_CITED_TURNS,
  MAX_SENTENCE_CHARS,
  MAX_SENTENCES_PER_SECTION,
  type ModelSentence,
} from './model-note.ts';

/**
 * Drafting with a language model: prompt from the template and the numbered turns, structured generation,
 * then every sentence through the evidence guard (dropped without valid citations, flagged when it states
 * what its turns do not). Sections stream out as the model finishes them.
 */

export interface ModelDraftInput {
  generator: ModelGenerator;
  template: DraftTemplate;
  transcript: Transcript;
  context?: DraftContext;
  keep?: Draft;
  lexicon: DrugLexicon;
  clinicalTerms?: DrugLexicon;
  generatedAt: string;
  engineVersion: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onSection?: (section: DraftSection) => void;
}

export interface ModelDraftOutcome {
  draft: Draft;
  tokens: number;
  seconds: number;
  /** Sentences the guard dropped, with why (for the audit record: counts only, no text). */
  dropped: number;
}

/** Printable text only: a model (or a random test model) may emit control bytes or broken UTF-8. */
export function cleanModelText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_SENTENCE_CHARS);
}

/**
 * The token budget: the longest answer the schema allows (no token is shorter than one character, so a
 * grammar-bound answer always fits and is never cut off), capped for large templates.
 */
export function maxTokensFor(template: DraftTemplate): number {
  const perSentence = MAX_SENTENCE_CHARS + 24 + 4 * MAX_CITED_TURNS;
  return Math.min(MAX_ANSWER_TOKENS, template.sections.length * (MAX_SENTENCES_PER_SECTION * perSentence + 32) + 16);
}
export const MAX_ANSWER_TOKENS = 4096;

export async function composeModelDraft(input: ModelDraftInput): Promise<ModelDraftOutcome> {
  const { template, transcript } = input;
  const segments = segmentTexts(transcript);
  const turnIds = transcript.segments.map((s) => s.id);
  const kept = new Map((input.keep?.sections ?? []).filter((s) => s.edited).map((s) => [s.id, s]));
  let dropped = 0;

  const toSection = (id: string, modelSentences: ModelSentence[]): DraftSection => {
    const spec = template.sections.find((s) => s.id === id)!;
    const prior = kept.get(id);
    if (prior) return prior;
    const sentences: DraftSentence[] = [];
    for (const m of modelSentences) {
      const text = cleanModelText(m.text);
      const evidence = [...new Set(m.turns)].map((n) =>
        Number.isInteger(n) && n >= 1 && n <= turnIds.length ? turnIds[n - 1]! : `turn ${n}`,
      );
      const review = reviewModelSentence({ text, evidence }, segments, input.lexicon, input.clinicalTerms);
      if (!review.keep) {
        dropped++;
        continue;
      }
      sentences.push({ text, evidence, ...(review.flags.length ? { flags: review.flags } : {}) });
    }
    return { id: spec.id, title: spec.title, text: sectionText(sentences, spec.style), sentences, edited: false };
  };

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, input.timeoutMs);
  const onOuterAbort = (): void => controller.abort();
  input.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (input.signal?.aborted) controller.abort(); // stopped before it began
  const streamed = new Set<string>();
  const stream = new SectionStream((id, sentences) => {
    if (!template.sections.some((s) => s.id === id) || !input.onSection) return;
    streamed.add(id);
    input.onSection(toSection(id, sentences));
  });
  try {
    const prompt = buildPrompt(template, transcript, input.context);
    const maxTokens = maxTokensFor(template);
    const result = await input.generator.generate(
      { ...prompt, schema: noteSchema(template, transcript.segments.length), maxTokens },
      { signal: controller.signal, onText: (chunk) => stream.push(chunk) },
    );
    // Stopped while its last words were arriving: the model may have finished anyway, but a stopped draft is
    // never kept (the clinician was told so).
    if (input.signal?.aborted) throw new GenerationError('cancelled', 'drafting was cancelled');
    let note;
    try {
      note = parseModelNote(result.text, template);
    } catch (err) {
      if (result.tokens >= maxTokens)
        throw new GenerationError('malformed', `the model's answer was cut off at the ${maxTokens}-token limit`);
      throw new GenerationError('malformed', (err as Error).message);
    }
    dropped = 0; // count once, on the final answer
    const sections = template.sections.map((s) => toSection(s.id, note[s.id] ?? []));
    const identity: ModelIdentity = await input.generator.identity();
    const draft: Draft = {
      template: template.name,
      engine: input.generator.engine,
      engineVersion: input.engineVersion,
      generatedAt: input.generatedAt,
      version: (input.keep?.version ?? 0) + 1,
      sections,
      model: identity,
    };
    return { draft, tokens: result.tokens, seconds: result.seconds, dropped };
  } catch (err) {
    if (timedOut) throw new GenerationError('timeout', `the model did not finish within ${Math.round(input.timeoutMs / 1000)} s`);
    if (input.signal?.aborted) throw new GenerationError('cancelled', 'drafting was cancelled');
    throw err;
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onOuterAbort);
  }
}
