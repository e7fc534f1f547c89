import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Availability } from '../../protocol/model.js';
import { HoursZone, Schedule, WidgetShows, type Schedule as ScheduleT } from '../../protocol/schedule.js';
import { availability, isAgentAvailable, type AgentAvailabilityInput } from './availability.js';
import { InvalidTimeZoneError } from './zone.js';

const nine2five = { start: '09:00', end: '17:00' };
const berlinOffice: ScheduleT = Schedule.parse({
  timeZone: 'Europe/Berlin',
  weekly: { mon: [nine2five], tue: [nine2five], wed: [nine2five], thu: [nine2five], fri: [nine2five], sat: [], sun: [] },
});
const MON_NOON_BERLIN = new Date('2026-01-05T11:00:00Z');
const MON_EVENING_BERLIN = new Date('2026-01-05T20:00:00Z'); // 21:00 Berlin, 15:00 New York
const online: AgentAvailabilityInput = { status: 'online', schedule: null };
const away: AgentAvailabilityInput = { status: 'away', schedule: null };

/** Every result must also be a valid wire Availability. */
const check = (input: Parameters<typeof availability>[0]) => Availability.parse(availability(input));

test('an online agent makes the team online; away agents make it away; nobody makes it offline', () => {
  const base = { widgetShows: 'always' as const, hoursZone: 'project' as const, projectSchedule: null, now: MON_NOON_BERLIN };
  assert.equal(check({ ...base, agents: [away, online] }), { state: 'online', visible: true, nextOpenAt: null });
  assert.equal(check({ ...base, agents: [away, away] }).state, 'away');
  assert.equal(check({ ...base, agents: [{ status: 'offline', schedule: null }] }).state, 'offline');
  assert.equal(check({ ...base, agents: [] }).state, 'offline');
});

test('an agent is available only when online, not forced offline, and inside their own schedule', () => {
  assert.ok(isAgentAvailable(online, MON_NOON_BERLIN));
  assert.not.ok(isAgentAvailable({ ...online, forcedOffline: true }, MON_NOON_BERLIN));
  assert.ok(isAgentAvailable({ ...online, schedule: berlinOffice }, MON_NOON_BERLIN));
  assert.not.ok(isAgentAvailable({ ...online, schedule: berlinOffice }, MON_EVENING_BERLIN));
  const base = { widgetShows: 'always' as const, hoursZone: 'project' as const, projectSchedule: null, now: MON_EVENING_BERLIN };
  // Online but outside their hours counts as away; forced offline counts as gone.
  assert.is(check({ ...base, agents: [{ ...online, schedule: berlinOffice }] }).state, 'away');
  assert.is(check({ ...base, agents: [{ ...online, forcedOffline: true }] }).state, 'offline');
});

const SUN_EVENING_BERLIN = new Date('2026-01-04T18:00:00Z'); // Sunday 19:00 Berlin

test('issue 11: hours Mon-Fri 09-17 on a Sunday evening with the widget always shown -> offline, back Monday 09:00, never "online"', () => {
  assert.equal(check({ widgetShows: 'always', hoursZone: 'project', projectSchedule: berlinOffice, agents: [online], now: SUN_EVENING_BERLIN }), {
    state: 'offline',
    visible: true,
    nextOpenAt: '2026-01-05T08:00:00.000Z',
  });
});

test('closed hours make the team offline and tell when it opens; open hours or no hours leave it to the agents', () => {
  const base = { widgetShows: 'always' as const, hoursZone: 'project' as const, agents: [online] };
  const closed = check({ ...base, projectSchedule: berlinOffice, now: MON_EVENING_BERLIN });
  assert.equal(closed, { state: 'offline', visible: true, nextOpenAt: '2026-01-06T08:00:00.000Z' });
  const open = check({ ...base, projectSchedule: berlinOffice, now: MON_NOON_BERLIN });
  assert.equal(open, { state: 'online', visible: true, nextOpenAt: null });
  assert.is(check({ ...base, projectSchedule: null, now: MON_EVENING_BERLIN }).state, 'online');
});

test('holidays: an exception date closed all day overrides the weekday; special hours replace them', () => {
  const holiday = { ...berlinOffice, exceptions: [{ date: '2026-01-05', intervals: [], label: 'Holiday' }] };
  const a = check({ widgetShows: 'always', hoursZone: 'project', projectSchedule: holiday, agents: [online], now: MON_NOON_BERLIN });
  assert.equal(a, { state: 'offline', visible: true, nextOpenAt: '2026-01-06T08:00:00.000Z' });
  const late = { ...berlinOffice, exceptions: [{ date: '2026-01-05', intervals: [{ start: '20:00', end: '23:00' }] }] };
  assert.is(check({ widgetShows: 'always', hoursZone: 'project', projectSchedule: late, agents: [online], now: MON_EVENING_BERLIN }).state, 'online');
});

test('hoursZone "visitor": the project hours are read in the visitor\'s zone', () => {
  const input = { widgetShows: 'always' as const, hoursZone: 'visitor' as const, projectSchedule: berlinOffice, agents: [online], now: MON_EVENING_BERLIN };
  assert.is(check({ ...input, visitorZone: 'America/New_York' }).state, 'online');
  const tokyo = check({ ...input, visitorZone: 'Asia/Tokyo' }); // Tue 05:00 in Tokyo
  assert.equal(tokyo, { state: 'offline', visible: true, nextOpenAt: '2026-01-06T00:00:00.000Z' });
});

test('hoursZone "visitor" falls back to the project zone when the visitor sends none or a bogus one', () => {
  const input = { widgetShows: 'always' as const, hoursZone: 'visitor' as const, projectSchedule: berlinOffice, agents: [online], now: MON_EVENING_BERLIN };
  assert.is(check(input).state, 'offline');
  assert.is(check({ ...input, visitorZone: 'Nowhere/Land' }).state, 'offline');
  assert.is(check({ ...input, visitorZone: '+05:00' }).nextOpenAt, '2026-01-06T08:00:00.000Z');
});

test('widgetShows "when-answered" hides the widget unless chats are answered now', () => {
  const base = { widgetShows: 'when-answered' as const, hoursZone: 'project' as const, projectSchedule: null, now: MON_NOON_BERLIN };
  assert.is(check({ ...base, agents: [online] }).visible, true);
  assert.is(check({ ...base, agents: [away] }).visible, false);
  assert.is(check({ ...base, agents: [] }).visible, false);
  assert.equal(check({ ...base, projectSchedule: berlinOffice, agents: [online], now: MON_EVENING_BERLIN }), {
    state: 'offline',
    visible: false,
    nextOpenAt: '2026-01-06T08:00:00.000Z',
  });
});

/**
 * Every combination of the model's inputs, against the rule written out as a table:
 * widget shows x hours (none / open / closed) x hours zone x agent mix x agent's own hours.
 */
test('every combination: state, visibility and next opening follow the one rule', () => {
  const agentMixes: Record<string, AgentAvailabilityInput[]> = {
    nobody: [],
    offline: [{ status: 'offline', schedule: null }],
    forced: [{ status: 'online', schedule: null, forcedOffline: true }],
    away: [away],
    online: [online],
    'online outside own hours': [
      { status: 'online', schedule: { ...berlinOffice, weekly: { ...berlinOffice.weekly, mon: [{ start: '06:00', end: '07:00' }] } } },
    ],
    'away + online': [away, online],
  };
  const hours: Record<string, ScheduleT | null> = { none: null, open: berlinOffice, closed: { ...berlinOffice, weekly: { ...berlinOffice.weekly, mon: [] } } };
  let n = 0;
  for (const widgetShows of WidgetShows.options)
    for (const hoursZone of HoursZone.options)
      for (const [hoursName, projectSchedule] of Object.entries(hours))
        for (const [mixName, agents] of Object.entries(agentMixes)) {
          const a = check({ widgetShows, hoursZone, projectSchedule, agents, now: MON_NOON_BERLIN, visitorZone: 'Europe/Berlin' });
          const hoursOpen = hoursName !== 'closed';
          const anyAvailable = mixName === 'online' || mixName === 'away + online';
          const anyPresent = anyAvailable || mixName === 'away' || mixName === 'online outside own hours';
          const expected = !hoursOpen ? 'offline' : anyAvailable ? 'online' : anyPresent ? 'away' : 'offline';
          const label = `${widgetShows}/${hoursZone}/${hoursName}/${mixName}`;
          assert.is(a.state, expected, label);
          assert.is(a.visible, widgetShows === 'always' || expected === 'online', label);
          assert.is(a.nextOpenAt, hoursOpen ? null : '2026-01-06T08:00:00.000Z', label);
          n++;
        }
  assert.is(n, 2 * 2 * 3 * 7);
});

test('a project schedule with an unknown zone is a typed error, not a silent "closed"', () => {
  const broken = { ...berlinOffice, timeZone: 'Europe/Atlantis' };
  assert.throws(
    () => availability({ widgetShows: 'always', hoursZone: 'project', projectSchedule: broken, agents: [online], now: MON_NOON_BERLIN }),
    (err: unknown) => err instanceof InvalidTimeZoneError && err.code === 'invalid_time_zone',
  );
});

test.run();
