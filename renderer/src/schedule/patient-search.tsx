import { useState } from 'react';
import type { CallOutput } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';

/** Look a patient up in the EHR (name or identifier). */
export function PatientSearch() {
  const [text, setText] = useState('');
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
      <input data-testid="patient-search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Find a patient (name or MRN)" minLength={2} maxLength={100} />
      <button type="submit">Search</button>
      {error && <p className="error">{error}</p>}
      {results && (
        <ul className="patient-results" data-testid="patient-results">
          {results.length === 0 && <li className="muted">No patient found.</li>}
          {results.map((p) => (
            <li key={p.patientId}>
              <strong>{p.name}</strong> <small className="muted">{[p.gender, p.birthDate && `born ${p.birthDate}`, p.mrn && `MRN ${p.mrn}`].filter(Boolean).join(' · ')}</small>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
