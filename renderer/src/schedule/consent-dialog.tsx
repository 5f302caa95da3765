import type { Consent, ScheduledEncounter } from '../../../app/contract/index.ts';

/** Before anything is recorded, the clinician confirms what the patient decided. */
export function ConsentDialog({ encounter, onDecide, onCancel }: { encounter: ScheduledEncounter; onDecide: (c: Consent) => void; onCancel: () => void }) {
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="consent-title" data-testid="consent-dialog">
        <h2 id="consent-title">Ask {encounter.patientName} before recording</h2>
        <div className="explain">
          <p>Please read this to the patient, or let them read it:</p>
          <blockquote>
            “I'd like to use Scribe, a program on this computer, to help write my notes. It listens to our conversation,
            turns it into text and drafts a note for me to check. The recording and the text stay on this computer; only
            the note I check and sign goes into your medical record. The recording is deleted within days. You can say no,
            and that will not change your care.”
          </blockquote>
        </div>
        <div className="actions">
          <button className="primary" onClick={() => onDecide('agreed')}>Patient agreed — start recording</button>
          <button onClick={() => onDecide('declined')}>Patient declined — write the note myself</button>
          <button className="link" onClick={onCancel}>Cancel</button>
        </div>
      </div>
    </div>
  );
}
