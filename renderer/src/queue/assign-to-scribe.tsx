import { useEffect, useState } from 'react';
import type { QueueItem, QueuePerson } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';
import { statusLabel } from './labels.ts';

/** On a drafted visit, the clinician hands the note to a scribe (and sees where it stands in the queue). */
export function AssignToScribe({ visitId }: { visitId: string }) {
  const [scribes, setScribes] = useState<QueuePerson[]>([]);
  const [chosen, setChosen] = useState('');
  const [item, setItem] = useState<QueueItem | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    callScribe('queue.scribes', {}).then(
      (list) => {
        setScribes(list);
        setChosen((c) => c || list[0]?.id || '');
      },
      (e: unknown) => setError(errorText(e)),
    );
    // The list can answer after a hand-off made meanwhile (queue.assign's answer): that newer item stays.
    callScribe('queue.list', {}).then(
      (items) => setItem((current) => current ?? items.find((i) => i.visitId === visitId) ?? null),
      () => undefined,
    );
  }, [visitId]);

  if (scribes.length === 0) return null;
  return (
    <span className="assign" data-testid="assign-to-scribe">
      {item && (
        <span className="muted" data-testid="queue-status" data-status={item.status}>
          With {item.scribe.name}: {statusLabel(item.status)}
        </span>
      )}
      <select aria-label="Scribe" value={chosen} onChange={(e) => setChosen(e.target.value)} data-testid="scribe-select">
        {scribes.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        data-testid="assign"
        disabled={!chosen}
        onClick={() => {
          setError(null);
          callScribe('queue.assign', { visitId, scribeId: chosen }).then(setItem, (e: unknown) => setError(errorText(e)));
        }}
      >
        {item ? 'Reassign' : 'Send to scribe'}
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
