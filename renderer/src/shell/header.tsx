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
      <button
        className="link"
        data-testid="ehr-sign-out"
        onClick={() => callScribe('ehr.signOut', {}).then(onSession, (e: unknown) => setMessage(errorText(e)))}
      >
        Sign out of the EHR
      </button>
    );
  }
  return (
    <span className="ehr-sign-in">
      {session.ehr.signedOutReason && (
        <span className="signed-out" role="alert" data-testid="ehr-signed-out">
          Signed out of the EHR: {session.ehr.signedOutReason}
        </span>
      )}
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
      {message && (
        <small className="muted" data-testid="ehr-sign-in-message">
          {' '}
          {message}
        </small>
      )}
    </span>
  );
}

/** Becoming a person who set an unlock PIN takes their PIN (the core checks it; decision 0122). */
function ProfilePin({ profileId, onSession, onCancel }: { profileId: string; onSession: (s: Session) => void; onCancel: () => void }) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="pin-form"
      data-testid="profile-pin-form"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          onSession(await callScribe('session.useProfile', { profileId, pin }));
        } catch (err) {
          setError(errorText(err));
          setPin('');
        }
      }}
    >
      <input
        type="password"
        inputMode="numeric"
        autoFocus
        aria-label="PIN of this person"
        placeholder="Their PIN"
        data-testid="profile-pin"
        value={pin}
        onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 12))}
      />
      <button type="submit" disabled={pin.length < 4}>
        Switch
      </button>
      <button type="button" className="link" onClick={onCancel}>
        Cancel
      </button>
      {error && (
        <small className="error" role="alert">
          {' '}
          {error}
        </small>
      )}
    </form>
  );
}

export function Header({
  session,
  onSession,
  onHome,
  onSettings,
}: {
  session: Session;
  onSession: (s: Session) => void;
  onHome: () => void;
  onSettings?: () => void;
}) {
  const { ehr, user, profiles } = session;
  const [askPinFor, setAskPinFor] = useState<string | null>(null);
  return (
    <header className="topbar">
      <button className="brand" onClick={onHome} aria-label="Scribe home">
        Scribe
      </button>
      <span className={`ehr-badge ${ehr.mode}`} data-testid="ehr-badge" title={ehr.baseUrl}>
        {ehr.mode === 'sandbox' ? 'Sandbox EHR — demo data, not a real chart' : ehr.label}
      </span>
      <span className="spacer" />
      <EhrSignIn session={session} onSession={onSession} />
      {onSettings && (user?.role === 'clinician' || user?.role === 'manager') && (
        <button type="button" data-testid="nav-settings" onClick={onSettings}>
          Settings
        </button>
      )}
      {profiles.length > 0 ? (
        <label className="profile">
          Acting as{' '}
          <select
            data-testid="profile-select"
            value={user?.id ?? ''}
            onChange={(e) => {
              const profileId = e.target.value;
              callScribe('session.useProfile', { profileId }).then(onSession, (err: unknown) => {
                if ((err as { details?: { pinRequired?: boolean } }).details?.pinRequired) setAskPinFor(profileId);
                else alert(errorText(err));
              });
            }}
          >
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.role === 'manager' ? 'practice manager' : p.role})
              </option>
            ))}
          </select>
          {askPinFor && (
            <ProfilePin
              profileId={askPinFor}
              onCancel={() => setAskPinFor(null)}
              onSession={(s) => {
                setAskPinFor(null);
                onSession(s);
              }}
            />
          )}
        </label>
      ) : (
        <span className="profile" data-testid="user-name">
          {user ? `${user.name} (${user.role})` : 'Not signed in'}
        </span>
      )}
    </header>
  );
}
