import { useCallback, useEffect, useRef, useState } from 'react';
import type { DictationApplied, DictationCursor } from '../../../app/contract/index.ts';
import { callScribe, errorText, onScribe } from '../bridge.ts';
import { DictationMic } from './dictation-mic.ts';

export type TextRange = { start: number; end: number };

/** What the note editor lends to dictation. */
export interface DictationHost {
  /** Every section's current text and the caret (the section under the cursor). */
  snapshot(): { texts: Record<string, string>; caret: DictationCursor };
  /** Dictation changed a section: show it, save it like typing, put the caret where dictation left it. */
  applyText(sectionId: string, text: string, caret: DictationCursor, dictated: TextRange[]): void;
}

/** What the editor tells dictation while it listens (typing and caret moves go to the core). */
export interface DictationHandle {
  localEdit(sectionId: string, text: string, offset: number): void;
  caretMoved(sectionId: string, offset: number): void;
}

/** The keyboard shortcut that starts and stops dictation anywhere in the note. */
export const DICTATE_SHORTCUT = { key: 'd', altKey: true, shiftKey: true, label: 'Alt+Shift+D' };

type Phase = 'idle' | 'starting' | 'listening' | 'stopping';

const EFFECT_LABELS: Record<string, string> = {
  inserted: 'typed',
  punctuated: 'command',
  scratched: 'removed the last phrase',
  moved: 'moved the cursor',
  stopped: 'stopped',
  ignored: 'ignored',
};

/**
 * The Dictate control: streams the microphone into the section under the cursor. Live partial words are
 * shown apart from the note (grey, italic) until the recognizer finalises them; spoken commands
 * ("period", "new paragraph", "scratch that", "go to plan", "stop dictating") act instead of being typed.
 */
export function DictateControl({
  visitId,
  host,
  handleRef,
  onError,
}: {
  visitId: string;
  host: DictationHost;
  handleRef: { current: DictationHandle | null };
  onError: (message: string) => void;
}) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [partial, setPartial] = useState('');
  const [level, setLevel] = useState(0);
  const [heard, setHeard] = useState<string | null>(null);
  const [lastEffect, setLastEffect] = useState<{ kind: string; count: number }>({ kind: '', count: 0 });
  /** What the recognizer heard and what it did, newest last: the clinician sees commands were taken as commands. */
  const [log, setLog] = useState<{ heard: string; effect: string }[]>([]);
  /** What went differently (chart read too slow, last words not recognized in time), from the core, in words. */
  const [notice, setNotice] = useState<string | null>(null);
  const dictationId = useRef<string | null>(null);
  const mic = useRef<DictationMic | null>(null);
  const revision = useRef(0);
  const edits = useRef<Promise<unknown>>(Promise.resolve());
  const phaseRef = useRef<Phase>('idle');
  const hostRef = useRef(host);
  hostRef.current = host;

  const setPhaseBoth = (p: Phase) => {
    phaseRef.current = p;
    setPhase(p);
  };

  const applyEvent = useCallback((e: DictationApplied) => {
    if (e.dictationId !== dictationId.current || e.revision <= revision.current) return;
    revision.current = e.revision;
    setPartial('');
    setHeard(e.utterance.text);
    setLastEffect((prev) => ({ kind: e.effect.kind, count: prev.count + 1 }));
    setLog((prev) => [...prev, { heard: e.utterance.text, effect: e.effect.kind }].slice(-50));
    if (e.effect.kind !== 'ignored' && e.effect.kind !== 'stopped') {
      hostRef.current.applyText(e.sectionId, e.text, e.cursor, e.spans);
    }
  }, []);

  const stop = useCallback(async () => {
    const id = dictationId.current;
    if (!id || phaseRef.current === 'stopping' || phaseRef.current === 'idle') return;
    setPhaseBoth('stopping');
    try {
      await mic.current?.close();
      mic.current = null;
      await edits.current;
      const final = await callScribe('dictation.stop', { dictationId: id });
      setNotice(final.notice ?? null);
      // The last utterance is applied while stopping; its event may race this answer.
      const { texts } = hostRef.current.snapshot();
      for (const section of final.sections) {
        if (texts[section.id] !== section.text && final.revision >= revision.current) {
          const caret = final.cursor.sectionId === section.id ? final.cursor : { sectionId: section.id, offset: section.text.length };
          hostRef.current.applyText(section.id, section.text, caret, section.spans);
        }
      }
      revision.current = Math.max(revision.current, final.revision);
    } catch (e) {
      onError(`Dictation did not stop cleanly: ${errorText(e)}`);
    } finally {
      dictationId.current = null;
      handleRef.current = null;
      setPartial('');
      setLevel(0);
      setPhaseBoth('idle');
    }
  }, [handleRef, onError]);

  const start = useCallback(async () => {
    if (phaseRef.current !== 'idle') return;
    setPhaseBoth('starting');
    setHeard(null);
    setLastEffect({ kind: '', count: 0 });
    setLog([]);
    setNotice(null);
    try {
      const { texts, caret } = hostRef.current.snapshot();
      const state = await callScribe('dictation.start', {
        visitId,
        cursor: caret,
        sections: Object.entries(texts).map(([id, text]) => ({ id, text })),
      });
      dictationId.current = state.dictationId;
      revision.current = state.revision;
      setNotice(state.notice ?? null);
      mic.current = await DictationMic.open(state.dictationId, {
        onLevel: setLevel,
        onError,
        onStoppedByVoice: () => void stop(),
      });
      const report = (input: { sectionId: string; text?: string; offset: number }) => {
        const id = dictationId.current;
        if (!id) return;
        edits.current = edits.current.then(() =>
          callScribe('dictation.edit', { dictationId: id, ...input }).then(
            (s) => {
              revision.current = Math.max(revision.current, s.revision);
            },
            () => undefined,
          ),
        );
      };
      handleRef.current = {
        localEdit: (sectionId, text, offset) => report({ sectionId, text, offset }),
        caretMoved: (sectionId, offset) => report({ sectionId, offset }),
      };
      setPhaseBoth('listening');
    } catch (e) {
      const id = dictationId.current;
      dictationId.current = null;
      if (id) await callScribe('dictation.stop', { dictationId: id }).catch(() => undefined);
      setPhaseBoth('idle');
      onError(`Dictation could not start: ${errorText(e)}`);
    }
  }, [visitId, handleRef, onError, stop]);

  useEffect(() => {
    const offApplied = onScribe('dictation.applied', applyEvent);
    const offPartial = onScribe('dictation.partial', (p) => {
      if (p.dictationId === dictationId.current) setPartial(p.text);
    });
    return () => {
      offApplied();
      offPartial();
    };
  }, [applyEvent]);

  // The global shortcut, wherever the focus is on this screen.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (
        e.key.toLowerCase() === DICTATE_SHORTCUT.key &&
        e.altKey === DICTATE_SHORTCUT.altKey &&
        e.shiftKey === DICTATE_SHORTCUT.shiftKey &&
        !e.ctrlKey &&
        !e.metaKey
      ) {
        e.preventDefault();
        if (phaseRef.current === 'idle') void start();
        else if (phaseRef.current === 'listening') void stop();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [start, stop]);

  // Warm the recognizer while the note is open (and again after each dictation), so speech is not kept waiting.
  useEffect(() => {
    if (phase === 'idle') void callScribe('dictation.prepare', { visitId }).catch(() => undefined);
  }, [phase, visitId]);

  // Leaving the screen stops the microphone.
  useEffect(() => () => void stop(), [stop]);

  const listening = phase === 'listening';
  return (
    <div
      className={`dictate ${listening ? 'on' : ''}`}
      data-testid="dictate"
      data-phase={phase}
      data-last-effect={lastEffect.kind}
      data-utterances={lastEffect.count}
    >
      <button
        type="button"
        className={listening ? 'danger' : ''}
        data-testid="dictate-button"
        aria-pressed={listening}
        disabled={phase === 'starting' || phase === 'stopping'}
        title={`Dictate into the section under the cursor (${DICTATE_SHORTCUT.label})`}
        // Keep the caret in the note: the button must not take the focus away from the textarea.
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => void (listening ? stop() : start())}
      >
        {phase === 'idle' && (
          <>
            <span className="rec-dot" aria-hidden="true" />
            Dictate
          </>
        )}
        {phase === 'starting' && 'Starting…'}
        {listening && (
          <>
            <span className="stop-square" aria-hidden="true" />
            Stop dictating
          </>
        )}
        {phase === 'stopping' && 'Finishing…'}
      </button>
      {listening && (
        <span className="dictate-meter" aria-label="Microphone level">
          <span style={{ width: `${Math.min(100, level * 400)}%` }} />
        </span>
      )}
      {listening && (
        <span className="dictate-partial" data-testid="dictation-partial" aria-live="polite">
          {partial ? `${partial}…` : 'Listening…'}
        </span>
      )}
      {!listening && heard !== null && (
        <span className="muted" data-testid="dictation-last">
          Last heard: “{heard}”
        </span>
      )}
      {notice && (
        <span className="dictation-notice" role="status" data-testid="dictation-notice">
          {notice}
        </span>
      )}
      {log.length > 0 && (
        <ol className="dictation-log" data-testid="dictation-log" aria-label="What dictation heard">
          {log.map((entry, i) => (
            <li key={i} data-effect={entry.effect} data-heard={entry.heard}>
              “{entry.heard}” <span className="muted">{EFFECT_LABELS[entry.effect] ?? entry.effect}</span>
            </li>
          ))}
        </ol>
      )}
      <small className="muted">
        {DICTATE_SHORTCUT.label} · say “period”, “new paragraph”, “scratch that”, “go to plan”, “stop dictating”
      </small>
    </div>
  );
}
