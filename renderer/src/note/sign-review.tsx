import { useState } from 'react';
import type { CodingDecision, CodingHint, Draft } from '../../../app/contract/index.ts';
import { Modal } from '../shell/modal.tsx';
import { signReviewItems, wrongPatientWarning, type ChartLists } from './sign-review-items.ts';

/**
 * The step between "Sign" and posting: what is still the AI's unedited text, coding hints not decided,
 * sentences a check flagged, medicines that differ from the chart, sections too long to save. The clinician
 * confirms (or goes back to the note); nothing is posted before that.
 */
export function SignReview({
  draft,
  hints,
  decisions,
  chart,
  overLimit,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  draft: Draft;
  hints: CodingHint[] | null;
  decisions: CodingDecision[];
  chart: ChartLists | null;
  overLimit: string[];
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const items = signReviewItems({ draft, hints: hints ?? [], decisions, chart, overLimit });
  const wrongPatient = wrongPatientWarning(hints ?? [], chart);
  const [checked, setChecked] = useState(false);
  const blocking = items.overLimit.length > 0;
  const needsConfirm = items.unedited.length + items.undecided.length + items.flagged.length + items.medicines.length > 0 || !!wrongPatient;
  const nothing = !needsConfirm && !blocking;
  return (
    <Modal labelledBy="sign-review-title" testId="sign-review" className="modal sign-review" onEscape={onCancel}>
      <h2 id="sign-review-title">Review before signing</h2>
      {wrongPatient && (
        <p className="wrong-patient" role="alert" data-testid="review-wrong-patient">
          {wrongPatient}
        </p>
      )}
      {blocking && (
        <section data-testid="review-over-limit">
          <h3>Too long to save</h3>
          <ul>
            {items.overLimit.map((t) => (
              <li key={t}>{t}: shorten this section before signing.</li>
            ))}
          </ul>
        </section>
      )}
      {items.unedited.length > 0 && (
        <section data-testid="review-unedited">
          <h3>Still the AI's draft, not edited by anyone</h3>
          <ul>
            {items.unedited.map((s) => (
              <li key={s.sectionId} data-section={s.sectionId}>
                {s.title}
              </li>
            ))}
          </ul>
        </section>
      )}
      {items.flagged.length > 0 && (
        <section data-testid="review-flagged">
          <h3>Sentences flagged by the evidence check</h3>
          <ul>
            {items.flagged.map((f, i) => (
              <li key={i}>
                <span className="muted">{f.title}: </span>“{f.text}” — {f.reasons.join('; ')}
              </li>
            ))}
          </ul>
        </section>
      )}
      {hints === null && (
        <p className="muted" data-testid="review-hints-unknown">
          Coding hints could not be read; no diagnoses are checked here.
        </p>
      )}
      {items.undecided.length > 0 && (
        <section data-testid="review-undecided">
          <h3>Coding hints not decided (they will not be sent)</h3>
          <ul>
            {items.undecided.map((h) => (
              <li key={h.id} data-hint={h.id}>
                <code>{h.code ?? 'no code'}</code> {h.display}
              </li>
            ))}
          </ul>
        </section>
      )}
      {items.medicines.length > 0 && (
        <section data-testid="review-medicines">
          <h3>Medicines that differ from the chart</h3>
          <ul>
            {items.medicines.map((m) => (
              <li key={m.name}>{m.words}</li>
            ))}
          </ul>
        </section>
      )}
      {nothing && (
        <p className="ok" data-testid="review-clear">
          Every section was edited, every hint decided, nothing flagged, and the medicines match the chart.
        </p>
      )}
      {needsConfirm && !blocking && (
        <label className="confirm-line">
          <input type="checkbox" data-testid="review-confirm" checked={checked} onChange={(e) => setChecked(e.target.checked)} /> I have
          read the whole note and these points; sign it as it is.
        </label>
      )}
      {error && (
        <p className="error" role="alert" data-testid="sign-error">
          {error}
        </p>
      )}
      <div className="actions">
        <button
          className="primary"
          data-testid="sign-confirm"
          disabled={busy || blocking || (needsConfirm && !checked)}
          onClick={onConfirm}
        >
          Sign and send to the EHR
        </button>
        <button onClick={onCancel}>Back to the note</button>
      </div>
    </Modal>
  );
}
