import type { Draft } from '../contract/index.ts';

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

/** The note as plain text for the EHR: section titles in capitals, one sentence a line. */
export function renderDraftText(draft: Draft): string {
  const parts: string[] = [];
  for (const s of draft.sections) {
    if (s.edited) {
      parts.push(s.title.toUpperCase(), '', s.text.trim(), '');
      continue;
    }
    if (s.sentences.length === 0) continue;
    parts.push(s.title.toUpperCase(), '', ...s.sentences.map((x) => x.text), '');
  }
  return `${parts.join('\n').trimEnd()}\n`;
}
