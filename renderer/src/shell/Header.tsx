import type { Session } from '../../../app/api/schemas.ts';
import { callScribe, errorText } from '../bridge.ts';

export function Header({ session, onSession, onHome }: { session: Session; onSession: (s: Session) => void; onHome: () => void }) {
  const { ehr, user, profiles } = session;
  return (
    <header className="topbar">
      <button className="brand" onClick={onHome} aria-label="Scribe home">Scribe</button>
      <span className={`ehr-badge ${ehr.mode}`} data-testid="ehr-badge" title={ehr.baseUrl}>
        {ehr.mode === 'sandbox' ? 'Sandbox EHR — demo data, not a real chart' : ehr.label}
      </span>
      <span className="spacer" />
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
                {p.name} ({p.role})
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
