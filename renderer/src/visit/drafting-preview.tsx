import { useEffect, useState } from 'react';
import type { DraftSection } from '../../../app/contract/index.ts';
import { onScribe } from '../bridge.ts';
import { SectionField } from '../note/section-field.tsx';

/**
 * The sections a language model has finished so far (draft.section events), for the visit being drafted.
 * They live only here, in the window: when `run` changes (a complete draft arrived, or a new drafting
 * began) they are dropped, and the saved draft is what the editor shows (decision 0180).
 */
export function useStreamedSections(visitId: string, run: string): DraftSection[] {
  const [streamed, setStreamed] = useState<{ run: string; sections: DraftSection[] }>({ run, sections: [] });
  useEffect(
    () =>
      onScribe('draft.section', (p) => {
        if (p.visitId !== visitId) return;
        setStreamed((prev) => {
          const sections = prev.run === run ? prev.sections : [];
          const at = sections.findIndex((s) => s.id === p.section.id);
          return { run, sections: at < 0 ? [...sections, p.section] : sections.map((s, i) => (i === at ? p.section : s)) };
        });
      }),
    [visitId, run],
  );
  return streamed.run === run ? streamed.sections : [];
}

/**
 * The note while a language model writes it: each finished section, read-only and marked as drafting,
 * and a way to stop the model and take the built-in draft instead. The editable draft replaces it.
 */
export function DraftingPreview({
  sections,
  onStop,
  stopping,
}: {
  sections: DraftSection[];
  /** Absent: this person may not stop it. */
  onStop?: () => void;
  stopping: boolean;
}) {
  return (
    <div className="note-editor drafting-preview" data-testid="drafting-preview" aria-busy="true">
      <div className="editor-head">
        <h2>Note</h2>
        <span className="drafting-badge" data-testid="drafting-badge">
          Drafting…{' '}
          {sections.length === 0
            ? 'no section finished yet'
            : `${sections.length} ${sections.length === 1 ? 'section' : 'sections'} so far`}
        </span>
        {onStop && (
          <button type="button" className="link danger-link" data-testid="stop-drafting" disabled={stopping} onClick={onStop}>
            {stopping ? 'Stopping…' : 'Stop drafting and use the built-in draft'}
          </button>
        )}
      </div>
      <p className="muted">
        Sections appear as the language model finishes them. You can edit the note once the whole draft is ready; nothing shown here is
        saved until then.
      </p>
      {sections.map((section) => {
        const flagged = section.sentences.filter((s) => s.flags?.length).length;
        return (
          <SectionField
            key={section.id}
            id={`drafting-${section.id}`}
            title={section.title}
            text={section.text}
            readOnly
            data-testid={`drafting-section-${section.id}`}
            placeholder="Nothing drafted for this section."
            dictated={
              flagged > 0 && (
                <p className="drafting-flags" data-testid={`drafting-flags-${section.id}`}>
                  {flagged === 1 ? '1 sentence states' : `${flagged} sentences state`} what the visit did not: you will keep or remove{' '}
                  {flagged === 1 ? 'it' : 'them'} before signing.
                </p>
              )
            }
          />
        );
      })}
      <p className="drafting-next muted" aria-hidden="true">
        Writing the next section…
      </p>
    </div>
  );
}
