import { describe, expect, it } from 'vitest';
import { ClinicHours, isAfterHours, localTime, weekOf } from './clinic-hours.ts';

const berlin: ClinicHours = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], open: '08:00', close: '18:00' };

describe('clinic hours', () => {
  it('reads wall-clock time in the clinic time zone', () => {
    // 2026-11-25 is a Wednesday; 06:30Z is 07:30 in Berlin (CET, +01:00)
    expect(localTime('2026-11-25T06:30:00Z', 'Europe/Berlin')).toEqual({ day: '2026-11-25', weekday: 3, minutes: 450 });
    // 23:30Z on the 25th is already the 26th in Berlin
    expect(localTime('2026-11-25T23:30:00Z', 'Europe/Berlin').day).toBe('2026-11-26');
  });

  it('classifies instants as after hours outside opening time and on closed days', () => {
    expect(isAfterHours('2026-11-25T06:30:00Z', berlin)).toBe(true); // 07:30 local
    expect(isAfterHours('2026-11-25T07:00:00Z', berlin)).toBe(false); // 08:00 local, opening
    expect(isAfterHours('2026-11-25T16:59:00Z', berlin)).toBe(false); // 17:59
    expect(isAfterHours('2026-11-25T17:00:00Z', berlin)).toBe(true); // 18:00, closed
    expect(isAfterHours('2026-11-28T10:00:00Z', berlin)).toBe(true); // Saturday
  });

  it('labels weeks by their Monday', () => {
    expect(weekOf('2026-11-25')).toBe('2026-11-23');
    expect(weekOf('2026-11-23')).toBe('2026-11-23');
    expect(weekOf('2026-11-29')).toBe('2026-11-23');
    expect(weekOf('2026-11-30')).toBe('2026-11-30');
  });

  it('refuses an unknown time zone and inverted hours', () => {
    expect(ClinicHours.safeParse({ ...berlin, timeZone: 'Mars/Olympus' }).success).toBe(false);
    expect(ClinicHours.safeParse({ ...berlin, open: '18:00', close: '08:00' }).success).toBe(false);
  });
});
