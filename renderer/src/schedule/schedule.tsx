import { useEffect, useState } from 'react';
import type { Consent, ScheduledEncounter, User, VisitSummary } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';
import { ConsentDialog } from './consent-dialog.tsx';
import { PatientSearch } from './patient-search.tsx';
import { importRecording } from './import-recording.ts';

function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function Schedule({ user, onOpenVisit }: { user: User; onOpenVisit: (visitId: string) => void }) {
  const [encounters, setEncounters] = useState<ScheduledEncounter[] | null>(null);
  const [visits, setVisits] = useState<VisitSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [consentFor, setConsentFor] = useState<ScheduledEncounter | null>(null);
  const [interrupted, setInterrupted] = useState<VisitSummary[]>([]);
  const [importing, setImporting] = useState<{ encounter: ScheduledEncounter; file: File } | null>(null);
  const [importProgress, setImportProgress] = useState<number | null>(null);

  useEffect(() => {
    callScribe('schedule.today', {}).then(setEncounters, (e: unknown) => setError(errorText(e)));
    callScribe('visit.list', {}).then(setVisits, () => undefined);
    if (user.role === 'clinician') callScribe('visit.recoverable', {}).then(setInterrupted, () => undefined);
  }, [user.id, user.role]);

  async function recover(visitId: string) {
    try {
      await callScribe('visit.recover', { visitId });
      onOpenVisit(visitId);
    } catch (e) {
      setError(errorText(e));
    }
  }

  async function runImport(encounter: ScheduledEncounter, file: File, consent: Consent) {
    setImporting(null);
    if (consent === 'declined') return start(encounter, 'declined');
    setImportProgress(0);
    try {
      onOpenVisit(await importRecording(encounter.encounterId, file, setImportProgress));
    } catch (e) {
      setError(`The recording could not be imported: ${errorText(e)}`);
    } finally {
      setImportProgress(null);
    }
  }

  async function start(encounter: ScheduledEncounter, consent: Consent) {
    setConsentFor(null);
    try {
      const visit = await callScribe('visit.start', { encounterId: encounter.encounterId, consent });
      onOpenVisit(visit.id);
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <section className="schedule">
      <div className="schedule-head">
        <h1>Today</h1>
        {user.role === 'clinician' && <PatientSearch />}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {interrupted.length > 0 && (
        <div className="recover" role="status" data-testid="recoverable">
          <strong>Interrupted recordings.</strong> Scribe stopped while these visits were being recorded; their audio is safe.
          <ul>
            {interrupted.map((v) => (
              <li key={v.id}>
                {v.patientName} — {v.visitType} — started {new Date(v.startedAt).toLocaleTimeString()}{' '}
                <button className="primary" data-testid="recover" onClick={() => void recover(v.id)}>Recover and draft</button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {!encounters && !error && <p>Loading today's schedule…</p>}
      {encounters && encounters.length === 0 && <p className="empty">No encounters today.</p>}
      {encounters && encounters.length > 0 && (
        <ul className="encounters" data-testid="schedule">
          {encounters.map((e) => (
            <li key={e.encounterId} className="encounter" data-testid="encounter" data-encounter-id={e.encounterId}>
              <span className="when">{time(e.start)}</span>
              <span className="who">
                <strong>{e.patientName}</strong>
                <small>{[e.gender, e.birthDate && `born ${e.birthDate}`].filter(Boolean).join(' · ')}</small>
              </span>
              <span className="what">
                {e.visitType}
                {e.reason && <small>{e.reason}</small>}
              </span>
              {user.role === 'clinician' && (
                <span className="row-actions">
                  <button className="primary" onClick={() => setConsentFor(e)}>Start visit</button>
                  <label className="import" title="Import a recording made elsewhere (WAV, MP3, M4A, OGG, WebM)">
                    Import recording…
                    <input
                      type="file"
                      accept="audio/*,.wav,.mp3,.m4a,.ogg,.webm"
                      data-testid="import-recording"
                      disabled={importProgress !== null}
                      onChange={(ev) => {
                        const file = ev.target.files?.[0];
                        ev.target.value = '';
                        if (file) setImporting({ encounter: e, file });
                      }}
                    />
                  </label>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {visits.length > 0 && (
        <>
          <h2>Recent visits on this workstation</h2>
          <ul className="visits" data-testid="recent-visits">
            {visits.map((v) => (
              <li key={v.id}>
                <button className="link" onClick={() => onOpenVisit(v.id)}>
                  {v.patientName} — {v.visitType} — {new Date(v.startedAt).toLocaleString()} — <em>{v.post?.status === 'posted' ? 'posted' : v.status}</em>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {importProgress !== null && <p className="processing" data-testid="import-progress">Importing the recording… {Math.round(importProgress * 100)}%</p>}
      {importing && (
        <ConsentDialog encounter={importing.encounter} onDecide={(c) => void runImport(importing.encounter, importing.file, c)} onCancel={() => setImporting(null)} />
      )}
      {consentFor && (
        <ConsentDialog encounter={consentFor} onDecide={(c) => void start(consentFor, c)} onCancel={() => setConsentFor(null)} />
      )}
    </section>
  );
}
