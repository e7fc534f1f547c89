import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nextOpeningWallClock, openAtWallClock, teamState, wallClockIn, weekdayOf, widgetVisible } from './availability.js';
import { ProjectChatConfig, ProjectChatConfigInput } from './model.js';
import { LegacyVisibility, Schedule, WidgetShows } from './schedule.js';

const work = [{ start: '09:00', end: '17:00' }];
const office = Schedule.parse({
  timeZone: 'Europe/Berlin',
  weekly: { mon: work, tue: work, wed: work, thu: work, fri: work, sat: [], sun: [] },
  exceptions: [{ date: '2026-01-06', intervals: [], label: 'Holiday' }],
});

test('teamState: every combination of hours open, available and present agents', () => {
  for (const hoursOpen of [true, false])
    for (const agentsAvailable of [0, 2])
      for (const agentsPresent of [0, 1, 3]) {
        const s = teamState({ hoursOpen, agentsAvailable, agentsPresent: Math.max(agentsPresent, agentsAvailable) });
        const expected = !hoursOpen ? 'offline' : agentsAvailable > 0 ? 'online' : agentsPresent > 0 ? 'away' : 'offline';
        assert.is(s, expected, JSON.stringify({ hoursOpen, agentsAvailable, agentsPresent }));
        for (const shows of WidgetShows.options) assert.is(widgetVisible(shows, s), shows === 'always' || s === 'online');
      }
});

test('wall clock: weekdays, exceptions (holidays) and the next opening, including across a holiday and a weekend', () => {
  assert.is(weekdayOf('2026-01-04'), 'sun');
  assert.is(weekdayOf('2026-01-05'), 'mon');
  assert.ok(openAtWallClock(office, { date: '2026-01-05', minutes: 9 * 60 }));
  assert.not.ok(openAtWallClock(office, { date: '2026-01-05', minutes: 17 * 60 }), 'end is exclusive');
  assert.not.ok(openAtWallClock(office, { date: '2026-01-06', minutes: 12 * 60 }), 'holiday');
  assert.equal(nextOpeningWallClock(office, { date: '2026-01-04', minutes: 19 * 60 }), { date: '2026-01-05', minutes: 540 });
  assert.equal(nextOpeningWallClock(office, { date: '2026-01-05', minutes: 18 * 60 }), { date: '2026-01-07', minutes: 540 }, 'skips the holiday');
  assert.equal(nextOpeningWallClock(office, { date: '2026-01-09', minutes: 8 * 60 }), { date: '2026-01-09', minutes: 540 });
  assert.equal(nextOpeningWallClock(office, { date: '2026-01-09', minutes: 10 * 60 }), { date: '2026-01-12', minutes: 540 }, 'over the weekend');
  const never = Schedule.parse({ timeZone: 'UTC', weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } });
  assert.is(nextOpeningWallClock(never, { date: '2026-01-05', minutes: 0 }), null);
  assert.equal(wallClockIn('Europe/Berlin', new Date('2026-01-04T18:00:00Z')), { date: '2026-01-04', minutes: 19 * 60 });
  assert.equal(wallClockIn('Asia/Tokyo', new Date('2026-01-05T20:00:00Z')), { date: '2026-01-06', minutes: 5 * 60 });
});

const stored = {
  projectKey: 'SUP',
  projectId: '1',
  serviceDeskId: '1',
  requestTypeId: '1',
  widgetId: 'w_0123456789abcdef',
  allowedOrigins: [],
  widget: {},
  schedule: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
};

test('migration: every old visibility value maps to widgetShows + hoursZone; set hours now apply under old "always"', () => {
  const expected: Record<LegacyVisibility, [string, string]> = {
    always: ['always', 'project'],
    'schedule-project': ['always', 'project'],
    'schedule-visitor': ['always', 'visitor'],
    'hide-when-unavailable': ['when-answered', 'project'],
  };
  for (const v of LegacyVisibility.options) {
    const c = ProjectChatConfig.parse({ ...stored, visibility: v });
    assert.equal([c.widgetShows, c.hoursZone], expected[v], v);
    assert.not.ok('visibility' in c);
    const { widgetId: _w, updatedAt: _u, ...input } = stored;
    assert.is(ProjectChatConfigInput.parse({ ...input, visibility: v }).widgetShows, expected[v][0]);
  }
  const fresh = ProjectChatConfig.parse(stored);
  assert.equal([fresh.widgetShows, fresh.hoursZone], ['always', 'project'], 'defaults');
  const both = ProjectChatConfig.parse({ ...stored, visibility: 'hide-when-unavailable', widgetShows: 'always' });
  assert.is(both.widgetShows, 'always', 'the new field wins');
});

test.run();
