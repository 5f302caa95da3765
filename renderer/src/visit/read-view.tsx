import { useEffect, useState } from 'react';
import { callScribe, errorText } from '../bridge.ts';

/** The whole note on one page, exactly the text signing posts (asked of the core, not rebuilt here). */
export function ReadView({ visitId, version, decisions }: { visitId: string; version: number; decisions: number }) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    callScribe('visit.preview', { visitId }).then(
      (p) => alive && setText(p.text),
      (e: unknown) => alive && setError(errorText(e)),
    );
    return () => {
      alive = false;
    };
  }, [visitId, version, decisions]);
  return (
    <section className="read-view-wrap" aria-label="The note as it will be posted">
      {error && (
        <p className="error" role="alert">
          The note could not be shown: {error}
        </p>
      )}
      {!text && !error && <p className="muted">Preparing the note…</p>}
      {text && (
        <pre className="read-view" data-testid="read-view">
          {text}
        </pre>
      )}
    </section>
  );
}
