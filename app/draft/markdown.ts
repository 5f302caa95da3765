import type { Draft } from '../contract/index.ts';

/** The note as Markdown (sections as headings). Text is escaped so transcript markup stays text. */
export function renderDraftMarkdown(draft: Draft): string {
  const parts: string[] = [];
  if (draft.fallback) parts.push(`> ${escapeMarkdown(draft.fallback)}`, '');
  for (const s of draft.sections) {
    const flagged = !s.edited && s.sentences.some((x) => x.flags?.length);
    // A flagged sentence is shown on its own, marked, with what its cited turns do not support.
    const body = flagged
      ? s.sentences
          .map((x) =>
            x.flags?.length
              ? `⚠ ${escapeMarkdown(x.text)} _(unsupported: ${x.flags.map((f) => `${f.kind} "${escapeMarkdown(f.value)}"`).join(', ')})_`
              : escapeMarkdown(x.text),
          )
          .join('\n')
      : s.text.trim()
        ? escapeMarkdown(s.text)
        : '_Nothing discussed._';
    parts.push(`## ${escapeMarkdown(s.title)}`, '', body, '');
  }
  if (draft.model)
    parts.push(
      `_Drafted by the ${draft.engine} engine with ${escapeMarkdown([draft.model.name, draft.model.version].filter(Boolean).join(' '))}${draft.model.sha256 ? ` (sha256 ${draft.model.sha256.slice(0, 12)}…)` : ''}._`,
      '',
    );
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
