import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { Visit } from '../../../app/contract/index.ts';
import { callScribe, errorText } from '../bridge.ts';

function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Playback speeds the scribe cycles through ("slow down"). */
export const SPEEDS = [1, 0.85, 0.7, 0.5] as const;
/** The core hands out at most 10 minutes of audio per clip. */
const CLIP_SECONDS = 600;

export interface AudioTranscriptControls {
  togglePlay(): void;
  skipBack(seconds: number): void;
  slowDown(): void;
  /** Highlight these transcript turns and play from the first of them. */
  playEvidence(segmentIds: readonly string[]): boolean;
}

interface Clip {
  start: number;
  end: number;
  url: string;
}

/**
 * The visit's transcript and audio side by side with the note: click a turn to play it; the editor's
 * shortcuts drive play/pause, skip back, slower playback and "play the evidence of this sentence".
 */
export const AudioTranscript = forwardRef<AudioTranscriptControls, { visit: Visit }>(function AudioTranscript({ visit }, ref) {
  const segments = visit.transcript?.segments ?? [];
  const audio = useRef<HTMLAudioElement | null>(null);
  const clip = useRef<Clip | null>(null);
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [speed, setSpeed] = useState<number>(1);
  const [highlight, setHighlight] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const speedRef = useRef(speed);
  speedRef.current = speed;

  useEffect(
    () => () => {
      audio.current?.pause();
      if (clip.current) URL.revokeObjectURL(clip.current.url);
    },
    [],
  );

  const now = () => (clip.current && audio.current ? clip.current.start + audio.current.currentTime : position);

  async function playFrom(at: number) {
    setError(null);
    const total = visit.audioSeconds;
    const target = Math.max(0, Math.min(at, Math.max(0, total - 0.05)));
    try {
      if (!clip.current || !audio.current || target < clip.current.start || target >= clip.current.end - 0.05) {
        const start = Math.max(0, target - 5);
        const end = Math.min(total, start + CLIP_SECONDS);
        if (end <= start) throw new Error('this visit has no audio');
        const answer = await callScribe('visit.audioClip', { visitId: visit.id, start, end });
        const bytes = Uint8Array.from(atob(answer.wavBase64), (c) => c.charCodeAt(0));
        const url = URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
        audio.current?.pause();
        if (clip.current) URL.revokeObjectURL(clip.current.url);
        clip.current = { start: answer.start, end: answer.end, url };
        const el = new Audio(url);
        el.ontimeupdate = () => setPosition((clip.current?.start ?? 0) + el.currentTime);
        el.onplay = () => setPlaying(true);
        el.onpause = () => setPlaying(false);
        el.onended = () => setPlaying(false);
        audio.current = el;
        await new Promise<void>((resolve, reject) => {
          el.onloadedmetadata = () => resolve();
          el.onerror = () => reject(new Error('the audio could not be decoded'));
        });
      }
      const el = audio.current!;
      el.playbackRate = speedRef.current;
      el.currentTime = target - clip.current!.start;
      setPosition(target);
      await el.play();
    } catch (e) {
      setError(`Cannot play the visit audio: ${errorText(e)}`);
    }
  }

  useImperativeHandle(ref, () => ({
    togglePlay() {
      const el = audio.current;
      if (el && !el.paused) el.pause();
      else if (el) void el.play().catch((e: unknown) => setError(errorText(e)));
      else void playFrom(segments[0]?.start ?? 0);
    },
    skipBack(seconds) {
      void playFrom(Math.max(0, now() - seconds));
    },
    slowDown() {
      const next = SPEEDS[(SPEEDS.indexOf(speedRef.current as (typeof SPEEDS)[number]) + 1) % SPEEDS.length]!;
      setSpeed(next);
      if (audio.current) audio.current.playbackRate = next;
    },
    playEvidence(ids) {
      const turns = segments.filter((s) => ids.includes(s.id));
      setHighlight(new Set(turns.map((t) => t.id)));
      if (turns.length === 0) return false;
      document.querySelector(`[data-segment-id="${CSS.escape(turns[0]!.id)}"]`)?.scrollIntoView({ block: 'nearest' });
      void playFrom(turns[0]!.start);
      return true;
    },
  }));

  return (
    <aside className="transcript audio-transcript" data-testid="audio-transcript">
      <h2>Transcript and audio</h2>
      <div className="player" data-testid="player" data-playing={playing ? 'true' : 'false'} data-speed={speed}>
        <button type="button" onClick={() => (playing ? audio.current?.pause() : void playFrom(position))}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" onClick={() => void playFrom(Math.max(0, now() - 5))}>
          −5 s
        </button>
        <button
          type="button"
          onClick={() => {
            const next = SPEEDS[(SPEEDS.indexOf(speed as (typeof SPEEDS)[number]) + 1) % SPEEDS.length]!;
            setSpeed(next);
            if (audio.current) audio.current.playbackRate = next;
          }}
        >
          {speed}×
        </button>
        <span className="muted" data-testid="player-position">
          {clock(position)} / {clock(visit.audioSeconds)}
        </span>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {segments.length === 0 && <p className="muted">No speech was recognized.</p>}
      <ol>
        {segments.map((s) => {
          const current = position >= s.start && position < s.end;
          return (
            <li
              key={s.id}
              className={`turn${highlight.has(s.id) ? ' evidence' : ''}${current ? ' current' : ''}`}
              data-segment-id={s.id}
              data-evidence={highlight.has(s.id) ? 'true' : 'false'}
            >
              <button type="button" className="time" title="Play this turn" onClick={() => void playFrom(s.start)}>
                {clock(s.start)}
              </button>
              <span className={`speaker ${s.speaker ?? 'unknown'}`}>{s.speaker ?? '—'}</span>
              <span
                className="text"
                role="button"
                tabIndex={0}
                onClick={() => void playFrom(s.start)}
                onKeyDown={(e) => {
                  if (e.key !== 'Enter' && e.key !== ' ') return;
                  e.preventDefault(); // Space would scroll the page
                  void playFrom(s.start);
                }}
              >
                {s.text}
              </span>
            </li>
          );
        })}
      </ol>
    </aside>
  );
});
