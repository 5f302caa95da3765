import { useEffect, useRef, useState } from 'react';
import type { ChartCitation, EhrInfo, User, Visit } from '../../../app/contract/index.ts';
import { callScribe, errorText, onEventsResumed, onScribe } from '../bridge.ts';
import { CodingPanel } from '../coding/coding-panel.tsx';
import { EvidenceBar } from '../draft/evidence-bar.tsx';
import { SignReviewDialog, unreviewedFlagged } from '../draft/flagged-sentences.tsx';
import { AssignToScribe } from '../queue/assign-to-scribe.tsx';
import { NoteEditor } from './note-editor.tsx';
import { Recorder } from './recorder.ts';
import { ChartPanel } from '../note/chart-panel.tsx';
import { TemplatePicker } from './template-picker.tsx';
import { TranscriptPane } from './transcript-pane.tsx';
import { useVisitState } from '../visit-state.ts';
import { SignReview } from '../note/sign-review.tsx';
import { ReadView } from './read-view.tsx';
import { useSignReview } from '../note/use-sign-review.ts';
import { useScreenTitle } from '../shell/use-screen-title.ts';
import { processingLine, type Processing } from '../shell/practice-servers.ts';
import { useStatusAnnouncer } from '../shell/status-region.tsx';
import { LearnFromNote } from '../style/learn-from-note.tsx';
import { DraftingPreview, useStreamedSections } from './drafting-preview.tsx';

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Before signing: how the note will reach this EHR, and what the EHR will not receive (decision 0150). */
function WritePlanNotice({ ehr }: { ehr: EhrInfo }) {
  const plan = ehr.writePlan;
  if (!plan) return null;
  const name = ehr.mode === 'sandbox' ? 'The sandbox EHR' : ehr.label;
  return (
    <div className={`write-plan write-plan-${plan.mode}`} data-testid="write-plan" data-mode={plan.mode} role="note">
      <strong>{plan.mode === 'full' ? 'Full write-back:' : plan.mode === 'direct' ? 'Direct write-back:' : 'Note only:'}</strong>{' '}
      {plan.summary}
      {plan.notSent.length > 0 && (
        <>
          {' '}
          {name} will not receive:
          <ul>
            {plan.notSent.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function VisitScreen({ visitId, user, ehr, onBack }: { visitId: string; user: User; ehr?: EhrInfo; onBack: () => void }) {
  const [visit, setVisit] = useVisitState();
  const [finals, setFinals] = useState<string[]>([]);
  const [partial, setPartial] = useState('');
  const [transcriptNotice, setTranscriptNotice] = useState<string | null>(null);
  const [level, setLevel] = useState(0);
  const [savedSeconds, setSavedSeconds] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [highlight, setHighlight] = useState<ReadonlySet<string>>(new Set());
  const [chartFacts, setChartFacts] = useState<readonly ChartCitation[]>([]);
  const [deciding, setDeciding] = useState(false);
  const recorder = useRef<Recorder | null>(null);
  const startedMic = useRef(false);
  const review = useSignReview(visitId);
  const [overLimit, setOverLimit] = useState<string[]>([]);
  const [reading, setReading] = useState(false);
  const [muteTurns, setMuteTurns] = useState(false);
  const [lastTurn, setLastTurn] = useState('');
  const live = useRef<HTMLDivElement | null>(null);
  const followLive = useRef(true);
  const postLine = useRef<HTMLParagraphElement | null>(null);
  const heading = useScreenTitle(visit ? `${visit.patientName} — ${visit.status === 'draft' ? 'note' : 'visit'}` : 'Visit', !!visit);
  const { announce, region } = useStatusAnnouncer();
  // A language model's sections as it finishes them (first draft or redraft), until the whole draft is saved.
  const [redrafting, setRedrafting] = useState(false);
  const [redrafts, setRedrafts] = useState(0);
  const [modelDrafts, setModelDrafts] = useState(false);
  /** Where this visit's recognition and drafting run, as the core reports it (null unknown). */
  const [processing, setProcessing] = useState<Processing | null>(null);
  const [stopping, setStopping] = useState(false);
  const streamed = useStreamedSections(
    visitId,
    `${visit?.status}:${visit?.draft?.version ?? 0}:${visit?.draft?.generatedAt ?? ''}:${redrafts}`,
  );
  useEffect(() => {
    callScribe('settings.get', {}).then(
      (s) => {
        setModelDrafts(s.drafting.engine !== 'builtin');
        setProcessing(s.processing);
      },
      () => undefined,
    );
  }, []);

  useEffect(() => {
    let alive = true;
    callScribe('visit.get', { visitId }).then(
      (v) => alive && setVisit(v),
      (e: unknown) => setError(errorText(e)),
    );
    const offVisit = onScribe('visit.updated', (v) => {
      if (v.id === visitId) setVisit(v);
    });
    const offPartial = onScribe('transcript.partial', (p) => {
      if (p.visitId !== visitId) return;
      if (p.segment) {
        const text = p.segment.text;
        setFinals((prev) => [...prev, text]);
        setLastTurn(text);
        setPartial('');
      } else {
        setPartial(p.text);
      }
    });
    const offNotice = onScribe('transcript.notice', (p) => {
      if (p.visitId === visitId) setTranscriptNotice(p.message);
    });
    // The post status and the draft arrive as visit.updated events: no polling.
    const offResumed = onEventsResumed(
      () =>
        void callScribe('visit.get', { visitId }).then(
          (v) => alive && setVisit(v),
          () => undefined,
        ),
    );
    return () => {
      alive = false;
      offVisit();
      offPartial();
      offNotice();
      offResumed();
    };
  }, [visitId]);

  // The live transcript follows new speech, unless the clinician scrolled up to read something.
  // Following stops when the box is no longer where it was last put (the clinician moved it up), and starts
  // again once they scroll back to the end.
  const lastAutoScroll = useRef(0);
  useEffect(() => {
    const box = live.current;
    if (!box) return;
    const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 24;
    if (box.scrollTop < lastAutoScroll.current - 4 && !atEnd) followLive.current = false;
    else if (atEnd) followLive.current = true;
    if (!followLive.current) return;
    box.scrollTop = box.scrollHeight;
    lastAutoScroll.current = box.scrollTop;
  }, [finals, partial]);

  // One status region says what changed: recording, paused, drafting, draft ready, posted.
  const status = visit?.status;
  const postStatus = visit?.post?.status;
  useEffect(() => {
    if (status === 'recording') announce('Recording.');
    else if (status === 'paused') announce('Recording paused.');
    else if (status === 'processing') announce('Drafting the note.');
    else if (status === 'draft') announce('The note is ready to review.');
    else if (status === 'failed') announce('The note could not be made. The recording is kept; you can retry.');
  }, [status, announce]);
  useEffect(() => {
    if (postStatus === 'posted') {
      announce('The note was posted to the EHR.');
    } else if (postStatus === 'queued' || postStatus === 'sending') announce('Signed. Sending the note to the EHR.');
  }, [postStatus, announce]);
  // Posted: focus goes to the post line, once the Sign review has closed (the note can be posted, and its
  // event arrive, while the review is still open and everything behind it inert).
  useEffect(() => {
    if (postStatus === 'posted' && !review.reviewing) postLine.current?.focus();
  }, [postStatus, review.reviewing]);
  // Stop → draft: the recorder bar is gone; focus goes back to the screen's heading.
  const wasRecording = useRef(false);
  useEffect(() => {
    const now = status === 'recording' || status === 'paused';
    if (wasRecording.current && !now) heading.current?.focus();
    wasRecording.current = now;
  }, [status, heading]);

  // Start the microphone once for a visit that is recording and was started here.
  useEffect(() => {
    if (!visit || visit.status !== 'recording' || startedMic.current) return;
    startedMic.current = true;
    Recorder.start(visitId, setLevel, setError, setSavedSeconds).then(
      (r) => (recorder.current = r),
      (e: unknown) => setError(`The microphone could not be opened: ${errorText(e)}`),
    );
  }, [visit, visitId]);

  useEffect(() => () => void recorder.current?.stop().catch(() => undefined), []);

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

  if (!visit)
    return (
      <section>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p>Loading visit…</p>
        )}
      </section>
    );

  async function stopDrafting() {
    setStopping(true);
    try {
      const { stopped } = await callScribe('draft.stop', { visitId });
      if (!stopped) setError('Nothing is being drafted by a language model for this visit now.');
      else announce('Drafting stopped. The built-in draft follows.');
    } catch (e) {
      setError(`Could not stop drafting: ${errorText(e)}`);
    } finally {
      setStopping(false);
    }
  }

  const wrongPatient = visit.status === 'draft' ? review.wrongPatient() : null;
  // Whoever may redraft this visit may stop its drafting (the core checks it again).
  const mayStop = user.role === 'scribe' || (user.role === 'clinician' && user.id === visit.clinicianId);
  const previewing =
    (visit.status === 'processing' && visit.consent !== 'declined' && (modelDrafts || streamed.length > 0)) ||
    (redrafting && streamed.length > 0);
  const preview = <DraftingPreview sections={streamed} stopping={stopping} {...(mayStop ? { onStop: () => void stopDrafting() } : {})} />;
  const recording = visit.status === 'recording' || visit.status === 'paused';
  return (
    <section className="visit" data-testid="visit" data-status={visit.status}>
      <div className="visit-head">
        <button className="link" onClick={onBack}>
          ← Today
        </button>
        <h1 ref={heading} tabIndex={-1}>
          {visit.patientName}
        </h1>
        <span className="muted" data-testid="visit-type" title={visit.visitType}>
          {visit.visitTypeText ?? visit.visitType}
        </span>
        <span className={`status status-${visit.status}`} data-testid="visit-status">
          {visit.status}
        </span>
        <span className="spacer" />
        {user.role === 'clinician' && !recording && visit.status !== 'processing' && (
          <button
            className="link danger-link"
            data-testid="delete-visit"
            onClick={() => {
              const posted = visit.post?.status === 'posted' ? ' The note already posted stays in the EHR.' : '';
              if (
                !window.confirm(
                  `Delete this visit from this computer? Its audio, transcript and draft are destroyed and cannot be recovered.${posted}`,
                )
              )
                return;
              void act(async () => {
                await callScribe('visit.delete', { visitId, confirm: true });
                onBack();
              });
            }}
          >
            Delete this visit
          </button>
        )}
      </div>
      {error && (
        <p className="error" role="alert" data-testid="visit-error">
          {error}
        </p>
      )}
      {visit.error && (
        <p className="error" role="alert" data-testid="visit-failure">
          {visit.error}
        </p>
      )}
      {visit.status === 'failed' && user.role === 'clinician' && (
        <div className="sign-bar">
          <button
            className="primary"
            data-testid="retry"
            disabled={busy}
            onClick={() => act(async () => setVisit(await callScribe('visit.retry', { visitId })))}
          >
            Retry: recognize and draft the recording again
          </button>
        </div>
      )}

      {recording && (
        <div className="recorder" data-testid="recorder">
          <div
            className="meter"
            role="meter"
            aria-label="Microphone level"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(Math.min(100, level * 400))}
          >
            <div style={{ width: `${Math.min(100, level * 400)}%` }} />
          </div>
          <span className="elapsed" data-testid="audio-seconds" data-seconds={Math.max(savedSeconds, visit.audioSeconds)}>
            {visit.status === 'paused' ? 'Paused' : 'Recording'} · {clock(Math.max(savedSeconds, visit.audioSeconds))}
          </span>
          {/* One button that changes its words, so focus stays on it across Pause and Resume. */}
          <button
            key="pause-resume"
            data-testid="pause-resume"
            aria-disabled={busy}
            onClick={() =>
              !busy &&
              act(async () => {
                if (visit.status === 'recording') {
                  await recorder.current?.pause();
                  setVisit(await callScribe('visit.pause', { visitId }));
                } else {
                  setVisit(await callScribe('visit.resume', { visitId }));
                  await recorder.current?.resume();
                }
              })
            }
          >
            {visit.status === 'recording' ? 'Pause' : 'Resume'}
          </button>
          <button
            className="danger"
            disabled={busy}
            data-testid="stop"
            onClick={() =>
              act(async () => {
                const r = recorder.current;
                recorder.current = null;
                await r?.stop();
                setVisit(await callScribe('visit.stop', { visitId }));
              })
            }
          >
            Stop
          </button>
        </div>
      )}
      {recording && (
        <>
          <div
            className="live"
            data-testid="live-transcript"
            ref={live}
            tabIndex={0}
            aria-label="Live transcript"
            // Scrolling up is the clinician's wish at once, before the scroll event that follows it.
            onWheel={(e) => {
              if (e.deltaY < 0) followLive.current = false;
            }}
            onKeyDown={(e) => {
              if (e.key === 'ArrowUp' || e.key === 'PageUp' || e.key === 'Home') followLive.current = false;
            }}
          >
            {finals.map((t, i) => (
              <p key={i} className="final">
                {t}
              </p>
            ))}
            {partial && (
              <p className="partial" data-testid="live-partial" aria-hidden="true">
                {partial}
              </p>
            )}
            {!finals.length && !partial && <p className="muted">Listening…</p>}
          </div>
          {transcriptNotice && (
            <p className="transcript-notice" role="status" data-testid="transcript-notice">
              {transcriptNotice}
            </p>
          )}
          {/* Finished turns only, never the half-second rewrites of unfinished speech; can be muted. */}
          <p className="visually-hidden" aria-live="polite" data-testid="turn-announcer">
            {muteTurns ? '' : lastTurn}
          </p>
          <label className="status-region-mute">
            <input type="checkbox" data-testid="mute-transcript" checked={muteTurns} onChange={(e) => setMuteTurns(e.target.checked)} /> Do
            not read out the transcript
          </label>
        </>
      )}
      {visit.status === 'processing' && (
        <p className="processing" data-testid="processing">
          {processingLine(processing)}
        </p>
      )}
      {visit.status === 'processing' && previewing && <div className="workspace">{preview}</div>}

      {(visit.status === 'draft' || visit.status === 'signed') && <VisitNotices visit={visit} />}
      {visit.status === 'draft' && visit.draft && (
        <div className="draft-tools">
          <TemplatePicker
            visit={visit}
            onVisit={setVisit}
            onError={setError}
            onBusy={(busy) => {
              setRedrafting(busy);
              // Sections of a redraft that ended (saved, stopped or failed) are not shown again.
              if (!busy) setRedrafts((n) => n + 1);
            }}
          />
          <span className="muted">
            Edited sections are kept when you redraft. In the transcript, choose who spoke each turn (or focus a turn and press c, p or o).
          </span>
        </div>
      )}
      {wrongPatient && (
        <p className="wrong-patient" role="alert" data-testid="wrong-patient">
          {wrongPatient}
        </p>
      )}
      {(visit.status === 'draft' || visit.status === 'signed') && visit.draft && (
        <div className="view-switch">
          <button type="button" data-testid="read-view-toggle" aria-pressed={reading} onClick={() => setReading((r) => !r)}>
            {reading ? 'Back to the sections' : 'Read the whole note as it will be posted'}
          </button>
        </div>
      )}
      {reading && visit.draft && <ReadView visitId={visit.id} version={visit.draft.version} decisions={review.decisions.length} />}
      {(visit.status === 'draft' || visit.status === 'signed') && visit.draft && (
        <div className="workspace" hidden={reading}>
          {visit.status === 'draft' && previewing && preview}
          <div className="editor-slot" hidden={visit.status === 'draft' && previewing}>
            <NoteEditor
              visit={visit}
              readOnly={visit.status !== 'draft'}
              dictation={user.role === 'clinician' && user.id === visit.clinicianId}
              onDraft={(draft) => setVisit((v) => (v ? { ...v, draft } : v))}
              onEvidence={(ids, chart) => {
                setHighlight(ids);
                setChartFacts(chart);
              }}
              onError={setError}
              onOverLimit={setOverLimit}
              onSaved={() => announce('Saved.')}
            />
          </div>
          <div className="evidence-column">
            <EvidenceBar visit={visit} evidence={highlight} chart={chartFacts} />
            <div className="side">
              <ChartPanel visitId={visit.id} onChart={review.onChart} />
              <TranscriptPane visit={visit} highlight={highlight} onVisit={setVisit} />
            </div>
          </div>
        </div>
      )}
      {(visit.status === 'draft' || visit.status === 'signed') && visit.draft && (
        <CodingPanel
          visit={visit}
          canDecide={visit.status === 'draft' && user.role === 'clinician'}
          onHints={review.onHints}
          onAnnounce={announce}
        />
      )}

      {visit.status === 'draft' && user.role === 'clinician' && ehr && <WritePlanNotice ehr={ehr} />}
      {visit.status === 'draft' && (
        <div className="sign-bar">
          {user.role === 'clinician' && <AssignToScribe visitId={visitId} />}
          {user.role === 'clinician' ? (
            <button
              className="primary"
              data-testid="sign"
              // Not while a redraft is being written: the note to sign is the one the clinician has seen.
              disabled={busy || redrafting}
              onClick={() => {
                (document.activeElement as HTMLElement | null)?.blur(); // saves the section being typed in
                // Sentences a language model wrote that its cited turns do not support are decided first.
                if (visit.draft && unreviewedFlagged(visit.draft).length > 0) setDeciding(true);
                else review.open();
              }}
            >
              Sign and send to the EHR
            </button>
          ) : (
            <span className="muted">Only the clinician can sign this note.</span>
          )}
        </div>
      )}
      {deciding && visit.status === 'draft' && visit.draft && (
        <SignReviewDialog
          visit={visit}
          onDraft={(draft) => setVisit((v) => (v ? { ...v, draft } : v))}
          onError={setError}
          onClose={() => setDeciding(false)}
          onSign={() => {
            setDeciding(false);
            review.open();
          }}
        />
      )}
      {review.reviewing && visit.draft && <SignReview {...review.dialog(visit.draft, overLimit, busy, setVisit)} />}
      {visit.post && <PostStatusLine visit={visit} lineRef={postLine} />}
      {region}
      {visit.status === 'signed' && user.role === 'clinician' && user.id === visit.clinicianId && <LearnFromNote visitId={visit.id} />}
      {visit.amendment && (
        <p className="muted" data-testid="amending">
          Amending the posted note (DocumentReference/{visit.amendment.documentReferenceId}): signing posts a new version that replaces it.
        </p>
      )}
      {visit.status === 'signed' && visit.post?.status === 'posted' && user.role === 'clinician' && (
        <div className="sign-bar">
          <button
            data-testid="amend"
            disabled={busy}
            onClick={() => act(async () => setVisit(await callScribe('visit.amend', { visitId })))}
          >
            Amend this note
          </button>
        </div>
      )}
    </section>
  );
}

/** What went differently on the way to this draft, in words: recognition that fell back, a chart that could not be read. */
function VisitNotices({ visit }: { visit: Visit }) {
  const notices = [
    ...(visit.transcript?.fallback ? [`Speech recognition: ${visit.transcript.fallback}.`] : []),
    ...(visit.notices ?? []).map((n) => `${n}.`),
  ];
  if (!notices.length) return null;
  return (
    <div className="visit-notices" role="note" data-testid="visit-notices">
      {notices.map((n) => (
        <p key={n}>{n}</p>
      ))}
    </div>
  );
}

function PostStatusLine({ visit, lineRef }: { visit: Visit; lineRef?: React.Ref<HTMLParagraphElement> }) {
  const post = visit.post!;
  return (
    <p
      ref={lineRef}
      tabIndex={-1}
      role={post.status === 'failed' ? 'alert' : undefined}
      className={`post post-${post.status}`}
      data-testid="post-status"
      data-status={post.status}
      data-server-id={post.serverId ?? ''}
      data-version-id={post.versionId ?? ''}
    >
      {post.status === 'posted' && (
        <>
          Posted to the EHR as DocumentReference/{post.serverId} (version {post.versionId}).
        </>
      )}
      {post.status === 'queued' && <>Signed. Waiting to send to the EHR{post.attempts ? ` (attempt ${post.attempts + 1})` : ''}…</>}
      {post.status === 'sending' && <>Sending to the EHR…</>}
      {post.status === 'failed' && <>The EHR refused the note: {post.error}</>}
      {post.status !== 'posted' && post.status !== 'failed' && post.error && <small> Last error: {post.error}</small>}
    </p>
  );
}
