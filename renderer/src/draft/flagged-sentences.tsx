import { Modal } from '../shell/modal.tsx';
import { useState } from 'react';
import type { Draft, Visit } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';
import './flagged.css';

/** Sentences a language model wrote that state something their cited turns do not, and no one has kept yet. */
export function unreviewedFlagged(
  draft: Draft,
): Array<{ sectionId: string; sectionTitle: string; index: number; text: string; flags: Array<{ kind: string; value: string }> }> {
  return draft.sections.flatMap((s) =>
    s.edited
      ? []
      : s.sentences.flatMap((x, index) =>
          x.flags?.length && x.decision !== 'kept' ? [{ sectionId: s.id, sectionTitle: s.title, index, text: x.text, flags: x.flags }] : [],
        ),
  );
}

const KIND_WORDS: Record<string, string> = { number: 'number', dose: 'dose', drug: 'drug', laterality: 'side', concept: 'finding' };

/** A flagged value as long as the sentence (a model's run of digits) is named by its ends, not repeated whole. */
const shortValue = (value: string): string =>
  value.length > 24 ? `${value.slice(0, 12)}…${value.slice(-6)} (${value.length} characters)` : value;

/** Each flagged sentence with what is unsupported, and Keep / Remove (the clinician's decision, saved at once). */
export function FlaggedSentences({
  visit,
  sectionId,
  onDraft,
  onError,
}: {
  visit: Visit;
  sectionId?: string;
  onDraft: (d: Draft) => void;
  onError: (m: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const draft = visit.draft!;
  const items = unreviewedFlagged(draft).filter((f) => !sectionId || f.sectionId === sectionId);
  if (!items.length) return null;
  async function decide(item: (typeof items)[number], decision: 'keep' | 'remove') {
    setBusy(true);
    try {
      onDraft(
        await callScribe('draft.reviewSentence', {
          visitId: visit.id,
          sectionId: item.sectionId,
          sentence: item.index,
          decision,
          baseVersion: draft.version,
        }),
      );
    } catch (e) {
      onError(`Your decision was not saved: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <ul className="flagged-list">
      {items.map((item) => (
        <li key={`${item.sectionId}-${item.index}`} className="flagged" data-testid={`flagged-${item.sectionId}-${item.index}`}>
          <span className="flag-mark" aria-hidden="true">
            ⚠
          </span>
          <span>
            {!sectionId && <strong>{item.sectionTitle}: </strong>}
            <q>{item.text}</q>{' '}
            <small>
              Not in the turns it cites: {item.flags.map((f) => `${KIND_WORDS[f.kind] ?? f.kind} “${shortValue(f.value)}”`).join(', ')}.
            </small>
          </span>
          <span className="flag-actions">
            <button disabled={busy} data-testid="flag-keep" onClick={() => void decide(item, 'keep')}>
              Keep
            </button>
            <button disabled={busy} data-testid="flag-remove" onClick={() => void decide(item, 'remove')}>
              Remove
            </button>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Before Sign: every flagged sentence must be kept or removed. Sign stays disabled until none is left. */
export function SignReviewDialog({
  visit,
  onDraft,
  onError,
  onSign,
  onClose,
}: {
  visit: Visit;
  onDraft: (d: Draft) => void;
  onError: (m: string) => void;
  onSign: () => void;
  onClose: () => void;
}) {
  const left = unreviewedFlagged(visit.draft!).length;
  return (
    <Modal labelledBy="flag-review-title" testId="flag-review" className="dialog" onEscape={onClose}>
      <h2 id="flag-review-title">Before you sign</h2>
      <p>
        {left > 0
          ? `${left} sentence${left === 1 ? '' : 's'} written by the language model state${left === 1 ? 's' : ''} something the visit's transcript does not support. Keep or remove each one.`
          : 'Every flagged sentence has your decision.'}
      </p>
      <FlaggedSentences visit={visit} onDraft={onDraft} onError={onError} />
      <div className="dialog-actions">
        <button onClick={onClose}>Back to the note</button>
        <button className="primary" data-testid="sign-reviewed" disabled={left > 0} onClick={onSign}>
          Continue to sign
        </button>
      </div>
    </Modal>
  );
}
