import type { ClinicHours } from '../contract/index.ts';

export { ClinicHours } from '../contract/index.ts';

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export interface LocalTime {
  /** YYYY-MM-DD in the clinic's time zone. */
  day: string;
  /** 0 = Sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock day, weekday and minute of an instant in a time zone. */
export function localTime(instant: string | number | Date, timeZone: string): LocalTime {
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: ${String(instant)}`);
  let y = '',
    m = '',
    d = '',
    h = '',
    min = '';
  for (const p of formatterFor(timeZone).formatToParts(date)) {
    if (p.type === 'year') y = p.value;
    else if (p.type === 'month') m = p.value;
    else if (p.type === 'day') d = p.value;
    else if (p.type === 'hour') h = p.value;
    else if (p.type === 'minute') min = p.value;
  }
  const day = `${y}-${m}-${d}`;
  return { day, weekday: weekdayOf(day), minutes: Number(h) * 60 + Number(min) };
}

function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

function minutesOf(hhmmText: string): number {
  const [h, m] = hhmmText.split(':');
  return Number(h) * 60 + Number(m);
}

/** True when the instant falls outside the clinic's opening hours (or on a closed day). */
export function isAfterHours(instant: string | number | Date, hours: ClinicHours): boolean {
  const t = localTime(instant, hours.timeZone);
  if (!hours.days.includes(t.weekday)) return true;
  return t.minutes < minutesOf(hours.open) || t.minutes >= minutesOf(hours.close);
}

/** Monday of the ISO week that holds `day` (YYYY-MM-DD). Weeks are labelled by their Monday. */
export function weekOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const offset = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - offset);
  return date.toISOString().slice(0, 10);
}
