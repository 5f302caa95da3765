import { useEffect, useState } from 'react';
import type { Consent, ScheduledEncounter, User, VisitSummary } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';
import { ConsentDialog } from './consent-dialog.tsx';
import { practiceServers } from '../shell/practice-servers.ts';
import { MicrophonePicker } from '../shell/microphone-picker.tsx';
import { PatientSearch } from './patient-search.tsx';
import { SAMPLE_RATE, decodeRecording, importRecording } from './import-recording.ts';
import { visitStateLabel } from '../visit/visit-state.ts';
import { useScreenTitle } from '../shell/use-screen-title.ts';

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
  const [importing, setImporting] = useState<{ encounter: ScheduledEncounter; file: File; pcm: Int16Array } | null>(null);
  const [importProgress, setImportProgress] = useState<number | null>(null);
  /** A file that failed its check, shown on the row it was chosen for. */
  const [importError, setImportError] = useState<{ encounterId: string; message: string } | null>(null);
  const [checking, setChecking] = useState<string | null>(null);
  const heading = useScreenTitle('Today');
  /** Where the visit's audio and text would go (read when consent is asked: the settings may have changed). */
  const [servers, setServers] = useState<string[] | null>(null);
  const asking = consentFor !== null || importing !== null;
  useEffect(() => {
    if (!asking) return;
    setServers(null);
    callScribe('settings.get', {}).then(
      (view) => setServers(practiceServers(view.processing)),
      () => setServers(null),
    );
  }, [asking]);

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

  /** The file is decoded and checked before anyone is asked for consent. */
  async function checkImport(encounter: ScheduledEncounter, file: File) {
    setImportError(null);
    setChecking(encounter.encounterId);
    try {
      const pcm = await decodeRecording(file);
      setImporting({ encounter, file, pcm });
    } catch (e) {
      setImportError({ encounterId: encounter.encounterId, message: `${errorText(e)}. Nothing was imported.` });
    } finally {
      setChecking(null);
    }
  }

  async function runImport(encounter: ScheduledEncounter, pcm: Int16Array, consent: Consent) {
    setImporting(null);
    if (consent === 'declined') return start(encounter, 'declined');
    setImportProgress(0);
    try {
      onOpenVisit(await importRecording(encounter.encounterId, pcm, setImportProgress));
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
        <h1 ref={heading} tabIndex={-1}>
          Today{' '}
          <small className="muted" data-testid="today-date">
            {new Date().toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}
          </small>
        </h1>
        {user.role === 'clinician' && <MicrophonePicker />}
        {user.role === 'clinician' && (
          <PatientSearch
            onWalkIn={(e) => {
              setEncounters((list) =>
                [...(list ?? []).filter((x) => x.encounterId !== e.encounterId), e].sort((a, b) => a.start.localeCompare(b.start)),
              );
              setConsentFor(e);
            }}
          />
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {interrupted.length > 0 && (
        <div className="recover" role="status" data-testid="recoverable">
          <strong>Interrupted recordings.</strong> Scribe stopped while these visits were being recorded; their audio is safe.
          <ul>
            {interrupted.map((v) => (
              <li key={v.id}>
                {v.patientName} — {v.visitTypeText ?? v.visitType} — started {new Date(v.startedAt).toLocaleTimeString()}{' '}
                <button className="primary" data-testid="recover" onClick={() => void recover(v.id)}>
                  Recover and draft
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {!encounters && !error && <p>Loading today's schedule…</p>}
      {encounters && encounters.length === 0 && <p className="empty">No encounters today.</p>}
      {encounters && encounters.length > 0 && (
        <ul className="encounters" data-testid="schedule">
          {encounters.map((e) => {
            const latest = visits.find((v) => v.encounterId === e.encounterId);
            return (
              <li key={e.encounterId} className="encounter" data-testid="encounter" data-encounter-id={e.encounterId}>
                <span className="when">{time(e.start)}</span>
                <span className="who">
                  <strong>{e.patientName}</strong>
                  <small>{[e.gender, e.birthDate && `born ${e.birthDate}`].filter(Boolean).join(' · ')}</small>
                </span>
                <span className="what">
                  <span title={e.visitType}>{e.visitTypeText ?? e.visitType}</span>
                  {e.reason && <small>{e.reason}</small>}
                </span>
                {user.role === 'clinician' && (
                  <span className="row-actions">
                    {latest && (
                      <>
                        <span className="visit-state" data-testid="encounter-state">
                          {visitStateLabel(latest)}
                        </span>
                        <button onClick={() => onOpenVisit(latest.id)} aria-label={`Open visit: ${e.patientName}`}>
                          Open visit
                        </button>
                      </>
                    )}
                    <button className={latest ? '' : 'primary'} onClick={() => setConsentFor(e)}>
                      Start visit
                    </button>
                    {
                      <>
                        <button
                          type="button"
                          data-testid="import-button"
                          disabled={importProgress !== null || checking !== null}
                          title="Import a recording made elsewhere (WAV, MP3, M4A, OGG, WebM)"
                          onClick={(ev) => (ev.currentTarget.nextElementSibling as HTMLInputElement | null)?.click()}
                        >
                          {checking === e.encounterId ? 'Checking the recording…' : 'Import recording…'}
                        </button>
                        <input
                          type="file"
                          hidden
                          tabIndex={-1}
                          aria-hidden="true"
                          accept="audio/*,.wav,.mp3,.m4a,.ogg,.webm"
                          data-testid="import-recording"
                          onChange={(ev) => {
                            const file = ev.target.files?.[0];
                            ev.target.value = '';
                            if (file) void checkImport(e, file);
                          }}
                        />
                      </>
                    }
                    {importError?.encounterId === e.encounterId && (
                      <span className="error" role="alert" data-testid="import-error">
                        {importError.message}
                      </span>
                    )}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {visits.length > 0 && (
        <>
          <h2>Recent visits on this workstation</h2>
          <ul className="visits" data-testid="recent-visits">
            {visits.map((v) => (
              <li key={v.id}>
                <button className="link" onClick={() => onOpenVisit(v.id)}>
                  {v.patientName} — {v.visitTypeText ?? v.visitType} — {new Date(v.startedAt).toLocaleString()} —{' '}
                  <em>{visitStateLabel(v)}</em>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {importProgress !== null && (
        <p className="processing" data-testid="import-progress">
          Importing the recording… {Math.round(importProgress * 100)}%
        </p>
      )}
      {importing && (
        <ConsentDialog
          encounter={importing.encounter}
          imported={{ name: importing.file.name, seconds: importing.pcm.length / SAMPLE_RATE }}
          servers={servers}
          onDecide={(c) => void runImport(importing.encounter, importing.pcm, c)}
          onCancel={() => setImporting(null)}
        />
      )}
      {consentFor && (
        <ConsentDialog
          encounter={consentFor}
          servers={servers}
          onDecide={(c) => void start(consentFor, c)}
          onCancel={() => setConsentFor(null)}
        />
      )}
    </section>
  );
}
