import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

export function sessionHandlers(
  s: CoreServices,
): PartialHandlers<'session.get' | 'session.useProfile' | 'ehr.signIn' | 'ehr.signOut' | 'schedule.today'> {
  return {
    'session.get': () => s.session.get(),
    // Becoming someone who set a PIN takes their PIN (decision 0122): a local profile is no way around it.
    'session.useProfile': async ({ profileId, pin }, ctx) => {
      const target = s.session.get().profiles.find((p) => p.id === profileId);
      if (target && s.lock && target.id !== ctx.user?.id) await s.lock.verifyPin(target, pin);
      return s.session.useProfile(profileId);
    },
    'ehr.signIn': () => s.session.beginSignIn(),
    'ehr.signOut': () => s.session.signOut(),
    'schedule.today': (_input, ctx) => s.schedule.todaysEncounters(ctx.user!),
  };
}
