import { ScribeError, type CodingDecision, type Draft, type Speaker, type Transcript, type Visit } from '../contract/index.ts';
import { inWords, within } from './deadlines.ts';
import type { VisitDesk } from './desk.ts';
import type { DraftRequest, DrafterPort, SchedulePort } from './ports.ts';

/** The template a visit type starts from (the clinician may pick another: draft.regenerate). */
function templateFor(visitType: string): string | undefined {
  if (/new/i.test(visitType)) return 'new-patient-hp';
  if (/follow/i.test(visitType)) return 'soap-follow-up';
  return undefined;
}

/** YYYY-MM-DD of a moment in this computer's time zone (the clinic's day, not UTC's). */
function localDay(at: Date): string {
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
}

/** Drafting room: the transcript becomes a draft, and the draft is edited until it is signed. */
export function createDraftingRoom(desk: VisitDesk, deps: { drafter: DrafterPort; schedule: SchedulePort }) {
  /**
   * Drafts in progress, and visits whose clinician asked to stop drafting before it began (still
   * transcribing): a stopped language model gives way to the built-in draft; what it had streamed is never
   * saved (decision 0180).
   */
  const inProgress = new Map<string, AbortController>();
  const stopAsked = new Set<string>();

  async function produceDraft(visit: Visit, transcript: Transcript, template?: string, keep?: Draft, notices?: string[]): Promise<Draft> {
    const controller = new AbortController();
    inProgress.set(visit.id, controller);
    // A stop asked while the visit was still being transcribed applies to its first draft only.
    if (stopAsked.delete(visit.id) && visit.status === 'processing') controller.abort();
    try {
      return await draftWith(visit, transcript, controller.signal, template, keep, notices);
    } finally {
      if (inProgress.get(visit.id) === controller) inProgress.delete(visit.id);
    }
  }

  async function draftWith(
    visit: Visit,
    transcript: Transcript,
    signal: AbortSignal,
    template?: string,
    keep?: Draft,
    notices?: string[],
  ): Promise<Draft> {
    let context: DraftRequest['context'];
    try {
      context = await within(deps.schedule.patientContext(visit.patientId), desk.deadlines().chartMs, 'Reading the chart');
    } catch (error) {
      // The draft is made without the chart's problems and medications; the visit says so in words.
      context = undefined;
      notices?.push(`The chart could not be read (${inWords(error)}): the note was drafted without its problems and medications`);
    }
    // The chart's sex settles the note's pronouns when the conversation does not (FHIR gender 'other'/'unknown': neutral).
    const sex = visit.patientGender === 'female' || visit.patientGender === 'male' ? visit.patientGender : undefined;
    if (sex) context = { ...context, sex };
    // Who the patient is on the chart: the history opening states what the visit does not, cited to the chart, with
    // the age on the day of the visit, never on the day of a later redraft (decision 0204).
    context = {
      ...context,
      patient: {
        reference: `Patient/${visit.patientId}`,
        name: visit.patientName,
        ...(visit.patientBirthDate ? { birthDate: visit.patientBirthDate } : {}),
        ...(visit.patientGender ? { gender: visit.patientGender } : {}),
      },
      visitDate: localDay(new Date(visit.startedAt)),
    };
    return deps.drafter.draft({
      transcript,
      clinicianId: visit.clinicianId,
      visitType: visit.visitType,
      ...(template ? { template } : {}),
      ...(context ? { context } : {}),
      ...(keep ? { keep } : {}),
      onSection: (section) => {
        if (!signal.aborted) desk.emit('draft.section', { visitId: visit.id, section });
      },
      signal,
    });
  }

  /** The visit's draft, if it is still the version the editor started from (else a conflict with the current one). */
  async function draftAt(visitId: string, baseVersion: number, action: string): Promise<{ visit: Visit; draft: Draft }> {
    const visit = await desk.load(visitId);
    desk.requireStatus(visit, ['draft'], action);
    const draft = visit.draft;
    if (!draft) throw new ScribeError('conflict', 'The draft is not ready yet');
    if (draft.version !== baseVersion) {
      throw new ScribeError(
        'conflict',
        `The draft changed since you opened it (version ${draft.version}, yours ${baseVersion}); reload to see the latest text`,
        { current: draft },
      );
    }
    return { visit, draft };
  }

  return {
    /**
     * The clinician stops a language model mid-draft (or before it starts, while the visit is still being
     * transcribed): the built-in draft is saved instead, saying so. Nothing the model had streamed is kept.
     */
    async stopDrafting(visitId: string): Promise<{ stopped: boolean }> {
      const running = inProgress.get(visitId);
      if (running) {
        running.abort();
        return { stopped: true };
      }
      const visit = await desk.load(visitId);
      if (visit.status !== 'processing') return { stopped: false };
      stopAsked.add(visitId);
      return { stopped: true };
    },

    /** After recognition: the first draft, from the visit type's template. */
    async firstDraft(visit: Visit, transcript: Transcript): Promise<Visit> {
      const notices: string[] = [];
      const draft = await within(
        produceDraft(visit, transcript, templateFor(visit.visitType), undefined, notices),
        desk.deadlines().draftMs,
        'Drafting',
        () => inProgress.get(visit.id)?.abort(), // a model past the deadline stops working on it
      );
      const drafted = await desk.save({
        ...visit,
        draft,
        status: 'draft',
        aiDraftText: draft.sections.map((s) => s.text).join('\n'),
        ...(notices.length ? { notices } : {}),
      });
      desk.lifecycle(drafted, 'draft.ready');
      return drafted;
    },

    updateSection(visitId: string, sectionId: string, text: string, baseVersion: number): Promise<Draft> {
      return desk.serial(visitId, async () => {
        const { visit, draft } = await draftAt(visitId, baseVersion, 'edit the draft');
        const section = draft.sections.find((s) => s.id === sectionId);
        if (!section) throw new ScribeError('not_found', `No section ${sectionId} in this draft`);
        const sizeOfChange = Math.abs(text.length - section.text.length);
        const next: Draft = {
          ...draft,
          version: draft.version + 1,
          sections: draft.sections.map((s) =>
            s.id === sectionId ? { ...s, text, edited: true, sentences: s.text === text ? s.sentences : [] } : s,
          ),
        };
        await desk.save({ ...visit, draft: next });
        desk.lifecycle(visit, 'draft.edited', { sectionId, sizeOfChange });
        return next;
      });
    },

    /** The clinician's decision on a flagged sentence: keep it as written, or remove it from the note. */
    reviewSentence(visitId: string, sectionId: string, index: number, decision: 'keep' | 'remove', baseVersion: number): Promise<Draft> {
      return desk.serial(visitId, async () => {
        const { visit, draft } = await draftAt(visitId, baseVersion, 'review the draft');
        const section = draft.sections.find((s) => s.id === sectionId);
        const sentence = section?.sentences[index];
        if (!section || !sentence) throw new ScribeError('not_found', `No sentence ${index} in section ${sectionId} of this draft`);
        if (!sentence.flags?.length) throw new ScribeError('bad_request', 'That sentence is not flagged; edit the section to change it');
        const sentences =
          decision === 'remove'
            ? section.sentences.filter((_, i) => i !== index)
            : section.sentences.map((s, i) => (i === index ? { ...s, decision: 'kept' as const } : s));
        const text = section.text.startsWith('- ')
          ? sentences.map((s) => `- ${s.text}`).join('\n')
          : sentences.map((s) => s.text).join(' ');
        const next: Draft = {
          ...draft,
          version: draft.version + 1,
          sections: draft.sections.map((s) => (s.id === sectionId ? { ...s, sentences, text } : s)),
        };
        await desk.save({ ...visit, draft: next });
        desk.lifecycle(visit, 'draft.edited', { sectionId, sizeOfChange: decision === 'remove' ? sentence.text.length : 0 });
        return next;
      });
    },

    /** A change of the draft's layout worked out elsewhere (app/style: put back a section the style left out). */
    reshapeDraft(visitId: string, baseVersion: number, change: (draft: Draft) => Draft): Promise<Draft> {
      return desk.serial(visitId, async () => {
        const { visit, draft } = await draftAt(visitId, baseVersion, 'change the draft');
        const next = { ...change(draft), version: draft.version + 1 };
        await desk.save({ ...visit, draft: next });
        return next;
      });
    },

    regenerate(visitId: string, template: string): Promise<Visit> {
      return desk.serial(visitId, async () => {
        const visit = await desk.load(visitId);
        desk.requireStatus(visit, ['draft'], 'regenerate the draft');
        const transcript = visit.transcript ?? { engine: 'none', segments: [] };
        const fresh = await within(
          produceDraft(visit, transcript, template, visit.draft ?? undefined),
          desk.deadlines().draftMs,
          'Drafting',
          () => inProgress.get(visit.id)?.abort(),
        );
        return desk.save({ ...visit, draft: { ...fresh, version: (visit.draft?.version ?? 0) + 1 } });
      });
    },

    /** A person says who spoke a turn; the transcript keeps it (the draft is regenerated on request). */
    setSpeaker(visitId: string, segmentId: string, speaker: Speaker): Promise<Visit> {
      return desk.serial(visitId, async () => {
        const visit = await desk.load(visitId);
        desk.requireStatus(visit, ['draft'], 'label speakers');
        const transcript = visit.transcript;
        if (!transcript?.segments.some((seg) => seg.id === segmentId))
          throw new ScribeError('not_found', `No transcript turn ${segmentId}`);
        return desk.save({
          ...visit,
          transcript: { ...transcript, segments: transcript.segments.map((seg) => (seg.id === segmentId ? { ...seg, speaker } : seg)) },
        });
      });
    },

    /** The clinician's coding decisions travel with the visit to signing. */
    setCodingDecisions(visitId: string, decisions: CodingDecision[]): Promise<Visit> {
      return desk.serial(visitId, async () => {
        const visit = await desk.load(visitId);
        desk.requireStatus(visit, ['draft'], 'change coding decisions');
        return desk.save({ ...visit, codingDecisions: decisions });
      });
    },
  };
}

export type DraftingRoom = ReturnType<typeof createDraftingRoom>;
