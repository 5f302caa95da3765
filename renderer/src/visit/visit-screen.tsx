import { useEffect, useRef, useState } from 'react';
import type { EhrInfo, User, Visit } from '../../../app/contract/index.ts';
import { callScribe, errorText, onEventsResumed, onScribe } from '../bridge.ts';
import { CodingPanel } from '../coding/coding-panel.tsx';
import { EvidenceBar } from '../draft/evidence-bar.tsx';
import { AssignToScribe } from '../queue/assign-to-scribe.tsx';
import { NoteEditor } from './note-editor.tsx';
import { Recorder } from './recorder.ts';
import { ChartPanel } from './chart-panel.tsx';
import { TemplatePicker } from './template-picker.tsx';
import { TranscriptPane } from './transcript-pane.tsx';
import { useVisitState } from '../visit-state.ts';
import { LearnFromNote } from '../style/learn-from-note.tsx';

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
          {' '}{name} will not receive:
          <ul>{plan.notSent.map((n) => <li key={n}>{n}</li>)}</ul>
        </>
      )}
    </div>
  );
}

export function VisitScreen({ visitId, user, ehr, onBack }: { visitId: string; user: User; ehr?: EhrInfo; onBack: () => void }) {
  const [visit, setVisit] = useVisitState();
  const [finals, setFinals] = useState<string[]>([]);
  const [partial, setPartial] = useState('');
  const [level, setLevel] = useState(0);
  const [savedSeconds, setSavedSeconds] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [highlight, setHighlight] = useState<ReadonlySet<string>>(new Set());
  const recorder = useRef<Recorder | null>(null);
  const startedMic = useRef(false);

  useEffect(() => {
    let alive = true;
    callScribe('visit.get', { visitId }).then((v) => alive && setVisit(v), (e: unknown) => setError(errorText(e)));
    const offVisit = onScribe('visit.updated', (v) => {
      if (v.id === visitId) setVisit(v);
    });
    const offPartial = onScribe('transcript.partial', (p) => {
      if (p.visitId !== visitId) return;
      if (p.segment) {
        const text = p.segment.text;
        setFinals((prev) => [...prev, text]);
        setPartial('');
      } else {
        setPartial(p.text);
      }
    });
    // The post status and the draft arrive as visit.updated events: no polling.
    const offResumed = onEventsResumed(() => void callScribe('visit.get', { visitId }).then((v) => alive && setVisit(v), () => undefined));
    return () => {
      alive = false;
      offVisit();
      offPartial();
      offResumed();
    };
  }, [visitId]);

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

  if (!visit) return <section>{error ? <p className="error" role="alert">{error}</p> : <p>Loading visit…</p>}</section>;

  const recording = visit.status === 'recording' || visit.status === 'paused';
  return (
    <section className="visit" data-testid="visit" data-status={visit.status}>
      <div className="visit-head">
        <button className="link" onClick={onBack}>← Today</button>
        <h1>{visit.patientName}</h1>
        <span className="muted">{visit.visitType}</span>
        <span className={`status status-${visit.status}`} data-testid="visit-status">{visit.status}</span>
        <span className="spacer" />
        {user.role === 'clinician' && !recording && visit.status !== 'processing' && (
          <button
            className="link danger-link"
            data-testid="delete-visit"
            onClick={() => {
              const posted = visit.post?.status === 'posted' ? ' The note already posted stays in the EHR.' : '';
              if (!window.confirm(`Delete this visit from this computer? Its audio, transcript and draft are destroyed and cannot be recovered.${posted}`)) return;
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
      {error && <p className="error" role="alert" data-testid="visit-error">{error}</p>}
      {visit.error && <p className="error" role="alert">{visit.error}</p>}

      {recording && (
        <div className="recorder" data-testid="recorder">
          <div className="meter" aria-label="Microphone level"><div style={{ width: `${Math.min(100, level * 400)}%` }} /></div>
          <span className="elapsed" data-testid="audio-seconds" data-seconds={Math.max(savedSeconds, visit.audioSeconds)}>
            {visit.status === 'paused' ? 'Paused' : 'Recording'} · {clock(Math.max(savedSeconds, visit.audioSeconds))}
          </span>
          {visit.status === 'recording' ? (
            <button disabled={busy} onClick={() => act(async () => { await recorder.current?.pause(); setVisit(await callScribe('visit.pause', { visitId })); })}>Pause</button>
          ) : (
            <button disabled={busy} onClick={() => act(async () => { setVisit(await callScribe('visit.resume', { visitId })); await recorder.current?.resume(); })}>Resume</button>
          )}
          <button
            className="danger"
            disabled={busy}
            data-testid="stop"
            onClick={() => act(async () => {
              const r = recorder.current;
              recorder.current = null;
              await r?.stop();
              setVisit(await callScribe('visit.stop', { visitId }));
            })}
          >
            Stop
          </button>
        </div>
      )}
      {recording && (
        <div className="live" data-testid="live-transcript" aria-live="polite">
          {finals.map((t, i) => <p key={i} className="final">{t}</p>)}
          {partial && <p className="partial" data-testid="live-partial">{partial}</p>}
          {!finals.length && !partial && <p className="muted">Listening…</p>}
        </div>
      )}
      {visit.status === 'processing' && <p className="processing" data-testid="processing">Transcribing and drafting on this computer…</p>}

      {visit.status === 'draft' && visit.draft && (
        <div className="draft-tools">
          <TemplatePicker visit={visit} onVisit={setVisit} onError={setError} />
          <span className="muted">Edited sections are kept when you redraft. In the transcript, focus a turn and press c, p or o to say who spoke.</span>
        </div>
      )}
      {(visit.status === 'draft' || visit.status === 'signed') && visit.draft && (
        <div className="workspace">
          <NoteEditor
            visit={visit}
            readOnly={visit.status !== 'draft'}
            dictation={user.role === 'clinician' && user.id === visit.clinicianId}
            onDraft={(draft) => setVisit((v) => (v ? { ...v, draft } : v))}
            onEvidence={setHighlight}
            onError={setError}
          />
          <div className="evidence-column">
            <EvidenceBar visit={visit} evidence={highlight} />
            <div className="side">
            <ChartPanel visitId={visit.id} />
            <TranscriptPane visit={visit} highlight={highlight} onVisit={setVisit} />
          </div>
          </div>
        </div>
      )}
      {(visit.status === 'draft' || visit.status === 'signed') && visit.draft && (
        <CodingPanel visit={visit} canDecide={visit.status === 'draft' && user.role === 'clinician'} />
      )}

      {visit.status === 'draft' && user.role === 'clinician' && ehr && <WritePlanNotice ehr={ehr} />}
      {visit.status === 'draft' && (
        <div className="sign-bar">
          {user.role === 'clinician' && <AssignToScribe visitId={visitId} />}
          {user.role === 'clinician' ? (
            <button className="primary" data-testid="sign" disabled={busy} onClick={() => act(async () => setVisit(await callScribe('visit.sign', { visitId })))}>
              Sign and send to the EHR
            </button>
          ) : (
            <span className="muted">Only the clinician can sign this note.</span>
          )}
        </div>
      )}
      {visit.post && <PostStatusLine visit={visit} />}
      {visit.status === 'signed' && user.role === 'clinician' && user.id === visit.clinicianId && <LearnFromNote visitId={visit.id} />}
      {visit.amendment && (
        <p className="muted" data-testid="amending">Amending the posted note (DocumentReference/{visit.amendment.documentReferenceId}): signing posts a new version that replaces it.</p>
      )}
      {visit.status === 'signed' && visit.post?.status === 'posted' && user.role === 'clinician' && (
        <div className="sign-bar">
          <button data-testid="amend" disabled={busy} onClick={() => act(async () => setVisit(await callScribe('visit.amend', { visitId })))}>
            Amend this note
          </button>
        </div>
      )}
    </section>
  );
}

function PostStatusLine({ visit }: { visit: Visit }) {
  const post = visit.post!;
  return (
    <p className={`post post-${post.status}`} data-testid="post-status" data-status={post.status} data-server-id={post.serverId ?? ''} data-version-id={post.versionId ?? ''}>
      {post.status === 'posted' && <>Posted to the EHR as DocumentReference/{post.serverId} (version {post.versionId}).</>}
      {post.status === 'queued' && <>Signed. Waiting to send to the EHR{post.attempts ? ` (attempt ${post.attempts + 1})` : ''}…</>}
      {post.status === 'sending' && <>Sending to the EHR…</>}
      {post.status === 'failed' && <>The EHR refused the note: {post.error}</>}
      {post.status !== 'posted' && post.status !== 'failed' && post.error && <small> Last error: {post.error}</small>}
    </p>
  );
}
