import { ScribeError } from '../contract/index.ts';
import type { EhrInfo, Session, User } from '../contract/index.ts';

/**
 * Who is using this workstation. With the sandbox EHR, local demo profiles (one per role) stand in for
 * the EHR sign-in; with a real EHR the identity comes from SMART's fhirUser.
 */
export interface EhrSignIn {
  /** Starts sign-in; resolves with the authorize address as soon as it is known. */
  begin(): Promise<string>;
  signOut(): Promise<void>;
}

export function createSessionService(opts: { ehr: () => EhrInfo; profiles: User[]; initial?: string | null; signIn?: EhrSignIn }) {
  let current: User | null =
    opts.profiles.find((p) => p.id === opts.initial) ?? (opts.initial === null ? null : (opts.profiles[0] ?? null));
  let smartUser: User | null = null;
  return {
    current(): User | null {
      return smartUser ?? current;
    },
    get(): Session {
      const ehr = opts.ehr();
      return { user: this.current(), ehr, profiles: ehr.mode === 'sandbox' ? opts.profiles : [] };
    },
    useProfile(profileId: string): Session {
      if (opts.ehr().mode !== 'sandbox')
        throw new ScribeError('forbidden', 'Local profiles exist only with the sandbox EHR; sign in to your EHR instead');
      const profile = opts.profiles.find((p) => p.id === profileId);
      if (!profile) throw new ScribeError('not_found', `No local profile ${profileId}`);
      current = profile;
      smartUser = null;
      return this.get();
    },
    setSmartUser(user: User | null): void {
      smartUser = user;
    },
    async beginSignIn(): Promise<{ authorizeUrl: string }> {
      if (!opts.signIn) throw new ScribeError('unsupported', 'This EHR needs no sign-in (the sandbox without --require-auth)');
      return { authorizeUrl: await opts.signIn.begin() };
    },
    async signOut(): Promise<Session> {
      if (opts.signIn) await opts.signIn.signOut();
      smartUser = null;
      return this.get();
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;

/**
 * What the windows are told when the session may have moved (decision 0187): `session` only when who is
 * acting or the profiles on offer changed (a window goes home then); `ehr` when only the EHR's side changed
 * (its write plan was read, the sign-in ended there); nothing when nothing changed. `current` is read now as
 * the starting point, so the first change after start-up is judged against what the windows were given.
 */
export function createSessionAnnouncer(current: () => Session, tell: { session(s: Session): void; ehr(e: EhrInfo): void }): () => void {
  const who = (s: Session) => JSON.stringify([s.user, s.profiles]);
  let last = current();
  return () => {
    const now = current();
    const before = last;
    last = now;
    if (who(before) !== who(now)) tell.session(now);
    else if (JSON.stringify(before.ehr) !== JSON.stringify(now.ehr)) tell.ehr(now.ehr);
  };
}
