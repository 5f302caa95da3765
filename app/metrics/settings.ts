import { z } from 'zod';
import { ClinicHours, systemTimeZone } from './clinicHours.ts';

/** Practice settings for metrics. No PHI: numbers, hours and a time zone. */
export const MetricsSettings = z.object({
  /** Minutes a clinician spent documenting one note before Scribe (the practice's own figure). */
  baselineMinutesPerNote: z.number().min(0).max(240),
  /**
   * Where the baseline comes from: the figure above, or measured from notes this practice wrote
   * without an AI draft (patient declined recording, or the draft was empty) when there are enough of them.
   */
  baselineSource: z.enum(['setting', 'measured']),
  clinicHours: ClinicHours,
});
export type MetricsSettings = z.infer<typeof MetricsSettings>;

/** Notes written without a draft needed before a measured baseline is trusted. */
export const MIN_NOTES_FOR_MEASURED_BASELINE = 10;

export function defaultMetricsSettings(): MetricsSettings {
  return {
    baselineMinutesPerNote: 16,
    baselineSource: 'setting',
    clinicHours: { timeZone: systemTimeZone(), days: [1, 2, 3, 4, 5], open: '08:00', close: '18:00' },
  };
}
