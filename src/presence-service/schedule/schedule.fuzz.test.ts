/**
 * Fuzzing schedule evaluation (issue 10). Schedules are written by admins and agents (any
 * valid schedule), instants are any time this century, and the visitor's zone comes from a
 * browser. Whatever the combination: no throw but the typed zone error, and answers that
 * agree with each other (open now <=> next opening is now; the next opening is open and the
 * instant before it closed).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fc, fuzz, hostileString } from '../../../scripts/testing/fuzz.js';
import { Availability } from '../../protocol/model.js';
import { IANAZone } from 'luxon';
import { HoursZone, Schedule, WidgetShows } from '../../protocol/schedule.js';
import { availability } from './availability.js';
import { isOpenAt, isOpenAtInZone, nextOpening } from './open.js';
import { InvalidTimeZoneError } from './zone.js';

/** Zones with odd rules on purpose: 30/45-minute offsets, skipped days, DST in the south, no DST. */
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Pacific/Apia',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'America/Santiago',
  'Africa/Casablanca',
  'Asia/Tehran',
  'America/St_Johns',
  'Antarctica/Troll',
  'Europe/Dublin',
  'Asia/Tokyo',
];
const FROM = Date.UTC(2000, 0, 1);
const TO = Date.UTC(2099, 11, 31);

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 0, 15, 30, 45, 59))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const interval = fc
  .tuple(hhmm, fc.oneof(hhmm, fc.constant('24:00')))
  .filter(([a, b]) => a < b)
  .map(([start, end]) => ({ start, end }));
const intervals = fc.array(interval, { maxLength: 3 });
/** A date near the instants we ask about, so exceptions matter. */
const date = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }).map((t) => new Date(t).toISOString().slice(0, 10));

const schedule = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    weekly: fc.record({ mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals, sat: intervals, sun: intervals }),
    exceptions: fc.array(fc.record({ date, intervals }), { maxLength: 4 }),
  })
  .map((s) => Schedule.parse(s));
const instant = fc.integer({ min: FROM, max: TO }).map((t) => new Date(t));

/** Instants at which a zone's offset changes in a year (found day by day, then to the minute), cached. */
const transitions = new Map<string, number[]>();
function transitionsOf(zone: string, year: number): number[] {
  const key = `${zone} ${year}`;
  let found = transitions.get(key);
  if (found) return found;
  found = [];
  const z = new IANAZone(zone);
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    if (z.offset(t) === z.offset(t + 86_400_000)) continue;
    let lo = t;
    let hi = t + 86_400_000;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (z.offset(mid) === z.offset(lo)) lo = mid;
      else hi = mid;
    }
    found.push(hi);
  }
  transitions.set(key, found);
  return found;
}

/** Most bugs live at offset changes: an instant within a day and a half of one (or anywhere, when the zone has none). */
const nearTransition = (zone: string) =>
  fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.nat(), fc.integer({ min: -36 * 60, max: 36 * 60 }), instant).map(([year, i, minutes, fallback]) => {
    const list = transitionsOf(zone, year);
    return list.length ? new Date(list[i % list.length]! + minutes * 60_000) : fallback;
  });

/**
 * A schedule in a zone and an instant, usually near one of that zone's offset changes (Apia
 * skipped 30 December 2011 whole), with exceptions near the instant so they are actually hit.
 */
const scheduleAndInstant = fc.constantFrom(...ZONES).chain((zone) =>
  fc
    .tuple(
      schedule,
      fc.oneof(instant, nearTransition(zone), nearTransition(zone)),
      fc.array(fc.record({ days: fc.integer({ min: -2, max: 10 }), intervals }), { maxLength: 3 }),
    )
    .map(([s, t, near]) => {
      const extra = near.map((n) => ({ date: new Date(t.getTime() + n.days * 86_400_000).toISOString().slice(0, 10), intervals: n.intervals }));
      return [Schedule.parse({ ...s, timeZone: zone, exceptions: [...s.exceptions, ...extra] }), t] as const;
    }),
);

test('isOpenAt and nextOpening agree for any valid schedule, zone and instant', () => {
  // Usually read in the schedule's own zone (the one the instant is near), sometimes in a visitor's.
  fuzz(
    'schedule open and next opening agree',
    [scheduleAndInstant, fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.constantFrom(...ZONES), weight: 1 })],
    ([s, t], visitor) => {
      const zone = visitor ?? s.timeZone;
      const open = isOpenAtInZone(s, t, zone);
      assert.type(open, 'boolean');
      const next = nextOpening(s, t, zone);
      if (next === null) {
        assert.not.ok(open, 'open now, so the next opening is now');
        return;
      }
      assert.ok(next.getTime() >= t.getTime(), 'the next opening is not in the past');
      assert.is(next.getTime() === t.getTime(), open, `open now <=> next opening is now (${t.toISOString()} ${zone})`);
      assert.ok(isOpenAtInZone(s, next, zone), `open at its next opening ${next.toISOString()} (${zone}, from ${t.toISOString()})`);
      if (next.getTime() > t.getTime())
        assert.not.ok(isOpenAtInZone(s, new Date(next.getTime() - 1), zone), `closed just before ${next.toISOString()} (${zone})`);
    },
    { runs: 700 },
  );
});

test('availability is a valid wire Availability for any schedule, agents, mode and visitor zone; a bogus visitor zone falls back', () => {
  const agent = fc.record({
    status: fc.constantFrom('online', 'away', 'offline') as fc.Arbitrary<'online' | 'away' | 'offline'>,
    schedule: fc.option(schedule, { nil: null }),
    forcedOffline: fc.boolean(),
  });
  const visitorZone = fc.option(
    fc.oneof(fc.constantFrom(...ZONES), hostileString(30), fc.constantFrom('+05:00', 'Etc/GMT+5', 'Mars/Olympus', 'europe/berlin', 'EST5EDT')),
    { nil: undefined },
  );
  fuzz(
    'schedule availability',
    [
      fc.constantFrom(...WidgetShows.options),
      fc.constantFrom(...HoursZone.options),
      fc.option(schedule, { nil: null }),
      fc.array(agent, { maxLength: 3 }),
      instant,
      visitorZone,
    ],
    (widgetShows, hoursZone, projectSchedule, agents, now, vz) => {
      const a = availability({ widgetShows, hoursZone, projectSchedule, agents, now, ...(vz !== undefined ? { visitorZone: vz } : {}) });
      Availability.parse(a);
      if (a.nextOpenAt) assert.ok(new Date(a.nextOpenAt).getTime() >= now.getTime());
      // Hours always apply: no hours never closes; set hours that are closed make the team offline.
      if (projectSchedule === null) assert.is(a.nextOpenAt, null);
      if (a.nextOpenAt) assert.is(a.state, 'offline');
      if (widgetShows === 'always') assert.ok(a.visible);
    },
    { runs: 600 },
  );
});

test('a zone that is not IANA is the typed error, whatever the string', () => {
  const s = Schedule.parse({ timeZone: 'UTC', weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } });
  fuzz(
    'schedule hostile zones',
    [hostileString(70), instant],
    (zone, t) => {
      try {
        assert.type(isOpenAt({ ...s, timeZone: zone }, t), 'boolean');
      } catch (err) {
        assert.instance(err, InvalidTimeZoneError);
      }
    },
    { runs: 500 },
  );
});

test('the schedule schema answers any input with data or issues', () => {
  fuzz(
    'schedule schema',
    [fc.anything({ maxDepth: 3 })],
    (v) => {
      assert.type(Schedule.safeParse(v).success, 'boolean');
    },
    { runs: 500 },
  );
});

test.run();
