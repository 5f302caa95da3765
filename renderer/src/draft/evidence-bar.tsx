import { useState } from 'react';
import type { ChartCitation, Visit } from '../../../app/contract/index.ts';
import { errorText } from '../bridge.ts';
import { chartFactLines, clockTime, evidenceSegments, evidenceSpan, sentencesWithEvidence } from './evidence.ts';
import { playVisitAudio } from './visit-audio.ts';
import './evidence.css';

/**
 * Where the selected note sentence came from: the sentence, the transcript turns it cites (speaker, time, words)
 * and a button that plays exactly that stretch of the visit's audio, and the chart facts it took ("From the chart:
 * Patient, born 1967-03-02"; decision 0204). All text is rendered as text (React escapes it): markup in a
 * transcript, the chart or a draft is shown, never executed.
 */
export function EvidenceBar({
  visit,
  evidence,
  chart = [],
}: {
  visit: Visit;
  evidence: ReadonlySet<string>;
  chart?: readonly ChartCitation[];
}) {
  const [error, setError] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const turns = evidenceSegments(visit.transcript?.segments ?? [], evidence);
  const span = evidenceSpan(turns);
  const drafted = visit.draft ? sentencesWithEvidence(visit.draft, evidence, chart) : [];
  const fromChart = chartFactLines(chart);

  if (turns.length === 0 && fromChart.length === 0) {
    return (
      <div className="evidence-bar muted" data-testid="evidence-bar" data-evidence-count="0">
        Click a sentence of the note to see and hear where it came from.
      </div>
    );
  }

  async function play() {
    if (!span) return;
    setError(null);
    setPlaying(true);
    try {
      await playVisitAudio(visit.id, span.start, span.end);
    } catch (e) {
      setError(`Cannot play this evidence: ${errorText(e)}`);
    } finally {
      setPlaying(false);
    }
  }

  return (
    <div className="evidence-bar" data-testid="evidence-bar" data-evidence-count={turns.length} data-chart-count={chart.length}>
      {drafted.map((d, i) => (
        <p className="evidence-sentence" data-testid="evidence-sentence" key={i}>
          <span className="muted">{d.sectionTitle}: </span>“{d.sentence.text}”
        </p>
      ))}
      {fromChart.length > 0 && (
        <div className="evidence-chart" data-testid="evidence-chart">
          <span className="muted">From the chart:</span>
          <ul>
            {fromChart.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      <ol className="evidence-turns" hidden={turns.length === 0}>
        {turns.map((t) => (
          <li key={t.id} data-segment-id={t.id}>
            <span className="time">{clockTime(t.start)}</span>{' '}
            <span className={`speaker ${t.speaker ?? 'unknown'}`}>{t.speaker ?? '—'}</span> <span className="text">{t.text}</span>
          </li>
        ))}
      </ol>
      {span && (
        <button data-testid="play-evidence" disabled={playing} onClick={() => void play()} title="Play the audio of these turns">
          ▶ Play evidence ({clockTime(span.start)}–{clockTime(span.end)})
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
