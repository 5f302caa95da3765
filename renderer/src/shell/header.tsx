import { useEffect, useState } from 'react';
import type { Session } from '../../../app/contract/index.ts';
import { callScribe, errorText, onScribe } from '../bridge.ts';

/** SMART sign-in: the EHR's login page opens in its own window; the core finishes the exchange. */
function EhrSignIn({ session, onSession }: { session: Session; onSession: (s: Session) => void }) {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => onScribe('ehr.signInFailed', (e) => setMessage(`Sign-in failed: ${e.message}`)), []);
  if (session.ehr.auth === 'none') return null;
  if (session.ehr.connected) {
    return (
      <button className="link" data-testid="ehr-sign-out" onClick={() => callScribe('ehr.signOut', {}).then(onSession, (e: unknown) => setMessage(errorText(e)))}>
        Sign out of the EHR
      </button>
    );
  }
  return (
    <span className="ehr-sign-in">
      {session.ehr.signedOutReason && <span className="signed-out" role="alert" data-testid="ehr-signed-out">Signed out of the EHR: {session.ehr.signedOutReason}</span>}
      <button
        className="primary"
        data-testid="ehr-sign-in"
        onClick={async () => {
          setMessage(null);
          try {
            const { authorizeUrl } = await callScribe('ehr.signIn', {});
            window.open(authorizeUrl, 'scribe-ehr-sign-in', 'popup,width=560,height=680');
            setMessage('Finish signing in in the EHR window…');
          } catch (e) {
            setMessage(errorText(e));
          }
        }}
      >
        Sign in to the EHR
      </button>
      {message && <small className="muted" data-testid="ehr-sign-in-message"> {message}</small>}
    </span>
  );
}

export function Header({ session, onSession, onHome, onSettings }: { session: Session; onSession: (s: Session) => void; onHome: () => void; onSettings?: () => void }) {
  const { ehr, user, profiles } = session;
  return (
    <header className="topbar">
      <button className="brand" onClick={onHome} aria-label="Scribe home">Scribe</button>
      <span className={`ehr-badge ${ehr.mode}`} data-testid="ehr-badge" title={ehr.baseUrl}>
        {ehr.mode === 'sandbox' ? 'Sandbox EHR — demo data, not a real chart' : ehr.label}
      </span>
      <span className="spacer" />
      <EhrSignIn session={session} onSession={onSession} />
      {onSettings && (user?.role === 'clinician' || user?.role === 'manager') && (
        <button type="button" data-testid="nav-settings" onClick={onSettings}>Settings</button>
      )}
      {profiles.length > 0 ? (
        <label className="profile">
          Acting as{' '}
          <select
            data-testid="profile-select"
            value={user?.id ?? ''}
            onChange={(e) => {
              callScribe('session.useProfile', { profileId: e.target.value }).then(onSession, (err: unknown) => alert(errorText(err)));
            }}
          >
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.role === 'manager' ? 'practice manager' : p.role})
              </option>
            ))}
          </select>
        </label>
      ) : (
        <span className="profile" data-testid="user-name">{user ? `${user.name} (${user.role})` : 'Not signed in'}</span>
      )}
    </header>
  );
}
