import type { MetricsSettings } from '../contract/index.ts';
import { systemTimeZone } from './clinic-hours.ts';

export { MetricsSettings } from '../contract/index.ts';

/** Notes written without a draft needed before a measured baseline is trusted. */
export const MIN_NOTES_FOR_MEASURED_BASELINE = 10;

export function defaultMetricsSettings(): MetricsSettings {
  return {
    baselineMinutesPerNote: 16,
    baselineSource: 'setting',
    clinicHours: { timeZone: systemTimeZone(), days: [1, 2, 3, 4, 5], open: '08:00', close: '18:00' },
  };
}
