import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Availability } from '../../protocol/model.js';
import { Schedule, type Schedule as ScheduleT } from '../../protocol/schedule.js';
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
  const base = { visibility: 'always' as const, projectSchedule: null, now: MON_NOON_BERLIN };
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
  const base = { visibility: 'always' as const, projectSchedule: null, now: MON_EVENING_BERLIN };
  // Online but outside their hours counts as away; forced offline counts as gone.
  assert.is(check({ ...base, agents: [{ ...online, schedule: berlinOffice }] }).state, 'away');
  assert.is(check({ ...base, agents: [{ ...online, forcedOffline: true }] }).state, 'offline');
});

test('"always" ignores a closed project schedule', () => {
  assert.equal(check({ visibility: 'always', projectSchedule: berlinOffice, agents: [online], now: MON_EVENING_BERLIN }), {
    state: 'online',
    visible: true,
    nextOpenAt: null,
  });
});

test('"schedule-project": closed hours make the team offline and tell when it opens', () => {
  const closed = check({ visibility: 'schedule-project', projectSchedule: berlinOffice, agents: [online], now: MON_EVENING_BERLIN });
  assert.equal(closed, { state: 'offline', visible: true, nextOpenAt: '2026-01-06T08:00:00.000Z' });
  const open = check({ visibility: 'schedule-project', projectSchedule: berlinOffice, agents: [online], now: MON_NOON_BERLIN });
  assert.equal(open, { state: 'online', visible: true, nextOpenAt: null });
  const noSchedule = check({ visibility: 'schedule-project', projectSchedule: null, agents: [online], now: MON_EVENING_BERLIN });
  assert.is(noSchedule.state, 'online');
});

test('"schedule-visitor": the project hours are read in the visitor\'s zone', () => {
  const input = { visibility: 'schedule-visitor' as const, projectSchedule: berlinOffice, agents: [online], now: MON_EVENING_BERLIN };
  assert.is(check({ ...input, visitorZone: 'America/New_York' }).state, 'online');
  const tokyo = check({ ...input, visitorZone: 'Asia/Tokyo' }); // Tue 05:00 in Tokyo
  assert.equal(tokyo, { state: 'offline', visible: true, nextOpenAt: '2026-01-06T00:00:00.000Z' });
});

test('"schedule-visitor" falls back to the project zone when the visitor sends none or a bogus one', () => {
  const input = { visibility: 'schedule-visitor' as const, projectSchedule: berlinOffice, agents: [online], now: MON_EVENING_BERLIN };
  assert.is(check(input).state, 'offline');
  assert.is(check({ ...input, visitorZone: 'Nowhere/Land' }).state, 'offline');
  assert.is(check({ ...input, visitorZone: '+05:00' }).nextOpenAt, '2026-01-06T08:00:00.000Z');
});

test('"hide-when-unavailable" hides the widget unless an agent is available now', () => {
  const base = { visibility: 'hide-when-unavailable' as const, projectSchedule: null, now: MON_NOON_BERLIN };
  assert.is(check({ ...base, agents: [online] }).visible, true);
  assert.is(check({ ...base, agents: [away] }).visible, false);
  assert.is(check({ ...base, agents: [] }).visible, false);
  assert.equal(check({ ...base, projectSchedule: berlinOffice, agents: [online], now: MON_EVENING_BERLIN }), {
    state: 'offline',
    visible: false,
    nextOpenAt: '2026-01-06T08:00:00.000Z',
  });
});

test('a project schedule with an unknown zone is a typed error, not a silent "closed"', () => {
  const broken = { ...berlinOffice, timeZone: 'Europe/Atlantis' };
  assert.throws(
    () => availability({ visibility: 'schedule-project', projectSchedule: broken, agents: [online], now: MON_NOON_BERLIN }),
    (err: unknown) => err instanceof InvalidTimeZoneError && err.code === 'invalid_time_zone',
  );
});

test.run();
