/** A clinician's note style, learned from what they sign, applied to their next drafts (docs/decisions/0140-0143). */
export { createStyleService, instructionsOf, EXAMPLE_NOTES, STYLE_NAMESPACE, type EvidenceCheck, type LearnInput, type StyleActor, type StyleForLanguageModel, type StyleService } from './service.ts';
export { createStyleLearning, type NoteLearning, type StyleLearning } from './learning.ts';
export { withClinicianStyle, signedExampleOf, type AnyDrafter, type StyleDraftRequest } from './styled-drafter.ts';
export { learnFromSignedNote, ruleId, type NoteSection, type SignedExample } from './learn.ts';
export { applyStyle, restoreRemovedSection, rewrite, type StyleChange, type StyledDraft } from './apply.ts';
export { emptyProfile, isApplied, ruleState, describeRule, MIN_SEEN, type StyleProfile, type StyleRule, type RuleKind } from './rules.ts';
export { factChange, toSlots } from './phrases.ts';
