import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contract } from './contract.ts';

// The editor enforces the section limit before saving (renderer/src/note/section-limits.ts); it must be
// the limit this gate enforces, or a section could fail to save with no word next to it.
const editorLimit = Number(
  /SECTION_MAX_CHARS = ([\d_]+)/
    .exec(readFileSync(new URL('../../renderer/src/note/section-limits.ts', import.meta.url), 'utf8'))![1]!
    .replace(/_/g, ''),
);

describe('section length limit', () => {
  it('is the same in the editor and at the gate (draft.updateSection and queue.save)', () => {
    const base = { visitId: 'v-1', sectionId: 'plan', baseVersion: 1 };
    expect(contract['draft.updateSection'].input.safeParse({ ...base, text: 'x'.repeat(editorLimit) }).success).toBe(true);
    expect(contract['draft.updateSection'].input.safeParse({ ...base, text: 'x'.repeat(editorLimit + 1) }).success).toBe(false);
    const save = (text: string) =>
      contract['queue.save'].input.safeParse({ visitId: 'v-1', lockToken: 't', baseVersion: 1, sections: [{ id: 'plan', text }] }).success;
    expect(save('x'.repeat(editorLimit))).toBe(true);
    expect(save('x'.repeat(editorLimit + 1))).toBe(false);
  });
});
