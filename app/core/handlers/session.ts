import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

export function sessionHandlers(s: CoreServices): PartialHandlers<'session.get' | 'session.useProfile' | 'ehr.signIn' | 'ehr.signOut' | 'schedule.today'> {
  return {
    'session.get': () => s.session.get(),
    'session.useProfile': ({ profileId }) => s.session.useProfile(profileId),
    'ehr.signIn': () => s.session.beginSignIn(),
    'ehr.signOut': () => s.session.signOut(),
    'schedule.today': (_input, ctx) => s.schedule.todaysEncounters(ctx.user!),
  };
}
