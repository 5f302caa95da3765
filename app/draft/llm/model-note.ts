import { z } from 'zod';
import type { Transcript } from '../../contract/index.ts';
import type { DraftContext } from '../builtin.ts';
import type { DraftTemplate } from '../templates.ts';

/**
 * What a language model is asked for and what it must give back: for each section of the template, in
 * order, a list of sentences, each with the numbers of the transcript turns it rests on. The same JSON
 * schema drives the local grammar and a practice server's structured output; the answer is validated
 * here either way, because a server without structured output may return anything.
 */

export const MAX_SENTENCES_PER_SECTION = 6;
export const MAX_SENTENCE_CHARS = 200;
export const MAX_CITED_TURNS = 4;

export interface ModelSentence {
  text: string;
  turns: number[];
}
export type ModelNote = Record<string, ModelSentence[]>;

export type JsonSchema = { readonly [key: string]: unknown };

/** JSON schema of the answer for one template and one transcript (turn numbers limited to real turns). */
export function noteSchema(template: DraftTemplate, turnCount: number): JsonSchema {
  const turns = Array.from({ length: Math.max(1, turnCount) }, (_, i) => i + 1);
  const sentence = {
    type: 'object',
    properties: {
      text: { type: 'string', maxLength: MAX_SENTENCE_CHARS },
      turns: { type: 'array', minItems: 1, maxItems: MAX_CITED_TURNS, items: { enum: turns } },
    },
    required: ['text', 'turns'],
    additionalProperties: false,
  };
  const properties: Record<string, unknown> = {};
  for (const s of template.sections) properties[s.id] = { type: 'array', maxItems: MAX_SENTENCES_PER_SECTION, items: sentence };
  return { type: 'object', properties, required: template.sections.map((s) => s.id), additionalProperties: false };
}

const Sentence = z.object({ text: z.string(), turns: z.array(z.number().int()) });

/** Validates a whole answer. Unknown sections are ignored; a missing section is empty. Throws with a reason. */
export function parseModelNote(text: string, template: DraftTemplate): ModelNote {
  let json: unknown;
  try {
    json = JSON.parse(extractJsonObject(text));
  } catch (err) {
    throw new Error(`the model's answer is not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error("the model's answer is not a JSON object of sections");
  const out: ModelNote = {};
  const record = json as Record<string, unknown>;
  for (const s of template.sections) {
    const value = record[s.id];
    if (value === undefined) {
      out[s.id] = [];
      continue;
    }
    const parsed = z.array(Sentence).safeParse(value);
    if (!parsed.success) throw new Error(`the model's section "${s.id}" is not a list of sentences with turn numbers`);
    out[s.id] = parsed.data;
  }
  return out;
}

/** Some servers wrap JSON in prose or a ``` fence when structured output is off: take the outermost object. */
function extractJsonObject(text: string): string {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) return text;
  return text.slice(start, end + 1);
}

export interface PromptParts {
  system: string;
  user: string;
}

/** The instructions and the numbered visit. Chart context is labelled as such: it is not evidence. */
export function buildPrompt(template: DraftTemplate, transcript: Transcript, context?: DraftContext): PromptParts {
  const sections = template.sections
    .map((s) => `- "${s.id}": ${s.title}${s.fill.length ? ` (${s.fill.join(', ').replaceAll('_', ' ')})` : ''}`)
    .join('\n');
  const system = [
    "You are a clinical scribe. Write the clinician's note of the visit below as JSON.",
    `For each section, in this order, give a list of short factual sentences in note style:\n${sections}`,
    'Every sentence must give the numbers of the transcript turns it rests on ("turns").',
    'State only what was said in those turns: no number, dose, drug, side or finding that the cited turns do not contain.',
    'Leave a section as an empty list when the visit did not cover it. The chart context is background only, never evidence.',
  ].join('\n');
  const turns = transcript.segments.map((s, i) => `${i + 1}. [${s.speaker ?? 'unknown'}] ${s.text.trim()}`).join('\n');
  const chart: string[] = [];
  if (context?.problems?.length) chart.push(`Problems: ${context.problems.join('; ')}`);
  if (context?.medications?.length) chart.push(`Medications: ${context.medications.join('; ')}`);
  const user = `${chart.length ? `Chart context (not evidence):\n${chart.join('\n')}\n\n` : ''}Template: ${template.title}\n\nTranscript turns:\n${turns}\n\nWrite the note as JSON.`;
  return { system, user };
}

/**
 * Watches a streamed answer and reports each top-level section as soon as its list is complete, so the
 * editor can show sections while the model is still writing the next ones.
 */
export class SectionStream {
  private text = '';
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private keyStart = -1;
  private lastKey: string | null = null;
  private valueStart = -1;
  private readonly done = new Set<string>();

  constructor(private readonly onSection: (id: string, sentences: ModelSentence[]) => void) {}

  push(chunk: string): void {
    this.text += chunk;
    for (; this.scanned < this.text.length; this.scanned++) {
      const c = this.text[this.scanned]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') {
          this.inString = false;
          if (this.depth === 1 && this.keyStart >= 0) {
            try {
              this.lastKey = JSON.parse(this.text.slice(this.keyStart, this.scanned + 1)) as string;
            } catch {
              this.lastKey = null;
            }
            this.keyStart = -1;
          }
        }
        continue;
      }
      if (c === '"') {
        this.inString = true;
        if (this.depth === 1 && this.valueStart < 0) this.keyStart = this.scanned;
      } else if (c === '{' || c === '[') {
        if (this.depth === 1 && c === '[') this.valueStart = this.scanned;
        this.depth++;
      } else if (c === '}' || c === ']') {
        this.depth--;
        if (this.depth === 1 && c === ']' && this.valueStart >= 0) {
          this.emit(this.text.slice(this.valueStart, this.scanned + 1));
          this.valueStart = -1;
        }
      }
    }
  }

  private emit(json: string): void {
    const key = this.lastKey;
    if (key === null || this.done.has(key)) return;
    const parsed = z.array(Sentence).safeParse(safeJson(json));
    if (!parsed.success) return;
    this.done.add(key);
    this.onSection(key, parsed.data);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
