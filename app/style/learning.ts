import { ScribeError } from '../contract/index.ts';
import type { Visit } from '../contract/index.ts';
import type { StyleService } from './service.ts';
import { signedExampleOf } from './styled-drafter.ts';

/**
 * When learning happens: at signing, from the clinician's own notes only. A note another person (a scribe)
 * edited is learned from only when the clinician accepts those edits as their style (learnFromNote).
 * An amendment is not learned again.
 */

export interface StyleLearningDeps {
  style: StyleService;
  visit: (visitId: string) => Promise<Visit>;
  /** Whether someone other than the visit's clinician saved edits to its note (the scribe queue). */
  editedByOthers: (visit: Visit) => Promise<boolean>;
}

export type NoteLearning = { learned: boolean; othersEdited: boolean; learnable: boolean };

export function createStyleLearning(deps: StyleLearningDeps) {
  async function status(visit: Visit): Promise<NoteLearning> {
    const profile = await deps.style.profile(visit.clinicianId);
    const learned = (profile.learnedVisits ?? []).includes(visit.id);
    return {
      learned,
      othersEdited: await deps.editedByOthers(visit),
      learnable: !learned && signedExampleOf(visit) !== null && !visit.amendments,
    };
  }
  return {
    /** After signing: learn, unless someone else edited the note. */
    async onSigned(visitId: string): Promise<NoteLearning> {
      const visit = await deps.visit(visitId);
      const s = await status(visit);
      if (!s.learnable || s.othersEdited) return s;
      const example = signedExampleOf(visit)!;
      await deps.style.learn(example, { id: visit.clinicianId, role: 'clinician' });
      return { ...s, learned: true, learnable: false };
    },
    /** The clinician accepts a signed note (others' edits included) as their style. */
    async learnFromNote(clinicianId: string, visitId: string): Promise<NoteLearning> {
      const visit = await deps.visit(visitId);
      if (visit.clinicianId !== clinicianId)
        throw new ScribeError('forbidden', 'Only the clinician who signed a note can teach their style with it');
      if (visit.status !== 'signed') throw new ScribeError('conflict', 'Only a signed note can teach your style');
      const s = await status(visit);
      if (s.learned) return s;
      const example = signedExampleOf(visit);
      if (!example || visit.amendments)
        throw new ScribeError(
          'conflict',
          'This note no longer has its AI draft on this workstation, so there is nothing to compare it with',
        );
      await deps.style.learn(example, { id: clinicianId, role: 'clinician' });
      return { ...s, learned: true, learnable: false };
    },
    async status(clinicianId: string, visitId: string): Promise<NoteLearning> {
      const visit = await deps.visit(visitId);
      if (visit.clinicianId !== clinicianId) throw new ScribeError('forbidden', "Another clinician's note");
      return status(visit);
    },
  };
}

export type StyleLearning = ReturnType<typeof createStyleLearning>;
