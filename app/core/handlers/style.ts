import { ScribeError } from '../../contract/index.ts';
import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

type StyleCalls = 'style.profile' | 'style.setRule' | 'style.editRule' | 'style.reset' | 'style.noteStatus' | 'style.learnFromNote';

function styleOf(s: CoreServices): NonNullable<CoreServices['style']> {
  if (!s.style) throw new ScribeError('unavailable', 'Note style is not set up in this core');
  return s.style;
}

/** A clinician's note style: always the signed-in clinician's own profile (no call names another clinician). */
export function styleHandlers(s: CoreServices): PartialHandlers<StyleCalls> {
  const actor = (u: { id: string; role: 'clinician' | 'scribe' | 'manager' }) => ({ id: u.id, role: u.role });
  return {
    'style.profile': (_input, ctx) => styleOf(s).service.view(ctx.user!.id),
    'style.setRule': ({ ruleId, enabled }, ctx) => styleOf(s).service.setEnabled(ctx.user!.id, ruleId, enabled, actor(ctx.user!)),
    'style.editRule': ({ ruleId, to }, ctx) => styleOf(s).service.editRule(ctx.user!.id, ruleId, to, actor(ctx.user!)),
    'style.reset': (_input, ctx) => styleOf(s).service.reset(ctx.user!.id, actor(ctx.user!)),
    'style.noteStatus': ({ visitId }, ctx) => styleOf(s).learning.status(ctx.user!.id, visitId),
    'style.learnFromNote': ({ visitId }, ctx) => styleOf(s).learning.learnFromNote(ctx.user!.id, visitId),
  };
}
