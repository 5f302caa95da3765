import { useCallback, useState } from 'react';
import type { CodingDecision, CodingHint, Draft, Visit } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';
import { wrongPatientWarning, type ChartLists } from './sign-review-items.ts';

/**
 * What the Sign review (sign-review.tsx) is built from, gathered the same way wherever a note is signed (the
 * visit screen, the queue's sign-off screen): the coding hints and decisions (CodingPanel's onHints), the
 * chart (ChartPanel's onChart), whether the review is open, and the signing itself with its error in words.
 */
export function useSignReview(visitId: string) {
  const [hints, setHints] = useState<CodingHint[] | null>(null);
  const [decisions, setDecisions] = useState<CodingDecision[]>([]);
  const [chart, setChart] = useState<ChartLists | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [signing, setSigning] = useState(false);

  const onHints = useCallback((h: CodingHint[] | null, d: CodingDecision[]) => {
    setHints(h);
    setDecisions(d);
  }, []);
  const open = useCallback(() => {
    setError(null);
    setReviewing(true);
  }, []);
  const close = useCallback(() => setReviewing(false), []);

  /** Confirmed in the review: sign; the review closes when it worked and shows why when it did not. */
  const sign = useCallback(
    async (onSigned: (visit: Visit) => void) => {
      setSigning(true);
      setError(null);
      try {
        const signed = await callScribe('visit.sign', { visitId });
        setReviewing(false);
        onSigned(signed);
      } catch (e) {
        setError(errorText(e));
      } finally {
        setSigning(false);
      }
    },
    [visitId],
  );

  return {
    hints,
    decisions,
    chart,
    reviewing,
    signing,
    onHints,
    onChart: setChart,
    open,
    close,
    sign,
    /** The wrong-patient warning (hints against the chart), for the screen as well as the review. */
    wrongPatient: () => wrongPatientWarning(hints ?? [], chart),
    /** The SignReview's props, less what only the screen knows (its draft as it stands, sections over the limit). */
    dialog: (draft: Draft, overLimit: string[], busy: boolean, onSigned: (visit: Visit) => void) => ({
      draft,
      hints,
      decisions,
      chart,
      overLimit,
      busy: busy || signing,
      error,
      onConfirm: () => void sign(onSigned),
      onCancel: close,
    }),
  };
}
