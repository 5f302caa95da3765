import { useCallback, useEffect, useRef, useState } from 'react';
import type { DraftSection, NoteDiff, OpenedNote, QueueItem, User } from '../../../app/contract/index.ts';
import { ApiError, callScribe, errorText, onEventsResumed, onScribe } from '../bridge.ts';
import { sentenceAt } from '../draft/evidence.ts';
import { useEditorActivity } from '../metrics/use-editor-activity.ts';
import { AudioTranscript, type AudioTranscriptControls } from './audio-transcript.tsx';
import { DiffView } from './diff-view.tsx';
import { personLabel, sinceLabel, statusLabel } from './labels.ts';
import { useVisitState } from '../visit-state.ts';
import { ChartPanel } from '../note/chart-panel.tsx';
import { CodingPanel } from '../coding/coding-panel.tsx';
import { SectionField } from '../note/section-field.tsx';
import { SECTION_MAX_CHARS } from '../note/section-limits.ts';
import { SignReview } from '../note/sign-review.tsx';
import { useSignReview } from '../note/use-sign-review.ts';
import { useScreenTitle } from '../shell/use-screen-title.ts';
import { useStatusAnnouncer } from '../shell/status-region.tsx';

const SAVE_DELAY_MS = 800;

/** Keyboard shortcuts of the scribe's editor (shown on screen). */
export const PLAYER_SHORTCUTS = [
  { keys: 'Alt+P', what: 'play / pause' },
  { keys: 'Alt+B', what: 'back 5 s' },
  { keys: 'Alt+S', what: 'slower' },
  { keys: 'Alt+E', what: 'play the evidence of the sentence under the cursor' },
] as const;

type SaveState =
  | { kind: 'idle' | 'pending' | 'saving' | 'saved' }
  | { kind: 'refused'; message: string; currentText: Record<string, string> | null };

/**
 * One note from the queue: the editor (with the edit lock), the transcript and audio beside it, the
 * diff against the AI draft, and the hand-off: "Ready for signature" for the scribe, "Sign" for the clinician.
 */
export function QueueNote({ visitId, user, onBack }: { visitId: string; user: User; onBack: () => void }) {
  const [opened, setOpened] = useState<OpenedNote | null>(null);
  const [item, setItem] = useState<QueueItem | null>(null);
  const [visit, setVisit] = useVisitState();
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [lockToken, setLockToken] = useState<string | null>(null);
  const [lostLock, setLostLock] = useState<string | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [diff, setDiff] = useState<NoteDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const baseVersion = useRef(0);
  const saved = useRef<Record<string, string>>({});
  const textsRef = useRef(texts);
  textsRef.current = texts;
  const tokenRef = useRef<string | null>(null);
  tokenRef.current = lockToken;
  const mySince = useRef<string | null>(null);
  /** The token this window held before someone took over: its unsaved text is still sent, to be kept as a version. */
  const lostToken = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const sentences = useRef<Record<string, DraftSection['sentences']>>({});
  const caret = useRef<{ sectionId: string; offset: number } | null>(null);
  const player = useRef<AudioTranscriptControls | null>(null);
  // Practice metrics: the scribe's active editing time counts towards the note (renderer/src/metrics).
  const editorRoot = useEditorActivity(visitId, lockToken !== null);
  const review = useSignReview(visitId);
  /** Set while this window hands its own lock over (Ready for signature): the release that follows is expected. */
  const handingOver = useRef(false);
  const heading = useScreenTitle(item ? `${item.patientName} — note from the queue` : 'Note', !!item);
  const { announce, region } = useStatusAnnouncer();

  const adopt = useCallback((o: OpenedNote) => {
    setOpened(o);
    setItem(o.item);
    setLockToken(o.lockToken);
    mySince.current = o.lockToken ? (o.item.lock?.since ?? null) : null;
    baseVersion.current = o.draft.version;
    const fresh = Object.fromEntries(o.draft.sections.map((s) => [s.id, s.text]));
    saved.current = fresh;
    setTexts(fresh);
    for (const s of o.draft.sections) if (s.sentences.length) sentences.current[s.id] = s.sentences;
    setLostLock(null);
    lostToken.current = null;
  }, []);

  const refreshDiff = useCallback(() => {
    callScribe('queue.diff', { visitId }).then(setDiff, () => undefined);
  }, [visitId]);

  useEffect(() => {
    let alive = true;
    callScribe('queue.open', { visitId }).then(
      (o) => alive && adopt(o),
      (e: unknown) => setError(errorText(e)),
    );
    callScribe('visit.get', { visitId }).then(
      (v) => alive && setVisit(v),
      () => undefined,
    );
    refreshDiff();
    const offQueue = onScribe('queue.updated', (next) => {
      if (next.visitId !== visitId) return;
      setItem(next);
      if (handingOver.current && !next.lock) return; // our own hand-off, not a lost lock
      if (tokenRef.current && (!next.lock || next.lock.since !== mySince.current || next.lock.id !== user.id)) {
        // Someone took the lock over: this window becomes read-only; unsaved text stays on screen and is
        // still sent once, so the core keeps it as a conflicting version (nothing typed is lost).
        lostToken.current = tokenRef.current;
        tokenRef.current = null;
        setLockToken(null);
        setLostLock(next.lock ? `${next.lock.name} took over editing at ${sinceLabel(next.lock.since)}.` : 'The edit lock was released.');
      }
    });
    const offVisit = onScribe('visit.updated', (v) => {
      if (v.id === visitId) setVisit(v);
    });
    // The post status arrives as visit.updated events: no polling; after a dropped connection, read once.
    const offResumed = onEventsResumed(
      () =>
        void callScribe('visit.get', { visitId }).then(
          (v) => alive && setVisit(v),
          () => undefined,
        ),
    );
    return () => {
      alive = false;
      offQueue();
      offVisit();
      offResumed();
      if (timer.current) clearTimeout(timer.current);
      const token = tokenRef.current;
      if (token) {
        const pending = Object.entries(textsRef.current).filter(([id, t]) => saved.current[id] !== t);
        const release = () => void callScribe('queue.release', { visitId, lockToken: token }).catch(() => undefined);
        if (pending.length) {
          void callScribe('queue.save', {
            visitId,
            lockToken: token,
            baseVersion: baseVersion.current,
            sections: pending.map(([id, text]) => ({ id, text })),
          })
            .catch(() => undefined)
            .then(release);
        } else release();
      }
    };
  }, [visitId, user.id, adopt, refreshDiff]);

  const saveNow = useCallback((): Promise<void> => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    chain.current = chain.current.then(async () => {
      const token = tokenRef.current ?? lostToken.current;
      const changed = Object.entries(textsRef.current).filter(([id, t]) => saved.current[id] !== t);
      if (!token || changed.length === 0) return;
      if (!tokenRef.current) lostToken.current = null; // one attempt: the core keeps it as a version and says so
      setSave({ kind: 'saving' });
      try {
        const result = await callScribe('queue.save', {
          visitId,
          lockToken: token,
          baseVersion: baseVersion.current,
          sections: changed.map(([id, text]) => ({ id, text })),
        });
        baseVersion.current = result.draft.version;
        for (const [id, text] of changed) saved.current[id] = text;
        setItem(result.item);
        const stillDirty = Object.entries(textsRef.current).some(([id, t]) => saved.current[id] !== t);
        setSave({ kind: stillDirty ? 'pending' : 'saved' });
        refreshDiff();
      } catch (e) {
        const details =
          e instanceof ApiError ? (e.details as { current?: { sections: { id: string; text: string }[] } } | undefined) : undefined;
        const currentText = details?.current ? Object.fromEntries(details.current.sections.map((s) => [s.id, s.text])) : null;
        setSave({ kind: 'refused', message: errorText(e), currentText });
      }
    });
    return chain.current;
  }, [visitId, refreshDiff]);

  function change(sectionId: string, text: string, el: HTMLTextAreaElement) {
    setTexts((prev) => ({ ...prev, [sectionId]: text }));
    textsRef.current = { ...textsRef.current, [sectionId]: text };
    caret.current = { sectionId, offset: el.selectionStart };
    setSave({ kind: 'pending' });
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveNow(), SAVE_DELAY_MS);
  }

  async function act(work: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  function evidenceUnderCursor(): string[] {
    const at = caret.current;
    if (!at) return [];
    const list = sentences.current[at.sectionId] ?? [];
    const section = { id: at.sectionId, title: '', text: textsRef.current[at.sectionId] ?? '', sentences: list, edited: false };
    return sentenceAt(section, at.offset);
  }

  function onKeyDown(e: React.KeyboardEvent) {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    const p = player.current;
    if (!p) return;
    if (key === 'p') p.togglePlay();
    else if (key === 'b') p.skipBack(5);
    else if (key === 's') p.slowDown();
    else if (key === 'e') {
      if (!p.playEvidence(evidenceUnderCursor())) setError('No transcript evidence for the sentence under the cursor.');
    } else return;
    e.preventDefault();
  }

  if (error && !opened)
    return (
      <section>
        <button className="link" onClick={onBack}>
          ← Queue
        </button>
        <p className="error" role="alert">
          {error}
        </p>
      </section>
    );
  if (!opened || !item)
    return (
      <section>
        <p>Opening note…</p>
      </section>
    );

  const signed = item.status === 'signed' || visit?.status === 'signed';
  const editable = !!lockToken && !signed;
  const isClinician = user.role === 'clinician';
  const canTakeOver = !signed && !lockToken && !!item.lock && (isClinician || item.lock.id === user.id);
  const draft = opened.draft;

  return (
    <section className="queue-note" data-testid="queue-note" data-status={item.status} onKeyDown={onKeyDown}>
      <div className="visit-head">
        <button className="link" onClick={onBack}>
          ← Queue
        </button>
        <h1 ref={heading} tabIndex={-1}>
          {item.patientName}
        </h1>
        <span className="muted">
          {item.visitTypeText ?? item.visitType} · {sinceLabel(item.visitDate)}
        </span>
        <span className={`status qstatus-${signed ? 'signed' : item.status}`} data-testid="queue-note-status">
          {statusLabel(signed ? 'signed' : item.status)}
        </span>
      </div>

      {item.lock && !lockToken && !signed && (
        <div className="lock-banner" role="status" data-testid="lock-banner" data-holder={item.lock.id}>
          <strong>Locked.</strong> {personLabel(item.lock)} has been editing since {sinceLabel(item.lock.since)}. This window is read-only;
          nothing you see here will overwrite their work.
          {canTakeOver && (
            <button
              type="button"
              data-testid="take-over"
              disabled={busy}
              onClick={() => act(async () => adopt(await callScribe('queue.takeOver', { visitId })))}
            >
              Take over editing
            </button>
          )}
        </div>
      )}
      {lostLock && (
        <p className="error" role="alert" data-testid="lost-lock">
          {lostLock} Your unsaved text is still shown below; a save from here is kept as a separate version.
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="queue-error">
          {error}
        </p>
      )}
      {save.kind === 'refused' && (
        <div className="error" role="alert" data-testid="queue-conflict">
          Not saved: {save.message}
          {save.currentText && (
            <button type="button" onClick={() => act(async () => adopt(await callScribe('queue.open', { visitId })))}>
              Load the current text
            </button>
          )}
        </div>
      )}

      <div className="workspace">
        <div className="note-editor" ref={editorRoot}>
          <div className="editor-head">
            <h2>Note</h2>
            <span className="muted" data-testid="queue-save-state">
              {save.kind === 'pending' || save.kind === 'saving' ? 'Saving…' : save.kind === 'saved' ? 'All changes saved' : ''}
            </span>
            <span className="muted">
              {item.versionCount} {item.versionCount === 1 ? 'version' : 'versions'} kept
              {item.conflictCount ? ` · ${item.conflictCount} refused saves kept` : ''}
            </span>
          </div>
          {draft.sections.map((section) => (
            <SectionField
              key={section.id}
              id={`queue-section-${section.id}`}
              title={section.title}
              text={texts[section.id] ?? ''}
              data-testid={`queue-section-${section.id}`}
              readOnly={!editable}
              placeholder={editable ? 'Nothing drafted for this section. Type here.' : 'Nothing in this section.'}
              onChange={(e) => change(section.id, e.target.value, e.currentTarget)}
              onBlur={() => void saveNow()}
              onSelect={(e) => (caret.current = { sectionId: section.id, offset: e.currentTarget.selectionStart })}
              onClick={(e) => (caret.current = { sectionId: section.id, offset: e.currentTarget.selectionStart })}
            />
          ))}
          <p className="muted shortcuts">{PLAYER_SHORTCUTS.map((s) => `${s.keys}: ${s.what}`).join(' · ')}</p>
          <div className="actions">
            {editable && (
              <button type="button" data-testid="queue-save" disabled={busy} onClick={() => void saveNow()}>
                Save now
              </button>
            )}
            {user.role === 'scribe' && editable && item.status !== 'ready_for_signature' && (
              <button
                type="button"
                className="primary"
                data-testid="mark-ready"
                disabled={busy}
                onClick={() =>
                  act(async () => {
                    await saveNow();
                    if (Object.entries(textsRef.current).some(([id, t]) => saved.current[id] !== t))
                      throw new Error('Save your changes before handing the note over');
                    handingOver.current = true;
                    try {
                      const next = await callScribe('queue.markReady', { visitId, lockToken: tokenRef.current! });
                      tokenRef.current = null;
                      setItem(next);
                      setLockToken(null);
                      announce('Handed over: the note is ready for signature.');
                    } finally {
                      handingOver.current = false;
                    }
                    refreshDiff();
                  })
                }
              >
                Ready for signature
              </button>
            )}
            {user.role === 'scribe' && <span className="muted">Only the clinician can sign this note.</span>}
            {isClinician && !signed && (
              <button
                type="button"
                className="primary"
                data-testid="queue-sign"
                disabled={busy || (!!item.lock && !lockToken)}
                title={item.lock && !lockToken ? 'Someone is editing: take over first' : 'Sign and send to the EHR'}
                onClick={() =>
                  act(async () => {
                    if (lockToken) await saveNow();
                    review.open();
                  })
                }
              >
                Sign and send to the EHR
              </button>
            )}
          </div>
          {visit?.post && (
            <p
              className={`post post-${visit.post.status}`}
              data-testid="queue-post-status"
              data-status={visit.post.status}
              data-server-id={visit.post.serverId ?? ''}
              data-version-id={visit.post.versionId ?? ''}
              role={visit.post.status === 'failed' ? 'alert' : undefined}
            >
              {visit.post.status === 'posted' &&
                `Posted to the EHR as DocumentReference/${visit.post.serverId} (version ${visit.post.versionId}).`}
              {(visit.post.status === 'queued' || visit.post.status === 'sending') && 'Signed. Sending to the EHR…'}
              {visit.post.status === 'failed' && `The EHR refused the note: ${visit.post.error ?? 'no reason given'}`}
            </p>
          )}
        </div>
        <div className="side">
          {visit && <AudioTranscript ref={player} visit={visit} />}
          <ChartPanel visitId={visitId} onChart={review.onChart} />
        </div>
      </div>
      {visit?.draft && <CodingPanel visit={visit} canDecide={isClinician && !signed} onHints={review.onHints} onAnnounce={announce} />}
      {review.reviewing && (
        <SignReview
          {...review.dialog(
            {
              ...draft,
              sections: draft.sections.map((s) => ({
                ...s,
                text: texts[s.id] ?? s.text,
                edited: s.edited || (texts[s.id] ?? s.text) !== s.text,
              })),
            },
            draft.sections.filter((s) => (texts[s.id] ?? '').length > SECTION_MAX_CHARS).map((s) => s.title),
            busy,
            (signedVisit) => {
              setVisit(signedVisit);
              setItem((it) => (it ? { ...it, status: 'signed', lock: null } : it));
              announce('Signed. Sending the note to the EHR.');
            },
          )}
        />
      )}
      {region}
      {diff && <DiffView diff={diff} />}
    </section>
  );
}
