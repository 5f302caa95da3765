import type { NoteDiff } from '../../../app/contract/index.ts';

/** What changed against the AI draft: deletions struck through, insertions underlined, section by section. */
export function DiffView({ diff }: { diff: NoteDiff }) {
  const changed = diff.sections.filter((s) => s.changed);
  return (
    <section className="diff" data-testid="diff" data-inserted={diff.insertedWords} data-deleted={diff.deletedWords}>
      <h2>
        Changes against the {diff.base === 'ai_draft' ? 'AI draft' : 'draft as it was assigned'}{' '}
        <small className="muted">
          +{diff.insertedWords} / −{diff.deletedWords} words
        </small>
      </h2>
      {changed.length === 0 && (
        <p className="muted" data-testid="diff-none">
          No changes: the note is the draft as written.
        </p>
      )}
      {diff.sections.map((s) => (
        <div key={s.sectionId} className={`diff-section${s.changed ? ' changed' : ''}`} data-testid={`diff-${s.sectionId}`}>
          <h3>
            {s.title}
            {!s.changed && <small className="muted"> · unchanged</small>}
          </h3>
          <p className="diff-text">
            {s.parts.map((p, i) =>
              p.op === 'insert' ? (
                <ins key={i}>{p.text}</ins>
              ) : p.op === 'delete' ? (
                <del key={i}>{p.text}</del>
              ) : (
                <span key={i}>{p.text}</span>
              ),
            )}
          </p>
        </div>
      ))}
    </section>
  );
}
