import type { Draft } from '../api/schemas.ts';

/** The note as Markdown (sections as headings). Text is escaped so transcript markup stays text. */
export function renderDraftMarkdown(draft: Draft): string {
  const parts: string[] = [];
  for (const s of draft.sections) {
    parts.push(`## ${escapeMarkdown(s.title)}`, '', s.text.trim() ? escapeMarkdown(s.text) : '_Nothing discussed._', '');
  }
  return `${parts.join('\n').trimEnd()}\n`;
}

function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]#|])/g, '\\$1')
    .replace(/^(\s*)\\?-\s/gm, '$1- ');
}
