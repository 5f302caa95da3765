import { useEffect, useRef, useState } from 'react';
import type { CallOutput } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';

/** What the EHR already knows about the patient, beside the draft (read-only). */
export function ChartPanel({ visitId, onChart }: { visitId: string; onChart?: (chart: CallOutput<'visit.chart'> | null) => void }) {
  const [chart, setChart] = useState<CallOutput<'visit.chart'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onChartRef = useRef(onChart);
  onChartRef.current = onChart;
  useEffect(() => {
    callScribe('visit.chart', { visitId }).then(
      (c) => {
        setChart(c);
        onChartRef.current?.(c);
      },
      (e: unknown) => {
        setError(errorText(e));
        onChartRef.current?.(null);
      },
    );
  }, [visitId]);
  return (
    <aside className="chart" data-testid="chart-panel" aria-label="From the chart">
      <h2>From the chart</h2>
      {error && <p className="muted">The chart could not be read: {error}</p>}
      {!chart && !error && <p className="muted">Reading the chart…</p>}
      {chart && (
        <>
          <h3>Active problems</h3>
          {chart.problems.length ? (
            <ul>
              {chart.problems.map((p, i) => (
                <li key={i}>
                  {p.display}
                  {p.code && <small className="muted"> {p.code}</small>}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">None recorded.</p>
          )}
          <h3>Medications</h3>
          {chart.medications.length ? (
            <ul>
              {chart.medications.map((m, i) => (
                <li key={i}>{m.display}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">None recorded.</p>
          )}
        </>
      )}
    </aside>
  );
}
