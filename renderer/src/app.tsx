import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import type { Session } from '../../app/contract/index.ts';
import { callScribe, errorText, holdEvents, onScribe } from './bridge.ts';
import { Header } from './shell/header.tsx';
import { LockControls, LockScreen, useLockStatus } from './shell/lock-screen.tsx';
import { Schedule } from './schedule/schedule.tsx';
import { VisitScreen } from './visit/visit-screen.tsx';
import { QueueNote } from './queue/queue-note.tsx';
import { QueueScreen } from './queue/queue-screen.tsx';
import { SettingsScreen } from './settings/settings-screen.tsx';
import { StylePage } from './style/style-page.tsx';

// Loaded on demand: the charts library stays out of the clinician's start-up bundle.
const MetricsHome = lazy(() => import('./metrics/metrics-home.tsx').then((m) => ({ default: m.MetricsHome })));

export type View =
  | { name: 'schedule' }
  | { name: 'visit'; visitId: string }
  | { name: 'queue' }
  | { name: 'queue-note'; visitId: string }
  | { name: 'settings' }
  | { name: 'style' };

/** Where each role starts: scribes work from their queue. */
const homeOf = (s: Session | null): View => (s?.user?.role === 'scribe' ? { name: 'queue' } : { name: 'schedule' });

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [view, setView] = useState<View>({ name: 'schedule' });
  const [error, setError] = useState<string | null>(null);
  const [lock, setLock] = useLockStatus();
  /** Who is acting now: a session announced again for the same person does not send the app home. */
  const actingId = useRef<string | null>(null);

  const refreshSession = useCallback(() => {
    callScribe('session.get', {}).then(
      (s) => {
        setSession(s);
        actingId.current = s.user?.id ?? null;
        setView(homeOf(s));
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, []);
  useEffect(refreshSession, [refreshSession]);
  // EHR sign-in completes in another window: the core announces the new session.
  // Only a change of who is acting sends the app home: the same person's session can be announced again
  // (e.g. once the EHR's write plan is read) while they are in the middle of a visit.
  useEffect(
    () =>
      onScribe('session.changed', (s) => {
        setSession(s);
        const id = s.user?.id ?? null;
        if (id !== actingId.current) setView(homeOf(s));
        actingId.current = id;
      }),
    [],
  );
  // The EHR's side changed for the same person (write plan read, sign-in ended there): the screen stays.
  useEffect(() => onScribe('ehr.changed', (ehr) => setSession((s) => (s ? { ...s, ehr } : s))), []);
  const locked = lock?.locked === true;
  // Screens read nothing while locked (the core refuses it): after a lock at start-up they read again.
  const [epoch, setEpoch] = useState(0);
  const lockedAtStart = useRef(false);
  const statusSeen = useRef(false);
  useEffect(() => {
    holdEvents(locked);
    // Locked when the app opened (after a restart, or a lock that survived it): nothing could be read yet.
    if (lock && !statusSeen.current) {
      statusSeen.current = true;
      if (locked) lockedAtStart.current = true;
    }
    if (!locked && lockedAtStart.current) {
      lockedAtStart.current = false;
      setEpoch((n) => n + 1);
      refreshSession();
    }
  }, [locked, lock]);

  if (error)
    return (
      <div className="fatal" role="alert">
        Scribe could not reach its core: {error}
      </div>
    );
  if (!session) return <div className="loading">Starting Scribe…</div>;

  const role = session.user?.role;
  // Locked: the lock screen alone is on screen and in the accessibility tree; the app behind it stays
  // mounted (recording goes on) but is hidden, inert and out of reach of screen readers.
  return (
    <>
      <div
        className="app"
        data-role={role ?? 'none'}
        data-locked={locked ? 'true' : undefined}
        inert={locked}
        aria-hidden={locked ? true : undefined}
      >
        <Header
          session={session}
          onSession={(s) => {
            setSession(s);
            actingId.current = s.user?.id ?? null;
            setView(homeOf(s));
          }}
          onHome={() => setView(homeOf(session))}
          onSettings={() => setView({ name: 'settings' })}
        />
        {session.user && (
          <div className="lockbar">
            <LockControls status={lock} onStatus={setLock} />
          </div>
        )}
        <main className="content" key={epoch}>
          {session.user && role !== 'manager' && (
            <nav className="tabs" aria-label="Sections">
              {role === 'clinician' && (
                <button
                  type="button"
                  className={view.name === 'schedule' || view.name === 'visit' ? 'current' : ''}
                  data-testid="nav-schedule"
                  onClick={() => setView({ name: 'schedule' })}
                >
                  Today
                </button>
              )}
              <button
                type="button"
                className={view.name.startsWith('queue') ? 'current' : ''}
                data-testid="nav-queue"
                onClick={() => setView({ name: 'queue' })}
              >
                {role === 'clinician' ? 'Waiting for signature' : 'My queue'}
              </button>
              {role === 'clinician' && (
                <button
                  type="button"
                  className={view.name === 'style' ? 'current' : ''}
                  data-testid="nav-style"
                  onClick={() => setView({ name: 'style' })}
                >
                  My note style
                </button>
              )}
            </nav>
          )}
          {session.user && role !== 'manager' && view.name === 'queue' && (
            <QueueScreen user={session.user} onOpen={(visitId) => setView({ name: 'queue-note', visitId })} />
          )}
          {session.user && role !== 'manager' && view.name === 'queue-note' && (
            <QueueNote key={view.visitId} visitId={view.visitId} user={session.user} onBack={() => setView({ name: 'queue' })} />
          )}
          {!session.user && (
            <p className="empty" data-testid="no-user">
              {session.ehr.auth === 'smart' && session.ehr.mode !== 'sandbox'
                ? 'Sign in to the EHR to begin. Notes already signed are kept and sent after you sign in.'
                : 'Choose who you are to begin.'}
            </p>
          )}
          {session.user && role !== 'manager' && view.name === 'schedule' && (
            <Schedule
              key={`${session.user.id}:${session.ehr.connected}`}
              user={session.user}
              onOpenVisit={(visitId) => setView({ name: 'visit', visitId })}
            />
          )}
          {session.user && role !== 'manager' && view.name === 'visit' && (
            <VisitScreen visitId={view.visitId} user={session.user} ehr={session.ehr} onBack={() => setView({ name: 'schedule' })} />
          )}
          {session.user && role === 'clinician' && view.name === 'style' && <StylePage key={session.user.id} />}
          {session.user && view.name === 'settings' && (
            <SettingsScreen key={session.user.id} user={session.user} onBack={() => setView(homeOf(session))} />
          )}
          {role === 'manager' && session.user && view.name !== 'settings' && (
            <Suspense fallback={<p className="loading">Loading practice metrics…</p>}>
              <MetricsHome user={session.user} />
            </Suspense>
          )}
        </main>
      </div>
      {lock?.locked && <LockScreen status={lock} onStatus={setLock} />}
    </>
  );
}
