import { useEffect, useState } from 'react';
import type { CallOutput } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';

type Status = CallOutput<'style.noteStatus'>;

/**
 * On a signed note someone else (a scribe) edited: Scribe did not learn the clinician's style from it.
 * The clinician may accept those edits as their style.
 */
export function LearnFromNote({ visitId }: { visitId: string }) {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    callScribe('style.noteStatus', { visitId }).then(setStatus, () => setStatus(null));
  }, [visitId]);
  if (!status || !status.othersEdited || (!status.learnable && !status.learned)) return null;
  return (
    <p className="style-learn" data-testid="style-learn">
      {status.learned ? (
        <>Your note style learned from this note, the scribe’s edits included.</>
      ) : (
        <>
          Someone else edited this note, so your note style did not learn from it.{' '}
          <button
            type="button"
            className="link"
            data-testid="style-learn-accept"
            onClick={() => callScribe('style.learnFromNote', { visitId }).then(setStatus, (e: unknown) => setError(errorText(e)))}
          >
            Accept those edits as my style
          </button>
        </>
      )}
      {error && (
        <span className="error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </p>
  );
}
