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
  .strict()
  .refine((i) => minutes(i.open) < minutes(i.close), { message: 'an interval closes after it opens' });

export const scheduleSchema = z
  .object({
    /** What the admin calls it ("Office hours"), shown in the settings. */
    name: z.string().trim().max(100).optional(),
    timeZone: z.string().refine((tz) => IANAZone.isValidZone(tz), { message: 'an IANA time zone such as Europe/Warsaw' }),
    /** ISO weekday (1 = Monday … 7 = Sunday) → the day's opening intervals; a missing day is closed. */
    weekly: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.array(intervalSchema).max(8)),
    /** Local dates (YYYY-MM-DD) closed all day. */
    holidays: z
      .array(z.object({ date: z.iso.date(), name: z.string().trim().max(200).optional() }).strict())
      .max(366)
      .default([]),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const [day, list] of Object.entries(s.weekly)) {
      const sorted = [...(list ?? [])].sort((a, b) => minutes(a.open) - minutes(b.open));
      for (let i = 1; i < sorted.length; i++) {
        if (minutes(sorted[i].open) < minutes(sorted[i - 1].close))
          ctx.addIssue({
            code: 'custom',
            path: ['weekly', day],
            message: `intervals overlap: ${sorted[i - 1].open}–${sorted[i - 1].close} and ${sorted[i].open}–${sorted[i].close}`,
          });
      }
    }
    const seen = new Set<string>();
    s.holidays.forEach((h, i) => {
      if (seen.has(h.date)) ctx.addIssue({ code: 'custom', path: ['holidays', i, 'date'], message: `${h.date} is listed twice` });
      seen.add(h.date);
    });
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
 * How each language says when: "on Monday at 9:00 AM", "w poniedziałek o 09:00", "у понеділок о 09:00"...
 * Luxon gives the localised time and, for languages not listed, the day's name; the listed ones need their
 * preposition and the grammatical case a day takes after it ("w środę", not "w środa"), which Intl does not give.
 */
interface Phrasing {
  today: string;
  tomorrow: string;
  /** ISO weekday 1..7 → "on Monday"; absent: Luxon's day name. */
  weekdays?: readonly string[];
  /** A date a week or more ahead ("7 stycznia"). */
  onDate(date: string): string;
  at(day: string, time: string): string;
}

const PHRASINGS: Record<string, Phrasing> = {
  en: { today: 'today', tomorrow: 'tomorrow', onDate: (d) => `on ${d}`, at: (d, t) => `${d} at ${t}` },
  pl: {
    today: 'dzisiaj',
    tomorrow: 'jutro',
    weekdays: ['w poniedziałek', 'we wtorek', 'w środę', 'w czwartek', 'w piątek', 'w sobotę', 'w niedzielę'],
    onDate: (d) => d,
    at: (d, t) => `${d} o ${t}`,
  },
  sl: {
    today: 'danes',
    tomorrow: 'jutri',
    weekdays: ['v ponedeljek', 'v torek', 'v sredo', 'v četrtek', 'v petek', 'v soboto', 'v nedeljo'],
    onDate: (d) => d,
    at: (d, t) => `${d} ob ${t}`,
  },
  hu: {
    today: 'ma',
    tomorrow: 'holnap',
    weekdays: ['hétfőn', 'kedden', 'szerdán', 'csütörtökön', 'pénteken', 'szombaton', 'vasárnap'],
    onDate: (d) => `${d} napján`,
    at: (d, t) => `${d} ${t}-kor`,
  },
  ru: {
    today: 'сегодня',
    tomorrow: 'завтра',
    weekdays: ['в понедельник', 'во вторник', 'в среду', 'в четверг', 'в пятницу', 'в субботу', 'в воскресенье'],
    onDate: (d) => d,
    at: (d, t) => `${d} в ${t}`,
  },
  uk: {
    today: 'сьогодні',
    tomorrow: 'завтра',
    weekdays: ['у понеділок', 'у вівторок', 'у середу', 'у четвер', 'у п’ятницю', 'у суботу', 'у неділю'],
    onDate: (d) => d,
    at: (d, t) => `${d} о ${t}`,
  },
};

/**
 * "on Monday at 9:00 AM" (or "w poniedziałek o 09:00"...) in the inbox's time zone and the customer's language,
 * for the out-of-office reply: today and tomorrow by name, the weekday within a week, else the date.
 */
export function describeOpening(s: Schedule, opening: Date, now: Date, locale: string): string {
  const open = DateTime.fromJSDate(opening, { zone: s.timeZone }).setLocale(locale);
  const today = DateTime.fromJSDate(now, { zone: s.timeZone }).startOf('day');
  const days = Math.round(open.startOf('day').diff(today, 'days').days);
  const time = open.toLocaleString(DateTime.TIME_SIMPLE);
  const language = locale.toLowerCase().split(/[-_]/)[0];
  const p = PHRASINGS[language];
  if (!p) {
    const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    const day = days <= 1 ? rel.format(days, 'day') : days < 7 ? open.toFormat('cccc') : open.toLocaleString({ day: 'numeric', month: 'long' });
    return `${day} ${time}`;
  }
  const day =
    days <= 0
      ? p.today
      : days === 1
        ? p.tomorrow
        : days < 7
          ? (p.weekdays?.[open.weekday - 1] ?? `on ${open.toFormat('cccc')}`)
          : p.onDate(open.toLocaleString({ day: 'numeric', month: 'long' }));
  return p.at(day, time);
}
