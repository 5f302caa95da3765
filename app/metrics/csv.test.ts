import { describe, expect, it } from 'vitest';
import { aggregateDayFigures } from './aggregate.ts';
import { dashboardCsv, parseCsv, parseDashboardCsv } from './csv.ts';
import { zeroCounts } from './day-figures.ts';
import { defaultMetricsSettings } from './settings.ts';

describe('metrics CSV export', () => {
  it('round-trips every figure of the dashboard, nulls included', () => {
    const c1 = {
      ...zeroCounts(),
      visits: 3,
      visitsTimed: 3,
      visitSeconds: 2701,
      notesSigned: 2,
      editSeconds: 437,
      signsTimed: 2,
      stopToSignSeconds: 3000,
      draftWords: 300,
      keptWords: 251,
      codingAccepted: 4,
      amendments: 1,
      afterHoursEditSeconds: 95,
    };
    const c2 = { ...zeroCounts(), visits: 1 }; // a visit still being recorded: per-note figures are null
    const agg = aggregateDayFigures(
      [
        { workstationId: 'ws-1', clinicianId: 'dana-reyes', day: '2026-11-24', visitType: 'follow-up', counts: c1 },
        { workstationId: 'ws-1', clinicianId: 'samuel-patel', day: '2026-12-02', visitType: 'new-patient', counts: c2 },
      ],
      {},
      { ...defaultMetricsSettings(), baselineMinutesPerNote: 16 },
    );
    const csv = dashboardCsv(agg);
    expect(csv.split('\r\n')[0]).toBe(
      'scope,week,clinicianId,visits,notesSigned,documentationMinutesPerNote,minutesSaved,afterHoursMinutes,draftRetention,timeToSignMinutes,visitMinutes,stopToDraftSeconds,codingAccepted,codingRejected,codingReplaced,amendments,importStopToDraftSeconds',
    );
    const back = parseDashboardCsv(csv);
    expect(back).toEqual({ totals: agg.totals, weekly: agg.weekly, clinicians: agg.clinicians, clinicianWeeks: agg.clinicianWeeks });
    expect(back.totals.minutesSaved).toBeCloseTo(32 - 437 / 60, 2);
    expect(back.weekly[1]!.documentationMinutesPerNote).toBeNull();
  });

  it('quotes and defuses cells a spreadsheet would execute', () => {
    const agg = aggregateDayFigures(
      [{ workstationId: 'w', clinicianId: '=HYPERLINK("x"),1', day: '2026-11-24', visitType: 't', counts: zeroCounts() }],
      {},
      defaultMetricsSettings(),
    );
    const csv = dashboardCsv(agg);
    expect(csv).toContain(`"'=HYPERLINK(""x""),1"`);
    expect(parseDashboardCsv(csv).clinicians[0]!.clinicianId).toBe('=HYPERLINK("x"),1');
  });

  it('refuses a file that is not a metrics export', () => {
    expect(() => parseDashboardCsv('a,b\n1,2\n')).toThrow(/unexpected header/);
    expect(() => parseCsv('"open')).toThrow(/quoted/);
  });
});
