import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';
import { restoreRemovedSection } from '../../style/index.ts';

type StyleCalls =
  | 'style.profile'
  | 'style.setRule'
  | 'style.editRule'
  | 'style.reset'
  | 'style.noteStatus'
  | 'style.learnFromNote'
  | 'style.restoreSection';

/** A clinician's note style: always the signed-in clinician's own profile (no call names another clinician). */
export function styleHandlers(s: CoreServices): PartialHandlers<StyleCalls> {
  const actor = (u: { id: string; role: 'clinician' | 'scribe' | 'manager' }) => ({ id: u.id, role: u.role });
  return {
    'style.profile': (_input, ctx) => s.style.service.view(ctx.user!.id),
    'style.setRule': ({ ruleId, enabled }, ctx) => s.style.service.setEnabled(ctx.user!.id, ruleId, enabled, actor(ctx.user!)),
    'style.editRule': ({ ruleId, to }, ctx) => s.style.service.editRule(ctx.user!.id, ruleId, to, actor(ctx.user!)),
    'style.reset': (_input, ctx) => s.style.service.reset(ctx.user!.id, actor(ctx.user!)),
    'style.noteStatus': ({ visitId }, ctx) => s.style.learning.status(ctx.user!.id, visitId),
    'style.learnFromNote': ({ visitId }, ctx) => s.style.learning.learnFromNote(ctx.user!.id, visitId),
    'style.restoreSection': async ({ visitId, sectionId, baseVersion }, ctx) => {
      // Who may (its clinician, the scribe it is assigned to) is the contract's access; nobody past another's edit lock.
      await s.queue.assertMayEditDraft(ctx.user!, visitId);
      return s.visits.reshapeDraft(visitId, baseVersion, (draft) => restoreRemovedSection(draft, sectionId));
    },
  };
}
