import { describeOpening, isOpen, nextOpening, scheduleSchema, type Schedule } from './schedule';

const weekdays9to17 = {
  '1': [{ open: '09:00', close: '17:00' }],
  '2': [{ open: '09:00', close: '17:00' }],
  '3': [{ open: '09:00', close: '17:00' }],
  '4': [{ open: '09:00', close: '17:00' }],
  '5': [{ open: '09:00', close: '17:00' }],
};
const warsaw: Schedule = scheduleSchema.parse({
  timeZone: 'Europe/Warsaw',
  weekly: weekdays9to17,
  holidays: [{ date: '2026-12-24', name: 'Wigilia' }, { date: '2026-12-25' }],
});

const at = (iso: string) => new Date(iso);

test('open inside an interval, closed outside it, in the inbox time zone', () => {
  // 08:30 UTC is 09:30 in Warsaw in winter (UTC+1).
  expect(isOpen(warsaw, at('2026-11-24T08:30:00Z'))).toBe(true);
  expect(isOpen(warsaw, at('2026-11-24T07:59:00Z'))).toBe(false);
  expect(isOpen(warsaw, at('2026-11-24T16:00:00Z'))).toBe(false); // 17:00 local: closed at the closing minute
});

test('Friday evening: back Monday at 9:00 local', () => {
  const next = nextOpening(warsaw, at('2026-11-27T18:00:00Z'))!; // Friday 19:00 in Warsaw
  expect(next.toISOString()).toBe('2026-11-30T08:00:00.000Z');
  expect(describeOpening(warsaw, next, at('2026-11-27T18:00:00Z'), 'en')).toBe('on Monday at 9:00 AM');
  expect(describeOpening(warsaw, next, at('2026-11-27T18:00:00Z'), 'pl')).toBe('w poniedziałek o 09:00');
  expect(describeOpening(warsaw, next, at('2026-11-27T18:00:00Z'), 'uk')).toBe('у понеділок о 09:00');
  expect(describeOpening(warsaw, next, at('2026-11-27T18:00:00Z'), 'ru')).toBe('в понедельник в 09:00');
  expect(describeOpening(warsaw, next, at('2026-11-27T18:00:00Z'), 'sl')).toBe('v ponedeljek ob 09:00');
  expect(describeOpening(warsaw, next, at('2026-11-27T18:00:00Z'), 'hu')).toBe('hétfőn 9:00-kor');
  // A language without its own phrasing: Luxon's day name and time.
  expect(describeOpening(warsaw, next, at('2026-11-27T18:00:00Z'), 'de')).toBe('Montag 09:00');
});

test('holidays are skipped: Christmas Eve and Day fall on Thursday and Friday, so back on Monday 28th', () => {
  const next = nextOpening(warsaw, at('2026-12-23T17:00:00Z'))!;
  expect(next.toISOString()).toBe('2026-12-28T08:00:00.000Z');
  expect(describeOpening(warsaw, next, at('2026-12-23T17:00:00Z'), 'pl')).toBe('w poniedziałek o 09:00');
  // Tomorrow, and a date more than a week ahead.
  expect(describeOpening(warsaw, at('2026-12-24T08:00:00Z'), at('2026-12-23T17:00:00Z'), 'uk')).toBe('завтра о 09:00');
  expect(describeOpening(warsaw, at('2027-01-07T08:00:00Z'), at('2026-12-23T17:00:00Z'), 'pl')).toBe('7 stycznia o 09:00');
  expect(describeOpening(warsaw, at('2027-01-07T08:00:00Z'), at('2026-12-23T17:00:00Z'), 'en')).toBe('on January 7 at 9:00 AM');
});

test('a daylight-saving change moves the UTC instant, not the local opening time', () => {
  // Clocks go forward in Warsaw on Sunday 29 March 2026: Monday opens at 09:00 CEST = 07:00 UTC.
  expect(nextOpening(warsaw, at('2026-03-27T17:00:00Z'))!.toISOString()).toBe('2026-03-30T07:00:00.000Z');
  // And back on Sunday 25 October 2026: Monday opens at 09:00 CET = 08:00 UTC.
  expect(nextOpening(warsaw, at('2026-10-23T16:00:00Z'))!.toISOString()).toBe('2026-10-26T08:00:00.000Z');
});

test('an opening time skipped by spring-forward moves forward by the gap, as calendars do', () => {
  const night: Schedule = scheduleSchema.parse({ timeZone: 'Europe/Warsaw', weekly: { '7': [{ open: '02:30', close: '05:00' }] } });
  expect(nextOpening(night, at('2026-03-28T12:00:00Z'))!.toISOString()).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
});

test('open now answers now; a schedule that never opens answers null', () => {
  const now = at('2026-11-24T10:00:00Z');
  expect(nextOpening(warsaw, now)!.getTime()).toBe(now.getTime());
  expect(nextOpening(scheduleSchema.parse({ timeZone: 'Europe/Kyiv', weekly: {} }), now)).toBeNull();
});

test('several intervals a day: a lunch break', () => {
  const split: Schedule = scheduleSchema.parse({
    timeZone: 'Europe/Budapest',
    weekly: {
      '2': [
        { open: '13:00', close: '17:00' },
        { open: '08:00', close: '12:00' },
      ],
    },
  });
  expect(isOpen(split, at('2026-11-24T11:30:00Z'))).toBe(false); // 12:30 local
  expect(nextOpening(split, at('2026-11-24T11:30:00Z'))!.toISOString()).toBe('2026-11-24T12:00:00.000Z');
  expect(describeOpening(split, at('2026-11-24T12:00:00Z'), at('2026-11-24T11:30:00Z'), 'hu')).toBe('ma 13:00-kor');
});

test('the schema refuses unknown zones and intervals that close before they open', () => {
  expect(scheduleSchema.safeParse({ timeZone: 'Mars/Olympus', weekly: {} }).success).toBe(false);
  expect(scheduleSchema.safeParse({ timeZone: 'Europe/Ljubljana', weekly: { '1': [{ open: '17:00', close: '09:00' }] } }).success).toBe(false);
  expect(scheduleSchema.safeParse({ timeZone: 'Europe/Ljubljana', weekly: { '1': [{ open: '9:00', close: '17:00' }] } }).success).toBe(false);
  const overlapping = {
    '1': [
      { open: '09:00', close: '13:00' },
      { open: '12:00', close: '17:00' },
    ],
  };
  expect(scheduleSchema.safeParse({ timeZone: 'Europe/Ljubljana', weekly: overlapping }).error?.issues[0].message).toBe(
    'intervals overlap: 09:00–13:00 and 12:00–17:00',
  );
  expect(scheduleSchema.safeParse({ timeZone: 'Europe/Ljubljana', weekly: { '8': [] } }).success).toBe(false);
  const twice = { timeZone: 'Europe/Ljubljana', weekly: {}, holidays: [{ date: '2026-12-25' }, { date: '2026-12-25' }] };
  expect(scheduleSchema.safeParse(twice).success).toBe(false);
  expect(scheduleSchema.safeParse({ timeZone: 'Europe/Ljubljana', weekly: {}, holidays: [{ date: '2026-02-30' }] }).success).toBe(false);
});
