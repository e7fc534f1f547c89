import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Schedule } from '../../protocol/schedule.js';
import { Schedule as ScheduleSchema } from '../../protocol/schedule.js';
import { isOpenAt, isOpenAtInZone, nextOpening } from './open.js';
import { InvalidTimeZoneError } from './zone.js';

const at = (iso: string) => new Date(iso);
const weekdays = (start: string, end: string) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start, end }]]));
const NO_DAYS = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
/** Parsed through the shared schema, so every fixture is a schedule the settings page could save. */
const schedule = (s: { weekly: object } & Record<string, unknown>): Schedule => ScheduleSchema.parse({ ...s, weekly: { ...NO_DAYS, ...s.weekly } });
const nextIso = (s: Schedule, iso: string) => nextOpening(s, at(iso))?.toISOString() ?? null;

test('Berlin spring forward: an interval across the skipped hour is open only while the clock shows it', () => {
  // 2026-03-29 02:00 CET becomes 03:00 CEST at 01:00Z.
  const s = schedule({ timeZone: 'Europe/Berlin', weekly: { sun: [{ start: '01:30', end: '02:30' }] } });
  assert.ok(isOpenAt(s, at('2026-03-29T00:30:00Z'))); // 01:30 CET
  assert.ok(isOpenAt(s, at('2026-03-29T00:59:59Z')));
  assert.not.ok(isOpenAt(s, at('2026-03-29T01:00:00Z'))); // 03:00 CEST
  assert.not.ok(isOpenAt(s, at('2026-03-29T01:20:00Z')));
});

test('Berlin spring forward: an interval starting inside the gap opens when the clock jumps past its start', () => {
  const s = schedule({ timeZone: 'Europe/Berlin', weekly: { sun: [{ start: '02:30', end: '04:00' }] } });
  assert.is(nextIso(s, '2026-03-28T23:00:00Z'), '2026-03-29T01:00:00.000Z');
  assert.ok(isOpenAt(s, at('2026-03-29T01:00:00Z')));
  assert.not.ok(isOpenAt(s, at('2026-03-29T02:00:00Z'))); // 04:00 CEST
});

test('Berlin spring forward: an interval wholly inside the gap never opens that day', () => {
  const s = schedule({ timeZone: 'Europe/Berlin', weekly: { sun: [{ start: '02:15', end: '02:45' }] } });
  assert.is(nextIso(s, '2026-03-28T12:00:00Z'), '2026-04-05T00:15:00.000Z'); // next Sunday, 02:15 CEST
});

test('Berlin fall back: the repeated hour is open both times it shows on the clock', () => {
  // 2026-10-25 03:00 CEST becomes 02:00 CET at 01:00Z; 02:00-03:00 local happens twice.
  const s = schedule({ timeZone: 'Europe/Berlin', weekly: { sun: [{ start: '02:00', end: '02:30' }] } });
  assert.ok(isOpenAt(s, at('2026-10-25T00:15:00Z'))); // 02:15 CEST
  assert.not.ok(isOpenAt(s, at('2026-10-25T00:45:00Z'))); // 02:45 CEST
  assert.ok(isOpenAt(s, at('2026-10-25T01:15:00Z'))); // 02:15 CET
  assert.not.ok(isOpenAt(s, at('2026-10-25T01:45:00Z')));
  assert.is(nextIso(s, '2026-10-25T00:40:00Z'), '2026-10-25T01:00:00.000Z');
});

test('Berlin: nextOpening across the spring change lands on 09:00 local summer time', () => {
  const s = schedule({ timeZone: 'Europe/Berlin', weekly: weekdays('09:00', '17:00') });
  assert.is(nextIso(s, '2026-03-27T17:00:00Z'), '2026-03-30T07:00:00.000Z'); // Fri 18:00 CET -> Mon 09:00 CEST
  assert.is(nextIso(s, '2026-10-23T16:00:00Z'), '2026-10-26T08:00:00.000Z'); // Fri 18:00 CEST -> Mon 09:00 CET
});

test('New York spring forward (2026-03-08): 01:00-03:00 lasts one hour; Monday opens at 09:00 EDT', () => {
  const s = schedule({ timeZone: 'America/New_York', weekly: { sun: [{ start: '01:00', end: '03:00' }], ...weekdays('09:00', '17:00') } });
  assert.ok(isOpenAt(s, at('2026-03-08T06:30:00Z'))); // 01:30 EST
  assert.not.ok(isOpenAt(s, at('2026-03-08T07:00:00Z'))); // 03:00 EDT
  assert.is(nextIso(s, '2026-03-08T07:00:00Z'), '2026-03-09T13:00:00.000Z');
});

test('New York fall back (2026-11-01): 01:00-02:00 shows twice; Monday opens at 09:00 EST', () => {
  const s = schedule({ timeZone: 'America/New_York', weekly: { sun: [{ start: '01:00', end: '02:00' }], ...weekdays('09:00', '17:00') } });
  assert.ok(isOpenAt(s, at('2026-11-01T05:30:00Z'))); // 01:30 EDT
  assert.ok(isOpenAt(s, at('2026-11-01T06:30:00Z'))); // 01:30 EST
  assert.not.ok(isOpenAt(s, at('2026-11-01T07:00:00Z'))); // 02:00 EST
  assert.is(nextIso(s, '2026-10-30T22:00:00Z'), '2026-11-01T05:00:00.000Z');
  assert.is(nextIso(s, '2026-11-01T07:00:00Z'), '2026-11-02T14:00:00.000Z');
});

test('exceptions: a closed holiday and special hours replace the weekday hours', () => {
  const s = schedule({
    timeZone: 'Europe/Berlin',
    weekly: weekdays('09:00', '17:00'),
    exceptions: [
      { date: '2026-12-24', intervals: [], label: 'Christmas Eve' },
      { date: '2026-12-25', intervals: [] },
      { date: '2026-12-27', intervals: [{ start: '10:00', end: '12:00' }] },
      { date: '2026-12-31', intervals: [{ start: '10:00', end: '12:00' }] },
    ],
  });
  assert.not.ok(isOpenAt(s, at('2026-12-24T10:00:00Z')));
  assert.is(nextIso(s, '2026-12-24T07:00:00Z'), '2026-12-27T09:00:00.000Z'); // Sunday special hours, 10:00 CET
  assert.is(nextIso(s, '2026-12-27T12:00:00Z'), '2026-12-28T08:00:00.000Z');
  assert.ok(isOpenAt(s, at('2026-12-31T10:00:00Z'))); // 11:00 CET
  assert.not.ok(isOpenAt(s, at('2026-12-31T12:00:00Z'))); // 13:00 CET, normally open
});

test('nextOpening searches past a long closure and gives up on a schedule that never opens', () => {
  const closed = Array.from({ length: 30 }, (_, i) => ({ date: new Date(Date.UTC(2026, 7, 1 + i)).toISOString().slice(0, 10), intervals: [] }));
  const s = schedule({ timeZone: 'UTC', weekly: weekdays('09:00', '17:00'), exceptions: closed });
  assert.is(nextIso(s, '2026-08-01T00:00:00Z'), '2026-08-31T09:00:00.000Z');
  assert.is(nextOpening(schedule({ timeZone: 'UTC', weekly: {} }), at('2026-08-01T00:00:00Z')), null);
});

test('several intervals a day: closed over lunch, reopening at 13:00', () => {
  const s = schedule({
    timeZone: 'Europe/Berlin',
    weekly: {
      mon: [
        { start: '13:00', end: '17:00' },
        { start: '09:00', end: '12:00' },
      ],
    },
  });
  assert.ok(isOpenAt(s, at('2026-01-05T10:00:00Z'))); // 11:00
  assert.not.ok(isOpenAt(s, at('2026-01-05T11:30:00Z'))); // 12:30
  assert.is(nextIso(s, '2026-01-05T11:30:00Z'), '2026-01-05T12:00:00.000Z');
  assert.is(nextIso(s, '2026-01-05T10:00:00Z'), '2026-01-05T10:00:00.000Z'); // open now: now
});

test('24:00 end covers the last minute of the day and no more', () => {
  const s = schedule({ timeZone: 'Europe/Berlin', weekly: { fri: [{ start: '22:00', end: '24:00' }] } });
  assert.ok(isOpenAt(s, at('2026-01-09T22:59:59.999Z'))); // Fri 23:59:59.999
  assert.not.ok(isOpenAt(s, at('2026-01-09T23:00:00Z'))); // Sat 00:00
  assert.is(nextIso(s, '2026-01-09T23:00:00Z'), '2026-01-16T21:00:00.000Z');
});

test("visitor zone: the same wall-clock hours apply in the visitor's own zone", () => {
  const s = schedule({ timeZone: 'Europe/Berlin', weekly: weekdays('09:00', '17:00') });
  const evening = at('2026-01-05T20:00:00Z'); // 21:00 Berlin, 15:00 New York
  assert.not.ok(isOpenAt(s, evening));
  assert.ok(isOpenAtInZone(s, evening, 'America/New_York'));
  assert.ok(isOpenAtInZone(s, at('2026-01-05T07:00:00Z'), 'Asia/Tokyo')); // 16:00 Tokyo
  assert.is(nextOpening(s, evening, 'Asia/Tokyo')?.toISOString(), '2026-01-06T00:00:00.000Z'); // Tue 09:00 Tokyo
});

test('isOpenAt and nextOpening agree at every 5 minutes around all four DST changes', () => {
  const cases: [string, string][] = [
    ['Europe/Berlin', '2026-03-28T12:00:00Z'],
    ['Europe/Berlin', '2026-10-24T12:00:00Z'],
    ['America/New_York', '2026-03-07T12:00:00Z'],
    ['America/New_York', '2026-10-31T12:00:00Z'],
  ];
  const hours = [
    { start: '00:30', end: '01:15' },
    { start: '01:45', end: '02:10' },
    { start: '02:40', end: '03:20' },
    { start: '23:00', end: '24:00' },
  ];
  for (const [timeZone, from] of cases) {
    const s = schedule({ timeZone, weekly: { sat: hours, sun: hours, mon: hours } });
    for (let t = at(from).getTime(), end = t + 48 * 3_600_000; t < end; t += 5 * 60_000) {
      const open = isOpenAt(s, new Date(t));
      const next = nextOpening(s, new Date(t))!.getTime();
      assert.is(next === t, open, `${timeZone} at ${new Date(t).toISOString()}`);
      assert.ok(isOpenAt(s, new Date(next)), `opening ${new Date(next).toISOString()} is open`);
      if (next > t) assert.not.ok(isOpenAt(s, new Date(next - 1)), `just before ${new Date(next).toISOString()} is closed`);
    }
  }
});

test('an unknown or offset-style zone is rejected with a typed error', () => {
  for (const zone of ['Mars/Olympus', '+02:00', '']) {
    try {
      isOpenAt({ timeZone: zone, weekly: NO_DAYS, exceptions: [] }, new Date());
      assert.unreachable('should throw');
    } catch (err) {
      assert.instance(err, InvalidTimeZoneError);
      assert.is((err as InvalidTimeZoneError).code, 'invalid_time_zone');
      assert.match((err as Error).message, /IANA time zone/);
    }
  }
});

test.run();
