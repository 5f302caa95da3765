import { describe, expect, it } from 'vitest';
import { plainMessage } from './plain-error.ts';

describe('errors in plain words', () => {
  it('never shows "Invalid input for <call>": an over-long section says what is wrong in words', () => {
    const msg = 'Invalid input for draft.updateSection: text: Too big: expected string to have <=100000 characters';
    expect(plainMessage(msg)).toBe('The text is too long (at most 100,000 characters).');
  });
  it("names fields in words and keeps a refinement's own words", () => {
    expect(plainMessage('Invalid input for settings.set: workday.timeZone: an IANA time zone such as Europe/Berlin')).toBe(
      'The time zone must be an IANA time zone such as Europe/Berlin.',
    );
    expect(plainMessage('Invalid input for patient.search: text: Too small: expected string to have >=2 characters')).toBe(
      'The text is too short (at least 2 characters).',
    );
    expect(plainMessage('Invalid input for x.y: (input): Unrecognized key: "z"')).not.toMatch(/Invalid input for/);
  });
  it("leaves the core's own plain sentences alone", () => {
    expect(plainMessage('The note is empty: write or dictate at least one section before signing')).toBe(
      'The note is empty: write or dictate at least one section before signing',
    );
  });
});
