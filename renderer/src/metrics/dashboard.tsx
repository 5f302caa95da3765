import { useCallback, useEffect, useState } from 'react';
import type { MetricsDashboard, MetricsFilter } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';
import { DashboardView, defaultRange } from './dashboard-view.tsx';

/** Save a text as a file through the browser (works in Electron's renderer too). */
function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The dashboard wired to the core: loads figures for the filter, re-loads on change, exports CSV. */
export function Dashboard({ initialFilter }: { initialFilter?: MetricsFilter }) {
  const [filter, setFilter] = useState<MetricsFilter>(() => initialFilter ?? defaultRange());
  const [data, setData] = useState<MetricsDashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    // Names of the practice's clinicians, as far as this workstation knows them (local profiles, signed-in user).
    callScribe('session.get', {}).then(
      (s) => {
        const known = [...s.profiles, ...(s.user ? [s.user] : [])];
        setNames(Object.fromEntries(known.map((u) => [u.id, u.name])));
      },
      () => undefined,
    );
  }, []);

  const load = useCallback((f: MetricsFilter) => {
    setBusy(true);
    let current = true;
    callScribe('metrics.dashboard', f).then(
      (d) => {
        if (!current) return;
        setData(d);
        setError(null);
        setBusy(false);
      },
      (e: unknown) => {
        if (!current) return;
        // No figures under an error (stale ones would read as the answer): the view hides them.
        setError(errorText(e));
        setBusy(false);
      },
    );
    return () => {
      current = false;
    };
  }, []);
  useEffect(() => load(filter), [filter, load]);

  const exportCsv = () => {
    callScribe('metrics.exportCsv', filter).then(
      ({ filename, csv }) => download(filename, csv),
      (e: unknown) => setError(errorText(e)),
    );
  };

  return (
    <div className="metrics-page">
      {error && !data && (
        <p className="error" role="alert" data-testid="metrics-error">
          {error}
        </p>
      )}
      {data ? (
        <DashboardView data={data} filter={filter} onFilter={setFilter} onExport={exportCsv} busy={busy} names={names} problem={error} />
      ) : (
        !error && <p className="loading">Loading figures…</p>
      )}
    </div>
  );
}
