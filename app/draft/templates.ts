import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ScribeError } from '../contract/index.ts';

/**
 * Note templates are data: one JSON file per visit type, listing the sections of the note, their titles,
 * and which kinds of drafted content fill each one. Clinics edit or add files in their own templates
 * folder (same name overrides a built-in template).
 */

export const CONTENT_KINDS = [
  'chief_complaint',
  'hpi',
  'history',
  'ros',
  'vitals',
  'exam',
  'results',
  'assessment_plan',
  'instructions',
] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export const DraftTemplate = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'template names are lowercase letters, digits and -'),
  title: z.string().min(1).max(200),
  description: z.string().max(1000).default(''),
  sections: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9_]{1,64}$/, 'section ids are lowercase letters, digits and _'),
        title: z.string().min(1).max(200),
        fill: z.array(z.enum(CONTENT_KINDS)).default([]),
        style: z.enum(['prose', 'list']).default('prose'),
      }),
    )
    .min(1)
    .max(40)
    .refine((s) => new Set(s.map((x) => x.id)).size === s.length, 'section ids must be unique'),
});
export type DraftTemplate = z.infer<typeof DraftTemplate>;

export const DEFAULT_TEMPLATE = 'general-visit';
export const BUILTIN_TEMPLATES_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'templates');

function readTemplateFile(file: string): DraftTemplate {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ScribeError('bad_request', `template ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = DraftTemplate.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScribeError('bad_request', `template ${file} is invalid: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  return parsed.data;
}

export interface TemplateListing {
  templates: DraftTemplate[];
  /** Files that could not be used, with the reason (shown to whoever edits templates). */
  problems: Array<{ file: string; error: string }>;
}

/** Built-in templates, then the clinic's folder (same name replaces the built-in one). Sorted by name. */
export function readTemplates(dirs: string[]): TemplateListing {
  const byName = new Map<string, DraftTemplate>();
  const problems: TemplateListing['problems'] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)
      .filter((x) => x.endsWith('.json'))
      .sort()) {
      const file = join(dir, f);
      try {
        const t = readTemplateFile(file);
        byName.set(t.name, t);
      } catch (err) {
        problems.push({ file, error: (err as Error).message });
      }
    }
  }
  return { templates: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)), problems };
}
