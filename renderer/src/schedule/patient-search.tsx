import { useState } from 'react';
import type { CallOutput } from '../../../app/contract/index.ts';
import type { ScheduledEncounter } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';

/** Look a patient up in the EHR (name or identifier). */
export function PatientSearch({ onWalkIn }: { onWalkIn: (encounter: ScheduledEncounter) => void }) {
  const [text, setText] = useState('');
  const [starting, setStarting] = useState<string | null>(null);
  const [results, setResults] = useState<CallOutput<'patient.search'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="patient-search"
      role="search"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          setResults(await callScribe('patient.search', { text }));
        } catch (err) {
          setError(errorText(err));
        }
      }}
    >
      <input
        data-testid="patient-search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Find a patient (name or MRN)"
        minLength={2}
        maxLength={100}
      />
      <button type="submit">Search</button>
      {error && (
        <p className="error" role="alert" data-testid="patient-search-error">
          {error}
        </p>
      )}
      {results && (
        <ul className="patient-results" data-testid="patient-results">
          {results.length === 0 && <li className="muted">No patient found.</li>}
          {results.map((p) => (
            <li key={p.patientId}>
              <strong>{p.name}</strong>{' '}
              <small className="muted">
                {[p.gender, p.birthDate && `born ${p.birthDate}`, p.mrn && `MRN ${p.mrn}`].filter(Boolean).join(' · ')}
              </small>{' '}
              <button
                type="button"
                data-testid="walk-in"
                disabled={starting !== null}
                aria-label={`Start a walk-in visit: ${p.name}`}
                onClick={async () => {
                  setError(null);
                  setStarting(p.patientId);
                  try {
                    onWalkIn(await callScribe('schedule.walkIn', { patientId: p.patientId }));
                    setResults(null);
                    setText('');
                  } catch (err) {
                    setError(`The walk-in could not be started: ${errorText(err)}`);
                  } finally {
                    setStarting(null);
                  }
                }}
              >
                {starting === p.patientId ? 'Creating the encounter…' : 'Start a walk-in visit'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
