import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../handlers.ts';

export function sessionHandlers(s: CoreServices): PartialHandlers<'session.get' | 'session.useProfile' | 'schedule.today'> {
  return {
    'session.get': () => s.session.get(),
    'session.useProfile': ({ profileId }) => s.session.useProfile(profileId),
    'schedule.today': (_input, ctx) => s.schedule.todaysEncounters(ctx.user!),
  };
}
