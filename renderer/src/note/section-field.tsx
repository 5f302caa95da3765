import type { TextareaHTMLAttributes } from 'react';
import { sectionLimitNote } from './section-limits.ts';

/**
 * One note section: its title, a box that grows with its text (CSS field-sizing), and — right under the
 * box — the length limit as it nears and any error saving this section, in plain words.
 */
export function SectionField({
  id,
  title,
  text,
  error,
  dictated,
  ...textarea
}: {
  id: string;
  title: string;
  text: string;
  error?: string | null;
  dictated?: React.ReactNode;
} & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'value'>) {
  const limit = sectionLimitNote(text);
  const problem = error ?? (limit?.over ? limit.words : null);
  const describedBy = problem ? `${id}-error` : limit ? `${id}-limit` : undefined;
  return (
    <div className="section" data-section={id.replace(/^(queue-)?section-/, '')}>
      <label htmlFor={id}>{title}</label>
      <textarea id={id} value={text} aria-invalid={problem ? true : undefined} aria-describedby={describedBy} {...textarea} />
      {problem && (
        <p className="section-error" role="alert" id={`${id}-error`} data-testid={`${id}-error`}>
          {problem}
        </p>
      )}
      {!problem && limit && (
        <p className="section-meta" id={`${id}-limit`}>
          {limit.words}
        </p>
      )}
      {dictated}
    </div>
  );
}
