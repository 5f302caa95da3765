import type { Consent, ScheduledEncounter } from '../../../app/contract/index.ts';
import { Modal } from '../shell/modal.tsx';

/**
 * Where the recording and the text stay, as the patient is told. With a practice server for recognition or
 * drafting, "this computer" would be untrue: the wording names the practice's own server. While the settings
 * are unknown (null) it says only what is true in every case.
 */
function whereItStays(servers: string[] | null): string {
  if (servers === null) return 'The recording and the text stay within our practice';
  if (servers.length === 0) return 'The recording and the text stay on this computer';
  return `The recording and the text stay within our practice, on this computer and our own server (${servers.join(', ')})`;
}

/**
 * Before anything is recorded (or an imported recording is used), the clinician confirms what the patient
 * decided. A real modal: the page behind is inert, Escape cancels, focus returns to the button that opened it.
 */
export function ConsentDialog({
  encounter,
  onDecide,
  onCancel,
  imported,
  servers,
}: {
  encounter: ScheduledEncounter;
  onDecide: (c: Consent) => void;
  onCancel: () => void;
  /** The file being imported: the wording is about using a recording already made, not starting one. */
  imported?: { name: string; seconds: number | null };
  /** The practice servers audio or text goes to (practiceServers); null while the settings are unknown. */
  servers: string[] | null;
}) {
  const stays = whereItStays(servers);
  return (
    <Modal labelledBy="consent-title" testId="consent-dialog" onEscape={onCancel}>
      <h2 id="consent-title" tabIndex={-1}>
        {imported ? `Ask ${encounter.patientName} before using this recording` : `Ask ${encounter.patientName} before recording`}
      </h2>
      <div className="explain">
        {imported && (
          <p data-testid="import-file">
            Recording: <strong>{imported.name}</strong>
            {imported.seconds !== null && (
              <>
                {' '}
                ({Math.floor(imported.seconds / 60)} min {Math.round(imported.seconds % 60)} s)
              </>
            )}
          </p>
        )}
        <p>Please read this to the patient, or let them read it:</p>
        {imported ? (
          <blockquote>
            “Our conversation was recorded. I'd like to use Scribe, a program on this computer, to turn that recording into text and draft a
            note for me to check. {stays}; only the note I check and sign goes into your medical record. The recording is deleted within
            days. You can say no, and that will not change your care.”
          </blockquote>
        ) : (
          <blockquote>
            “I'd like to use Scribe, a program on this computer, to help write my notes. It listens to our conversation, turns it into text
            and drafts a note for me to check. {stays}; only the note I check and sign goes into your medical record. The recording is
            deleted within days. You can say no, and that will not change your care.”
          </blockquote>
        )}
      </div>
      <div className="actions">
        <button className="primary" onClick={() => onDecide('agreed')}>
          {imported ? 'Patient agreed — use the recording' : 'Patient agreed — start recording'}
        </button>
        <button onClick={() => onDecide('declined')}>
          {imported ? 'Patient declined — do not use it; write the note myself' : 'Patient declined — write the note myself'}
        </button>
        <button className="link" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
