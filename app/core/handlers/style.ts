import { ScribeError } from '../../contract/index.ts';
import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';
import { restoreRemovedSection } from '../../style/index.ts';

type StyleCalls = 'style.profile' | 'style.setRule' | 'style.editRule' | 'style.reset' | 'style.noteStatus' | 'style.learnFromNote' | 'style.restoreSection';

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
    'style.restoreSection': async ({ visitId, sectionId, baseVersion }, ctx) => {
      // Whoever may edit this draft (its clinician, the assigned scribe holding the lock) may put a section back.
      await s.queue?.assertMayEditDraft(ctx.user!, visitId);
      if (ctx.user!.role === 'scribe' && !s.queue) throw new ScribeError('forbidden', 'Scribes work from their queue, which is not set up here');
      if (ctx.user!.role === 'clinician' && (await s.visits.get(visitId)).clinicianId !== ctx.user!.id) {
        throw new ScribeError('forbidden', 'This visit belongs to another clinician');
      }
      return s.visits.reshapeDraft(visitId, baseVersion, (draft) => restoreRemovedSection(draft, sectionId));
    },
  };
}
