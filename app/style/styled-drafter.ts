import type { Draft, Transcript, Visit } from '../contract/index.ts';
import { DEFAULT_TEMPLATE } from '../draft/index.ts';
import type { LearnInput, EvidenceCheck, StyleForLanguageModel, StyleService } from './service.ts';

/**
 * The style as a layer after any drafter (the built-in one, a language-model one): it picks the
 * clinician's template for the visit type, lets the drafter draft, then applies the clinician's rules.
 * A failure of the style layer never costs the clinician the draft.
 */

export interface StyleDraftRequest {
  transcript: Transcript;
  template?: string;
  context?: { problems?: string[]; medications?: string[]; sex?: 'female' | 'male' };
  keep?: Draft;
  /** Whose style (absent: no style). */
  clinicianId?: string;
  visitType?: string;
  /**
   * For a language-model engine only: the clinician's style as instructions and a few of their own recent signed
   * notes (decrypted in memory for this one draft; never stored with the draft, never sent off the workstation).
   */
  clinicianStyle?: StyleForLanguageModel;
}

export interface AnyDrafter {
  /** 'builtin' drafts by rules and gets no style guide; any other engine (e.g. 'llm') is handed one. */
  readonly engine?: string;
  draft(input: StyleDraftRequest): Promise<Draft>;
}

export function withClinicianStyle(
  base: AnyDrafter,
  style: StyleService,
  options: { check?: EvidenceCheck; onError?: (error: unknown) => void } = {},
): AnyDrafter {
  return {
    ...(base.engine ? { engine: base.engine } : {}),
    async draft(input) {
      if (!input.clinicianId) return base.draft(input);
      const first = !input.keep;
      const defaultTemplate = first
        ? (input.template ?? DEFAULT_TEMPLATE)
        : (input.keep?.style?.defaultTemplate ?? input.keep?.template ?? DEFAULT_TEMPLATE);
      let template = input.template;
      if (first && input.visitType) {
        const learned = await style.templateFor(input.clinicianId, input.visitType).catch(() => null);
        if (learned) template = learned;
      }
      const { clinicianId, visitType: _visitType, clinicianStyle: _ignored, ...plain } = input;
      let request: StyleDraftRequest = plain;
      if (base.engine && base.engine !== 'builtin') {
        const guide = await style.forLanguageModel(clinicianId).catch(() => null);
        if (guide && (guide.instructions || guide.examples.length)) request = { ...plain, clinicianStyle: guide };
      }
      let raw: Draft;
      try {
        raw = await base.draft({ ...request, ...(template ? { template } : {}) });
      } catch (error) {
        // A learned template that no longer exists (or fails) never blocks the draft: the drafter's own choice.
        if (template === input.template) throw error;
        raw = await base.draft(request);
      }
      const { style: _stale, ...unstyled } = raw;
      // Sections a person edited come back verbatim: what the drafter wrote for them stays the earlier draft's.
      const earlier = input.keep?.style?.drafted ?? [];
      const drafted = unstyled.sections.map(
        ({ id, title, text, edited }) => (edited && earlier.find((e) => e.id === id)) || { id, title, text },
      );
      const fresh: Draft = { ...unstyled, style: { drafted, applied: [], removedSections: [] } };
      try {
        const styled = await style.styleDraft(clinicianId, fresh, {
          transcript: input.transcript,
          defaultTemplate,
          ...(options.check ? { check: options.check } : {}),
        });
        return styled.draft;
      } catch (error) {
        options.onError?.(error);
        return fresh;
      }
    },
  };
}

/** What learning needs from a signed visit, or null when the visit cannot teach anything (no AI draft kept). */
export function signedExampleOf(visit: Visit): LearnInput | null {
  const draft = visit.draft;
  if (!draft?.style || visit.status !== 'signed' || !visit.signedAt) return null;
  const signed = draft.sections.map(({ id, title, text }) => ({ id, title, text }));
  const noteText = signed
    .filter((s) => s.text.trim())
    .map((s) => `${s.title.toUpperCase()}\n${s.text.trim()}`)
    .join('\n\n');
  return {
    visitId: visit.id,
    clinicianId: visit.clinicianId,
    visitType: visit.visitType,
    signedAt: visit.signedAt,
    drafted: draft.style.drafted,
    defaultTemplate: draft.style.defaultTemplate ?? DEFAULT_TEMPLATE,
    template: draft.template,
    signed,
    noteText,
  };
}
