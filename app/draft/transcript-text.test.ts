import { describe, expect, it } from 'vitest';
import { parseTranscriptText } from './transcript-text.ts';
import { aciTrain } from '../../testing/draft/datasets.ts';

describe('reading transcripts from text', () => {
  it('reads ACI-Bench [doctor]/[patient] lines, patient_guest as other', () => {
    const t = parseTranscriptText(aciTrain()[0]!.dialogue);
    expect(t.segments.length).toBeGreaterThan(50);
    expect(t.segments[0]).toMatchObject({ id: 's1', speaker: 'clinician', text: 'hi , martha . how are you ?' });
    expect(t.segments[1]!.speaker).toBe('patient');
    expect(parseTranscriptText('[patient_guest] she has been coughing').segments[0]!.speaker).toBe('other');
  });

  it('reads Doctor:/Patient: lines and continuation lines', () => {
    const t = parseTranscriptText('Doctor: Any fever?\r\nPatient: No.\nNot at all.\nGuest_family: She had one last week.');
    expect(t.segments.map((s) => [s.speaker, s.text])).toEqual([
      ['clinician', 'Any fever?'],
      ['patient', 'No. Not at all.'],
      ['other', 'She had one last week.'],
    ]);
  });

  it('keeps lines without a known label as unlabelled turns ("Note: x" is not a speaker)', () => {
    const t = parseTranscriptText('Note: this is text\nmore text');
    expect(t.segments).toHaveLength(1);
    expect(t.segments[0]!.speaker).toBeUndefined();
  });

  it('reads Transcript JSON (from scribe transcribe --json) and rejects bad JSON clearly', () => {
    const json = JSON.stringify({ engine: 'sphinx', segments: [{ id: 'x1', start: 0.5, end: 2, text: 'hello', speaker: 'clinician' }] });
    expect(parseTranscriptText(json).segments[0]).toMatchObject({ id: 'x1', start: 0.5 });
    expect(() => parseTranscriptText('{ "engine": ')).toThrow(/does not parse/);
    expect(() => parseTranscriptText('{ "segments": 3 }')).toThrow(/not a Transcript/);
  });
});
