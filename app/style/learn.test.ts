import { describe, expect, it } from 'vitest';
import { learnFromSignedNote, type NoteSection, type SignedExample } from './learn.ts';
import { emptyProfile, isApplied } from './rules.ts';

// A clinician who always puts the assessment first: notes where a section happened to be empty (nothing was
// said for it) must count for that habit, not against it.

const section = (id: string, text: string): NoteSection => ({ id, title: id.toUpperCase(), text });
const DRAFT_ORDER = ['hpi', 'ros', 'exam', 'assessment_plan'];

function example(empty: string[]): SignedExample {
  const drafted = DRAFT_ORDER.map((id) => section(id, empty.includes(id) ? '' : `${id} text.`));
  const signed = [drafted.find((s) => s.id === 'assessment_plan')!, ...drafted.filter((s) => s.id !== 'assessment_plan')];
  return { visitType: 'office visit', drafted, defaultTemplate: 'general-visit', template: 'general-visit', signed };
}

describe('section order learned from signed notes', () => {
  it('becomes a rule after three notes even when one had no review of systems', () => {
    let profile = emptyProfile('dr-a');
    for (const [i, empty] of [[], ['ros'], []].entries()) profile = learnFromSignedNote(profile, example(empty), new Date(i).toISOString());
    const order = profile.rules.filter((r) => r.kind === 'section.order');
    expect(order.filter(isApplied).map((r) => r.order)).toContainEqual(['assessment_plan', 'hpi', 'ros', 'exam']);
    // The note without a review of systems placed it where it was drafted, so nothing counted against the habit.
    expect(order.every((r) => r.against === 0)).toBe(true);
  });
});
