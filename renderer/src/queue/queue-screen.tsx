import { useCallback, useEffect, useState } from 'react';
import type { QueueItem, QueueStatus, User } from '../../../app/contract/index.ts';
import { callScribe, errorText, onScribe } from '../bridge.ts';
import { STATUS_LABELS, sinceLabel, statusLabel } from './labels.ts';

/**
 * The queue: a scribe's assigned visits, or — for a clinician — the notes waiting for their signature
 * first, then the rest of their visits in the queue. Filter by status; locks are shown with who and since when.
 */
export function QueueScreen({ user, onOpen }: { user: User; onOpen: (visitId: string) => void }) {
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [filter, setFilter] = useState<QueueStatus | 'all'>(user.role === 'clinician' ? 'ready_for_signature' : 'all');
  const [error, setError] = useState<string | null>(null);
  const [clinician, setClinician] = useState<string>('all');
  const [day, setDay] = useState<'all' | 'today'>('all');

  const load = useCallback(() => {
    callScribe('queue.list', {}).then(setItems, (e: unknown) => setError(errorText(e)));
  }, []);

  useEffect(() => {
    load();
    return onScribe('queue.updated', (next) => {
      setItems((prev) => {
        if (!prev) return prev;
        const mine = user.role === 'scribe' ? next.scribe.id === user.id : next.clinicianId === user.id;
        const rest = prev.filter((i) => i.visitId !== next.visitId);
        return mine ? [next, ...rest].sort((a, b) => b.visitDate.localeCompare(a.visitDate)) : rest;
      });
    });
  }, [load, user.id, user.role]);

  const today = new Date().toDateString();
  const clinicians = [...new Map((items ?? []).map((i) => [i.clinicianId, i.clinicianName ?? i.assignedBy.name])).entries()];
  const shown = (items ?? []).filter(
    (i) =>
      (filter === 'all' || i.status === filter) &&
      (clinician === 'all' || i.clinicianId === clinician) &&
      (day === 'all' || new Date(i.visitDate).toDateString() === today),
  );
  const title = user.role === 'clinician' ? 'Notes from your scribes' : 'My queue';
  return (
    <section className="queue" data-testid="queue">
      <div className="visit-head">
        <h1>{title}</h1>
        <label>
          Show{' '}
          <select value={filter} data-testid="queue-filter" onChange={(e) => setFilter(e.target.value as QueueStatus | 'all')}>
            <option value="all">All</option>
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {user.role === 'scribe' && clinicians.length > 1 && (
          <label>
            Clinician{' '}
            <select value={clinician} data-testid="queue-clinician" onChange={(e) => setClinician(e.target.value)}>
              <option value="all">All</option>
              {clinicians.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Date{' '}
          <select value={day} data-testid="queue-day" onChange={(e) => setDay(e.target.value as 'all' | 'today')}>
            <option value="all">Any day</option>
            <option value="today">Today</option>
          </select>
        </label>
        <button type="button" className="link" onClick={load}>
          Refresh
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {items && shown.length === 0 && (
        <p className="empty" data-testid="queue-empty">
          {filter === 'ready_for_signature' ? 'No notes are waiting for your signature.' : 'Nothing in the queue.'}
        </p>
      )}
      {shown.length > 0 && (
        <table className="queue-table">
          <thead>
            <tr>
              <th>Patient</th>
              <th>Visit</th>
              <th>Date</th>
              <th>{user.role === 'clinician' ? 'Scribe' : 'Clinician'}</th>
              <th>Status</th>
              <th>Editing</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((i) => (
              <tr key={i.visitId} data-testid="queue-item" data-visit-id={i.visitId} data-status={i.status}>
                <td>{i.patientName}</td>
                <td>{i.visitTypeText ?? i.visitType}</td>
                <td>{sinceLabel(i.visitDate)}</td>
                <td>{user.role === 'clinician' ? i.scribe.name : (i.clinicianName ?? i.assignedBy.name)}</td>
                <td>
                  <span className={`status qstatus-${i.status}`}>{statusLabel(i.status)}</span>
                </td>
                <td data-testid="queue-lock">{i.lock ? `Locked by ${i.lock.name} since ${sinceLabel(i.lock.since)}` : ''}</td>
                <td>
                  <button type="button" data-testid="queue-open" onClick={() => onOpen(i.visitId)}>
                    {i.status === 'ready_for_signature' && user.role === 'clinician'
                      ? 'Review and sign'
                      : i.status === 'signed'
                        ? 'View'
                        : 'Open'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
