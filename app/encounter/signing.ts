import { acceptedDiagnoses, diagnosisSectionText } from '../coding/index.ts';
import { unreviewedFlags } from '../draft/index.ts';
import { ScribeError, type Consent, type Draft, type User, type Visit } from '../contract/index.ts';
import { lastSignedNoteId, noteIdOf, visitIdOfNote, type VisitDesk } from './desk.ts';
import type { PostUpdate, SignedNote } from './ports.ts';

export const CONSENT_STATEMENTS: Record<Consent, string> = {
  agreed: 'The patient agreed to the visit being recorded and documented with the help of Scribe, which runs on this workstation.',
  declined: 'The patient declined AI-assisted recording; nothing was recorded and this note was written by the clinician.',
};

/** The software that drafted a note, as the EHR's Provenance/Device names it (engine, version, model). */
function draftingSoftware(draft: Draft): SignedNote['drafter'] {
  const model = draft.model ? [draft.model.name, draft.model.version].filter(Boolean).join(' ') : undefined;
  return {
    engine: draft.engine,
    version: draft.engineVersion,
    ...(model ? { model } : {}),
    ...(draft.model?.sha256 ? { modelSha256: draft.model.sha256 } : {}),
  };
}

/**
 * The chart resources the signed note's drafted sentences took facts from (decision 0204). A section the clinician
 * rewrote cites nothing (its words are theirs), so only what is still the drafter's sentence counts.
 */
function chartSourcesOf(draft: Draft): { chartSources?: string[] } {
  const sources = new Set<string>();
  for (const section of draft.sections) {
    if (section.edited) continue;
    for (const sentence of section.sentences) for (const c of sentence.chart ?? []) sources.add(c.source.split('#')[0]!);
  }
  return sources.size ? { chartSources: [...sources].sort() } : {};
}

/** The sections of the signed note: the draft's, then the diagnoses the clinician accepted. */
function signedSections(visit: Visit, draft: Draft): { id: string; title: string; text: string }[] {
  const sections = draft.sections.map(({ id, title, text }) => ({ id, title, text }));
  const dx = diagnosisSectionText(visit.codingDecisions);
  if (dx) sections.push({ id: 'diagnoses', title: 'Diagnoses (ICD-10-CM)', text: dx });
  return sections;
}

function noteText(visit: Visit, sections: { title: string; text: string }[]): string {
  const parts = sections.filter((s) => s.text.trim().length > 0).map((s) => `${s.title.toUpperCase()}\n${s.text.trim()}`);
  parts.push(`CONSENT\n${CONSENT_STATEMENTS[visit.consent]}`);
  return parts.join('\n\n') + '\n';
}

/**
 * Signing room: the signed note goes to the outbox (which keeps it before anything is sent and alone
 * knows where it stands); a posted note can be reopened for an amendment.
 */
export function createSigningRoom(desk: VisitDesk) {
  return {
    /** The note exactly as signing would post it (its text/plain attachment), for the one-page read view. */
    async preview(visitId: string): Promise<{ text: string }> {
      const visit = await desk.load(visitId);
      if (!visit.draft) throw new ScribeError('conflict', 'This visit has no note yet');
      return { text: noteText(visit, signedSections(visit, visit.draft)) };
    },

    sign(user: User, visitId: string): Promise<Visit> {
      return desk.serial(visitId, async () => {
        const visit = await desk.load(visitId);
        desk.requireStatus(visit, ['draft'], 'sign');
        if (!visit.draft) throw new ScribeError('conflict', 'There is no draft to sign');
        const sections = signedSections(visit, visit.draft);
        const text = noteText(visit, sections);
        if (!visit.draft.sections.some((s) => s.text.trim())) {
          throw new ScribeError('bad_request', 'The note is empty: write or dictate at least one section before signing');
        }
        const flagged = unreviewedFlags(visit.draft);
        if (flagged.length > 0) {
          throw new ScribeError(
            'conflict',
            `${flagged.length} sentence(s) written by the language model state something the visit does not support; keep or remove each one before signing`,
            { flagged },
          );
        }
        const signedAt = desk.now().toISOString();
        const amendment = visit.amendment;
        const note: SignedNote = {
          noteId: noteIdOf(visit.id, amendment?.number),
          practitionerName: user.name,
          visitId: visit.id,
          patientId: visit.patientId,
          encounterId: visit.encounterId,
          practitionerRef: user.fhirUser ?? `Practitioner/${user.id}`,
          visitType: visit.visitType,
          title: `${visit.visitType} note`,
          text,
          sections,
          diagnoses: acceptedDiagnoses(visit.codingDecisions),
          signedAt,
          period: { start: visit.startedAt, ...(visit.stoppedAt ? { end: visit.stoppedAt } : {}) },
          drafter: draftingSoftware(visit.draft),
          recognizer: { engine: visit.transcript?.engine ?? 'none', ...(visit.transcript?.model ? { model: visit.transcript.model } : {}) },
          ...chartSourcesOf(visit.draft),
        };
        // The outbox keeps the note first; the visit is signed once the note cannot be lost.
        if (amendment)
          await desk.outbox.amend({ documentReferenceId: amendment.documentReferenceId, versionId: amendment.versionId }, note);
        else await desk.outbox.enqueue(note);
        const { amendment: _done, ...rest } = visit;
        const signed = await desk.save({ ...rest, status: 'signed', signedAt, signedBy: user.id });
        if (amendment) desk.lifecycle(signed, 'note.amended');
        desk.lifecycle(signed, 'visit.signed', { draftText: visit.aiDraftText ?? '', signedText: text });
        return signed;
      });
    },

    /** Reopen a posted note for an amendment; signing it again replaces the posted DocumentReference. */
    amend(visitId: string): Promise<Visit> {
      return desk.serial(visitId, async () => {
        const visit = await desk.load(visitId);
        desk.requireStatus(visit, ['signed'], 'amend');
        const { post } = await desk.shown(visit);
        if (post?.status !== 'posted' || !post.serverId || !post.versionId) {
          throw new ScribeError('conflict', 'Only a note already in the EHR can be amended; this one is ' + (post?.status ?? 'not posted'));
        }
        if (!visit.draft)
          throw new ScribeError('conflict', 'This visit no longer has its note text on this workstation (retention); amend it in the EHR');
        const number = (visit.amendments ?? 0) + 1;
        return desk.save({
          ...visit,
          status: 'draft',
          amendments: number,
          amendment: { number, documentReferenceId: post.serverId, versionId: post.versionId },
        });
      });
    },

    /** The outbox moved a note on: tell the window (and metrics, once it is posted). Nothing is stored here. */
    noteChanged(update: PostUpdate): Promise<void> {
      const visitId = visitIdOfNote(update.noteId);
      return desk.serial(visitId, async () => {
        if (desk.deleted.has(visitId)) return; // the note still reaches the EHR; the visit is gone from here
        const visit = await desk.load(visitId).catch(() => null);
        if (!visit || lastSignedNoteId(visit) !== update.noteId) return;
        if (update.status === 'posted') desk.lifecycle(visit, 'note.posted');
        // What the outbox holds now, not the report's snapshot: reports queued behind this visit's work
        // would otherwise reach the window out of order.
        desk.announce(await desk.shown(visit));
      });
    },
  };
}
