import { ScribeError } from '../../contract/index.ts';
import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';
import type { User } from '../../contract/index.ts';

type VisitCalls =
  | 'visit.start' | 'visit.appendAudio' | 'visit.pause' | 'visit.resume' | 'visit.stop' | 'visit.get' | 'visit.list'
  | 'visit.chart' | 'patient.search' | 'visit.recoverable' | 'visit.recover' | 'visit.delete' | 'retention.get' | 'retention.set'
  | 'transcript.setSpeaker' | 'draft.templates' | 'visit.audioClip' | 'draft.updateSection' | 'draft.regenerate' | 'visit.amend' | 'visit.sign';

function retentionOf(s: CoreServices): NonNullable<CoreServices['retention']> {
  if (!s.retention) throw new ScribeError('unavailable', 'Retention is not configured in this core');
  return s.retention;
}

export function visitHandlers(s: CoreServices): PartialHandlers<VisitCalls> {
  /** A scribe sees only the visits assigned to them (the dispatcher has already checked the role). */
  /** A clinician changes only their own visits (recording, signing, amending, deleting). */
  async function ownVisit(user: User, visitId: string): Promise<void> {
    const visit = await s.visits.get(visitId);
    if (visit.clinicianId !== user.id) throw new ScribeError('forbidden', 'This visit belongs to another clinician');
  }
  async function mayRead(user: User, visitId: string): Promise<void> {
    if (user.role !== 'scribe') return;
    if (!s.queue) throw new ScribeError('forbidden', 'Scribes work from their queue, which is not set up here');
    await s.queue.assertMayRead(user, visitId);
  }
  return {
    'visit.start': ({ encounterId, consent }, ctx) => s.visits.start(ctx.user!, encounterId, consent),
    'visit.appendAudio': async ({ visitId, seq, pcm16 }, ctx) => (await ownVisit(ctx.user!, visitId), s.visits.appendAudio(visitId, seq, pcm16)),
    'visit.pause': async ({ visitId }, ctx) => (await ownVisit(ctx.user!, visitId), s.visits.pause(visitId)),
    'visit.resume': async ({ visitId }, ctx) => (await ownVisit(ctx.user!, visitId), s.visits.resume(visitId)),
    'visit.stop': async ({ visitId }, ctx) => (await ownVisit(ctx.user!, visitId), s.visits.stop(visitId)),
    'visit.get': async ({ visitId }, ctx) => {
      await mayRead(ctx.user!, visitId);
      return s.visits.get(visitId);
    },
    'visit.list': async (_input, ctx) => {
      const all = await s.visits.list();
      if (ctx.user!.role !== 'scribe') return all;
      const mine = new Set((await (s.queue?.list(ctx.user!, {}) ?? Promise.resolve([]))).map((item) => item.visitId));
      return all.filter((v) => mine.has(v.id));
    },
    'draft.updateSection': async ({ visitId, sectionId, text, baseVersion }, ctx) => {
      // A scribe edits only visits assigned to them; nobody writes past someone else's edit lock (app/queue).
      await s.queue?.assertMayEditDraft(ctx.user!, visitId);
      return s.visits.updateSection(visitId, sectionId, text, baseVersion);
    },
    'visit.chart': async ({ visitId }, ctx) => {
      await mayRead(ctx.user!, visitId);
      const visit = await s.visits.get(visitId);
      if (!s.schedule.chart) throw new ScribeError('unavailable', 'This EHR connection cannot read the chart');
      return s.schedule.chart(visit.patientId);
    },
    'patient.search': ({ text }) => {
      if (!s.schedule.searchPatients) throw new ScribeError('unavailable', 'This EHR connection cannot search patients');
      return s.schedule.searchPatients(text);
    },
    'visit.recoverable': () => s.visits.recoverable(),
    'visit.recover': async ({ visitId }, ctx) => (await ownVisit(ctx.user!, visitId), s.visits.recover(visitId)),
    'visit.delete': async ({ visitId }, ctx) => {
      await ownVisit(ctx.user!, visitId);
      const retention = retentionOf(s);
      // No write may race the shredding (an outbox report, a background draft) and bring the visit back.
      s.visits.forget(visitId);
      try {
        await retention.deleteVisit({ id: ctx.user!.id, role: ctx.user!.role }, visitId);
      } catch (error) {
        s.visits.unforget(visitId);
        throw error;
      }
      return { deleted: true as const };
    },
    'retention.get': () => retentionOf(s).policy(),
    'retention.set': (patch, ctx) => retentionOf(s).setPolicy({ id: ctx.user!.id, role: ctx.user!.role }, patch),
    'draft.templates': () => {
      if (!s.templates) throw new ScribeError('unavailable', 'No note templates are configured in this core');
      return s.templates();
    },
    'transcript.setSpeaker': async ({ visitId, segmentId, speaker }, ctx) => {
      await mayRead(ctx.user!, visitId);
      return s.visits.setSpeaker(visitId, segmentId, speaker);
    },
    'visit.audioClip': async ({ visitId, start, end }, ctx) => {
      await mayRead(ctx.user!, visitId);
      return s.visits.audioClip(visitId, start, end);
    },
    'draft.regenerate': async ({ visitId, template }, ctx) => {
      await s.queue?.assertMayEditDraft(ctx.user!, visitId);
      return s.visits.regenerate(visitId, template);
    },
    'visit.amend': async ({ visitId }, ctx) => (await ownVisit(ctx.user!, visitId), s.visits.amend(visitId)),
    'visit.sign': async ({ visitId }, ctx) => {
      // Only the visit's own clinician signs, and never while a scribe is still typing in it (app/queue).
      await ownVisit(ctx.user!, visitId);
      await s.queue?.assertMayEditDraft(ctx.user!, visitId);
      return s.visits.sign(ctx.user!, visitId);
    },
  };
}
