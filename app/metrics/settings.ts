import type { MetricsSettings } from '../api/schemas.ts';
import { systemTimeZone } from './clinicHours.ts';

export { MetricsSettings } from '../api/schemas.ts';

/** Notes written without a draft needed before a measured baseline is trusted. */
export const MIN_NOTES_FOR_MEASURED_BASELINE = 10;

export function defaultMetricsSettings(): MetricsSettings {
  return {
    baselineMinutesPerNote: 16,
    baselineSource: 'setting',
    clinicHours: { timeZone: systemTimeZone(), days: [1, 2, 3, 4, 5], open: '08:00', close: '18:00' },
  };
}
