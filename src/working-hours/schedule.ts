import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * An inbox's working hours: a time zone, a weekly schedule of opening intervals in local wall-clock time, and
 * holidays (whole local days closed). Pure: every answer is computed in the inbox's time zone, so a weekend, a
 * holiday and a daylight-saving change all come out right (Luxon does the zone arithmetic).
 */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time as HH:MM');

export const intervalSchema = z
  .object({ open: hhmm, close: hhmm })
  .refine((i) => minutes(i.open) < minutes(i.close), { message: 'an interval closes after it opens' });

export const scheduleSchema = z.object({
  timeZone: z.string().refine((tz) => IANAZone.isValidZone(tz), { message: 'an IANA time zone such as Europe/Warsaw' }),
  /** ISO weekday (1 = Monday … 7 = Sunday) → the day's opening intervals; a missing day is closed. */
  weekly: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.array(intervalSchema).max(8)),
  /** Local dates (YYYY-MM-DD) closed all day. */
  holidays: z
    .array(z.object({ date: z.iso.date(), name: z.string().max(200).optional() }))
    .max(366)
    .default([]),
});

export type Schedule = z.infer<typeof scheduleSchema>;

function minutes(hm: string): number {
  const [h, m] = hm.split(':').map(Number);
  return h * 60 + m;
}

/** The day's intervals as absolute instants, holidays giving none. */
function intervalsOn(s: Schedule, day: DateTime): Array<{ open: DateTime; close: DateTime }> {
  if (s.holidays.some((h) => h.date === day.toISODate())) return [];
  const list = s.weekly[String(day.weekday) as keyof Schedule['weekly']] ?? [];
  return list
    .map((i) => ({ open: atLocal(day, minutes(i.open)), close: atLocal(day, minutes(i.close)) }))
    .sort((a, b) => a.open.toMillis() - b.open.toMillis());
}

/**
 * The instant a local wall-clock time names on a day. A time skipped by a spring-forward change (02:30 on the
 * day clocks jump from 02:00 to 03:00) is moved forward by the length of the gap, to 03:30: the rule calendars
 * and Temporal's "compatible" disambiguation follow, so the interval keeps its length.
 */
function atLocal(day: DateTime, minute: number): DateTime {
  if (minute === 24 * 60) return day.startOf('day').plus({ days: 1 });
  return day.startOf('day').set({ hour: Math.floor(minute / 60), minute: minute % 60 });
}

export function isOpen(s: Schedule, at: Date): boolean {
  const now = DateTime.fromJSDate(at, { zone: s.timeZone });
  return intervalsOn(s, now).some((i) => now >= i.open && now < i.close);
}

/**
 * When the team is next open: `at` itself when open now, otherwise the start of the next interval (looking a
 * year ahead), or null when the schedule never opens.
 */
export function nextOpening(s: Schedule, at: Date): Date | null {
  const now = DateTime.fromJSDate(at, { zone: s.timeZone });
  for (let d = 0; d <= 366; d++) {
    const day = now.startOf('day').plus({ days: d });
    for (const i of intervalsOn(s, day)) {
      if (now < i.close) return (now >= i.open ? now : i.open).toJSDate();
    }
  }
  return null;
}

/**
 * "Monday at 9:00" (or "poniedziałek o 9:00"...) in the inbox's time zone and the customer's language, for the
 * out-of-office reply. Today and tomorrow are named as such by Intl's relative wording where it has one.
 */
export function describeOpening(s: Schedule, opening: Date, now: Date, locale: string): string {
  const open = DateTime.fromJSDate(opening, { zone: s.timeZone }).setLocale(locale);
  const today = DateTime.fromJSDate(now, { zone: s.timeZone }).startOf('day');
  const days = Math.round(open.startOf('day').diff(today, 'days').days);
  const time = open.toLocaleString(DateTime.TIME_SIMPLE);
  const day =
    days <= 1
      ? new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day')
      : days < 7
        ? open.toFormat('cccc')
        : open.toLocaleString(DateTime.DATE_FULL);
  return `${day} ${time}`;
}
