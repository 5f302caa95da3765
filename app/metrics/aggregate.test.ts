import { describe, expect, it } from 'vitest';
import { figuresOf } from './aggregate.ts';
import { addVisit, zeroCounts } from './day-figures.ts';
import type { VisitMetricsRecord } from './visit-record.ts';

const base = (over: Partial<VisitMetricsRecord>): VisitMetricsRecord => ({
  v: 1,
  key: 'k',
  clinicianId: 'dana',
  visitType: 'follow-up',
  day: '2026-12-01',
  activeEditMs: 0,
  afterHoursEditMs: 0,
  coding: { accepted: 0, rejected: 0, replaced: 0 },
  amendments: 0,
  ...over,
});

describe('practice figures (issue #16)', () => {
  it('a declined visit (no AI draft) saves no minutes: it is left out of "minutes saved"', () => {
    const c = zeroCounts();
    // AI-drafted note: 3 min of editing against a 16 min baseline.
    addVisit(
      c,
      base({ signedAt: '2026-12-01T10:30:00Z', activeEditMs: 180_000, retention: { draftWords: 200, keptWords: 150, editDistance: 50 } }),
    );
    // Declined: written by hand in 12 minutes.
    addVisit(c, base({ signedAt: '2026-12-01T11:30:00Z', activeEditMs: 720_000 }));
    const f = figuresOf(c, 16);
    expect(f.notesSigned).toBe(2);
    expect(f.minutesSaved).toBe(13);
  });
  it('"draft ready after Stop" keeps imported recordings apart from live visits', () => {
    const c = zeroCounts();
    // Live: 10 minutes on the clock, 9.5 minutes of audio, draft 1.4 s after Stop.
    addVisit(
      c,
      base({
        startedAt: '2026-12-01T10:00:00Z',
        stoppedAt: '2026-12-01T10:10:00Z',
        draftReadyAt: '2026-12-01T10:10:01.400Z',
        audioSeconds: 570,
      }),
    );
    // Imported: a 6-minute file streamed in 8 s, draft 35 s after Stop.
    addVisit(
      c,
      base({
        startedAt: '2026-12-01T11:00:00Z',
        stoppedAt: '2026-12-01T11:00:08Z',
        draftReadyAt: '2026-12-01T11:00:43Z',
        audioSeconds: 360,
      }),
    );
    const f = figuresOf(c, 16);
    expect(f.stopToDraftSeconds).toBe(1.4);
    expect(f.importStopToDraftSeconds).toBe(35);
  });
});
