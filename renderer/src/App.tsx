import { useCallback, useEffect, useState } from 'react';
import type { Session } from '../../app/api/schemas.ts';
import { callScribe, errorText } from './bridge.ts';
import { Header } from './shell/Header.tsx';
import { Schedule } from './schedule/Schedule.tsx';
import { VisitScreen } from './visit/VisitScreen.tsx';

export type View = { name: 'schedule' } | { name: 'visit'; visitId: string };

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [view, setView] = useState<View>({ name: 'schedule' });
  const [error, setError] = useState<string | null>(null);

  const refreshSession = useCallback(() => {
    callScribe('session.get', {}).then(setSession, (e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(refreshSession, [refreshSession]);

  if (error) return <div className="fatal" role="alert">Scribe could not reach its core: {error}</div>;
  if (!session) return <div className="loading">Starting Scribe…</div>;

  const role = session.user?.role;
  return (
    <div className="app" data-role={role ?? 'none'}>
      <Header
        session={session}
        onSession={(s) => {
          setSession(s);
          setView({ name: 'schedule' });
        }}
        onHome={() => setView({ name: 'schedule' })}
      />
      <main className="content">
        {!session.user && <p className="empty">Choose who you are to begin.</p>}
        {session.user && role !== 'manager' && view.name === 'schedule' && (
          <Schedule user={session.user} onOpenVisit={(visitId) => setView({ name: 'visit', visitId })} />
        )}
        {session.user && role !== 'manager' && view.name === 'visit' && (
          <VisitScreen visitId={view.visitId} user={session.user} onBack={() => setView({ name: 'schedule' })} />
        )}
        {role === 'manager' && <p className="empty" data-testid="manager-home">Practice metrics appear here.</p>}
      </main>
    </div>
  );
}
