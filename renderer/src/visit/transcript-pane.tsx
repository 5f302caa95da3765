import { useEffect, useRef, useState } from 'react';
import type { Speaker, TranscriptSegment, Visit } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';

/** LOW_WORD_CONFIDENCE of app/contract (the renderer imports the contract's types only). */
const LOW_WORD_CONFIDENCE = 0.5;

/** A turn's words, with the ones the recognizer was unsure of marked (turns without word confidences as plain text). */
function TurnText({ segment }: { segment: TranscriptSegment }) {
  const words = segment.words ?? [];
  if (words.length === 0 || words.map((w) => w.word).join(' ') !== segment.text) return <>{segment.text}</>;
  return (
    <>
      {words.map((w, i) => (
        <span key={i}>
          {i > 0 ? ' ' : ''}
          {w.confidence < LOW_WORD_CONFIDENCE ? (
            <mark
              className="unsure"
              data-unsure="true"
              title={`The recognizer was unsure of this word (confidence ${Math.round(w.confidence * 100)}%)`}
            >
              {w.word}
            </mark>
          ) : (
            w.word
          )}
        </span>
      ))}
    </>
  );
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The transcript beside the note: turns with times and speakers; evidence of the selected sentence highlighted. */
const SPEAKER_KEYS: Record<string, Speaker> = { c: 'clinician', p: 'patient', o: 'other' };

/** The transcript beside the note. Focus a turn and press c, p or o to say who spoke it. */
export function TranscriptPane({
  visit,
  highlight,
  onVisit,
}: {
  visit: Visit;
  highlight: ReadonlySet<string>;
  onVisit?: (v: Visit) => void;
}) {
  const segments = visit.transcript?.segments ?? [];
  const [error, setError] = useState<string | null>(null);
  const audio = useRef<HTMLAudioElement | null>(null);
  const first = useRef<HTMLLIElement | null>(null);
  const pane = useRef<HTMLElement | null>(null);

  // Bring the evidence into view inside the transcript's own scroll box only: scrollIntoView would also
  // scroll the page, moving it away from the section being edited.
  useEffect(() => {
    const turn = first.current;
    const box = pane.current;
    if (!turn || !box) return;
    const top = turn.offsetTop - box.offsetTop;
    if (top < box.scrollTop || top + turn.offsetHeight > box.scrollTop + box.clientHeight) {
      box.scrollTo({ top: Math.max(0, top - box.clientHeight / 3), behavior: 'smooth' });
    }
  }, [highlight]);

  async function play(start: number, end: number) {
    setError(null);
    try {
      const clip = await callScribe('visit.audioClip', { visitId: visit.id, start, end: Math.max(end, start + 0.2) });
      const bytes = Uint8Array.from(atob(clip.wavBase64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
      audio.current?.pause();
      audio.current = new Audio(url);
      audio.current.onended = () => URL.revokeObjectURL(url);
      await audio.current.play();
    } catch (e) {
      setError(`Cannot play this audio: ${errorText(e)}`);
    }
  }

  async function label(segmentId: string, speaker: Speaker) {
    setError(null);
    try {
      onVisit?.(await callScribe('transcript.setSpeaker', { visitId: visit.id, segmentId, speaker }));
    } catch (e) {
      setError(`Cannot label this turn: ${errorText(e)}`);
    }
  }
  const editable = visit.status === 'draft' && onVisit !== undefined;

  let firstMarked = false;
  return (
    <aside className="transcript" data-testid="transcript" ref={pane} aria-label="Transcript">
      <h2>
        Transcript{' '}
        <small className="muted">
          {visit.transcript?.engine}
          {visit.transcript?.model ? ` · ${visit.transcript.model}` : ''}
        </small>
      </h2>
      {error && <p className="error">{error}</p>}
      {segments.length === 0 && (
        <p className="muted" data-testid="transcript-empty">
          {visit.consent === 'declined' ? 'Not recorded: the patient declined recording.' : 'No speech was recognized.'}
        </p>
      )}
      <ol>
        {segments.map((s) => {
          const marked = highlight.has(s.id);
          const ref = marked && !firstMarked ? ((firstMarked = true), first) : undefined;
          return (
            <li
              key={s.id}
              ref={ref}
              className={marked ? 'turn evidence' : 'turn'}
              data-segment-id={s.id}
              data-evidence={marked ? 'true' : 'false'}
              tabIndex={editable ? 0 : undefined}
              title={editable ? 'Press c (clinician), p (patient) or o (other) to say who spoke' : undefined}
              onKeyDown={(e) => {
                const speaker = editable && !e.ctrlKey && !e.metaKey && !e.altKey ? SPEAKER_KEYS[e.key.toLowerCase()] : undefined;
                if (speaker) {
                  e.preventDefault();
                  void label(s.id, speaker);
                }
              }}
            >
              <button className="time" title="Play this turn" onClick={() => void play(s.start, s.end)}>
                {clock(s.start)}
              </button>
              {editable ? (
                <select
                  className={`speaker ${s.speaker ?? 'unknown'}`}
                  data-testid="speaker-select"
                  aria-label={`Who spoke at ${clock(s.start)}`}
                  value={s.speaker ?? ''}
                  onChange={(e) => e.target.value && void label(s.id, e.target.value as Speaker)}
                  onKeyDown={(e) => e.stopPropagation()}
                >
                  {!s.speaker && <option value="">Who spoke?</option>}
                  <option value="clinician">Clinician</option>
                  <option value="patient">Patient</option>
                  <option value="other">Other</option>
                </select>
              ) : (
                <span className={`speaker ${s.speaker ?? 'unknown'}`}>{s.speaker ?? 'speaker not known'}</span>
              )}
              <span className="text">
                <TurnText segment={s} />
              </span>
            </li>
          );
        })}
      </ol>
    </aside>
  );
}
