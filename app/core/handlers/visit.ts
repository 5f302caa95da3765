import { ScribeError } from '../../contract/index.ts';
import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

type VisitCalls =
  | 'visit.start'
  | 'visit.appendAudio'
  | 'visit.pause'
  | 'visit.resume'
  | 'visit.stop'
  | 'visit.get'
  | 'visit.preview'
  | 'visit.list'
  | 'visit.chart'
  | 'patient.search'
  | 'schedule.walkIn'
  | 'visit.recoverable'
  | 'visit.recover'
  | 'visit.retry'
  | 'visit.delete'
  | 'retention.get'
  | 'retention.set'
  | 'transcript.setSpeaker'
  | 'draft.templates'
  | 'visit.audioClip'
  | 'draft.updateSection'
  | 'draft.reviewSentence'
  | 'draft.regenerate'
  | 'draft.stop'
  | 'visit.amend'
  | 'visit.sign';

/**
 * The visit's calls. Who may make each one, and on which visit, is the contract's `access` applied by the
 * dispatcher (app/core/access.ts) before a handler runs; what remains here is the work, and the edit lock
 * of the scribe queue (nobody writes past someone else's lock), which is state, not access.
 */
export function visitHandlers(s: CoreServices): PartialHandlers<VisitCalls> {
  return {
    'visit.start': ({ encounterId, consent }, ctx) => s.visits.start(ctx.user!, encounterId, consent),
    'visit.appendAudio': ({ visitId, seq, pcm16 }) => s.visits.appendAudio(visitId, seq, pcm16),
    'visit.pause': ({ visitId }) => s.visits.pause(visitId),
    'visit.resume': ({ visitId }) => s.visits.resume(visitId),
    'visit.stop': ({ visitId }) => s.visits.stop(visitId),
    'visit.get': ({ visitId }) => s.visits.get(visitId),
    'visit.preview': ({ visitId }) => s.visits.preview(visitId),
    'visit.list': () => s.visits.list(),
    'draft.updateSection': async ({ visitId, sectionId, text, baseVersion }, ctx) => {
      // Nobody writes past someone else's edit lock (app/queue).
      await s.queue.assertMayEditDraft(ctx.user!, visitId);
      return s.visits.updateSection(visitId, sectionId, text, baseVersion);
    },
    'visit.chart': async ({ visitId }) => {
      const visit = await s.visits.get(visitId);
      if (!s.schedule.chart) throw new ScribeError('unavailable', 'This EHR connection cannot read the chart');
      return s.schedule.chart(visit.patientId);
    },
    'schedule.walkIn': ({ patientId }, ctx) => {
      if (!s.schedule.walkIn) throw new ScribeError('unavailable', 'This EHR connection cannot create encounters for walk-ins');
      return s.schedule.walkIn(ctx.user!, patientId);
    },
    'patient.search': ({ text }) => {
      if (!s.schedule.searchPatients) throw new ScribeError('unavailable', 'This EHR connection cannot search patients');
      return s.schedule.searchPatients(text);
    },
    'visit.recoverable': () => s.visits.recoverable(),
    'visit.recover': ({ visitId }) => s.visits.recover(visitId),
    'visit.retry': ({ visitId }) => s.visits.retry(visitId),
    'visit.delete': async ({ visitId }, ctx) => {
      // No write may race the shredding (an outbox report, a background draft) and bring the visit back.
      s.visits.forget(visitId);
      try {
        await s.retention.deleteVisit({ id: ctx.user!.id, role: ctx.user!.role }, visitId);
      } catch (error) {
        s.visits.unforget(visitId);
        throw error;
      }
      return { deleted: true as const };
    },
    'retention.get': () => s.retention.policy(),
    'retention.set': (patch, ctx) => s.retention.setPolicy({ id: ctx.user!.id, role: ctx.user!.role }, patch),
    'draft.templates': () => s.templates(),
    'transcript.setSpeaker': ({ visitId, segmentId, speaker }) => s.visits.setSpeaker(visitId, segmentId, speaker),
    'visit.audioClip': ({ visitId, start, end }) => s.visits.audioClip(visitId, start, end),
    'draft.reviewSentence': async ({ visitId, sectionId, sentence, decision, baseVersion }, ctx) => {
      // Nobody writes past someone else's edit lock (app/queue).
      await s.queue.assertMayEditDraft(ctx.user!, visitId);
      return s.visits.reviewSentence(visitId, sectionId, sentence, decision, baseVersion);
    },
    'draft.regenerate': async ({ visitId, template }, ctx) => {
      await s.queue.assertMayEditDraft(ctx.user!, visitId);
      return s.visits.regenerate(visitId, template);
    },
    'draft.stop': async ({ visitId }, ctx) => {
      await s.queue.assertMayEditDraft(ctx.user!, visitId);
      return s.visits.stopDrafting(visitId);
    },
    'visit.amend': ({ visitId }) => s.visits.amend(visitId),
    'visit.sign': async ({ visitId }, ctx) => {
      // Never while a scribe is still typing in it (app/queue).
      await s.queue.assertMayEditDraft(ctx.user!, visitId);
      return s.visits.sign(ctx.user!, visitId);
    },
  };
}
