/**
 * A clinician's note style, learned from what they sign, applied to their next drafts (docs/decisions/0140-0144).
 * A language-model engine receives the style as `clinicianStyle` in its draft request (styled-drafter.ts), or can
 * call `styleService.forLanguageModel(clinicianId)`.
 */
export { createStyleService, STYLE_NAMESPACE, type StyleService } from './service.ts';
export { createStyleLearning, type StyleLearning } from './learning.ts';
export { withClinicianStyle } from './styled-drafter.ts';
export { type NoteSection } from './learn.ts';
export { restoreRemovedSection } from './apply.ts';
export { isApplied, describeRule } from './rules.ts';
export { factChange } from './phrases.ts';
